CREATE TABLE kyc.gate_definition (
    gate          kyc.gate  PRIMARY KEY,
    owner         kyc.owner NOT NULL,
    critical      boolean   NOT NULL,
    business_only boolean   NOT NULL DEFAULT false,
    pending_state kyc.state,
    waivable      boolean   NOT NULL,
    decider_roles name[]    NOT NULL,
    description   text      NOT NULL,
    UNIQUE (gate, owner)
);
COMMENT ON TABLE kyc.gate_definition IS
    'catalog of gates: owner, whether the gate is critical for opening, the state that means it is pending, whether a reviewer may waive it, and which roles may record a manual gate decision';
