
-- ---- class14: AML and fraud facts keep their data class wherever they are copied -------------
-- (docs/security.md "What each role sees of AML and fraud facts"). Parts: 20_tables/98_fact_classes,
-- 30_functions/13_data_class, 14_state_history_view, 40_transition, 60_impose_restriction,
-- A0_activation (lifting, closing), 95_notice, 70_state_diagram (next_states), A1_retention (legal holds),
-- 40_triggers/50_reason_code, 50_security/10_rls and 20_grants.

-- The data class of facts copied out of their gate (docs/security.md, "What each role sees of AML
-- and fraud facts"). Added after every other column of these tables, as the upgrade adds them.

-- What the application's current state row reveals: the most sensitive of the states its last
-- move joined and of its reason (AML review is SAR-restricted, a reason has its catalog class).
-- Set by the state trigger with every move, never by a writer; the last move's evidence row
-- carries the same class.
ALTER TABLE kyc.application ADD COLUMN state_class kyc.data_class NOT NULL DEFAULT 'internal';
COMMENT ON COLUMN kyc.application.state_class IS
    'data class of the current state, reason and note (set by the state trigger); kyc.application_status withholds them from roles that may not read it';

-- A hold placed by AML may reveal a SAR: SAR-restricted, like its evidence row.
ALTER TABLE kyc.legal_hold ADD COLUMN data_class kyc.data_class NOT NULL DEFAULT 'internal';
COMMENT ON COLUMN kyc.legal_hold.data_class IS
    'sar_restricted when AML placed the hold, else internal; only roles that read the class see or release it';

-- The class of a reason code from the catalog (NULL when not in it); cached per backend in C
-- and forgotten whenever kyc.reason_code changes (trigger kyc.reason_code_changed).
CREATE FUNCTION kyc.reason_class(code text) RETURNS kyc.data_class
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_reason_class';
COMMENT ON FUNCTION kyc.reason_class(text) IS 'the data class kyc.reason_code gives a reason code (NULL when not in the catalog)';

-- The class of what a state says: being in AML review is itself an AML fact.
CREATE FUNCTION kyc.state_class(state kyc.state) RETURNS kyc.data_class
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN state_class.state OPERATOR(pg_catalog.=) 'aml_review_pending'::kyc.state
                THEN 'sar_restricted'::kyc.data_class ELSE 'internal'::kyc.data_class END;
END;
COMMENT ON FUNCTION kyc.state_class(kyc.state) IS 'the data class of what a state reveals (aml_review_pending: sar_restricted)';

CREATE FUNCTION kyc.reason_code_changed() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_reason_code_changed';
COMMENT ON FUNCTION kyc.reason_code_changed() IS 'internal: every backend forgets its cached reason classes when kyc.reason_code changes';

-- Existing rows: the class of the current state, its reason and the state it came from (the last
-- state change's payload); a hold is SAR-restricted when its evidence row is. The state trigger
-- refuses any change of state_class outside a move, so triggers are skipped for this backfill.
-- (Evidence rows recorded before 0.3.0 keep the class they were hashed with: kyc.state_history
-- masks them by content; kyc.read_evidence and kyc.export_chain cannot.)
SET LOCAL session_replication_role = replica;
UPDATE kyc.application a
   SET state_class = GREATEST('internal'::kyc.data_class, kyc.state_class(a.state), kyc.reason_class(a.state_reason),
                              kyc.state_class((SELECT (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state
                                               FROM kyc.evidence e
                                               WHERE e.application_id OPERATOR(pg_catalog.=) a.id
                                                 AND e.kind OPERATOR(pg_catalog.=) 'state_change'::kyc.evidence_kind
                                               ORDER BY e.seq DESC LIMIT 1)));
UPDATE kyc.legal_hold h
   SET data_class = e.data_class
  FROM kyc.evidence e
 WHERE e.application_id OPERATOR(pg_catalog.=) h.application_id
   AND e.kind OPERATOR(pg_catalog.=) 'retention_action'::kyc.evidence_kind
   AND e.payload OPERATOR(pg_catalog.->>) 'action' OPERATOR(pg_catalog.=) 'legal_hold'
   AND e.payload OPERATOR(pg_catalog.->>) 'hold_id' OPERATOR(pg_catalog.=) h.id::text;
SET LOCAL session_replication_role = origin;

-- The reason classes each backend caches (src/data_class.c) are forgotten when the catalog changes.
CREATE TRIGGER reason_code_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc.reason_code
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.reason_code_changed();

-- The states an application entered, read from its evidence chain (kinds application_snapshot and
-- state_change). Readers may not select evidence payloads (kyc.read_evidence records such reads),
-- so this view runs with its owner's rights (row-level security filters the owner by tenant only)
-- and applies the tenant and data-class rules itself. Every state change is listed; a value the
-- caller may not read is replaced as docs/security.md says ("What each role sees of AML and fraud
-- facts"): a state of a class it may not read is NULL, a reason 'REASON.WITHHELD', and the note
-- and the actor (who moved it reveals which team) NULL unless it may read the whole row: the class
-- it was recorded with and, for rows recorded before 0.3.0, those of its states and reason.
-- security_barrier keeps a caller's functions from seeing rows before they do.
CREATE OR REPLACE VIEW kyc.state_history WITH (security_barrier = true) AS
SELECT e.tenant_id,
       e.application_id,
       (e.payload OPERATOR(pg_catalog.->>) 'state_version')::integer AS state_version,
       CASE WHEN kyc.state_class(f.from_state) OPERATOR(pg_catalog.=) ANY (r.classes) THEN f.from_state END AS from_state,
       CASE WHEN kyc.state_class(f.to_state) OPERATOR(pg_catalog.=) ANY (r.classes) THEN f.to_state END AS to_state,
       CASE WHEN f.reason_code IS NULL OR kyc.reason_class(f.reason_code) OPERATOR(pg_catalog.=) ANY (r.classes)
            THEN f.reason_code ELSE 'REASON.WITHHELD' END AS reason_code,
       CASE WHEN f.shown THEN e.payload OPERATOR(pg_catalog.->>) 'note' END AS note,
       CASE WHEN f.shown THEN e.actor_role END AS actor_role,
       CASE WHEN f.shown THEN e.actor_role_oid END AS actor_role_oid,
       CASE WHEN f.shown THEN e.actor_principal END AS actor_principal,
       e.recorded_at AS changed_at,
       e.seq AS evidence_seq
FROM kyc.evidence e
CROSS JOIN (SELECT kyc.readable_classes() AS classes) r
CROSS JOIN LATERAL (
    SELECT s.from_state, s.to_state, s.reason_code,
           GREATEST(e.data_class, kyc.state_class(s.from_state), kyc.state_class(s.to_state),
                               kyc.reason_class(s.reason_code)) OPERATOR(pg_catalog.=) ANY (r.classes) AS shown
    FROM (SELECT (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state AS from_state,
                 (e.payload OPERATOR(pg_catalog.->>) 'to_state')::kyc.state AS to_state,
                 e.payload OPERATOR(pg_catalog.->>) 'reason_code' AS reason_code) s
) f
WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[])
  AND e.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant())
  AND (e.kind OPERATOR(pg_catalog.=) 'state_change'::kyc.evidence_kind
       OR e.data_class OPERATOR(pg_catalog.=) ANY (r.classes));
COMMENT ON VIEW kyc.state_history IS
    'one row per state an application entered, from its evidence chain (from_state NULL at open); values the caller may not read are neutral';

-- Every application of the tenant with its state, reason and note as the caller may read them
-- (only AML selects those columns of kyc.application): the state NULL when it is one the caller
-- may not read (AML review), a reason of a class it may not read 'REASON.WITHHELD', the note NULL
-- unless it may read the class of the last move (kyc.application.state_class). Owner's rights,
-- like kyc.state_history.
CREATE VIEW kyc.application_status WITH (security_barrier = true) AS
SELECT a.tenant_id, a.id, a.external_ref, a.applicant_kind, a.product, a.jurisdiction, a.channel, a.segment,
       CASE WHEN kyc.state_class(a.state) OPERATOR(pg_catalog.=) ANY (r.classes) THEN a.state END AS state,
       a.state_version,
       CASE WHEN a.state_reason IS NULL OR kyc.reason_class(a.state_reason) OPERATOR(pg_catalog.=) ANY (r.classes)
            THEN a.state_reason ELSE 'REASON.WITHHELD' END AS state_reason,
       CASE WHEN a.state_class OPERATOR(pg_catalog.=) ANY (r.classes) THEN a.state_note END AS state_note,
       a.state_changed_at, a.created_at, a.updated_at, a.policy_id, a.opened_at
FROM kyc.application a
CROSS JOIN (SELECT kyc.readable_classes() AS classes) r
WHERE a.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant());
COMMENT ON VIEW kyc.application_status IS
    'every application of the tenant, with neutral values in place of a state, reason or note the caller may not read';

-- Every restriction of the tenant; when its reason is of a class the caller may not read, the
-- reason reads 'REASON.WITHHELD' and who imposed or lifted it and the lift note are NULL (the
-- name of an AML analyst tells as much as the reason). The kind and lift condition stay: the
-- service enforces them.
CREATE VIEW kyc.restriction_status WITH (security_barrier = true) AS
SELECT x.tenant_id, x.id, x.application_id, x.kind,
       CASE WHEN c.shown THEN x.reason_code ELSE 'REASON.WITHHELD' END AS reason_code,
       x.lift_condition,
       CASE WHEN c.shown THEN x.imposed_by END AS imposed_by,
       x.imposed_at, x.lifted_at,
       CASE WHEN c.shown THEN x.lifted_by END AS lifted_by,
       CASE WHEN c.shown THEN x.lift_note END AS lift_note
FROM kyc.restriction x
CROSS JOIN LATERAL (SELECT kyc.reason_class(x.reason_code) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]) AS shown) c
WHERE x.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant());
COMMENT ON VIEW kyc.restriction_status IS
    'every restriction of the tenant, with its reason and the people behind it withheld when the caller may not read the reason''s class';

-- Grants are made as a fresh install makes them, by the installing superuser while it owns the
-- relations, which then go to kyc_owner (70_owner): so the recorded initial privileges match.
ALTER TABLE kyc.application OWNER TO CURRENT_USER;
ALTER TABLE kyc.restriction OWNER TO CURRENT_USER;
REVOKE ALL ON kyc.application_status, kyc.restriction_status FROM PUBLIC;
GRANT SELECT ON kyc.application_status, kyc.restriction_status
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
REVOKE ALL ON FUNCTION kyc.reason_class(text), kyc.state_class(kyc.state), kyc.reason_code_changed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kyc.reason_class(text), kyc.state_class(kyc.state)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin;
REVOKE SELECT ON kyc.application, kyc.restriction FROM kyc_app, kyc_reviewer, kyc_fraud, kyc_auditor, kyc_admin;
GRANT SELECT (id, tenant_id, external_ref, applicant_kind, product, jurisdiction, channel, segment, state_version,
              state_changed_at, created_at, updated_at, policy_id, opened_at)
    ON kyc.application TO kyc_app, kyc_reviewer, kyc_fraud, kyc_auditor, kyc_admin;
GRANT SELECT (id, tenant_id, application_id, kind, lift_condition, imposed_at, lifted_at, task_id)
    ON kyc.restriction TO kyc_app, kyc_reviewer, kyc_fraud, kyc_auditor, kyc_admin;
ALTER TABLE kyc.application OWNER TO kyc_owner;
ALTER TABLE kyc.restriction OWNER TO kyc_owner;
ALTER VIEW kyc.application_status OWNER TO kyc_owner;
ALTER VIEW kyc.restriction_status OWNER TO kyc_owner;

DROP POLICY data_class ON kyc.evidence;
CREATE POLICY data_class ON kyc.evidence AS RESTRICTIVE
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin, kyc_jobs
    USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
CREATE POLICY data_class ON kyc.legal_hold AS RESTRICTIVE
    USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));

CREATE OR REPLACE FUNCTION kyc.transition(app uuid, to_state kyc.state, reason_code text DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    current kyc.application;
    version integer;
BEGIN
    PERFORM kyc.assert_caller('change the state of an application', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    IF transition.to_state IS NULL THEN
        RAISE EXCEPTION 'field "to_state" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- a role cannot act on what it cannot see: no AML reason from outside AML, no fraud reason
    -- from the service or KYC reviewers (docs/security.md)
    IF transition.reason_code IS NOT NULL
       AND kyc.reason_class(transition.reason_code) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes()) THEN
        RAISE EXCEPTION 'reason code "%" is not one this role may use', transition.reason_code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A reason is used only by the roles that may read its data class (kyc.reason_code.data_class).';
    END IF;
    current := kyc.lock_application(transition.app);
    -- nor move an application into or out of a state it may not read (AML review): the answer
    -- names the state as kyc.application_status shows it
    IF kyc.state_class(current.state) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes()) THEN
        RAISE EXCEPTION 'invalid transition from "review_pending" to "%"', transition.to_state
            USING ERRCODE = 'KY001', DETAIL = pg_catalog.format('Application "%s" is under review.', current.external_ref),
                  HINT = 'Allowed transitions are listed in kyc.state_transition.';
    END IF;
    IF kyc.state_class(transition.to_state) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes()) THEN
        RAISE EXCEPTION 'state "%" is not one this role may set', transition.to_state
            USING ERRCODE = 'insufficient_privilege', HINT = 'Only the roles that may read a state may move an application into it.';
    END IF;
    IF current.state OPERATOR(pg_catalog.=) transition.to_state THEN
        RAISE EXCEPTION 'application "%" is already in state "%"', current.external_ref, transition.to_state
            USING ERRCODE = 'KY001',
                  HINT = 'Another session may have moved it first; re-read the application.';
    END IF;

    UPDATE kyc.application a
       SET state = transition.to_state,
           state_reason = transition.reason_code,
           state_note = transition.note
     WHERE a.id OPERATOR(pg_catalog.=) transition.app
    RETURNING a.state_version INTO version;
    RETURN version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.transition(uuid, kyc.state, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.transition(uuid, kyc.state, text, text) IS
    'move an application to another state along kyc.state_transition; returns the new state_version; grant to kyc_app and reviewer roles';

CREATE OR REPLACE FUNCTION kyc.place_legal_hold(app uuid, reason text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('place a legal hold', 'kyc_admin', 'kyc_aml');
    a     kyc.application;
    id    uuid;
BEGIN
    IF place_legal_hold.reason IS NULL OR pg_catalog.btrim(place_legal_hold.reason) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "reason" must not be empty' USING ERRCODE = 'invalid_parameter_value',
              HINT = 'Name the matter, for example a litigation or examination reference.';
    END IF;
    a := kyc.lock_application(place_legal_hold.app);
    INSERT INTO kyc.legal_hold AS h (tenant_id, application_id, reason, placed_by, data_class)
    VALUES (a.tenant_id, a.id, place_legal_hold.reason, actor, kyc.legal_hold_class())
    RETURNING h.id INTO id;
    PERFORM kyc.append_evidence(a.id, 'retention_action', kyc.legal_hold_class(),
        pg_catalog.jsonb_build_object('action', 'legal_hold', 'hold_id', id, 'reason', place_legal_hold.reason));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.place_legal_hold(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.place_legal_hold(uuid, text) IS 'keep an application''s evidence out of retention until released; grant to kyc_admin, kyc_aml';

CREATE OR REPLACE FUNCTION kyc.release_legal_hold(hold uuid, note text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('release a legal hold', 'kyc_admin', 'kyc_aml');
    h     kyc.legal_hold;
BEGIN
    -- a hold of a class the caller may not read (AML's, for an administrator) is as unknown to it
    -- as one that does not exist: it can neither see nor release it
    SELECT * INTO h FROM kyc.legal_hold x
    WHERE x.id OPERATOR(pg_catalog.=) release_legal_hold.hold AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
      AND x.data_class OPERATOR(pg_catalog.=) ANY (kyc.readable_classes());
    IF NOT FOUND OR h.released_at IS NOT NULL THEN
        RAISE EXCEPTION 'the legal hold does not exist or was already released'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Active holds are listed in kyc.legal_hold (released_at IS NULL).';
    END IF;
    IF release_legal_hold.note IS NULL OR pg_catalog.btrim(release_legal_hold.note) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "note" must say why the hold ends' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM kyc.lock_application(h.application_id);
    UPDATE kyc.legal_hold x SET released_at = pg_catalog.now() WHERE x.id OPERATOR(pg_catalog.=) h.id;
    PERFORM kyc.append_evidence(h.application_id, 'retention_action', kyc.legal_hold_class(),
        pg_catalog.jsonb_build_object('action', 'release_legal_hold', 'hold_id', h.id, 'note', release_legal_hold.note));
END
$fn$;
REVOKE ALL ON FUNCTION kyc.release_legal_hold(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.release_legal_hold(uuid, text) IS 'release a legal hold with a note; grant to kyc_admin, kyc_aml';

CREATE OR REPLACE FUNCTION kyc.impose_restriction(app uuid, kind kyc.restriction_kind, reason_code text, lift_condition text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a     kyc.application;
    actor name;
    id    uuid;
BEGIN
    actor := kyc.assert_caller('impose a restriction', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_jobs');
    IF impose_restriction.kind IS NULL THEN
        RAISE EXCEPTION 'field "kind" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF impose_restriction.lift_condition IS NULL OR pg_catalog.btrim(impose_restriction.lift_condition) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "lift_condition" must not be empty'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Say what lifts the restriction, for example "90 days without returned funding".';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) impose_restriction.reason_code) THEN
        RAISE EXCEPTION 'reason code "%" does not exist', impose_restriction.reason_code
            USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
    END IF;
    -- as for a move: a caller restricts only with a reason it may read (the jobs login applies the
    -- policy's early-life rules, whose reasons it does not choose)
    IF kyc.reason_class(impose_restriction.reason_code) OPERATOR(pg_catalog.<>) ALL (kyc.readable_classes())
       AND NOT pg_catalog.pg_has_role(actor, 'kyc_jobs', 'USAGE') THEN
        RAISE EXCEPTION 'reason code "%" is not one this role may use', impose_restriction.reason_code
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A reason is used only by the roles that may read its data class (kyc.reason_code.data_class).';
    END IF;
    a := kyc.lock_open_application(impose_restriction.app, 'restrict');

    INSERT INTO kyc.restriction AS r (tenant_id, application_id, kind, reason_code, lift_condition, imposed_by)
    VALUES (a.tenant_id, a.id, impose_restriction.kind, impose_restriction.reason_code,
            impose_restriction.lift_condition, actor)
    RETURNING r.id INTO id;

    -- the evidence row carries the class of its reason (a fraud reason is fraud-sensitive)
    PERFORM kyc.append_evidence(a.id, 'restriction',
        GREATEST('internal'::kyc.data_class, kyc.reason_class(impose_restriction.reason_code)),
        pg_catalog.jsonb_build_object('action', 'impose', 'restriction_id', id, 'kind', impose_restriction.kind,
                                      'reason_code', impose_restriction.reason_code,
                                      'lift_condition', impose_restriction.lift_condition));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.impose_restriction(uuid, kyc.restriction_kind, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.impose_restriction(uuid, kyc.restriction_kind, text, text) IS
    'place a limit on an application''s account (needed before approved_restricted); grant to kyc_app and reviewer roles';

CREATE OR REPLACE FUNCTION kyc.lift_restriction_internal(restriction uuid, actor name, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    r kyc.restriction;
    a kyc.application;
BEGIN
    SELECT * INTO r FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) lift_restriction_internal.restriction;
    a := kyc.lock_open_application(r.application_id, 'lift a restriction of');
    SELECT * INTO r FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) r.id FOR UPDATE;
    IF r.lifted_at IS NOT NULL THEN
        RAISE EXCEPTION 'the restriction was already lifted' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE kyc.restriction x SET lifted_at = pg_catalog.now(), lifted_by = lift_restriction_internal.actor,
                                 lift_note = lift_restriction_internal.note
    WHERE x.id OPERATOR(pg_catalog.=) r.id;
    PERFORM kyc.append_evidence(a.id, 'restriction', GREATEST('internal'::kyc.data_class, kyc.reason_class(r.reason_code)),
        pg_catalog.jsonb_build_object('action', 'lift', 'restriction_id', r.id, 'kind', r.kind,
                                      'lift_condition', r.lift_condition, 'note', lift_restriction_internal.note));
    IF a.state OPERATOR(pg_catalog.=) 'approved_restricted'
       AND NOT EXISTS (SELECT 1 FROM kyc.restriction x WHERE x.application_id OPERATOR(pg_catalog.=) a.id AND x.lifted_at IS NULL) THEN
        UPDATE kyc.application x
           SET state = CASE WHEN EXISTS (SELECT 1 FROM kyc.application_gate g
                                          WHERE g.application_id OPERATOR(pg_catalog.=) a.id
                                            AND g.gate OPERATOR(pg_catalog.=) 'funding'::kyc.gate
                                            AND g.status OPERATOR(pg_catalog.=) 'passed'::kyc.gate_status)
                            THEN 'active'::kyc.state ELSE 'opened_not_funded'::kyc.state END,
               state_note = 'last restriction lifted'
         WHERE x.id OPERATOR(pg_catalog.=) a.id
        RETURNING x.state INTO a.state;
    END IF;
    RETURN a.state;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lift_restriction_internal(uuid, name, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lift_restriction_internal(uuid, name, text) IS
    'internal: lift a restriction with evidence; the last one lifted opens a restricted account fully';

CREATE OR REPLACE FUNCTION kyc.lift_restriction(restriction uuid, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('lift a restriction', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
BEGIN
    -- a restriction whose reason the caller may not read is as unknown to it as a missing one
    IF NOT EXISTS (SELECT 1 FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) lift_restriction.restriction
                                                     AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
                                                     AND kyc.reason_class(x.reason_code) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes())) THEN
        RAISE EXCEPTION 'restriction "%" does not exist', lift_restriction.restriction
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    IF lift_restriction.note IS NULL OR pg_catalog.btrim(lift_restriction.note) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "note" must say how the lift condition was met' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN kyc.lift_restriction_internal(lift_restriction.restriction, actor, lift_restriction.note);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lift_restriction(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lift_restriction(uuid, text) IS
    'lift a restriction whose condition is met (the last one opens a restricted account fully); grant to reviewer roles';

CREATE OR REPLACE FUNCTION kyc.next_states(app uuid) RETURNS SETOF kyc.state
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- the state as the caller may read it: none from a state it may not read (AML review)
    SELECT t.to_state
    FROM kyc.application_status a
    JOIN kyc.state_transition t ON t.from_state OPERATOR(pg_catalog.=) a.state
    WHERE a.id OPERATOR(pg_catalog.=) next_states.app
    ORDER BY t.to_state;
END;
COMMENT ON FUNCTION kyc.next_states(uuid) IS
    'states the application may move to next according to kyc.state_transition (gate prerequisites still apply)';

CREATE OR REPLACE FUNCTION kyc.record_notice(app uuid, notice_type text, channel text, delivery_proof jsonb,
                                  locale text DEFAULT 'en-US') RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a       kyc.application;
    s       record;
    allowed kyc.state[];
BEGIN
    PERFORM kyc.assert_caller('record a notice', 'kyc_app');
    allowed := CASE record_notice.notice_type
        WHEN 'decline' THEN ARRAY['declined']::kyc.state[]
        WHEN 'information_request' THEN ARRAY['information_requested']::kyc.state[]
        WHEN 'hold' THEN ARRAY['cip_verification_pending', 'cdd_review_pending', 'kyb_review_pending',
                               'fraud_review_pending', 'aml_review_pending']::kyc.state[]
        WHEN 'approved_with_limits' THEN ARRAY['approved_restricted']::kyc.state[]
        WHEN 'approval' THEN ARRAY['opened_not_funded', 'active']::kyc.state[]
        WHEN 'closure' THEN ARRAY['closed', 'abandoned']::kyc.state[]
    END;
    IF allowed IS NULL THEN
        RAISE EXCEPTION 'field "notice_type" has an unrecognized value'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use decline, information_request, hold, approved_with_limits, approval or closure.';
    END IF;
    IF record_notice.channel IS NULL
       OR record_notice.channel OPERATOR(pg_catalog.<>) ALL (ARRAY['email', 'sms', 'push', 'in_app', 'letter']) THEN
        RAISE EXCEPTION 'field "channel" has an unrecognized value'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use email, sms, push, in_app or letter.';
    END IF;
    IF record_notice.delivery_proof IS NULL OR pg_catalog.jsonb_typeof(record_notice.delivery_proof) OPERATOR(pg_catalog.<>) 'object'
       OR record_notice.delivery_proof OPERATOR(pg_catalog.=) '{}'::jsonb THEN
        RAISE EXCEPTION 'field "delivery_proof" must be a non-empty JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'For example {"provider": "ses", "message_id": "...", "delivered_at": "..."}.';
    END IF;
    a := kyc.lock_application(record_notice.app);
    IF a.state OPERATOR(pg_catalog.<>) ALL (allowed) THEN
        RAISE EXCEPTION 'a notice of type "%" does not fit an application in state "%"', record_notice.notice_type,
            CASE WHEN kyc.state_class(a.state) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes()) THEN a.state::text ELSE 'review_pending' END
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    SELECT * INTO s FROM kyc.customer_status(a.id, record_notice.locale);
    RETURN kyc.append_evidence(a.id, 'notice', 'customer_safe',
        pg_catalog.jsonb_build_object('notice_type', record_notice.notice_type, 'message_key', s.message_key,
                                      'locale', s.message_locale, 'template_version', s.message_version,
                                      'label', s.label, 'message', s.message, 'next_step', s.next_step,
                                      'channel', record_notice.channel, 'delivery_proof', record_notice.delivery_proof));
END
$fn$;
REVOKE ALL ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) IS
    'record a customer notice (approved wording, template version, channel, delivery proof) as evidence; grant to kyc_app';

CREATE OR REPLACE FUNCTION kyc.close_account_internal(app uuid, reason_code text, note text, actor name) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    a   kyc.application := kyc.lock_open_application(close_account_internal.app, 'close');
    cls kyc.data_class := (SELECT c.data_class FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) close_account_internal.reason_code);
BEGIN
    IF a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['opened_not_funded', 'approved_restricted', 'active']::kyc.state[]) THEN
        RAISE EXCEPTION 'cannot close an application in state "%"',
            CASE WHEN kyc.state_class(a.state) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes()) THEN a.state::text ELSE 'review_pending' END
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Only an opened account is closed; an application still in onboarding is declined or abandoned.';
    END IF;
    -- the state trigger checks the reason is an exit reason
    UPDATE kyc.application x SET state = 'closed', state_reason = close_account_internal.reason_code,
                                 state_note = close_account_internal.note
    WHERE x.id OPERATOR(pg_catalog.=) a.id;
    PERFORM kyc.append_evidence(a.id, 'account_closure', greatest(coalesce(cls, 'internal'), 'internal'::kyc.data_class),
        pg_catalog.jsonb_build_object('reason_code', close_account_internal.reason_code, 'note', close_account_internal.note,
            'closed_by', close_account_internal.actor,
            'funds_to_return', (SELECT pg_catalog.jsonb_object_agg(s.currency, s.total::text)
                                FROM (SELECT f.currency, pg_catalog.sum(CASE f.status WHEN 'cleared' THEN f.amount
                                                                                     WHEN 'returned' THEN OPERATOR(pg_catalog.-) f.amount
                                                                                     ELSE 0 END) AS total
                                      FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) a.id
                                      GROUP BY f.currency) s)));
    RETURN 'closed';
END
$fn$;
REVOKE ALL ON FUNCTION kyc.close_account_internal(uuid, text, text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.close_account_internal(uuid, text, text, name) IS
    'internal: close an opened account with an exit reason, recording the funds to return';
