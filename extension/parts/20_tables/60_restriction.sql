CREATE TABLE kyc.restriction (
    id             uuid                 PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text                 NOT NULL,
    application_id uuid                 NOT NULL,
    kind           kyc.restriction_kind NOT NULL,
    reason_code    text                 NOT NULL REFERENCES kyc.reason_code (code),
    lift_condition text                 NOT NULL,
    imposed_by     name                 NOT NULL,
    imposed_at     timestamptz          NOT NULL DEFAULT pg_catalog.now(),
    lifted_at      timestamptz,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id)
);
CREATE INDEX restriction_active_idx ON kyc.restriction (application_id) WHERE lifted_at IS NULL;
COMMENT ON TABLE kyc.restriction IS
    'limits on an account opened with restrictions (approved_restricted needs at least one active)';
