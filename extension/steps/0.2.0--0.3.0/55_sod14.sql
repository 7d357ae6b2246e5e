-- sod14 (issue 14): separation of duties and tenancy against an insider. Four eyes bound to the
-- person; no cross-tenant reach; redaction only under a retention rule; exports logged; a job
-- lock no SQL can take; queue grants. Each block repeats its part's definition.

-- Four eyes are two persons, not two roles (docs/security.md#four-eyes): a login that is a
-- member of two reviewer or administrator roles, or that SETs ROLE between them, is one person.
-- The first and the second pair of eyes record the session's login and its kyc.actor principal
-- beside the role they acted as; the checks and these constraints compare the persons. A row
-- written before 0.3.0 has no login: its role name stands for the person.
ALTER TABLE kyc.review_task
    ADD COLUMN claimed_login      name,
    ADD COLUMN proposed_login     name,
    ADD COLUMN proposed_principal text,
    ADD COLUMN resolved_login     name,
    ADD COLUMN resolved_principal text,
    DROP CONSTRAINT review_task_four_eyes,
    ADD CONSTRAINT review_task_four_eyes CHECK
        (proposed_by IS NULL OR resolved_by IS NULL
         OR (coalesce(proposed_login, proposed_by) OPERATOR(pg_catalog.<>) coalesce(resolved_login, resolved_by)
             AND (proposed_principal IS NULL OR resolved_principal IS NULL
                  OR proposed_principal OPERATOR(pg_catalog.<>) resolved_principal)));
COMMENT ON COLUMN kyc.review_task.claimed_login IS
    'the login (session user) that claimed the task: only it resolves or releases it, whatever role another login SETs';
COMMENT ON COLUMN kyc.review_task.proposed_login IS 'the login (session user) that proposed the override: the first person';
COMMENT ON COLUMN kyc.review_task.resolved_login IS 'the login (session user) that resolved the task; never the proposer';

ALTER TABLE kyc.policy
    ADD COLUMN author_login        name,
    ADD COLUMN author_principal    text,
    ADD COLUMN publisher_login     name,
    ADD COLUMN publisher_principal text,
    ADD COLUMN editors             name[] NOT NULL DEFAULT '{}',
    DROP CONSTRAINT policy_four_eyes,
    ADD CONSTRAINT policy_four_eyes CHECK
        (publisher IS NULL
         OR (coalesce(publisher_login, publisher) OPERATOR(pg_catalog.<>) coalesce(author_login, author)
             AND (author_principal IS NULL OR publisher_principal IS NULL
                  OR author_principal OPERATOR(pg_catalog.<>) publisher_principal))),
    ADD CONSTRAINT policy_editor_not_publisher CHECK
        (publisher_login IS NULL OR publisher_login OPERATOR(pg_catalog.<>) ALL (editors));
COMMENT ON COLUMN kyc.policy.author_login IS 'the login (session user) that drafted the policy';
COMMENT ON COLUMN kyc.policy.editors IS
    'the logins that changed the draft (its settings, rules, factors, timeouts): authors too, so none of them may publish it';
COMMENT ON COLUMN kyc.policy.publisher_login IS 'the login (session user) that published it; never its author';

ALTER TABLE kyc.customer_message
    ADD COLUMN drafted_login      name,
    ADD COLUMN drafted_principal  text,
    ADD COLUMN approved_login     name,
    ADD COLUMN approved_principal text,
    DROP CONSTRAINT customer_message_four_eyes,
    ADD CONSTRAINT customer_message_four_eyes CHECK
        (approved_by IS NULL
         OR (coalesce(approved_login, approved_by) OPERATOR(pg_catalog.<>) coalesce(drafted_login, drafted_by)
             AND (drafted_principal IS NULL OR approved_principal IS NULL
                  OR drafted_principal OPERATOR(pg_catalog.<>) approved_principal)));
COMMENT ON COLUMN kyc.customer_message.drafted_login IS 'the login (session user) that drafted the wording';
COMMENT ON COLUMN kyc.customer_message.approved_login IS 'the login (session user) that approved it; never its drafter';

-- Who is a person (docs/security.md#four-eyes). SET ROLE changes the role a login acts as, not
-- who is at the keyboard: the person is the session's login (session_user, which neither SET
-- ROLE nor SECURITY DEFINER changes) and, where the service sets it, the application principal
-- kyc.actor. Two acts are by the same person when their logins match, or when both name the
-- same principal: a login cannot become a second person by claiming another kyc.actor, and two
-- logins claiming one employee are one person.

-- The kyc.actor principal of the session, NULL when unset. Internal.
CREATE FUNCTION kyc.actor_principal() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN pg_catalog.current_setting('kyc.actor', true) OPERATOR(pg_catalog.=) '' THEN NULL
                ELSE pg_catalog.current_setting('kyc.actor', true) END;
END;
COMMENT ON FUNCTION kyc.actor_principal() IS 'internal: the session''s kyc.actor, NULL when unset';

-- Whether two acts, each by a login and a principal, are by the same person. Internal.
CREATE FUNCTION kyc.same_person(login_a name, principal_a text, login_b name, principal_b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(login_a OPERATOR(pg_catalog.=) login_b, false)
        OR coalesce(principal_a OPERATOR(pg_catalog.=) principal_b, false);
END;
COMMENT ON FUNCTION kyc.same_person(name, text, name, text) IS
    'internal: whether two acts are by one person (same login, or the same kyc.actor principal)';

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

-- the queue grant record is append-only, for every role
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.queue_grant_log
    FOR EACH ROW EXECUTE FUNCTION kyc.queue_grant_log_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.queue_grant_log
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.queue_grant_log_guard();

-- queue grants: privileges, row-level security, owner and dump as every catalog (50_security,
-- 70_owner), granted before the owner changes, as a fresh install does
REVOKE ALL ON FUNCTION kyc.works_queue(text), kyc.queue_grant_log_guard() FROM PUBLIC;
REVOKE ALL ON kyc.queue_grant, kyc.queue_grant_log FROM PUBLIC;
GRANT SELECT ON kyc.queue_grant, kyc.queue_grant_log TO kyc_auditor, kyc_admin;
ALTER TABLE kyc.queue_grant ENABLE ROW LEVEL SECURITY;
ALTER TABLE kyc.queue_grant FORCE ROW LEVEL SECURITY;
ALTER TABLE kyc.queue_grant_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE kyc.queue_grant_log FORCE ROW LEVEL SECURITY;
CREATE POLICY catalog_rows ON kyc.queue_grant USING (true) WITH CHECK (true);
CREATE POLICY catalog_rows ON kyc.queue_grant_log USING (true) WITH CHECK (true);
ALTER TABLE kyc.queue_grant OWNER TO kyc_owner;
ALTER TABLE kyc.queue_grant_log OWNER TO kyc_owner;
SELECT pg_catalog.pg_extension_config_dump('kyc.queue_grant', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.queue_grant_log', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.queue_grant_log_id_seq', '');

-- A reviewer's decision on a task (docs/queues.md): validated against the reason catalog and the
-- gate, recorded as evidence, applied to the gate, and the application re-evaluated.
-- Clearing or waiving an AML hold or a decline recommendation is an override: the first
-- reviewer proposes it, a second, different reviewer confirms it. An early-life task concerns an
-- opened account: a reviewer clears it, which lifts the alert's restriction, or declines it, which
-- closes the account. Any other task (a returned funding, say) is a gate decision as before
-- opening. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE OR REPLACE FUNCTION kyc.resolve_task(task uuid, outcome kyc.review_outcome, reason_code text, note text DEFAULT NULL,
    OUT task_status kyc.task_status, OUT state kyc.state, OUT decision_outcome kyc.outcome)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor    name := kyc.assert_caller('resolve a review task', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    t        kyc.review_task;
    a        kyc.application;
    r        kyc.reason_code;
    d        kyc.gate_definition;
    early    boolean;
    override boolean;
    second   boolean;
    wanted   kyc.outcome;
    ev       record;
BEGIN
    IF resolve_task.outcome IS NULL THEN
        RAISE EXCEPTION 'field "outcome" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    t := kyc.lock_task(resolve_task.task, 'resolve');
    SELECT * INTO a FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) t.application_id;
    SELECT * INTO d FROM kyc.gate_definition x WHERE x.gate OPERATOR(pg_catalog.=) t.gate;
    early := t.origin OPERATOR(pg_catalog.=) 'early_life';
    second := t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status;

    -- who may act on the task now
    IF t.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status THEN
        RAISE EXCEPTION 'the review task is not claimed'
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Claim it first with kyc.claim_task().';
    END IF;
    -- four eyes are two persons: not the proposer's login, whatever role it has set (11_person.sql)
    IF second AND kyc.same_person(coalesce(t.proposed_login, t.proposed_by), t.proposed_principal,
                                  SESSION_USER, kyc.actor_principal()) THEN
        RAISE EXCEPTION 'an override needs a second, different reviewer'
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s proposed to %s gate "%s"; the proposer cannot confirm it.',
                                             pg_catalog.quote_ident(t.proposed_by), t.proposed_outcome, t.gate),
                  HINT = 'Another reviewer of the queue claims the task and resolves it.';
    END IF;
    -- claimed by this role and by this login: two logins SET to one team role are two persons
    IF t.assignee IS DISTINCT FROM actor OR coalesce(t.claimed_login, SESSION_USER) OPERATOR(pg_catalog.<>) SESSION_USER THEN
        RAISE EXCEPTION 'the review task is not claimed by you'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Its assignee is %s.', coalesce(pg_catalog.quote_ident(t.assignee), 'nobody')),
                  HINT = 'Claim it with kyc.claim_task().';
    END IF;

    -- the reason must be the catalog's, of this gate, of the outcome's class
    wanted := CASE resolve_task.outcome WHEN 'clear' THEN 'approve' WHEN 'waive' THEN 'approve'
                                        WHEN 'decline' THEN 'decline' ELSE 'request_information' END;
    SELECT * INTO r FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) resolve_task.reason_code;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'reason code "%" does not exist', resolve_task.reason_code
            USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
    END IF;
    IF r.gate IS DISTINCT FROM t.gate OR r.outcome_class OPERATOR(pg_catalog.<>) wanted THEN
        RAISE EXCEPTION 'reason code "%" cannot % gate "%"', r.code, resolve_task.outcome, t.gate
            USING ERRCODE = 'KY003',
                  DETAIL = pg_catalog.format('It belongs to gate "%s" with outcome class "%s"; this needs a reason of gate "%s" with outcome class "%s".',
                                             coalesce(r.gate::text, 'none'), r.outcome_class, t.gate, wanted);
    END IF;
    IF resolve_task.outcome OPERATOR(pg_catalog.=) 'waive' THEN
        IF NOT d.waivable THEN
            RAISE EXCEPTION 'gate "%" cannot be waived', t.gate
                USING ERRCODE = 'invalid_parameter_value', DETAIL = 'Consent, eligibility and funding must actually pass.';
        END IF;
        IF resolve_task.note IS NULL OR pg_catalog.btrim(resolve_task.note) OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'a waiver needs a reason in field "note"' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    -- the funding gate rests on money received (docs/activation.md): deposit operations clear its
    -- review once funding cleared, never in place of it (an account must not activate unfunded)
    IF resolve_task.outcome OPERATOR(pg_catalog.=) 'clear'::kyc.review_outcome AND t.gate OPERATOR(pg_catalog.=) 'funding'::kyc.gate
       AND NOT EXISTS (SELECT 1 FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) a.id
                         AND f.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status) THEN
        RAISE EXCEPTION 'cannot clear gate "funding" before funding has cleared'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Application "%s" has no cleared funding.', a.external_ref),
                  HINT = 'Cleared funding (kyc.record_funding) passes the gate; or request the funding from the applicant (FUND.NOT_RECEIVED).';
    END IF;
    IF early AND resolve_task.outcome OPERATOR(pg_catalog.<>) ALL (ARRAY['clear', 'decline']::kyc.review_outcome[]) THEN
        RAISE EXCEPTION 'cannot % gate "%" of an opened account', resolve_task.outcome, t.gate
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'On an opened account a reviewer clears (lifting the alert''s restriction) or declines (closing the account).';
    END IF;

    -- an override waits for a second reviewer, who confirms it by resolving the same way
    override := resolve_task.outcome OPERATOR(pg_catalog.=) ANY (ARRAY['clear', 'waive']::kyc.review_outcome[])
                AND NOT early AND kyc.is_override(a.id, t.gate, pg_catalog.now());
    IF override AND NOT second THEN
        UPDATE kyc.review_task x
           SET status = 'awaiting_second_review', assignee = NULL, claimed_at = NULL, claimed_login = NULL,
               proposed_outcome = resolve_task.outcome, proposed_reason = r.code, proposed_note = resolve_task.note,
               proposed_by = actor, proposed_at = pg_catalog.now(),
               proposed_login = SESSION_USER, proposed_principal = kyc.actor_principal()
         WHERE x.id OPERATOR(pg_catalog.=) t.id;
        PERFORM kyc.append_evidence(a.id, 'override', kyc.gate_class(t.gate),
            pg_catalog.jsonb_build_object('action', 'propose', 'task_id', t.id, 'gate', t.gate, 'outcome', resolve_task.outcome,
                                          'reason_code', r.code, 'note', resolve_task.note, 'proposed_by', actor));
        task_status := 'awaiting_second_review';
        state := a.state;
        RETURN;
    END IF;
    IF second AND override AND resolve_task.outcome OPERATOR(pg_catalog.<>) t.proposed_outcome THEN
        RAISE EXCEPTION 'the second reviewer must confirm the proposed % or decide otherwise', t.proposed_outcome
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s proposed to %s gate "%s".', pg_catalog.quote_ident(t.proposed_by),
                                             t.proposed_outcome, t.gate),
                  HINT = 'Resolve with the proposed outcome to confirm it, or decline or request information.';
    END IF;

    UPDATE kyc.review_task x
       SET status = 'resolved', resolution = resolve_task.outcome, resolution_reason = r.code,
           resolution_note = resolve_task.note, resolved_by = actor, resolved_at = pg_catalog.now(),
           resolved_login = SESSION_USER, resolved_principal = kyc.actor_principal()
     WHERE x.id OPERATOR(pg_catalog.=) t.id;
    PERFORM kyc.append_evidence(a.id, CASE WHEN second AND override THEN 'override' ELSE 'reviewer_action' END::kyc.evidence_kind,
        kyc.gate_class(t.gate),
        pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'action', CASE WHEN second AND override THEN 'confirm' ELSE 'resolve' END, 'task_id', t.id, 'queue', t.queue,
            'gate', t.gate, 'outcome', resolve_task.outcome, 'reason_code', r.code, 'note', resolve_task.note,
            'proposed_by', t.proposed_by, 'proposed_outcome', t.proposed_outcome)));
    task_status := 'resolved';

    IF early THEN
        -- an early-life concern: cleared lifts what monitoring imposed, declined closes the account
        IF resolve_task.outcome OPERATOR(pg_catalog.=) 'clear' THEN
            FOR ev IN SELECT al.restriction_id FROM kyc.early_life_alert al
                      JOIN kyc.restriction x ON x.id OPERATOR(pg_catalog.=) al.restriction_id
                      WHERE al.task_id OPERATOR(pg_catalog.=) t.id AND x.lifted_at IS NULL
            LOOP
                state := kyc.lift_restriction_internal(ev.restriction_id, actor,
                                                       pg_catalog.format('review task cleared: %s', r.code));
            END LOOP;
        ELSE
            state := kyc.close_account_internal(a.id, 'EXIT.RISK_POLICY',
                                                pg_catalog.format('review task declined: %s', r.code), actor);
        END IF;
        state := (SELECT x.state FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) a.id);
        RETURN;
    END IF;

    IF resolve_task.outcome OPERATOR(pg_catalog.=) 'request_information' THEN
        PERFORM kyc.request_information_internal(a, t, r.code, actor);
    END IF;
    PERFORM kyc.record_gate(a.id, t.gate,
        CASE resolve_task.outcome WHEN 'clear' THEN 'passed' WHEN 'waive' THEN 'waived'
                                  WHEN 'decline' THEN 'failed' ELSE 'info_needed' END::kyc.gate_status,
        r.code, coalesce(resolve_task.note, pg_catalog.format('review task %s', t.id)), actor, 'manual');
    SELECT e.outcome, e.state INTO decision_outcome, state FROM kyc.evaluate(a.id) e;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) IS
    'a reviewer''s decision on a claimed task: recorded as evidence, applied to the gate, the application re-evaluated; overrides need a second reviewer';

-- Hands the caller the next task of a queue: the highest priority, then the earliest due. A
-- task is skipped, never waited for, while another session holds it or its application, so two
-- reviewers never get the same task. An override waiting for its second reviewer goes to anyone
-- but its proposer (the person: 11_person.sql). NULL when the queue has nothing for the caller. Grant to: kyc_reviewer,
-- kyc_fraud, kyc_aml (kyc.review_queue.worker_roles decides per queue).
CREATE OR REPLACE FUNCTION kyc.claim_task(queue text) RETURNS kyc.review_task
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    q      kyc.review_queue;
    actor  name;
    t      kyc.review_task;
BEGIN
    SELECT * INTO q FROM kyc.review_queue x WHERE x.queue OPERATOR(pg_catalog.=) claim_task.queue;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'review queue "%" does not exist', claim_task.queue
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Queues are listed in kyc.review_queue.';
    END IF;
    actor := kyc.assert_caller(pg_catalog.format('claim a task of queue "%s"', q.queue), VARIADIC q.worker_roles);
    IF NOT kyc.works_queue(q.queue) THEN
        RAISE EXCEPTION 'permission denied to claim a task of queue "%"', q.queue
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('Role "%s" is limited to the queues granted to its roles (kyc.queue_grant).', actor),
                  HINT = 'A DBA grants queues with kyc.grant_queue(); see docs/security.md.';
    END IF;

    SELECT x.* INTO t
    FROM kyc.review_task x JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) x.application_id
    WHERE x.tenant_id OPERATOR(pg_catalog.=) tenant AND x.queue OPERATOR(pg_catalog.=) q.queue
      AND (x.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status
           OR (x.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status
               AND x.assignee IS NULL
               AND NOT kyc.same_person(coalesce(x.proposed_login, x.proposed_by), x.proposed_principal,
                                       SESSION_USER, kyc.actor_principal())))
    ORDER BY x.priority DESC, x.sla_due_at, x.created_at
    LIMIT 1
    FOR NO KEY UPDATE OF a SKIP LOCKED
    FOR UPDATE OF x SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;

    UPDATE kyc.review_task x
       SET status = CASE WHEN x.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status THEN 'claimed'::kyc.task_status ELSE x.status END,
           assignee = actor, claimed_at = pg_catalog.now(), claimed_login = SESSION_USER
     WHERE x.id OPERATOR(pg_catalog.=) t.id
    RETURNING x.* INTO t;
    PERFORM kyc.append_evidence(t.application_id, 'reviewer_action', kyc.gate_class(t.gate),
        pg_catalog.jsonb_build_object('action', 'claim', 'task_id', t.id, 'queue', t.queue, 'gate', t.gate,
                                      'second_review', t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status));
    RETURN t;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.claim_task(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.claim_task(text) IS
    'hand the caller the next task of a review queue (FOR UPDATE SKIP LOCKED: never the same task to two reviewers); NULL when none';

-- A new draft: a copy of a published policy (settings, rules, factors) as the next version.
-- Grant to: kyc_admin.
CREATE OR REPLACE FUNCTION kyc.draft_policy(based_on uuid, description text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor name := kyc.assert_caller('draft a policy', 'kyc_admin');
    t     text := kyc.current_tenant();
    b     kyc.policy;
    id    uuid;
BEGIN
    -- the tenant's own policies and the shipped ones: another tenant's is answered as unknown
    SELECT * INTO b FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) draft_policy.based_on
                                        AND p.tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY[t, '*']);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'policy "%" does not exist', draft_policy.based_on USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF draft_policy.description IS NULL OR pg_catalog.btrim(draft_policy.description) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "description" must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO kyc.policy AS p (tenant_id, product, jurisdiction, version, description, eligible_kinds,
        eligible_jurisdictions, risk_medium, risk_high, risk_prohibited, restrict_when_tier, restriction_kind,
        restriction_reason, restriction_lift, abandon_after, rfi_expire_after, max_rfi_rounds, author, author_login,
        author_principal)
    SELECT t, b.product, b.jurisdiction,
           1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(x.version) FROM kyc.policy x
                                              WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.product OPERATOR(pg_catalog.=) b.product
                                                AND x.jurisdiction OPERATOR(pg_catalog.=) b.jurisdiction), 0),
           draft_policy.description, b.eligible_kinds, b.eligible_jurisdictions, b.risk_medium, b.risk_high,
           b.risk_prohibited, b.restrict_when_tier, b.restriction_kind, b.restriction_reason, b.restriction_lift,
           b.abandon_after, b.rfi_expire_after, b.max_rfi_rounds, actor, SESSION_USER, kyc.actor_principal()
    RETURNING p.id INTO id;
    INSERT INTO kyc.policy_rule SELECT id, r.rule_no, r.gate, r.result, r.reason_code, r.min_confidence, r.status,
           r.decision_reason, r.queue, r.sla FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_risk_factor SELECT id, f.factor, f.value, f.weight
    FROM kyc.policy_risk_factor f WHERE f.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_timeout SELECT id, x.state, x.abandon_after
    FROM kyc.policy_timeout x WHERE x.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_early_life_rule SELECT id, x.rule, x.monitor_for, x.within, x.threshold, x.restriction_kind,
           x.reason_code, x.queue, x.sla
    FROM kyc.policy_early_life_rule x WHERE x.policy_id OPERATOR(pg_catalog.=) b.id;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.draft_policy(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.draft_policy(uuid, text) IS 'copy a policy into a new draft version of the session tenant''s; grant to kyc_admin';

-- Publishing freezes a draft: validated, digested, and put in force; another admin than its
-- author must publish it (four eyes). Grant to: kyc_admin.
CREATE OR REPLACE FUNCTION kyc.publish_policy(policy_id uuid) RETURNS kyc.hash256
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor  name := kyc.assert_caller('publish a policy', 'kyc_admin');
    p      kyc.policy;
    bad    text;
    digest kyc.hash256;
BEGIN
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) publish_policy.policy_id FOR UPDATE;
    IF NOT FOUND OR p.tenant_id OPERATOR(pg_catalog.<>) kyc.current_tenant() THEN
        RAISE EXCEPTION 'policy "%" does not exist in this tenant', publish_policy.policy_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p.status OPERATOR(pg_catalog.<>) 'draft' THEN
        RAISE EXCEPTION 'version % of policy "%" is already %', p.version, p.product, p.status
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Draft a new version with kyc.draft_policy().';
    END IF;
    -- four eyes are two persons: not the author's login, whatever role it has set (11_person.sql),
    -- nor any login that changed the draft since
    IF kyc.same_person(coalesce(p.author_login, p.author), p.author_principal, SESSION_USER, kyc.actor_principal()) THEN
        RAISE EXCEPTION 'the author of a policy cannot publish it'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Another kyc_admin must review and publish it (four eyes).';
    END IF;
    IF SESSION_USER OPERATOR(pg_catalog.=) ANY (p.editors) THEN
        RAISE EXCEPTION 'an editor of a policy cannot publish it'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('%s changed the draft''s settings or rules.', pg_catalog.quote_ident(SESSION_USER)),
                  HINT = 'Another kyc_admin, who wrote none of it, must review and publish it (four eyes).';
    END IF;
    SELECT pg_catalog.format('rule %s', r.rule_no) INTO bad FROM kyc.policy_rule r
    JOIN kyc.reason_code c ON c.code OPERATOR(pg_catalog.=) r.decision_reason
    WHERE r.policy_id OPERATOR(pg_catalog.=) p.id AND r.status OPERATOR(pg_catalog.=) 'failed'
      AND c.outcome_class OPERATOR(pg_catalog.<>) 'decline'
    ORDER BY r.rule_no LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'policy % fails a gate with a reason that is not a decline reason', bad
            USING ERRCODE = 'KY003', HINT = 'A failed gate declines: its reason''s outcome class must be "decline".';
    END IF;
    digest := pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(kyc.policy_document(p.id)), 'UTF8'))::kyc.hash256;
    UPDATE kyc.policy x SET status = 'published', publisher = actor, publisher_login = SESSION_USER,
                            publisher_principal = kyc.actor_principal(), published_at = pg_catalog.now(), content_digest = digest,
                            document = kyc.policy_document(p.id)
    WHERE x.id OPERATOR(pg_catalog.=) p.id;
    RETURN digest;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.publish_policy(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.publish_policy(uuid) IS
    'validate, digest and publish a draft policy; its author may not publish it; grant to kyc_admin';

-- Drafts the next version of a message for the session's tenant; returns its version.
-- Grant to: kyc_admin.
CREATE OR REPLACE FUNCTION kyc.draft_customer_message(message_key text, locale text, label text, message text, next_step text)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor   name := kyc.assert_caller('draft customer wording', 'kyc_admin');
    tenant  text := kyc.current_tenant();
    f       record;
    version integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kyc.customer_message m
                   WHERE m.tenant_id OPERATOR(pg_catalog.=) '*' AND m.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key) THEN
        RAISE EXCEPTION 'message key "%" does not exist', draft_customer_message.message_key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A tenant rewords the shipped keys (SELECT DISTINCT message_key FROM kyc.customer_message); it does not add keys.';
    END IF;
    IF draft_customer_message.locale IS NULL OR draft_customer_message.locale OPERATOR(pg_catalog.!~) '^[a-z]{2}-[A-Z]{2}$' THEN
        RAISE EXCEPTION 'field "locale" must be a language and region such as "en-US"' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR f IN SELECT * FROM (VALUES ('label', draft_customer_message.label, 80),
                                   ('message', draft_customer_message.message, 500),
                                   ('next_step', draft_customer_message.next_step, 200)) AS v (field, value, max_length)
    LOOP
        IF f.value IS NULL OR pg_catalog.btrim(f.value) OPERATOR(pg_catalog.=) '' OR pg_catalog.length(f.value) OPERATOR(pg_catalog.>) f.max_length THEN
            RAISE EXCEPTION 'field "%" must be 1 to % characters', f.field, f.max_length USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    -- one version sequence per key and locale across the shipped wording and the tenant's; the
    -- advisory lock serialises two drafts of the same key
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc wording'),
                                             pg_catalog.hashtext(tenant OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) draft_customer_message.message_key
                                                                 OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) draft_customer_message.locale));
    version := 1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(m.version) FROM kyc.customer_message m
                                                  WHERE m.tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY['*', tenant])
                                                    AND m.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key
                                                    AND m.locale OPERATOR(pg_catalog.=) draft_customer_message.locale), 0);
    INSERT INTO kyc.customer_message (tenant_id, message_key, locale, version, label, message, next_step, drafted_by,
                                      drafted_login, drafted_principal)
    VALUES (tenant, draft_customer_message.message_key, draft_customer_message.locale, version,
            pg_catalog.btrim(draft_customer_message.label), pg_catalog.btrim(draft_customer_message.message),
            pg_catalog.btrim(draft_customer_message.next_step), actor, SESSION_USER, kyc.actor_principal());
    RETURN version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) IS
    'draft the next version of a customer message for the session''s tenant; a second administrator approves it; grant to kyc_admin';

-- Puts a drafted version in force; only another administrator than its drafter may.
-- Grant to: kyc_admin.
CREATE OR REPLACE FUNCTION kyc.approve_customer_message(message_key text, locale text, version integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor  name := kyc.assert_caller('approve customer wording', 'kyc_admin');
    tenant text := kyc.current_tenant();
    m      kyc.customer_message;
BEGIN
    SELECT * INTO m FROM kyc.customer_message x
    WHERE x.tenant_id OPERATOR(pg_catalog.=) tenant AND x.message_key OPERATOR(pg_catalog.=) approve_customer_message.message_key
      AND x.locale OPERATOR(pg_catalog.=) approve_customer_message.locale AND x.version OPERATOR(pg_catalog.=) approve_customer_message.version
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant has no draft of message "%" (%) version %', approve_customer_message.message_key,
                        approve_customer_message.locale, approve_customer_message.version
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Drafts are made with kyc.draft_customer_message().';
    END IF;
    IF m.approved_by IS NOT NULL THEN
        RAISE EXCEPTION 'message "%" (%) version % is already approved', m.message_key, m.locale, m.version
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- four eyes are two persons: not the drafter's login, whatever role it has set (11_person.sql)
    IF kyc.same_person(coalesce(m.drafted_login, m.drafted_by), m.drafted_principal, SESSION_USER, kyc.actor_principal()) THEN
        RAISE EXCEPTION 'customer wording needs a second, different administrator'
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s drafted version %s of "%s" (%s).', pg_catalog.quote_ident(m.drafted_by),
                                             m.version, m.message_key, m.locale),
                  HINT = 'Another administrator of the tenant approves it.';
    END IF;
    UPDATE kyc.customer_message x SET approved_by = actor, approved_at = pg_catalog.now(),
                                      approved_login = SESSION_USER, approved_principal = kyc.actor_principal()
    WHERE x.tenant_id OPERATOR(pg_catalog.=) m.tenant_id AND x.message_key OPERATOR(pg_catalog.=) m.message_key
      AND x.locale OPERATOR(pg_catalog.=) m.locale AND x.version OPERATOR(pg_catalog.=) m.version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.approve_customer_message(text, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc.approve_customer_message(text, text, integer) IS
    'put a drafted customer message in force for the tenant (four eyes: not its drafter); grant to kyc_admin';

-- Approved wording never changes and is never deleted; a draft changes only by its approval.
CREATE OR REPLACE FUNCTION kyc.customer_message_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND (OLD).approved_by IS NULL AND (NEW).approved_by IS NOT NULL
       AND (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) ARRAY['approved_by', 'approved_at', 'approved_login', 'approved_principal'])
           OPERATOR(pg_catalog.=)
           (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) ARRAY['approved_by', 'approved_at', 'approved_login', 'approved_principal']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'customer wording is immutable once written'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_customer_message().';
END
$fn$;
COMMENT ON FUNCTION kyc.customer_message_guard() IS 'trigger: customer wording changes only by approving a draft';

-- Takes the job's lock for the transaction, without waiting; false when another run holds it.
-- Internal.
CREATE FUNCTION kyc.try_job_lock(job text) RETURNS boolean
    LANGUAGE c VOLATILE STRICT
    AS 'MODULE_PATHNAME', 'kyc_try_job_lock';
COMMENT ON FUNCTION kyc.try_job_lock(text) IS
    'internal: take a job''s run lock for the transaction without waiting (a lock tag no SQL advisory lock reaches)';

REVOKE ALL ON FUNCTION kyc.actor_principal(), kyc.same_person(name, text, name, text), kyc.try_job_lock(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION kyc.run_job(job text, now timestamptz, batch integer) RETURNS kyc.job_run
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor   name := kyc.assert_caller(pg_catalog.format('run job "%s"', run_job.job), 'kyc_jobs');
    def     kyc.job_definition;
    run     kyc.job_run;
    started timestamptz := pg_catalog.clock_timestamp();
    saved   text := pg_catalog.current_setting('kyc.tenant', true);
    size    integer;
    t       text;
    n       integer;
    total   integer := 0;
    tenants integer := 0;
    more    boolean := false;
    status  text := 'succeeded';
    detail  jsonb := '{}';
BEGIN
    SELECT * INTO def FROM kyc.job_definition d WHERE d.job OPERATOR(pg_catalog.=) run_job.job;
    IF run_job.now IS NULL OR NOT pg_catalog.isfinite(run_job.now) THEN
        RAISE EXCEPTION 'field "now" must be a finite time' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    size := coalesce(run_job.batch, def.batch_size);
    IF size OPERATOR(pg_catalog.<=) 0 OR size OPERATOR(pg_catalog.>) 100000 THEN
        RAISE EXCEPTION 'field "batch" must be between 1 and 100000' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    IF NOT kyc.try_job_lock(def.job) THEN
        status := 'skipped';
        detail := '{"reason": "another run of this job holds its lock"}';
    ELSIF def.job OPERATOR(pg_catalog.=) ANY (ARRAY['seal', 'cleanup']) THEN
        -- ledger-wide jobs: seals cover every tenant; job records carry no tenant data
        BEGIN
            IF def.job OPERATOR(pg_catalog.=) 'seal' THEN
                total := (kyc.seal_ledger(run_job.now) IS NOT NULL)::integer;
            ELSE
                total := kyc.job_cleanup(run_job.now, size);
                more := total OPERATOR(pg_catalog.>=) size;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            status := 'failed';
            detail := pg_catalog.jsonb_build_object('sqlstate', SQLSTATE, 'error', SQLERRM);
            RAISE WARNING 'pg_kyc job "%" failed: %', def.job, SQLERRM;
        END;
    ELSE
        FOR t IN SELECT kyc.job_tenants() LOOP
            PERFORM pg_catalog.set_config('kyc.tenant', t, true);
            BEGIN
                EXECUTE pg_catalog.format('SELECT kyc.%I($1, $2)', 'job_' OPERATOR(pg_catalog.||) def.job)
                    INTO n USING run_job.now, size;
                total := total OPERATOR(pg_catalog.+) n;
                more := more OR n OPERATOR(pg_catalog.>=) size;
                detail := detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(t, n);
            EXCEPTION WHEN OTHERS THEN
                -- one tenant's failure is recorded and does not stop the others
                status := 'failed';
                detail := detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(t,
                              pg_catalog.jsonb_build_object('sqlstate', SQLSTATE, 'error', SQLERRM));
                RAISE WARNING 'pg_kyc job "%" failed in tenant "%": %', def.job, t, SQLERRM;
            END;
            tenants := tenants OPERATOR(pg_catalog.+) 1;
        END LOOP;
        PERFORM pg_catalog.set_config('kyc.tenant', coalesce(saved, ''), true);
    END IF;

    INSERT INTO kyc.job_run AS r (job, as_of, started_at, finished_at, run_by, status, tenants, processed, more_due, detail)
    VALUES (def.job, run_job.now, started, pg_catalog.clock_timestamp(), actor, status, tenants, total, more, detail)
    RETURNING r.* INTO run;
    RETURN run;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.run_job(text, timestamptz, integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc.run_job(text, timestamptz, integer) IS
    'internal: run one job over the caller''s tenants under its run lock, and record the run';

-- job definitions are global to every tenant: a superuser's to change (docs/operations.md)
REVOKE UPDATE (schedule, expected_every, batch_size) ON kyc.job_definition FROM kyc_admin;

-- a seal's heads and the tenant grants name tenants and applications: tenant rows (10_rls.sql)
DROP POLICY catalog_rows ON kyc.tenant_grant;
DROP POLICY catalog_rows ON kyc.sealed_head;
CREATE POLICY tenant_isolation ON kyc.tenant_grant AS RESTRICTIVE
    USING (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))
    WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
CREATE POLICY tenant_rows ON kyc.tenant_grant USING (true) WITH CHECK (true);
CREATE POLICY tenant_isolation ON kyc.sealed_head AS RESTRICTIVE
    USING (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))
    WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
CREATE POLICY tenant_rows ON kyc.sealed_head USING (true) WITH CHECK (true);

-- Verification reads every row and every seal whatever row-level security would admit (definer:
-- the seal's heads of every tenant recompute its root), and reports to a caller who is not a
-- superuser only the findings of its own tenant's chains, and the ledger-wide findings about
-- seals without their counts; no tenant, no findings (docs/security.md#threat-model).
CREATE OR REPLACE FUNCTION kyc.verify_chain(app uuid)
    RETURNS TABLE (tenant_id text, application_id uuid, seq bigint, finding text, severity text,
                   expected text, actual text)
    LANGUAGE c VOLATILE STRICT SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_verify_chain';
COMMENT ON FUNCTION kyc.verify_chain(uuid) IS
    'every finding about one application''s evidence chain, against the last seal, in one snapshot';

CREATE OR REPLACE FUNCTION kyc.verify_ledger()
    RETURNS TABLE (tenant_id text, application_id uuid, seq bigint, finding text, severity text,
                   expected text, actual text)
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_verify_ledger';
COMMENT ON FUNCTION kyc.verify_ledger() IS
    'every finding about every evidence chain and every seal, in one snapshot';

CREATE OR REPLACE FUNCTION kyc.verify_summary(
    OUT chains bigint, OUT evidence_rows bigint, OUT errors bigint, OUT redacted bigint,
    OUT unsealed_chains bigint, OUT last_seal_id bigint, OUT last_sealed_at timestamptz, OUT verdict text)
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- an API call: fails closed without a granted tenant, but for a superuser (the whole ledger)
    SELECT CASE WHEN (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole)
                THEN NULL ELSE kyc.current_tenant() END;
    WITH f AS (SELECT * FROM kyc.verify_ledger())
    SELECT (SELECT pg_catalog.count(DISTINCT e.application_id) FROM kyc.evidence e),
           (SELECT pg_catalog.count(*) FROM kyc.evidence e),
           (SELECT pg_catalog.count(*) FROM f WHERE f.severity OPERATOR(pg_catalog.=) 'error'),
           (SELECT pg_catalog.count(*) FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'redacted'),
           (SELECT pg_catalog.count(DISTINCT f.application_id) FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'unsealed'),
           (SELECT pg_catalog.max(d.seal_id) FROM kyc.ledger_digest d),
           (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d),
           CASE WHEN EXISTS (SELECT 1 FROM f WHERE f.severity OPERATOR(pg_catalog.=) 'error') THEN 'tampered or damaged'
                WHEN NOT EXISTS (SELECT 1 FROM kyc.evidence e) THEN 'no chains to verify'
                WHEN EXISTS (SELECT 1 FROM f WHERE f.finding OPERATOR(pg_catalog.=) 'unsealed') THEN 'verified; some rows not yet sealed'
                ELSE 'verified and sealed' END;
END;
COMMENT ON FUNCTION kyc.verify_summary() IS
    'one-row summary of kyc.verify_ledger() over the session tenant''s chains (every chain for a superuser); "no chains to verify" when there are none';

-- Locks a live task of the session's tenant after its application (the lock order), checks the
-- caller works its queue (kyc.works_queue), and returns it. A task of a queue the caller does not work is answered
-- as one that does not exist: "permission denied ... fraud_ops" would tell a KYC reviewer that
-- the id is a live fraud case. Internal.
CREATE OR REPLACE FUNCTION kyc.lock_task(task uuid, action text) RETURNS kyc.review_task
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    app    uuid;
    q      kyc.review_queue;
    t      kyc.review_task;
BEGIN
    SELECT x.application_id INTO app FROM kyc.review_task x
    WHERE x.id OPERATOR(pg_catalog.=) lock_task.task AND x.tenant_id OPERATOR(pg_catalog.=) tenant
      AND kyc.works_queue(x.queue);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'review task "%" does not exist', lock_task.task
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    PERFORM kyc.lock_application(app);
    SELECT * INTO t FROM kyc.review_task x WHERE x.id OPERATOR(pg_catalog.=) lock_task.task FOR UPDATE;
    SELECT * INTO q FROM kyc.review_queue x WHERE x.queue OPERATOR(pg_catalog.=) t.queue;
    PERFORM kyc.assert_caller(pg_catalog.format('%s a task of queue "%s"', lock_task.action, q.queue), VARIADIC q.worker_roles);
    IF t.status OPERATOR(pg_catalog.=) ANY (ARRAY['resolved', 'cancelled']::kyc.task_status[]) THEN
        RAISE EXCEPTION 'the review task is already %', t.status
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN t;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lock_task(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_task(uuid, text) IS
    'internal: lock a live review task of the session''s tenant (after its application) for a caller who works its queue';

COMMENT ON FUNCTION kyc.redact_evidence(uuid, bigint[], text, text) IS
    'retention: remove the payload and salt of evidence rows of a concluded application not under legal hold whose retention rule has run out; hashes stay, a retention_action row records it; grant to kyc_admin';

-- The retention job's redaction, as of the job's own now (docs/operations.md). Internal.
CREATE FUNCTION kyc.redact_evidence_as_of(app uuid, seqs bigint[], reason text, legal_basis text, as_of timestamptz)
    RETURNS integer
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_redact_evidence_as_of';
REVOKE ALL ON FUNCTION kyc.redact_evidence_as_of(uuid, bigint[], text, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.redact_evidence_as_of(uuid, bigint[], text, text, timestamptz) IS
    'internal: kyc.redact_evidence as of the retention job''s now';

-- Retention: for each data class with a rule, payloads of concluded applications older (since
-- conclusion) than the rule keeps them are redacted through kyc.redact_evidence, which itself
-- refuses applications under legal hold or not concluded.
CREATE OR REPLACE FUNCTION kyc.job_retention(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    app    uuid;
    rr     record;
    n      integer := 0;
BEGIN
    FOR app IN SELECT a.id FROM kyc.application a
               WHERE a.tenant_id OPERATOR(pg_catalog.=) tenant
                 AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])
                 AND NOT EXISTS (SELECT 1 FROM kyc.legal_hold h
                                 WHERE h.application_id OPERATOR(pg_catalog.=) a.id AND h.released_at IS NULL)
                 AND EXISTS (SELECT 1 FROM kyc.retention_rule r JOIN kyc.evidence e
                                 ON e.application_id OPERATOR(pg_catalog.=) a.id AND e.data_class OPERATOR(pg_catalog.=) r.data_class
                             WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant
                               AND a.state_changed_at OPERATOR(pg_catalog.+) r.keep_for OPERATOR(pg_catalog.<=) job_retention.now
                               AND e.payload IS NOT NULL AND e.kind OPERATOR(pg_catalog.<>) 'retention_action'::kyc.evidence_kind)
               ORDER BY a.state_changed_at LIMIT job_retention.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(app);
        FOR rr IN SELECT r.data_class, r.keep_for, r.legal_basis,
                         ARRAY(SELECT e.seq FROM kyc.evidence e
                               WHERE e.application_id OPERATOR(pg_catalog.=) app AND e.data_class OPERATOR(pg_catalog.=) r.data_class
                                 AND e.payload IS NOT NULL AND e.kind OPERATOR(pg_catalog.<>) 'retention_action'::kyc.evidence_kind
                               ORDER BY e.seq) AS seqs
                  FROM kyc.retention_rule r JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) app
                  WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant
                    AND a.state_changed_at OPERATOR(pg_catalog.+) r.keep_for OPERATOR(pg_catalog.<=) job_retention.now
                  ORDER BY r.data_class
        LOOP
            CONTINUE WHEN pg_catalog.cardinality(rr.seqs) OPERATOR(pg_catalog.=) 0;
            PERFORM kyc.redact_evidence_as_of(app, rr.seqs,
                pg_catalog.format('retention: %s payloads are kept %s after the application concluded', rr.data_class, rr.keep_for),
                rr.legal_basis, job_retention.now);
        END LOOP;
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_retention(timestamptz, integer) IS 'internal: retention in the session tenant';

-- One application's chain as pg_kyc.chain.v1 JSON, with the proof that its head was sealed, for
-- the offline verifier (kyc_verify chain FILE). Definer, because a chain must be exported whole:
-- under the caller's row-level security an auditor would miss the SAR-restricted rows and the
-- verifier would see gaps. Rows of a class the caller may not read keep their hashes but are
-- "withheld": no payload, no salt. An export is a read through another door: when it carries
-- personal, fraud-sensitive or SAR-restricted payloads it first appends an evidence_access row, as
-- kyc.read_evidence does, which the export then contains. Grant to: kyc_auditor, kyc_admin, kyc_aml.
CREATE OR REPLACE FUNCTION kyc.export_chain(app uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    tenant   text;
    readable kyc.data_class[];
    revealed bigint[];
    top      kyc.data_class;
    rows     jsonb;
    seal     jsonb;
    s        record;
BEGIN
    PERFORM kyc.assert_caller('export an evidence chain', 'kyc_auditor', 'kyc_admin', 'kyc_aml');
    readable := kyc.readable_classes();
    SELECT e.tenant_id INTO tenant FROM kyc.evidence e
    WHERE e.application_id OPERATOR(pg_catalog.=) export_chain.app
      AND e.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
    ORDER BY e.seq LIMIT 1;
    IF tenant IS NULL THEN
        RAISE EXCEPTION 'application "%" has no evidence', export_chain.app
            USING ERRCODE = 'KY004', HINT = 'Check the application id and the setting kyc.tenant.';
    END IF;

    -- the export is evidence of what it reveals (86_read_evidence.sql)
    PERFORM kyc.lock_application(export_chain.app, shared => true);
    SELECT pg_catalog.array_agg(e.seq ORDER BY e.seq), pg_catalog.max(e.data_class)
      INTO revealed, top
      FROM kyc.evidence e
     WHERE e.application_id OPERATOR(pg_catalog.=) export_chain.app AND e.tenant_id OPERATOR(pg_catalog.=) tenant
       AND e.data_class OPERATOR(pg_catalog.=) ANY (readable)
       AND e.data_class OPERATOR(pg_catalog.=) ANY (ARRAY['pii', 'fraud_sensitive', 'sar_restricted']::kyc.data_class[])
       AND e.payload IS NOT NULL;
    IF revealed IS NOT NULL THEN
        PERFORM kyc.append_evidence(export_chain.app, 'evidence_access', top,
            pg_catalog.jsonb_build_object('purpose', 'chain export (kyc.export_chain)', 'seqs', pg_catalog.to_jsonb(revealed)));
    END IF;

    SELECT pg_catalog.jsonb_agg(CASE WHEN e.data_class OPERATOR(pg_catalog.=) ANY (readable) THEN r.row
                                     ELSE r.row OPERATOR(pg_catalog.||) '{"payload": null, "salt": null, "withheld": true}'::jsonb
                                END ORDER BY e.seq)
      INTO rows
      FROM kyc.evidence e
      CROSS JOIN LATERAL (SELECT pg_catalog.jsonb_build_object(
               'seq', e.seq, 'hash_version', e.hash_version, 'kind', e.kind, 'data_class', e.data_class,
               'recorded_at_us', (EXTRACT(epoch FROM e.recorded_at) OPERATOR(pg_catalog.*) 1000000)::bigint,
               'actor_role', e.actor_role, 'actor_role_oid', e.actor_role_oid::bigint, 'actor_principal', e.actor_principal,
               'payload_schema_version', e.payload_schema_version, 'payload', e.payload,
               'salt', pg_catalog.encode(e.payload_salt, 'hex'),
               'payload_digest', e.payload_digest::text, 'prev_hash', e.prev_hash::text,
               'row_hash', e.row_hash::text) AS row) r
      WHERE e.application_id OPERATOR(pg_catalog.=) export_chain.app
        AND e.tenant_id OPERATOR(pg_catalog.=) tenant;

    -- the leaves of the latest seal, and this chain's place among them
    WITH last AS (SELECT pg_catalog.max(d.seal_id) AS seal_id FROM kyc.ledger_digest d),
    heads AS (
        SELECT DISTINCT ON (h.application_id) h.tenant_id, h.application_id, h.head_seq, h.head_hash
        FROM kyc.sealed_head h, last
        WHERE h.seal_id OPERATOR(pg_catalog.<=) last.seal_id
        ORDER BY h.application_id, h.seal_id DESC
    ), ordered AS (
        SELECT h.*, pg_catalog.row_number() OVER (ORDER BY h.tenant_id COLLATE "C", h.application_id) - 1 AS idx,
               kyc.merkle_leaf_v1(h.tenant_id, h.application_id, h.head_seq, h.head_hash) AS leaf
        FROM heads h
    )
    SELECT last.seal_id,
           (SELECT o.idx FROM ordered o WHERE o.application_id OPERATOR(pg_catalog.=) export_chain.app) AS idx,
           (SELECT o.head_seq FROM ordered o WHERE o.application_id OPERATOR(pg_catalog.=) export_chain.app) AS head_seq,
           (SELECT pg_catalog.array_agg(o.leaf ORDER BY o.idx) FROM ordered o) AS leaves
      INTO s FROM last;

    IF s.idx IS NOT NULL THEN
        seal := pg_catalog.jsonb_build_object(
            'digest', kyc.export_digest(s.seal_id),
            'leaf_index', s.idx,
            'head_seq', s.head_seq,
            'audit_path', (SELECT COALESCE(pg_catalog.jsonb_agg(p::text), '[]'::jsonb)
                           FROM pg_catalog.unnest(kyc.merkle_audit_path(s.leaves, s.idx)) AS p));
    END IF;

    RETURN pg_catalog.jsonb_build_object('format', 'pg_kyc.chain.v1', 'tenant_id', tenant,
                                         'application_id', export_chain.app, 'rows', rows, 'seal', seal);
END
$fn$;
COMMENT ON FUNCTION kyc.export_chain(uuid) IS
    'one application''s evidence chain as pg_kyc.chain.v1 JSON with its seal inclusion proof, for the offline verifier';

-- Published policies and their rules never change; only their retirement is recorded.
CREATE OR REPLACE FUNCTION kyc.policy_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF (OLD).status OPERATOR(pg_catalog.=) 'draft' THEN
        IF (OLD).tenant_id OPERATOR(pg_catalog.<>) (SELECT kyc.session_tenant())
           AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
            RAISE EXCEPTION 'the policy belongs to another tenant' USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- whoever changes a draft is one of its authors, and may not publish it (four eyes); the
        -- list only grows, whatever an UPDATE says
        IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
            NEW.editors := (OLD).editors;
            IF (NEW).status OPERATOR(pg_catalog.=) 'draft' AND NOT SESSION_USER OPERATOR(pg_catalog.=) ANY ((OLD).editors)
               AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
                NEW.editors := (OLD).editors OPERATOR(pg_catalog.||) SESSION_USER;
            END IF;
        END IF;
        RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND (OLD).status OPERATOR(pg_catalog.=) 'published'
       AND (NEW).status OPERATOR(pg_catalog.=) 'retired'
       AND (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'status' OPERATOR(pg_catalog.-) 'retired_at')
           OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'status' OPERATOR(pg_catalog.-) 'retired_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a published policy is immutable'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_policy().';
END
$fn$;
COMMENT ON FUNCTION kyc.policy_guard() IS 'trigger: a published policy never changes, but for its retirement';

CREATE OR REPLACE FUNCTION kyc.policy_part_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    pids uuid[] := ARRAY[CASE WHEN TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN (OLD).policy_id END,
                         CASE WHEN TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN (NEW).policy_id END];
BEGIN
    -- administrators edit only their own tenant's drafts
    IF EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) ANY (pids)
                                            AND p.tenant_id OPERATOR(pg_catalog.<>) (SELECT kyc.session_tenant()))
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'the policy belongs to another tenant'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Draft your own version with kyc.draft_policy().';
    END IF;
    IF EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) ANY (pids)
                                            AND p.status OPERATOR(pg_catalog.<>) 'draft') THEN
        RAISE EXCEPTION 'the rules and risk factors of a published policy are immutable'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_policy().';
    END IF;
    -- the writer of a draft's rules is one of its authors (kyc.policy_guard records it)
    UPDATE kyc.policy p SET editors = p.editors
    WHERE p.id OPERATOR(pg_catalog.=) ANY (pids) AND NOT SESSION_USER OPERATOR(pg_catalog.=) ANY (p.editors)
      AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole);
    RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$fn$;
COMMENT ON FUNCTION kyc.policy_part_guard() IS 'trigger: the rules and risk factors of a published policy never change';

-- a draft's editors are recorded through an UPDATE the guard rewrites (only ever appends the
-- caller); granted by the installing superuser as in a fresh install, before kyc_owner owns it
ALTER TABLE kyc.policy OWNER TO CURRENT_USER;
GRANT UPDATE (editors) ON kyc.policy TO kyc_admin;
ALTER TABLE kyc.policy OWNER TO kyc_owner;

-- Puts a claimed task back in its queue. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE OR REPLACE FUNCTION kyc.release_task(task uuid, note text DEFAULT NULL) RETURNS kyc.task_status
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('release a review task', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    t     kyc.review_task := kyc.lock_task(release_task.task, 'release');
BEGIN
    IF t.assignee IS DISTINCT FROM actor OR coalesce(t.claimed_login, SESSION_USER) OPERATOR(pg_catalog.<>) SESSION_USER THEN
        RAISE EXCEPTION 'the review task is not claimed by you'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Its assignee is %s.', coalesce(pg_catalog.quote_ident(t.assignee), 'nobody'));
    END IF;
    UPDATE kyc.review_task x
       SET status = CASE WHEN x.status OPERATOR(pg_catalog.=) 'claimed'::kyc.task_status THEN 'open'::kyc.task_status ELSE x.status END,
           assignee = NULL, claimed_at = NULL, claimed_login = NULL
     WHERE x.id OPERATOR(pg_catalog.=) t.id
    RETURNING x.status INTO t.status;
    PERFORM kyc.append_evidence(t.application_id, 'reviewer_action', kyc.gate_class(t.gate),
        pg_catalog.jsonb_build_object('action', 'release', 'task_id', t.id, 'queue', t.queue, 'gate', t.gate,
                                      'note', release_task.note));
    RETURN t.status;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.release_task(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.release_task(uuid, text) IS 'put a task the caller claimed back in its queue; grant to reviewer roles';
