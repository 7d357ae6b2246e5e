CREATE TABLE kyc.signal (
    id                   uuid              PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id            text              NOT NULL,
    application_id       uuid              NOT NULL,
    evidence_seq         bigint            NOT NULL,
    source               text              NOT NULL,
    signal_type          text              NOT NULL,
    gate                 kyc.gate          NOT NULL,
    owner                kyc.owner         NOT NULL,
    result               kyc.signal_result NOT NULL,
    confidence           kyc.confidence    NOT NULL,
    reason_codes         text[]            NOT NULL,
    customer_safe_reason text              NOT NULL,
    evidence_refs        text[]            NOT NULL,
    model_id             text,
    model_version        text,
    score                numeric,
    expires_at           timestamptz,
    received_at          timestamptz       NOT NULL,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id),
    FOREIGN KEY (gate, owner) REFERENCES kyc.gate_definition (gate, owner)
);
CREATE INDEX signal_application_gate_idx ON kyc.signal (application_id, gate, received_at);
COMMENT ON TABLE kyc.signal IS
    'decision signals from models and vendors, append-only; each is also an evidence row (evidence_seq). Expired signals stop counting';

-- What a model found and on which documents is restricted data: no sampled values in pg_statistic.
ALTER TABLE kyc.signal ALTER COLUMN reason_codes SET STATISTICS 0;
ALTER TABLE kyc.signal ALTER COLUMN evidence_refs SET STATISTICS 0;
ALTER TABLE kyc.signal ALTER COLUMN score SET STATISTICS 0;
-- the expiry job reads signals by the time they stop counting
CREATE INDEX signal_expiry_idx ON kyc.signal (tenant_id, expires_at) WHERE expires_at IS NOT NULL;
