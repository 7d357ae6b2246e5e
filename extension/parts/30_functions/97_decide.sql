CREATE FUNCTION kyc.decide(inputs jsonb, policy jsonb) RETURNS jsonb
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'kyc_decide';
COMMENT ON FUNCTION kyc.decide(jsonb, jsonb) IS
    'the decision core (C): gate statuses, risk tier and outcome from recorded inputs and a policy document; pure';

-- Everything kyc.decide() reads about one application, now: recorded in the decision so that
-- kyc.replay() can recompute it. In C (src/evaluate.c), which evaluation calls, with its query
-- planned once per backend. Internal.
CREATE FUNCTION kyc.decision_inputs(app uuid, as_of timestamptz) RETURNS jsonb
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_decision_inputs';
COMMENT ON FUNCTION kyc.decision_inputs(uuid, timestamptz) IS 'internal: the inputs of a decision about an application';

-- Moves an application toward the state a decision asks for, along catalog edges: through
-- consent_captured from the start, and on to active once funding cleared. In C (src/evaluate.c).
-- Internal.
CREATE FUNCTION kyc.move_toward(app uuid, target kyc.state, reason_code text, note text) RETURNS kyc.state
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_move_toward';
COMMENT ON FUNCTION kyc.move_toward(uuid, kyc.state, text, text) IS
    'internal: move an application toward a decided state along catalog edges (an opened account is not moved back into review)';

-- Evaluates an application under its pinned policy: every gate from the live signals, one
-- outcome, a kyc.decision row with its exact inputs, evidence, the state move, a restriction for
-- a restricted approval, a review task for a hold. In C (src/evaluate.c). Grant to: kyc_app,
-- kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.evaluate(app uuid, as_of timestamptz DEFAULT pg_catalog.now(),
    OUT decision_id uuid, OUT outcome kyc.outcome, OUT state kyc.state, OUT risk_tier kyc.risk_tier)
    LANGUAGE c VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_evaluate';
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
