CREATE TABLE kyc.application (
    id               uuid               PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id        text               NOT NULL,
    external_ref     text               NOT NULL,
    applicant_kind   kyc.applicant_kind NOT NULL,
    product          text               NOT NULL,
    jurisdiction     text               NOT NULL,
    channel          kyc.channel        NOT NULL,
    segment          text,
    state            kyc.state          NOT NULL DEFAULT 'application_started',
    state_version    integer            NOT NULL DEFAULT 1,
    state_reason     text               REFERENCES kyc.reason_code (code),
    state_note       text,
    state_changed_at timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    created_at       timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    updated_at       timestamptz        NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT application_external_ref_unique UNIQUE (tenant_id, external_ref),
    UNIQUE (id, tenant_id),
    CONSTRAINT application_tenant_set CHECK (tenant_id OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT application_external_ref_set CHECK (external_ref OPERATOR(pg_catalog.<>) ''),
    CONSTRAINT application_product_set CHECK (product OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT application_jurisdiction_format CHECK
        (jurisdiction OPERATOR(pg_catalog.~) '^[A-Z]{2}(-[A-Z0-9]{1,3})?$')
);
COMMENT ON TABLE kyc.application IS
    'one account-opening application; state moves only along kyc.state_transition, checked by a C trigger for every writer';
COMMENT ON COLUMN kyc.application.state_version IS
    'number of states the application has been in: 1 at open, +1 per transition (gapless, taken under the row lock)';
COMMENT ON COLUMN kyc.application.external_ref IS
    'the calling service''s own id for the application; opening twice with the same ref returns the same application';
-- Why an application was declined or closed may be an AML reason: not sampled.
ALTER TABLE kyc.application ALTER COLUMN state_reason SET STATISTICS 0;
ALTER TABLE kyc.application ALTER COLUMN state_note SET STATISTICS 0;
