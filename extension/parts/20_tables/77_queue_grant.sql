-- Queue grants (docs/security.md#queue-grants): the DBA limits a team role to some queues without
-- editing the shipped kyc.review_queue. A role with any queue grant, and every login in it,
-- works only the queues granted to it (among those its group role may work); a role with none
-- works every queue of its group role, as before. Global like the queues: tenancy is granted
-- separately (kyc.tenant_grant).
CREATE TABLE kyc.queue_grant (
    queue      text        NOT NULL REFERENCES kyc.review_queue (queue),
    role_oid   oid         NOT NULL,
    role_name  name        NOT NULL,
    granted_by name        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (queue, role_oid)
);
COMMENT ON TABLE kyc.queue_grant IS
    'the queues a role is limited to: a role with any grant (and its members) claims and resolves tasks of the granted queues only';

-- Every grant and revocation, append-only: the evidence of who changed who may work which queue.
-- Not an application's hash chain (chains are per application, and a grant concerns none); like a
-- policy's publication it is recorded in its own table, which no role may change (the owner has
-- the only write privilege, a trigger refuses UPDATE, DELETE and TRUNCATE).
CREATE TABLE kyc.queue_grant_log (
    action     text        NOT NULL,
    queue      text        NOT NULL,
    role_oid   oid         NOT NULL,
    role_name  name        NOT NULL,
    by_login   name        NOT NULL,
    by_role    name        NOT NULL,
    at         timestamptz NOT NULL DEFAULT pg_catalog.now(),
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    CONSTRAINT queue_grant_log_action CHECK (action OPERATOR(pg_catalog.=) ANY (ARRAY['grant', 'revoke']))
);
COMMENT ON TABLE kyc.queue_grant_log IS
    'append-only record of every queue grant and revocation: what, to which role, by which login acting as which role, when';
