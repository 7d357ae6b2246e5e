CREATE TABLE kyc.state_transition (
    from_state  kyc.state NOT NULL,
    to_state    kyc.state NOT NULL,
    description text      NOT NULL,
    PRIMARY KEY (from_state, to_state),
    CONSTRAINT state_transition_no_loop CHECK (from_state OPERATOR(pg_catalog.<>) to_state),
    -- Invariant 1 holds even if the catalog is edited: terminal states have no way out.
    CONSTRAINT state_transition_terminal CHECK
        (from_state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])),
    -- Invariant 3: closing is an exit after opening.
    CONSTRAINT state_transition_close_after_open CHECK
        (to_state OPERATOR(pg_catalog.<>) 'closed'::kyc.state
         OR from_state OPERATOR(pg_catalog.=) ANY (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[]))
);
COMMENT ON TABLE kyc.state_transition IS
    'catalog of allowed state transitions; the C trigger on kyc.application refuses every other move';
