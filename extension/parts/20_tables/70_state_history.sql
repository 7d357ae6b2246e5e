CREATE TABLE kyc.state_history (
    tenant_id       text        NOT NULL,
    application_id  uuid        NOT NULL,
    state_version   integer     NOT NULL,
    from_state      kyc.state,
    to_state        kyc.state   NOT NULL,
    reason_code     text,
    note            text,
    actor_role      name        NOT NULL,
    actor_role_oid  oid         NOT NULL,
    actor_principal text,
    changed_at      timestamptz NOT NULL,
    PRIMARY KEY (application_id, state_version),
    FOREIGN KEY (application_id, tenant_id) REFERENCES kyc.application (id, tenant_id)
);
COMMENT ON TABLE kyc.state_history IS
    'one row per state an application entered (from_state NULL at open), written by the C trigger in the same transaction';
