CREATE TABLE kyc.evidence (
    tenant_id              text           NOT NULL,
    application_id         uuid           NOT NULL,
    seq                    bigint         NOT NULL,
    kind                   kyc.evidence_kind NOT NULL,
    data_class             kyc.data_class NOT NULL,
    payload                jsonb,
    payload_salt           bytea,
    payload_digest         kyc.hash256    NOT NULL,
    payload_schema_version smallint       NOT NULL,
    prev_hash              kyc.hash256    NOT NULL,
    row_hash               kyc.hash256    NOT NULL,
    hash_version           smallint       NOT NULL,
    recorded_at            timestamptz    NOT NULL,
    actor_role             name           NOT NULL,
    actor_role_oid         oid            NOT NULL,
    actor_principal        text,
    PRIMARY KEY (application_id, seq),
    CONSTRAINT evidence_seq_positive CHECK (seq OPERATOR(pg_catalog.>) 0),
    CONSTRAINT evidence_payload_object CHECK
        (payload IS NULL OR pg_catalog.jsonb_typeof(payload) OPERATOR(pg_catalog.=) 'object')
);
-- Rows up to a page stay whole and uncompressed: compressing the decision row and its evidence
-- row cost a twentieth of an onboarding's CPU, and verification paid again to decompress
-- (docs/benchmarks.md).
ALTER TABLE kyc.evidence SET (toast_tuple_target = 8160);
-- No foreign key to kyc.application: evidence must outlive anything done to other tables, and a
-- dropped application is what verification reports as chain_missing.
COMMENT ON TABLE kyc.evidence IS
    'append-only evidence ledger: one SHA-256 hash chain per application (docs/ledger-format.md)';
COMMENT ON COLUMN kyc.evidence.payload IS 'the evidence; NULL only after redaction by the retention path';
COMMENT ON COLUMN kyc.evidence.payload_salt IS '32 random bytes salting payload_digest; removed with the payload';

-- Verification and export never need sampled values of payloads: keep them out of pg_statistic.
ALTER TABLE kyc.evidence ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE kyc.evidence ALTER COLUMN payload_salt SET STATISTICS 0;

CREATE TABLE kyc.legal_hold (
    id             uuid        PRIMARY KEY DEFAULT pg_catalog.gen_random_uuid(),
    tenant_id      text        NOT NULL,
    application_id uuid        NOT NULL,
    reason         text        NOT NULL,
    placed_by      name        NOT NULL,
    placed_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    released_at    timestamptz,
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id)
);
CREATE INDEX legal_hold_active_idx ON kyc.legal_hold (application_id) WHERE released_at IS NULL;
COMMENT ON TABLE kyc.legal_hold IS 'an application whose evidence retention must not touch while the hold is active';
