CREATE TABLE kyc.customer_message (
    message_key text        NOT NULL,
    locale      text        NOT NULL,
    version     integer     NOT NULL,
    label       text        NOT NULL,
    message     text        NOT NULL,
    next_step   text        NOT NULL,
    approved_by text        NOT NULL,
    approved_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (message_key, locale, version),
    CONSTRAINT customer_message_key_format CHECK (message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT customer_message_locale_format CHECK (locale OPERATOR(pg_catalog.~) '^[a-z]{2}-[A-Z]{2}$'),
    CONSTRAINT customer_message_version_positive CHECK (version OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE kyc.customer_message IS
    'approved customer-facing wording per message key, locale and version; the highest version is in force. The only text a customer ever sees';
