CREATE TABLE kyc.customer_message_key (
    message_key    text      PRIMARY KEY,
    owner          kyc.owner NOT NULL,
    approver_roles name[]    NOT NULL,
    description    text      NOT NULL,
    CONSTRAINT customer_message_key_name CHECK (message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    CONSTRAINT customer_message_key_approvers CHECK (pg_catalog.cardinality(approver_roles) OPERATOR(pg_catalog.>) 0)
);
COMMENT ON TABLE kyc.customer_message_key IS
    'the customer message catalog by owner: each key is one responsibility line''s wording, approved by that line''s roles; neutral keys (owner cx) are shared by every line whose reasons must not show, such as AML';
