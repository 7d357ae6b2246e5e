CREATE TABLE kyc.ledger_identity (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    incarnation uuid        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE kyc.ledger_identity IS
    'the random id drawn when the extension was created; seals name it with the cluster''s system identifier';

CREATE TABLE kyc.ledger_digest (
    seal_id           bigint      PRIMARY KEY,
    hash_version      smallint    NOT NULL,
    sealed_at         timestamptz NOT NULL,
    tree_size         bigint      NOT NULL,
    merkle_root       kyc.hash256 NOT NULL,
    prev_digest_hash  kyc.hash256 NOT NULL,
    system_identifier bigint      NOT NULL,
    database_oid      oid         NOT NULL,
    database_name     text        NOT NULL,
    incarnation       uuid        NOT NULL,
    digest_hash       kyc.hash256 NOT NULL
);
COMMENT ON TABLE kyc.ledger_digest IS
    'seals: a Merkle root over every chain head, chained to the previous seal; export with kyc.export_digest()';

CREATE TABLE kyc.sealed_head (
    seal_id        bigint      NOT NULL REFERENCES kyc.ledger_digest (seal_id),
    tenant_id      text        NOT NULL,
    application_id uuid        NOT NULL,
    head_seq       bigint      NOT NULL,
    head_hash      kyc.hash256 NOT NULL,
    PRIMARY KEY (application_id, seal_id)
);
COMMENT ON TABLE kyc.sealed_head IS
    'the chain heads that changed at each seal; a seal''s leaves are the latest row per chain up to it';
