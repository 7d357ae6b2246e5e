CREATE TABLE kyc.state_definition (
    state       kyc.state PRIMARY KEY,
    phase       text      NOT NULL,
    description text      NOT NULL,
    CONSTRAINT state_definition_phase CHECK
        (phase OPERATOR(pg_catalog.=) ANY (ARRAY['start', 'in_progress', 'opened', 'terminal']))
);
COMMENT ON TABLE kyc.state_definition IS
    'what each state means and its phase (start, in_progress, opened, terminal); the diagram groups states by phase';
