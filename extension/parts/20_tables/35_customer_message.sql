CREATE TABLE kyc.customer_message (
    tenant_id   text        NOT NULL DEFAULT '*',
    message_key text        NOT NULL REFERENCES kyc.customer_message_key (message_key),
    locale      text        NOT NULL,
    version     integer     NOT NULL,
    label       text        NOT NULL,
    message     text        NOT NULL,
    next_step   text        NOT NULL,
    drafted_by  name        NOT NULL,
    drafted_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    approved_by name,
    approved_at timestamptz,
    PRIMARY KEY (tenant_id, message_key, locale, version),
    CONSTRAINT customer_message_key_format CHECK (message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT customer_message_locale_format CHECK (locale OPERATOR(pg_catalog.~) '^[a-z]{2}-[A-Z]{2}$'),
    CONSTRAINT customer_message_version_positive CHECK (version OPERATOR(pg_catalog.>) 0),
    CONSTRAINT customer_message_approval CHECK ((approved_by IS NULL) OPERATOR(pg_catalog.=) (approved_at IS NULL)),
    CONSTRAINT customer_message_four_eyes CHECK (approved_by OPERATOR(pg_catalog.<>) drafted_by)
);
COMMENT ON TABLE kyc.customer_message IS
    'customer-facing wording per message key, locale and version: shipped (tenant "*") or a tenant''s own, in force once approved by a second administrator; the highest approved version wins. The only text a customer ever sees';
COMMENT ON COLUMN kyc.customer_message.version IS
    'numbered per key and locale across the shipped wording and the tenant''s, so that a notice''s template version names one text';
