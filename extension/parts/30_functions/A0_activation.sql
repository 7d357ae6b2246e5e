-- Funding, activation, restrictions and exit after opening (docs/activation.md). Every step is
-- an evidence row; the state trigger holds the invariants (no active account with an unresolved
-- critical gate or without cleared funding; approved_restricted only with a restriction).

-- Records a funding event of an opened account. Cleared funding passes the funding gate; a
-- return puts it in review in deposit operations' queue. Activation is a separate step
-- (kyc.activate). In C (src/activation.c). Grant to: kyc_app.
CREATE FUNCTION kyc.record_funding(app uuid, amount numeric, currency text, source text, reference text,
                                   status kyc.funding_status DEFAULT 'cleared')
RETURNS uuid
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_record_funding';
REVOKE ALL ON FUNCTION kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status) IS
    'record a funding event of an opened account (cleared passes the funding gate, returned routes to deposit ops); grant to kyc_app';

-- Activates an opened, funded account. In C (src/activation.c). Grant to: kyc_app.
CREATE FUNCTION kyc.activate(app uuid) RETURNS kyc.state
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_activate';
REVOKE ALL ON FUNCTION kyc.activate(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.activate(uuid) IS 'activate an opened account whose funding cleared; grant to kyc_app';

-- Lifts a restriction; lifting the last one of a restricted account opens it fully (active when
-- funded, else opened_not_funded). Internal: kyc.lift_restriction and the review path call it.
CREATE FUNCTION kyc.lift_restriction_internal(restriction uuid, actor name, note text) RETURNS kyc.state
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

-- Lifts a restriction once its condition is met: only the roles of the queues of the line that
-- owns the restriction's reason (a fraud restriction by fraud analysts), and never while a review
-- of that gate is live on the account (the review decides it). Grant to: kyc_reviewer, kyc_fraud,
-- kyc_aml.
CREATE FUNCTION kyc.lift_restriction(restriction uuid, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('lift a restriction', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    r     kyc.restriction;
    c     kyc.reason_code;
    roles name[];
    t     kyc.review_task;
BEGIN
    -- a restriction whose reason the caller may not read is as unknown to it as a missing one
    SELECT * INTO r FROM kyc.restriction x WHERE x.id OPERATOR(pg_catalog.=) lift_restriction.restriction
                                             AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
                                             AND kyc.reason_class(x.reason_code) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes());
    IF NOT FOUND THEN
        RAISE EXCEPTION 'restriction "%" does not exist', lift_restriction.restriction
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    IF lift_restriction.note IS NULL OR pg_catalog.btrim(lift_restriction.note) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "note" must say how the lift condition was met' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the owner of the reason lifts it: the worker roles of that line's queues
    SELECT * INTO c FROM kyc.reason_code x WHERE x.code OPERATOR(pg_catalog.=) r.reason_code;
    roles := ARRAY(SELECT DISTINCT w FROM kyc.review_queue q CROSS JOIN LATERAL pg_catalog.unnest(q.worker_roles) w
                   WHERE q.owner OPERATOR(pg_catalog.=) c.owner ORDER BY 1);
    IF pg_catalog.cardinality(roles) OPERATOR(pg_catalog.>) 0 THEN
        PERFORM kyc.assert_caller(pg_catalog.format('lift a restriction owned by %s', c.owner), VARIADIC roles);
    END IF;
    -- a live review of the restriction's gate decides it; lifting beside it would pre-empt the
    -- review; so does the review it was imposed for (adverse evidence on another gate, an alert)
    SELECT * INTO t FROM kyc.review_task x
    WHERE x.application_id OPERATOR(pg_catalog.=) r.application_id
      AND (x.gate OPERATOR(pg_catalog.=) c.gate OR x.id OPERATOR(pg_catalog.=) r.task_id
           OR x.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT al.task_id FROM kyc.early_life_alert al
                                                     WHERE al.restriction_id OPERATOR(pg_catalog.=) r.id)))
      AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'cannot lift a restriction while its review is open'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('The review task of gate "%s" in queue "%s" is %s.', t.gate, t.queue, t.status),
                  HINT = 'Resolve the review task: clearing it lifts the restriction.';
    END IF;
    RETURN kyc.lift_restriction_internal(lift_restriction.restriction, actor, lift_restriction.note);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lift_restriction(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lift_restriction(uuid, text) IS
    'lift a restriction whose condition is met, as its owner''s queue role and with no live review of its gate (the last one opens a restricted account fully); grant to reviewer roles';

-- Closes an opened account (exit after opening). Internal: kyc.close_account and the review path.
CREATE FUNCTION kyc.close_account_internal(app uuid, reason_code text, note text, actor name) RETURNS kyc.state
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

-- Exit after opening: the account is closed with an exit reason (EXIT.*), the funds to return are
-- recorded. A risk-policy exit goes through review with four eyes instead.
-- Grant to: kyc_app, kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.close_account(app uuid, reason_code text, note text DEFAULT NULL) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('close an account', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) close_account.reason_code) THEN
        RAISE EXCEPTION 'reason code "%" does not exist', close_account.reason_code
            USING ERRCODE = 'KY003', HINT = 'Exit reasons (EXIT.*) are listed in kyc.reason_code.';
    END IF;
    -- a risk-policy exit is SAR-sensitive: one person never decides it alone
    IF close_account.reason_code OPERATOR(pg_catalog.=) 'EXIT.RISK_POLICY' THEN
        RAISE EXCEPTION 'a closure under the risk policy needs a second, different reviewer'
            USING ERRCODE = 'KY008',
                  DETAIL = 'EXIT.RISK_POLICY is decided in review, not by one caller.',
                  HINT = 'A reviewer declines the account''s review task and another reviewer of the queue confirms it.';
    END IF;
    RETURN kyc.close_account_internal(close_account.app, close_account.reason_code, close_account.note, actor);
END
$fn$;
REVOKE ALL ON FUNCTION kyc.close_account(uuid, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.close_account(uuid, text, text) IS
    'exit after opening: close an opened account with an exit reason; grant to kyc_app and reviewer roles';

-- Activity of an opened account, for early-life monitoring. Grant to: kyc_app.
CREATE FUNCTION kyc.record_account_event(app uuid, kind kyc.account_event_kind, amount numeric DEFAULT NULL,
                                         device_id text DEFAULT NULL, occurred_at timestamptz DEFAULT pg_catalog.now())
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('record account activity', 'kyc_app');
    a     kyc.application;
    id    uuid;
BEGIN
    IF record_account_event.kind IS NULL THEN
        RAISE EXCEPTION 'field "kind" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (record_account_event.kind OPERATOR(pg_catalog.=) 'device_change')
       OPERATOR(pg_catalog.<>) (record_account_event.device_id IS NOT NULL) THEN
        RAISE EXCEPTION 'field "device_id" is required for device_change and only for it' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (record_account_event.kind OPERATOR(pg_catalog.<>) 'device_change')
       OPERATOR(pg_catalog.<>) (record_account_event.amount IS NOT NULL AND record_account_event.amount OPERATOR(pg_catalog.>) 0
                                AND record_account_event.amount OPERATOR(pg_catalog.<) 10000000000000000) THEN
        RAISE EXCEPTION 'field "amount" must be a positive amount below 10^16 for money movements, and absent for device_change'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF record_account_event.occurred_at IS NULL OR record_account_event.occurred_at OPERATOR(pg_catalog.>) pg_catalog.now()
       OR NOT pg_catalog.isfinite(record_account_event.occurred_at) THEN
        RAISE EXCEPTION 'field "occurred_at" must be a finite time not in the future' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    a := kyc.lock_application(record_account_event.app, true);
    -- a closed account has no activity to monitor: a late or wrong event must not reach a job
    IF a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[])
       AND a.opened_at IS NOT NULL THEN
        RAISE EXCEPTION 'cannot record activity of an account in state "%"', a.state
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Application "%s" is %s.', a.external_ref, a.state),
                  HINT = 'Activity is recorded for open accounts only.';
    END IF;
    IF a.opened_at IS NULL OR record_account_event.occurred_at OPERATOR(pg_catalog.<) a.opened_at THEN
        RAISE EXCEPTION 'application "%" had no open account when the activity occurred', a.external_ref
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Account activity is recorded for opened accounts, from the time they opened.';
    END IF;
    INSERT INTO kyc.account_event AS e (tenant_id, application_id, kind, amount, device_id, occurred_at, recorded_by)
    VALUES (a.tenant_id, a.id, record_account_event.kind, record_account_event.amount, record_account_event.device_id,
            record_account_event.occurred_at, actor)
    RETURNING e.id INTO id;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.record_account_event(uuid, kyc.account_event_kind, numeric, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.record_account_event(uuid, kyc.account_event_kind, numeric, text, timestamptz) IS
    'record activity of an opened account (deposits, returns, outbound transfers, device changes) for early-life monitoring; grant to kyc_app';
