CREATE TABLE kyc.application_gate (
    tenant_id      text            NOT NULL,
    application_id uuid            NOT NULL,
    gate           kyc.gate        NOT NULL,
    owner          kyc.owner       NOT NULL,
    status         kyc.gate_status NOT NULL DEFAULT 'pending',
    reason_code    text,
    note           text,
    decided_by     name,
    updated_at     timestamptz     NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (application_id, gate),
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    FOREIGN KEY (gate, owner) REFERENCES kyc.gate_definition (gate, owner),
    FOREIGN KEY (reason_code, gate) REFERENCES kyc.reason_code (code, gate),
    CONSTRAINT application_gate_waiver_justified CHECK
        (status OPERATOR(pg_catalog.<>) 'waived'::kyc.gate_status OR (note IS NOT NULL AND decided_by IS NOT NULL)),
    CONSTRAINT application_gate_failure_explained CHECK
        (status OPERATOR(pg_catalog.<>) 'failed'::kyc.gate_status OR reason_code IS NOT NULL)
);
COMMENT ON TABLE kyc.application_gate IS
    'status of every gate of every application, with the owner of the gate and the reason for the status';
-- Reviewers' notes and the reasons of AML and fraud gates are restricted: not sampled.
ALTER TABLE kyc.application_gate ALTER COLUMN note SET STATISTICS 0;
ALTER TABLE kyc.application_gate ALTER COLUMN reason_code SET STATISTICS 0;
