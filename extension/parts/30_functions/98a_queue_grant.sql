-- Queue grants (20_tables/77_queue_grant.sql). Only a superuser (the DBA) grants and revokes them,
-- as tenants: who may work which queue is the bank's access control, not a reviewer's choice.

-- Whether the caller works a queue: a member of one of its worker roles and, when the caller is a
-- member of a role limited by queue grants, of a role granted this queue. Superusers work every
-- queue. A grant counts while its role still has the OID and the name it was granted under.
-- Internal.
CREATE FUNCTION kyc.works_queue(queue text) RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole)
        OR (EXISTS (SELECT 1 FROM kyc.review_queue q JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) ANY (q.worker_roles)
                    WHERE q.queue OPERATOR(pg_catalog.=) works_queue.queue
                      AND pg_catalog.pg_has_role(kyc.caller(), r.oid, 'USAGE'))
            AND (NOT EXISTS (SELECT 1 FROM kyc.queue_grant g
                             JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) g.role_oid
                                                       AND r.rolname OPERATOR(pg_catalog.=) g.role_name
                             WHERE pg_catalog.pg_has_role(kyc.caller(), r.oid, 'USAGE'))
                 OR EXISTS (SELECT 1 FROM kyc.queue_grant g
                            JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) g.role_oid
                                                      AND r.rolname OPERATOR(pg_catalog.=) g.role_name
                            WHERE g.queue OPERATOR(pg_catalog.=) works_queue.queue
                              AND pg_catalog.pg_has_role(kyc.caller(), r.oid, 'USAGE'))));
END;
COMMENT ON FUNCTION kyc.works_queue(text) IS
    'internal: whether the caller may claim and resolve tasks of the queue (its worker roles, narrowed by queue grants)';

-- Limits a role to a queue (one more, if it has grants already). The role must be able to work
-- the queue through its worker roles: a grant narrows, it never adds a data class. Superusers only.
CREATE FUNCTION kyc.grant_queue(queue text, role name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r oid := (SELECT x.oid FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) grant_queue.role);
    q kyc.review_queue;
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to grant queues'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Queues are granted by a superuser (the DBA).';
    END IF;
    SELECT * INTO q FROM kyc.review_queue x WHERE x.queue OPERATOR(pg_catalog.=) grant_queue.queue;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'review queue "%" does not exist', grant_queue.queue
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Queues are listed in kyc.review_queue.';
    END IF;
    IF r IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', grant_queue.role USING ERRCODE = 'undefined_object';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles w WHERE w.rolname OPERATOR(pg_catalog.=) ANY (q.worker_roles)
                                                       AND pg_catalog.pg_has_role(r, w.oid, 'USAGE')) THEN
        RAISE EXCEPTION 'role "%" cannot work queue "%"', grant_queue.role, q.queue
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = pg_catalog.format('The queue''s tasks are worked by members of %s.', pg_catalog.array_to_string(q.worker_roles, ', ')),
                  HINT = 'Make the role a member of one of them first; a queue grant only narrows.';
    END IF;
    INSERT INTO kyc.queue_grant (queue, role_oid, role_name, granted_by)
    VALUES (q.queue, r, grant_queue.role, SESSION_USER)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        INSERT INTO kyc.queue_grant_log (action, queue, role_oid, role_name, by_login, by_role)
        VALUES ('grant', q.queue, r, grant_queue.role, SESSION_USER, kyc.caller());
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.grant_queue(text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.grant_queue(text, name) IS
    'limit a role (and its members) to a review queue, one more if it has grants; recorded in kyc.queue_grant_log; superusers only';

-- Takes a queue from a role; a role left with no grant works every queue of its group role again.
-- Superusers only.
CREATE FUNCTION kyc.revoke_queue(queue text, role name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    g kyc.queue_grant;
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to revoke queues'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Queues are revoked by a superuser (the DBA).';
    END IF;
    FOR g IN DELETE FROM kyc.queue_grant x
             WHERE x.queue OPERATOR(pg_catalog.=) revoke_queue.queue AND x.role_name OPERATOR(pg_catalog.=) revoke_queue.role
             RETURNING x.*
    LOOP
        INSERT INTO kyc.queue_grant_log (action, queue, role_oid, role_name, by_login, by_role)
        VALUES ('revoke', g.queue, g.role_oid, g.role_name, SESSION_USER, kyc.caller());
    END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.revoke_queue(text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.revoke_queue(text, name) IS
    'take a review queue from a role; recorded in kyc.queue_grant_log; superusers only';

-- The queue grant record is append-only.
CREATE FUNCTION kyc.queue_grant_log_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    RAISE EXCEPTION 'the queue grant record is append-only'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Grants change through kyc.grant_queue() and kyc.revoke_queue().';
END
$fn$;
COMMENT ON FUNCTION kyc.queue_grant_log_guard() IS 'trigger: kyc.queue_grant_log is never changed or emptied';
