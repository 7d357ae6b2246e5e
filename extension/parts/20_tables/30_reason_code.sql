CREATE TABLE kyc.reason_code (
    code                 text           PRIMARY KEY,
    gate                 kyc.gate,
    owner                kyc.owner      NOT NULL,
    data_class           kyc.data_class NOT NULL,
    outcome_class        kyc.outcome    NOT NULL,
    customer_message_key text           NOT NULL REFERENCES kyc.customer_message_key (message_key),
    description          text           NOT NULL,
    UNIQUE (code, gate),
    FOREIGN KEY (gate, owner) REFERENCES kyc.gate_definition (gate, owner),
    CONSTRAINT reason_code_format CHECK (code OPERATOR(pg_catalog.~) '^[A-Z]+\.[A-Z0-9_]+$'),
    CONSTRAINT reason_code_message_key_format CHECK
        (customer_message_key OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
    -- Only lifecycle reasons (exit, abandonment) may stand without a gate.
    CONSTRAINT reason_code_gate_required CHECK
        (gate IS NOT NULL OR outcome_class OPERATOR(pg_catalog.=) ANY (ARRAY['exit', 'abandon']::kyc.outcome[]))
);
COMMENT ON TABLE kyc.reason_code IS
    'controlled reason taxonomy: every reason belongs to a gate and its owner; customers only ever see the message key';
