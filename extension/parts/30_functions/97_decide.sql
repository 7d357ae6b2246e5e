CREATE FUNCTION kyc.decide(inputs jsonb, policy jsonb) RETURNS jsonb
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_decide';
COMMENT ON FUNCTION kyc.decide(jsonb, jsonb) IS
    'the decision core (C): gate statuses, risk tier and outcome from recorded inputs and a policy document; pure';

-- Everything kyc.decide() reads about one application, now: recorded in the decision so that
-- kyc.replay() can recompute it. Internal.
CREATE FUNCTION kyc.decision_inputs(app uuid, as_of timestamptz) RETURNS jsonb
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object(
        'as_of_us', (EXTRACT(epoch FROM decision_inputs.as_of) OPERATOR(pg_catalog.*) 1000000)::bigint,
        'application', pg_catalog.jsonb_build_object('applicant_kind', a.applicant_kind, 'product', a.product,
                                                     'jurisdiction', a.jurisdiction, 'channel', a.channel,
                                                     'segment', a.segment, 'state', a.state),
        'gates', (SELECT pg_catalog.jsonb_object_agg(g.gate, pg_catalog.jsonb_build_object(
                      'status', g.status, 'reason_code', g.reason_code,
                      'manual', coalesce(g.decided_via OPERATOR(pg_catalog.=) 'manual', false),
                      'decided_at_us', (EXTRACT(epoch FROM g.updated_at) OPERATOR(pg_catalog.*) 1000000)::bigint))
                  FROM kyc.application_gate g WHERE g.application_id OPERATOR(pg_catalog.=) a.id),
        'signals', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                        'id', s.id, 'gate', s.gate, 'source', s.source, 'signal_type', s.signal_type,
                        'result', s.result, 'confidence', s.confidence, 'reason_codes', pg_catalog.to_jsonb(s.reason_codes),
                        'received_at_us', (EXTRACT(epoch FROM s.received_at) OPERATOR(pg_catalog.*) 1000000)::bigint,
                        'expires_at_us', (EXTRACT(epoch FROM s.expires_at) OPERATOR(pg_catalog.*) 1000000)::bigint)
                        ORDER BY s.received_at, s.evidence_seq), '[]'::jsonb)
                    FROM kyc.signal s WHERE s.application_id OPERATOR(pg_catalog.=) a.id
                      AND s.received_at OPERATOR(pg_catalog.<=) decision_inputs.as_of))
    FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) decision_inputs.app;
END;
COMMENT ON FUNCTION kyc.decision_inputs(uuid, timestamptz) IS 'internal: the inputs of a decision about an application';

-- Moves an application toward the state a decision asks for, along catalog edges: through
-- consent_captured from the start, and on to active once funding cleared. Internal.
CREATE FUNCTION kyc.move_toward(app uuid, target kyc.state, reason_code text, note text) RETURNS kyc.state
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    cur kyc.state := (SELECT a.state FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) move_toward.app);
BEGIN
    IF cur OPERATOR(pg_catalog.=) move_toward.target THEN
        RETURN cur;
    END IF;
    IF cur OPERATOR(pg_catalog.=) 'application_started'
       AND move_toward.target OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned']::kyc.state[]) THEN
        UPDATE kyc.application a SET state = 'consent_captured', state_reason = NULL, state_note = move_toward.note
        WHERE a.id OPERATOR(pg_catalog.=) move_toward.app;
        cur := 'consent_captured';
    END IF;
    IF move_toward.target OPERATOR(pg_catalog.=) 'active' AND cur OPERATOR(pg_catalog.<>) ALL (ARRAY['opened_not_funded', 'approved_restricted']::kyc.state[]) THEN
        UPDATE kyc.application a SET state = 'opened_not_funded', state_reason = NULL, state_note = move_toward.note
        WHERE a.id OPERATOR(pg_catalog.=) move_toward.app;
        cur := 'opened_not_funded';
    END IF;
    IF cur OPERATOR(pg_catalog.<>) move_toward.target
       AND EXISTS (SELECT 1 FROM kyc.state_transition t WHERE t.from_state OPERATOR(pg_catalog.=) cur
                                                         AND t.to_state OPERATOR(pg_catalog.=) move_toward.target) THEN
        UPDATE kyc.application a SET state = move_toward.target, state_reason = move_toward.reason_code,
                                     state_note = move_toward.note
        WHERE a.id OPERATOR(pg_catalog.=) move_toward.app;
        cur := move_toward.target;
    END IF;
    RETURN cur;
END
$fn$;
COMMENT ON FUNCTION kyc.move_toward(uuid, kyc.state, text, text) IS
    'internal: move an application toward a decided state along catalog edges (an opened account is not moved back into review)';

-- Evaluates an application under its pinned policy: every gate from the live signals, one
-- outcome, a kyc.decision row with its exact inputs, evidence, the state move, a restriction for
-- a restricted approval, a review task for a hold. Grant to: kyc_app, kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.evaluate(app uuid, as_of timestamptz DEFAULT pg_catalog.now(),
    OUT decision_id uuid, OUT outcome kyc.outcome, OUT state kyc.state, OUT risk_tier kyc.risk_tier)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor  name := kyc.assert_caller('evaluate an application', 'kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_jobs');
    a      kyc.application;
    p      kyc.policy;
    inputs jsonb;
    res    jsonb;
    g      record;
    seq    bigint;
    cls    kyc.data_class;
    reason text;
    opened boolean;
    kept   kyc.gate[];
BEGIN
    a := kyc.lock_open_application(evaluate.app, 'evaluate');
    opened := a.state OPERATOR(pg_catalog.=) ANY (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[]);
    kept := CASE WHEN opened THEN ARRAY(SELECT x.gate FROM kyc.gate_definition x WHERE x.critical) ELSE '{}' END;
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) a.policy_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no policy was in force for product "%" in "%" when the application was opened', a.product, a.jurisdiction
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Publish a policy for the product and jurisdiction, then open the application again.';
    END IF;

    IF evaluate.as_of IS NULL OR NOT pg_catalog.isfinite(evaluate.as_of) THEN
        RAISE EXCEPTION 'field "as_of" must be a finite time' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF evaluate.as_of OPERATOR(pg_catalog.<) pg_catalog.now() THEN
        RAISE EXCEPTION 'field "as_of" must not be before the current time'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Evaluate as of now, or as of a later time (a job deciding on expiry); decisions are never back-dated.';
    END IF;
    inputs := kyc.decision_inputs(a.id, evaluate.as_of);
    res := kyc.decide(inputs, p.document);

    -- gates the policy decided (not consent, not a manual decision that still stands)
    FOR g IN SELECT k AS gate, v FROM pg_catalog.jsonb_each(res OPERATOR(pg_catalog.->) 'gates') AS e (k, v)
             WHERE v OPERATOR(pg_catalog.->>) 'basis' OPERATOR(pg_catalog.=) ANY (ARRAY['signals', 'policy'])
               -- an opened account keeps its critical gates: concerns after opening go through
               -- early-life monitoring, restrictions, review and exit (docs/activation.md)
               AND k::kyc.gate OPERATOR(pg_catalog.<>) ALL (kept)
    LOOP
        IF EXISTS (SELECT 1 FROM kyc.application_gate x
                   WHERE x.application_id OPERATOR(pg_catalog.=) a.id AND x.gate OPERATOR(pg_catalog.=) g.gate::kyc.gate
                     AND (x.status::text IS DISTINCT FROM g.v OPERATOR(pg_catalog.->>) 'status'
                          OR x.reason_code IS DISTINCT FROM g.v OPERATOR(pg_catalog.->>) 'reason_code')) THEN
            PERFORM kyc.record_gate(a.id, g.gate::kyc.gate, (g.v OPERATOR(pg_catalog.->>) 'status')::kyc.gate_status,
                                    g.v OPERATOR(pg_catalog.->>) 'reason_code',
                                    pg_catalog.format('policy %s v%s', p.product, p.version), actor, 'policy');
        END IF;
    END LOOP;

    outcome := (res OPERATOR(pg_catalog.->>) 'outcome')::kyc.outcome;
    risk_tier := (res OPERATOR(pg_catalog.->>) 'risk_tier')::kyc.risk_tier;
    reason := res OPERATOR(pg_catalog.->) 'reason_codes' OPERATOR(pg_catalog.->>) 0;
    -- the most sensitive gate the decision holds or fails on decides who may read it
    cls := coalesce((SELECT pg_catalog.max(kyc.gate_class(e.k::kyc.gate))
                     FROM pg_catalog.jsonb_each(res OPERATOR(pg_catalog.->) 'gates') AS e (k, v)
                     WHERE e.v OPERATOR(pg_catalog.->>) 'status' OPERATOR(pg_catalog.=) ANY (ARRAY['review', 'failed', 'info_needed'])),
                    'internal');
    seq := kyc.append_evidence(a.id, 'decision', cls,
        pg_catalog.jsonb_build_object('policy_id', p.id, 'policy_version', p.version,
                                      'policy_digest', p.content_digest::text, 'result', res,
                                      'input_signal_ids', (SELECT COALESCE(pg_catalog.jsonb_agg(s OPERATOR(pg_catalog.->) 'id'), '[]'::jsonb)
                                                           FROM pg_catalog.jsonb_array_elements(inputs OPERATOR(pg_catalog.->) 'signals') s)));

    IF outcome OPERATOR(pg_catalog.=) 'approve_restricted'
       AND NOT EXISTS (SELECT 1 FROM kyc.restriction r WHERE r.application_id OPERATOR(pg_catalog.=) a.id AND r.lifted_at IS NULL) THEN
        PERFORM kyc.impose_restriction(a.id, (res OPERATOR(pg_catalog.#>>) '{restriction,kind}')::kyc.restriction_kind,
                                       res OPERATOR(pg_catalog.#>>) '{restriction,reason_code}',
                                       res OPERATOR(pg_catalog.#>>) '{restriction,lift_condition}');
    END IF;

    state := a.state;
    IF res OPERATOR(pg_catalog.->>) 'target_state' IS NOT NULL
       AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[])
           OR res OPERATOR(pg_catalog.->>) 'target_state' OPERATOR(pg_catalog.=) 'active' THEN
        state := kyc.move_toward(a.id, (res OPERATOR(pg_catalog.->>) 'target_state')::kyc.state,
                                 CASE WHEN outcome OPERATOR(pg_catalog.=) 'decline' THEN reason
                                      WHEN outcome OPERATOR(pg_catalog.=) ANY (ARRAY['hold_for_review', 'request_information']::kyc.outcome[]) THEN reason END,
                                 pg_catalog.format('evaluation under policy %s v%s', p.product, p.version));
    END IF;

    INSERT INTO kyc.decision AS d (tenant_id, application_id, policy_id, policy_version, policy_digest, inputs, result,
                                   input_signal_ids, outcome, risk_tier, reason_codes, from_state, to_state,
                                   decided_at, decided_as_of, decided_by, evidence_seq, data_class)
    VALUES (a.tenant_id, a.id, p.id, p.version, p.content_digest, inputs, res,
            ARRAY(SELECT (s OPERATOR(pg_catalog.->>) 'id')::uuid FROM pg_catalog.jsonb_array_elements(inputs OPERATOR(pg_catalog.->) 'signals') s),
            outcome, risk_tier,
            ARRAY(SELECT pg_catalog.jsonb_array_elements_text(res OPERATOR(pg_catalog.->) 'reason_codes')),
            a.state, state, pg_catalog.now(), evaluate.as_of, actor, seq, cls)
    RETURNING d.id INTO decision_id;

    -- one live task per gate in review, each in its owner's queue with its own reasons; tasks
    -- of gates that evaluation has since settled are cancelled
    IF outcome OPERATOR(pg_catalog.=) 'hold_for_review' THEN
        PERFORM kyc.open_review_task(a.id, e.k::kyc.gate, e.v OPERATOR(pg_catalog.->>) 'queue',
                    ARRAY(SELECT x FROM pg_catalog.unnest(ARRAY[e.v OPERATOR(pg_catalog.->>) 'reason_code']) AS x WHERE x IS NOT NULL),
                    coalesce((e.v OPERATOR(pg_catalog.->>) 'sla')::interval, '2 days'), 'evaluation', decision_id, evaluate.as_of)
        FROM pg_catalog.jsonb_each(res OPERATOR(pg_catalog.->) 'gates') AS e (k, v)
        WHERE e.v OPERATOR(pg_catalog.->>) 'status' OPERATOR(pg_catalog.=) 'review'
          AND e.v OPERATOR(pg_catalog.->>) 'queue' IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM kyc.review_task t
                          WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) e.k::kyc.gate
                            AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]));
    END IF;
    -- (only when a live task's gate is no longer in review: the common case writes nothing)
    IF EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) a.id
                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
                 AND t.origin OPERATOR(pg_catalog.<>) 'early_life'
                 AND (res OPERATOR(pg_catalog.#>>) ARRAY['gates', t.gate::text, 'status']) IS DISTINCT FROM 'review') THEN
        PERFORM kyc.cancel_settled_tasks(a.id, 'the gate was settled by evaluation');
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.evaluate(uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.evaluate(uuid, timestamptz) IS
    'decide an application under its pinned policy, record the decision and its evidence, move its state; grant to kyc_app and reviewer roles';

-- Recomputes a recorded decision from its recorded inputs and pinned policy. Grant to:
-- kyc_auditor, kyc_admin, kyc_app, reviewer roles.
CREATE FUNCTION kyc.replay(decision_id uuid, OUT matches boolean, OUT policy_unchanged boolean,
                           OUT differences text[], OUT recorded jsonb, OUT recomputed jsonb)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    d   kyc.decision;
    doc jsonb;
BEGIN
    SELECT * INTO d FROM kyc.decision x WHERE x.id OPERATOR(pg_catalog.=) replay.decision_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'decision "%" does not exist', replay.decision_id
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Check the id and the setting kyc.tenant.';
    END IF;
    SELECT p.document INTO doc FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) d.policy_id;
    policy_unchanged := pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(doc), 'UTF8'))::kyc.hash256
                        OPERATOR(pg_catalog.=) d.policy_digest;
    recorded := d.result;
    recomputed := kyc.decide(d.inputs, doc);
    matches := recorded OPERATOR(pg_catalog.=) recomputed;
    -- the paths that differ: top-level members, and each gate's members
    differences := ARRAY(
        SELECT k FROM (
            SELECT t.k FROM (SELECT pg_catalog.jsonb_object_keys(recorded) AS k
                             UNION SELECT pg_catalog.jsonb_object_keys(recomputed)) t
            WHERE t.k OPERATOR(pg_catalog.<>) 'gates'
              AND (recorded OPERATOR(pg_catalog.->) t.k) IS DISTINCT FROM (recomputed OPERATOR(pg_catalog.->) t.k)
            UNION ALL
            SELECT 'gates.' OPERATOR(pg_catalog.||) g.k OPERATOR(pg_catalog.||) '.' OPERATOR(pg_catalog.||) m.k
            FROM pg_catalog.jsonb_object_keys(recorded OPERATOR(pg_catalog.->) 'gates') AS g (k),
                 LATERAL pg_catalog.jsonb_object_keys(recorded OPERATOR(pg_catalog.#>) ARRAY['gates', g.k]) AS m (k)
            WHERE (recorded OPERATOR(pg_catalog.#>) ARRAY['gates', g.k, m.k])
                  IS DISTINCT FROM (recomputed OPERATOR(pg_catalog.#>) ARRAY['gates', g.k, m.k])) x (k)
        ORDER BY 1);
END
$fn$;
COMMENT ON FUNCTION kyc.replay(uuid) IS 'recompute a recorded decision from its recorded inputs and policy; says whether it matches and which paths differ';

-- Runs a (draft) policy over the latest recorded inputs of every application of the tenant with
-- that product and reports how outcomes would change. Grant to: kyc_admin.
CREATE FUNCTION kyc.backtest(policy_id uuid)
RETURNS TABLE (application_id uuid, external_ref text, recorded_outcome kyc.outcome, recorded_state kyc.state,
               backtest_outcome kyc.outcome, backtest_state kyc.state, changed boolean)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT d.application_id, a.external_ref, d.outcome, (d.result OPERATOR(pg_catalog.->>) 'target_state')::kyc.state,
           (r OPERATOR(pg_catalog.->>) 'outcome')::kyc.outcome, (r OPERATOR(pg_catalog.->>) 'target_state')::kyc.state,
           (d.result OPERATOR(pg_catalog.->>) 'outcome') IS DISTINCT FROM (r OPERATOR(pg_catalog.->>) 'outcome')
           OR (d.result OPERATOR(pg_catalog.->>) 'target_state') IS DISTINCT FROM (r OPERATOR(pg_catalog.->>) 'target_state')
    FROM (SELECT DISTINCT ON (x.application_id) x.* FROM kyc.decision x
          ORDER BY x.application_id, x.decided_at DESC) d
    JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) d.application_id
    JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) backtest.policy_id AND p.product OPERATOR(pg_catalog.=) a.product
    CROSS JOIN LATERAL kyc.decide(d.inputs, coalesce(p.document, kyc.policy_document(backtest.policy_id))) AS r
    ORDER BY a.external_ref;
END;
COMMENT ON FUNCTION kyc.backtest(uuid) IS
    'what a (draft) policy would decide on every application''s latest recorded inputs, against what was decided';
