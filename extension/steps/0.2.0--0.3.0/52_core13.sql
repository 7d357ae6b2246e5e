-- issue 13, decision core (docs/decisioning.md, docs/queues.md): gates follow live evidence,
-- every review has an owner, requests for information are bounded, no decline before triage,
-- adverse evidence after opening restricts and reviews. Parts: 20_tables/85_review_task.sql,
-- 20_tables/89_live_evidence.sql, 60_data/47_gate_review.sql, 30_functions/96_policy.sql,
-- 98_review_task.sql, 99_resolve_task.sql, 99b_live_evidence.sql, A3_job_bodies.sql.
ALTER TABLE kyc.review_task DROP CONSTRAINT review_task_origin,
    ADD CONSTRAINT review_task_origin CHECK
        (origin OPERATOR(pg_catalog.=) ANY (ARRAY['evaluation', 'information_response', 'early_life', 'adverse_evidence']));
COMMENT ON COLUMN kyc.review_task.origin IS
    'evaluation (a gate in review), information_response (the applicant answered an RFI), early_life (monitoring of an opened account), adverse_evidence (a signal against an opened account)';

-- Gates follow live evidence, and every review has an owner (docs/decisioning.md). Added after
-- the tables they refer to (queues, reasons, tasks), in the order the 0.3.0 update adds them.

-- What a gate's owner does with a signal no policy rule maps, or with a recommended decline: the
-- catalog's defaults, recorded in every decision's inputs so that replay stays exact.
ALTER TABLE kyc.gate_definition
    ADD COLUMN review_queue text REFERENCES kyc.review_queue (queue),
    ADD COLUMN review_sla interval,
    ADD COLUMN confirm_sla interval,
    ADD COLUMN review_reason text,
    ADD COLUMN auto_decline boolean NOT NULL DEFAULT false,
    ADD COLUMN review_rank integer,
    ADD CONSTRAINT gate_definition_review_reason FOREIGN KEY (review_reason, gate) REFERENCES kyc.reason_code (code, gate),
    ADD CONSTRAINT gate_definition_review_complete CHECK
        ((review_queue IS NULL) OPERATOR(pg_catalog.=) (review_sla IS NULL)
         AND (review_queue IS NULL) OPERATOR(pg_catalog.=) (confirm_sla IS NULL)
         AND (review_queue IS NULL) OPERATOR(pg_catalog.=) (review_reason IS NULL));
COMMENT ON COLUMN kyc.gate_definition.review_queue IS
    'the queue of the gate''s owner: where a review goes that no policy rule routes (an unmapped signal, a recommended decline, the RFI bound)';
COMMENT ON COLUMN kyc.gate_definition.review_sla IS 'SLA of such a review when neither the rule nor the policy names one';
COMMENT ON COLUMN kyc.gate_definition.confirm_sla IS 'SLA of the review that confirms a recommended decline (short: the customer waits)';
COMMENT ON COLUMN kyc.gate_definition.review_reason IS 'reason of a review for a signal no policy rule maps (a vendor error, an unexpected result)';
COMMENT ON COLUMN kyc.gate_definition.review_rank IS
    'which review decides a hold when several gates are in review: the highest (the most sensitive queue); NULL: never';
COMMENT ON COLUMN kyc.gate_definition.auto_decline IS
    'whether a failed gate declines without a person (facts of eligibility); elsewhere only a policy rule marked auto_decline does';

-- A gate a signal passed holds only while that evidence lives: the state trigger compares.
ALTER TABLE kyc.application_gate ADD COLUMN valid_until timestamptz;
COMMENT ON COLUMN kyc.application_gate.valid_until IS
    'when the earliest signal behind a status set by evaluation expires (NULL: it does not); an opening needs it in the future';

-- A policy's default review SLA, and rules that may decline without a person.
ALTER TABLE kyc.policy ADD COLUMN review_sla interval;
COMMENT ON COLUMN kyc.policy.review_sla IS
    'SLA of a review no rule names one for (an unmapped signal, the RFI bound); NULL: the gate''s catalog SLA';
ALTER TABLE kyc.policy_rule ADD COLUMN auto_decline boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT policy_rule_auto_decline CHECK
        (NOT auto_decline OR status OPERATOR(pg_catalog.=) 'failed'::kyc.gate_status);
COMMENT ON COLUMN kyc.policy_rule.auto_decline IS
    'a failed status that declines at once; otherwise a failed rule only recommends the decline to the gate owner''s queue';

-- The restriction that adverse evidence on an opened account imposed, with the task that reviews it.
ALTER TABLE kyc.restriction ADD COLUMN task_id uuid REFERENCES kyc.review_task (id);
COMMENT ON COLUMN kyc.restriction.task_id IS
    'the review task whose resolution lifts it (adverse evidence after opening); NULL otherwise';

-- Backends keep a copy of the gate and state catalogs (src/catalog_cache.c): any change to them
-- makes every backend read them again.
CREATE FUNCTION kyc.catalog_changed() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_catalog_changed';
REVOKE ALL ON FUNCTION kyc.catalog_changed() FROM PUBLIC;
COMMENT ON FUNCTION kyc.catalog_changed() IS 'trigger: every backend reads the gate and state catalogs again';
CREATE TRIGGER gate_definition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc.gate_definition
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.catalog_changed();
CREATE TRIGGER state_definition_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc.state_definition
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.catalog_changed();

-- Every review has an owner (seed 004 §3.2: a hold needs a queue owner, an SLA and a customer
-- status): the reason of a signal no policy rule maps, each gate's default queue and SLAs, and
-- which review decides a hold (aml > fraud > kyb_ubo > cdd > cip > identity_proofing > eligibility).
INSERT INTO kyc.reason_code (code, gate, owner, data_class, outcome_class, customer_message_key, description)
SELECT c, g::kyc.gate, o::kyc.owner, dc::kyc.data_class, 'hold_for_review'::kyc.outcome, 'under_review', d
FROM (VALUES
    ('ELIG.NEEDS_REVIEW', 'eligibility', 'product', 'internal'),
    ('IDV.NEEDS_REVIEW', 'identity_proofing', 'identity_platform', 'internal'),
    ('CIP.NEEDS_REVIEW', 'cip', 'kyc_cip', 'internal'),
    ('CDD.NEEDS_REVIEW', 'cdd', 'bsa_aml', 'internal'),
    ('KYB.NEEDS_REVIEW', 'kyb_ubo', 'kyb_ops', 'internal'),
    ('FRAUD.NEEDS_REVIEW', 'fraud', 'fraud_risk', 'fraud_sensitive'),
    ('AML.NEEDS_REVIEW', 'aml', 'bsa_aml', 'sar_restricted'),
    ('FUND.NEEDS_REVIEW', 'funding', 'deposit_ops', 'internal')
) AS r (c, g, o, dc)
CROSS JOIN (VALUES ('a signal no policy rule maps (a vendor error or an unexpected result): a person looks')) AS t (d);

-- The restriction adverse evidence puts on an opened account says nothing of which gate (AML or
-- fraud) raised it: restrictions are read by the service and KYC reviewers.
INSERT INTO kyc.reason_code (code, gate, owner, data_class, outcome_class, customer_message_key, description)
VALUES ('FUND.REVIEW_HOLD', 'funding', 'deposit_ops', 'internal', 'approve_restricted', 'account_opened_with_limits',
        'outbound transfers held while a review of the opened account runs');

-- Eligibility is a fact of the product: a failed eligibility gate declines without a person.
-- Everything else that fails on one vendor signal waits for its owner to confirm (seed 004 §9:
-- no decline before queue triage).
UPDATE kyc.gate_definition d
   SET review_queue = v.q, review_sla = v.sla::interval, confirm_sla = v.confirm::interval, review_reason = v.r,
       auto_decline = v.auto, review_rank = v.rank
  FROM (VALUES
    ('consent', NULL, NULL, NULL, NULL, true, 0),
    ('eligibility', 'kyc_ops', '2 days', '4 hours', 'ELIG.NEEDS_REVIEW', true, 1),
    ('identity_proofing', 'kyc_ops', '1 day', '4 hours', 'IDV.NEEDS_REVIEW', false, 2),
    ('cip', 'kyc_ops', '2 days', '4 hours', 'CIP.NEEDS_REVIEW', false, 3),
    ('cdd', 'aml_ops', '3 days', '4 hours', 'CDD.NEEDS_REVIEW', false, 4),
    ('kyb_ubo', 'kyb_ops', '2 days', '4 hours', 'KYB.NEEDS_REVIEW', false, 5),
    ('fraud', 'fraud_ops', '1 day', '4 hours', 'FRAUD.NEEDS_REVIEW', false, 6),
    ('aml', 'aml_ops', '1 day', '4 hours', 'AML.NEEDS_REVIEW', false, 7),
    ('funding', 'deposit_ops', '1 day', '4 hours', 'FUND.NEEDS_REVIEW', false, NULL)
) AS v (g, q, sla, confirm, r, auto, rank)
 WHERE d.gate OPERATOR(pg_catalog.=) v.g::kyc.gate;

CREATE OR REPLACE FUNCTION kyc.set_gate(app uuid, gate kyc.gate, status kyc.gate_status,
                             reason_code text DEFAULT NULL, note text DEFAULT NULL)
RETURNS kyc.gate_status
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    a      kyc.application;
    d      kyc.gate_definition;
    r      kyc.reason_code;
    actor  name;
BEGIN
    IF set_gate.gate IS NULL OR set_gate.status IS NULL THEN
        RAISE EXCEPTION 'fields "gate" and "status" must not be null' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO d FROM kyc.gate_definition g WHERE g.gate OPERATOR(pg_catalog.=) set_gate.gate;
    actor := kyc.assert_caller(pg_catalog.format('decide gate "%s"', set_gate.gate), VARIADIC d.decider_roles);
    a := kyc.lock_open_application(set_gate.app, 'change a gate of');
    -- a gate in a reviewer's hands is decided there, where overrides need four eyes
    IF EXISTS (SELECT 1 FROM kyc.review_task t
               WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) set_gate.gate
                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])) THEN
        RAISE EXCEPTION 'gate "%" is under review', set_gate.gate
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = (SELECT pg_catalog.format('Its review task in queue "%s" is %s.', t.queue, t.status)
                            FROM kyc.review_task t
                            WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) set_gate.gate
                              AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])),
                  HINT = 'A reviewer of the queue decides it with kyc.resolve_task().';
    END IF;

    IF set_gate.status OPERATOR(pg_catalog.=) 'not_applicable'::kyc.gate_status
       AND d.critical AND NOT (d.business_only AND a.applicant_kind OPERATOR(pg_catalog.=) 'individual'::kyc.applicant_kind) THEN
        RAISE EXCEPTION 'gate "%" cannot be marked not_applicable', set_gate.gate
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'It is a critical gate for this applicant.';
    END IF;

    IF set_gate.status OPERATOR(pg_catalog.=) 'waived'::kyc.gate_status THEN
        PERFORM kyc.assert_caller('waive a gate', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
        IF NOT d.waivable THEN
            RAISE EXCEPTION 'gate "%" cannot be waived', set_gate.gate
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Consent, eligibility and funding must actually pass.';
        END IF;
        IF set_gate.note IS NULL OR pg_catalog.btrim(set_gate.note) OPERATOR(pg_catalog.=) '' THEN
            RAISE EXCEPTION 'a waiver needs a reason in field "note"'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;

    IF set_gate.reason_code IS NOT NULL THEN
        SELECT * INTO r FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) set_gate.reason_code;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'reason code "%" does not exist', set_gate.reason_code
                USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
        END IF;
        IF r.gate IS DISTINCT FROM set_gate.gate THEN
            RAISE EXCEPTION 'reason code "%" does not belong to gate "%"', set_gate.reason_code, set_gate.gate
                USING ERRCODE = 'KY003',
                      DETAIL = pg_catalog.format('It belongs to gate "%s".', coalesce(r.gate::text, 'none'));
        END IF;
    ELSIF set_gate.status OPERATOR(pg_catalog.=) ANY (ARRAY['failed', 'review', 'info_needed']::kyc.gate_status[]) THEN
        RAISE EXCEPTION 'status "%" needs a reason code', set_gate.status
            USING ERRCODE = 'KY003', HINT = 'Pass a reason code of this gate from kyc.reason_code.';
    END IF;

    PERFORM kyc.record_gate(set_gate.app, set_gate.gate, set_gate.status, set_gate.reason_code, set_gate.note, actor, 'manual');
    -- a gate put in review by hand has its task in the owner's queue like any other review
    IF set_gate.status OPERATOR(pg_catalog.=) 'review'::kyc.gate_status AND d.review_queue IS NOT NULL THEN
        PERFORM kyc.open_review_task(a.id, set_gate.gate, d.review_queue, ARRAY[set_gate.reason_code],
            coalesce((SELECT p.review_sla FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) a.policy_id), d.review_sla),
            'evaluation', NULL, pg_catalog.now());
    END IF;
    RETURN set_gate.status;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) IS
    'record a manual decision on one gate of an application; grant to kyc_app and reviewer roles (kyc.gate_definition.decider_roles decides per gate)';

CREATE OR REPLACE FUNCTION kyc.policy_document(policy_id uuid) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object(
        'policy', pg_catalog.jsonb_build_object('tenant_id', p.tenant_id, 'product', p.product,
                                                'jurisdiction', p.jurisdiction, 'version', p.version),
        'eligibility', pg_catalog.jsonb_build_object('applicant_kinds', pg_catalog.to_jsonb(p.eligible_kinds),
                                                     'jurisdictions', pg_catalog.to_jsonb(p.eligible_jurisdictions)),
        'risk', pg_catalog.jsonb_build_object('medium', p.risk_medium, 'high', p.risk_high, 'prohibited', p.risk_prohibited,
            'factors', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('factor', f.factor, 'value', f.value,
                                                                                      'weight', f.weight)
                                                        ORDER BY f.factor, f.value), '[]'::jsonb)
                        FROM kyc.policy_risk_factor f WHERE f.policy_id OPERATOR(pg_catalog.=) p.id)),
        'restricted_approval', pg_catalog.jsonb_build_object('when_tier', pg_catalog.to_jsonb(p.restrict_when_tier),
            'kind', p.restriction_kind, 'reason_code', p.restriction_reason, 'lift_condition', p.restriction_lift),
        'timeouts', pg_catalog.jsonb_build_object('abandon_after', p.abandon_after::text,
            'rfi_expire_after', p.rfi_expire_after::text, 'max_rfi_rounds', p.max_rfi_rounds,
            'by_state', (SELECT COALESCE(pg_catalog.jsonb_object_agg(t.state, t.abandon_after::text), '{}'::jsonb)
                         FROM kyc.policy_timeout t WHERE t.policy_id OPERATOR(pg_catalog.=) p.id)),
        'early_life', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                           'rule', r.rule, 'monitor_for', r.monitor_for::text, 'within', r.within::text,
                                           'threshold', r.threshold, 'restriction_kind', r.restriction_kind,
                                           'reason_code', r.reason_code, 'queue', r.queue, 'sla', r.sla::text) ORDER BY r.rule), '[]'::jsonb)
                       FROM kyc.policy_early_life_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) p.id),
        'rules', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                                      'rule_no', r.rule_no, 'gate', r.gate, 'result', r.result,
                                      'reason_code', r.reason_code, 'min_confidence', r.min_confidence,
                                      'status', r.status, 'decision_reason', r.decision_reason,
                                      'queue', r.queue, 'sla', r.sla::text,
                                      'auto_decline', CASE WHEN r.auto_decline THEN true END)) ORDER BY r.rule_no), '[]'::jsonb)
                  FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) p.id))
        -- members added in 0.3.0 appear only when set, so earlier documents keep their digest
        OPERATOR(pg_catalog.||) pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('review_sla', p.review_sla::text))
    FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_document.policy_id;
END;
COMMENT ON FUNCTION kyc.policy_document(uuid) IS 'a policy''s settings, rules and risk factors as the JSON document kyc.decide() reads';

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
    SELECT * INTO b FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) draft_policy.based_on;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'policy "%" does not exist', draft_policy.based_on USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF draft_policy.description IS NULL OR pg_catalog.btrim(draft_policy.description) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "description" must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO kyc.policy AS p (tenant_id, product, jurisdiction, version, description, eligible_kinds,
        eligible_jurisdictions, risk_medium, risk_high, risk_prohibited, restrict_when_tier, restriction_kind,
        restriction_reason, restriction_lift, abandon_after, rfi_expire_after, max_rfi_rounds, review_sla, author)
    SELECT t, b.product, b.jurisdiction,
           1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(x.version) FROM kyc.policy x
                                              WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.product OPERATOR(pg_catalog.=) b.product
                                                AND x.jurisdiction OPERATOR(pg_catalog.=) b.jurisdiction), 0),
           draft_policy.description, b.eligible_kinds, b.eligible_jurisdictions, b.risk_medium, b.risk_high,
           b.risk_prohibited, b.restrict_when_tier, b.restriction_kind, b.restriction_reason, b.restriction_lift,
           b.abandon_after, b.rfi_expire_after, b.max_rfi_rounds, b.review_sla, actor
    RETURNING p.id INTO id;
    INSERT INTO kyc.policy_rule SELECT id, r.rule_no, r.gate, r.result, r.reason_code, r.min_confidence, r.status,
           r.decision_reason, r.queue, r.sla, r.auto_decline FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) b.id;
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

CREATE OR REPLACE FUNCTION kyc.cancel_settled_tasks(app uuid, why text) RETURNS integer
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
BEGIN
    WITH gone AS (
        UPDATE kyc.review_task t
           SET status = 'cancelled', assignee = NULL, resolution_note = cancel_settled_tasks.why,
               resolved_at = pg_catalog.now()
          FROM kyc.application a
         WHERE a.id OPERATOR(pg_catalog.=) cancel_settled_tasks.app AND t.application_id OPERATOR(pg_catalog.=) a.id
           AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
           AND (a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])
                OR (t.origin OPERATOR(pg_catalog.<>) ALL (ARRAY['early_life', 'adverse_evidence'])
                    AND NOT EXISTS (SELECT 1 FROM kyc.application_gate g
                                    WHERE g.application_id OPERATOR(pg_catalog.=) a.id AND g.gate OPERATOR(pg_catalog.=) t.gate
                                      AND g.status OPERATOR(pg_catalog.=) 'review'::kyc.gate_status)))
        RETURNING t.application_id, t.id, t.gate, t.queue)
    SELECT pg_catalog.count(kyc.append_evidence(g.application_id, 'reviewer_action', kyc.gate_class(g.gate),
               pg_catalog.jsonb_build_object('action', 'cancel', 'task_id', g.id, 'queue', g.queue, 'gate', g.gate,
                                             'note', cancel_settled_tasks.why)))
    INTO n FROM gone g;
    UPDATE kyc.information_request r SET status = 'cancelled', closed_at = pg_catalog.now()
    FROM kyc.application a
    WHERE a.id OPERATOR(pg_catalog.=) cancel_settled_tasks.app AND r.application_id OPERATOR(pg_catalog.=) a.id
      AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
      AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[]);
    RETURN n;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.cancel_settled_tasks(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.cancel_settled_tasks(uuid, text) IS
    'internal: cancel the live review tasks (and open RFIs) an application no longer needs, with evidence';

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
    early := t.origin OPERATOR(pg_catalog.=) ANY (ARRAY['early_life', 'adverse_evidence']);
    second := t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status;

    -- who may act on the task now
    IF t.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status THEN
        RAISE EXCEPTION 'the review task is not claimed'
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Claim it first with kyc.claim_task().';
    END IF;
    IF second AND t.proposed_by OPERATOR(pg_catalog.=) actor THEN
        RAISE EXCEPTION 'an override needs a second, different reviewer'
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s proposed to %s gate "%s"; the proposer cannot confirm it.',
                                             pg_catalog.quote_ident(t.proposed_by), t.proposed_outcome, t.gate),
                  HINT = 'Another reviewer of the queue claims the task and resolves it.';
    END IF;
    IF t.assignee IS DISTINCT FROM actor THEN
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

    -- an override waits for a second reviewer, who confirms it by resolving the same way; an AML
    -- decline (SAR-sensitive adverse action) is one too, and may follow a proposal to clear
    override := (resolve_task.outcome OPERATOR(pg_catalog.=) ANY (ARRAY['clear', 'waive']::kyc.review_outcome[])
                 AND t.origin OPERATOR(pg_catalog.<>) 'early_life' AND kyc.is_override(a.id, t.gate, pg_catalog.now()))
                OR (resolve_task.outcome OPERATOR(pg_catalog.=) 'decline'::kyc.review_outcome
                    AND t.gate OPERATOR(pg_catalog.=) 'aml'::kyc.gate);
    IF override AND (NOT second OR (resolve_task.outcome OPERATOR(pg_catalog.=) 'decline'::kyc.review_outcome
                                    AND t.proposed_outcome IS DISTINCT FROM 'decline'::kyc.review_outcome)) THEN
        UPDATE kyc.review_task x
           SET status = 'awaiting_second_review', assignee = NULL, claimed_at = NULL,
               proposed_outcome = resolve_task.outcome, proposed_reason = r.code, proposed_note = resolve_task.note,
               proposed_by = actor, proposed_at = pg_catalog.now()
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
           resolution_note = resolve_task.note, resolved_by = actor, resolved_at = pg_catalog.now()
     WHERE x.id OPERATOR(pg_catalog.=) t.id;
    PERFORM kyc.append_evidence(a.id, CASE WHEN second AND override THEN 'override' ELSE 'reviewer_action' END::kyc.evidence_kind,
        kyc.gate_class(t.gate),
        pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'action', CASE WHEN second AND override THEN 'confirm' ELSE 'resolve' END, 'task_id', t.id, 'queue', t.queue,
            'gate', t.gate, 'outcome', resolve_task.outcome, 'reason_code', r.code, 'note', resolve_task.note,
            'proposed_by', t.proposed_by, 'proposed_outcome', t.proposed_outcome)));
    task_status := 'resolved';

    IF early THEN
        -- a concern about an opened account: cleared lifts what it imposed (and a reviewed gate
        -- records the reviewer's clearance), declined closes the account
        IF resolve_task.outcome OPERATOR(pg_catalog.=) 'clear' THEN
            IF t.origin OPERATOR(pg_catalog.=) 'adverse_evidence' THEN
                PERFORM kyc.record_gate(a.id, t.gate, 'passed', r.code,
                                        coalesce(resolve_task.note, pg_catalog.format('review task %s', t.id)), actor, 'manual');
            END IF;
            FOR ev IN SELECT x.id AS restriction_id FROM kyc.restriction x
                      WHERE x.application_id OPERATOR(pg_catalog.=) a.id AND x.lifted_at IS NULL
                        AND (x.task_id OPERATOR(pg_catalog.=) t.id
                             OR x.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT al.restriction_id FROM kyc.early_life_alert al
                                                                      WHERE al.task_id OPERATOR(pg_catalog.=) t.id)))
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

CREATE OR REPLACE FUNCTION kyc.request_information_internal(a kyc.application, t kyc.review_task, reason_code text, actor name)
RETURNS uuid
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    p     kyc.policy;
    round integer;
    id    uuid;
    due   timestamptz;
    open  kyc.information_request;
BEGIN
    -- one request is open at a time (information_request_one_open_idx): say so, not the index
    SELECT * INTO open FROM kyc.information_request r
    WHERE r.application_id OPERATOR(pg_catalog.=) (a).id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status;
    IF FOUND THEN
        RAISE EXCEPTION 'application "%" already has an open request for information', (a).external_ref
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = pg_catalog.format('Round %s on gate "%s" waits for the applicant''s answer; one request is open at a time.',
                                             open.round, open.gate),
                  HINT = 'Clear, waive or decline the gate, or release the task and ask once the applicant has answered.';
    END IF;
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) (a).policy_id;
    round := 1 OPERATOR(pg_catalog.+) (SELECT pg_catalog.count(*) FROM kyc.information_request r
                                       WHERE r.application_id OPERATOR(pg_catalog.=) (a).id AND r.gate OPERATOR(pg_catalog.=) (t).gate)::integer;
    IF round OPERATOR(pg_catalog.>) p.max_rfi_rounds THEN
        RAISE EXCEPTION 'the policy allows at most % requests for information on gate "%"', p.max_rfi_rounds, (t).gate
            USING ERRCODE = 'KY009',
                  DETAIL = pg_catalog.format('Policy %s v%s, max_rfi_rounds; the applicant has answered %s.', p.product, p.version,
                                             round OPERATOR(pg_catalog.-) 1),
                  HINT = 'Decide the gate: clear, waive or decline. An endless evidence loop harms the applicant.';
    END IF;
    due := pg_catalog.now() OPERATOR(pg_catalog.+) p.rfi_expire_after;
    INSERT INTO kyc.information_request AS x (tenant_id, application_id, task_id, gate, round, reason_code, requested_by,
                                              requested_at, due_at)
    VALUES ((a).tenant_id, (a).id, (t).id, (t).gate, round, request_information_internal.reason_code,
            request_information_internal.actor, pg_catalog.now(), due)
    RETURNING x.id INTO id;
    PERFORM kyc.append_evidence((a).id, 'information_request', 'customer_safe',
        pg_catalog.jsonb_build_object('action', 'request', 'request_id', id, 'round', round, 'max_rounds', p.max_rfi_rounds,
                                      'message_key', (SELECT c.customer_message_key FROM kyc.reason_code c
                                                      WHERE c.code OPERATOR(pg_catalog.=) request_information_internal.reason_code),
                                      'due_at', due));
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.request_information_internal(kyc.application, kyc.review_task, text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.request_information_internal(kyc.application, kyc.review_task, text, name) IS
    'internal: open the next request for information of a task''s gate, up to the policy''s max_rfi_rounds';

CREATE OR REPLACE FUNCTION kyc.provide_information(app uuid, response jsonb,
    OUT request_id uuid, OUT task_id uuid, OUT state kyc.state)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor name := kyc.assert_caller('provide requested information', 'kyc_app');
    a     kyc.application;
    rfi   kyc.information_request;
    prior kyc.review_task;
    cls   kyc.data_class;
BEGIN
    IF provide_information.response IS NULL OR pg_catalog.jsonb_typeof(provide_information.response) OPERATOR(pg_catalog.<>) 'object'
       OR provide_information.response OPERATOR(pg_catalog.=) '{}'::jsonb THEN
        RAISE EXCEPTION 'field "response" must be a non-empty JSON object'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Pass what the applicant provided, for example {"document_ref": "doc_456"}.';
    END IF;
    IF pg_catalog.octet_length(provide_information.response::text) OPERATOR(pg_catalog.>) 65536 THEN
        RAISE EXCEPTION 'field "response" is larger than 64 kB'
            USING ERRCODE = 'program_limit_exceeded', HINT = 'Store documents elsewhere and pass references to them.';
    END IF;
    a := kyc.lock_open_application(provide_information.app, 'answer a request for information of');
    SELECT * INTO rfi FROM kyc.information_request r
    WHERE r.application_id OPERATOR(pg_catalog.=) a.id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application "%" has no open request for information', a.external_ref
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A request is opened by a reviewer (kyc.resolve_task with request_information) or by an evaluation.';
    END IF;
    SELECT * INTO prior FROM kyc.review_task x WHERE x.id OPERATOR(pg_catalog.=) rfi.task_id;
    -- a request an evaluation raised has no task: the answer goes to the gate owner's queue
    IF NOT FOUND THEN
        SELECT d.review_queue, pg_catalog.now(),
               pg_catalog.now() OPERATOR(pg_catalog.+) coalesce(p.review_sla, d.review_sla)
          INTO prior.queue, prior.created_at, prior.sla_due_at
          FROM kyc.gate_definition d, kyc.policy p
         WHERE d.gate OPERATOR(pg_catalog.=) rfi.gate AND p.id OPERATOR(pg_catalog.=) a.policy_id;
    END IF;
    SELECT c.data_class INTO cls FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) rfi.reason_code;

    UPDATE kyc.information_request r SET status = 'answered', responded_at = pg_catalog.now(), closed_at = pg_catalog.now()
    WHERE r.id OPERATOR(pg_catalog.=) rfi.id;
    PERFORM kyc.append_evidence(a.id, 'information_request', greatest(cls, 'pii'::kyc.data_class),
        pg_catalog.jsonb_build_object('action', 'response', 'request_id', rfi.id, 'round', rfi.round,
                                      'response', provide_information.response));
    PERFORM kyc.record_gate(a.id, rfi.gate, 'review', rfi.reason_code,
                            pg_catalog.format('information provided (round %s)', rfi.round), actor, 'manual');
    task_id := kyc.open_review_task(a.id, rfi.gate, prior.queue, ARRAY[rfi.reason_code],
                                    prior.sla_due_at OPERATOR(pg_catalog.-) prior.created_at,
                                    'information_response', NULL, pg_catalog.now());
    request_id := rfi.id;
    SELECT e.state INTO state FROM kyc.evaluate(a.id) e;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.provide_information(uuid, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.provide_information(uuid, jsonb) IS
    'the applicant''s answer to the open request for information: evidence, a new review task for the gate, re-evaluation; grant to kyc_app';

CREATE OR REPLACE FUNCTION kyc.job_abandonment(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    c      record;
    n      integer := 0;
BEGIN
    FOR c IN SELECT r.id, r.application_id, r.round, r.due_at FROM kyc.information_request r
             WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
               AND r.due_at OPERATOR(pg_catalog.<=) job_abandonment.now
               -- nor while a review waits on the bank: an analyst sees the hit first
               AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) r.application_id
                                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))
               -- nor on an opened account (a funding request, say): it cannot be abandoned, and an
               -- expired request would leave its gate waiting for an answer nobody is asked for;
               -- the request stays open until answered or the account closes
               AND NOT EXISTS (SELECT 1 FROM kyc.application a JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) a.state
                               WHERE a.id OPERATOR(pg_catalog.=) r.application_id AND sd.phase OPERATOR(pg_catalog.=) 'opened')
             ORDER BY r.due_at LIMIT job_abandonment.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.application_id);
        UPDATE kyc.information_request r SET status = 'expired', closed_at = pg_catalog.now()
        WHERE r.id OPERATOR(pg_catalog.=) c.id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status;
        CONTINUE WHEN NOT FOUND;
        PERFORM kyc.append_evidence(c.application_id, 'information_request', 'customer_safe',
            pg_catalog.jsonb_build_object('action', 'expire', 'request_id', c.id, 'round', c.round, 'due_at', c.due_at,
                                          'as_of', job_abandonment.now));
        UPDATE kyc.application a SET state = 'abandoned', state_reason = 'ABANDON.RFI_EXPIRED',
                                     state_note = pg_catalog.format('request for information (round %s) not answered by %s', c.round, c.due_at)
        WHERE a.id OPERATOR(pg_catalog.=) c.application_id
          AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed', 'approved_restricted',
                                                       'opened_not_funded', 'active']::kyc.state[]);
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;

    FOR c IN SELECT a.id, a.state, a.state_changed_at, w.timeout
             FROM kyc.application a
             JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) a.policy_id
             LEFT JOIN kyc.policy_timeout pt ON pt.policy_id OPERATOR(pg_catalog.=) a.policy_id AND pt.state OPERATOR(pg_catalog.=) a.state
             CROSS JOIN LATERAL (SELECT CASE WHEN a.state OPERATOR(pg_catalog.=) 'information_requested' THEN p.rfi_expire_after
                                             ELSE coalesce(pt.abandon_after, p.abandon_after) END AS timeout) w
             WHERE a.tenant_id OPERATOR(pg_catalog.=) tenant
               AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['application_started', 'consent_captured', 'identity_proofing_pending',
                                                            'cip_verification_pending', 'information_requested']::kyc.state[])
               AND a.state_changed_at OPERATOR(pg_catalog.+) w.timeout OPERATOR(pg_catalog.<=) job_abandonment.now
               -- a pending state with live review work waits on the bank, not the applicant
               AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) a.id
                                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))
             ORDER BY a.state_changed_at LIMIT job_abandonment.batch OPERATOR(pg_catalog.-) n
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.id);
        UPDATE kyc.application a
           SET state = 'abandoned',
               state_reason = CASE WHEN c.state OPERATOR(pg_catalog.=) 'information_requested' THEN 'ABANDON.RFI_EXPIRED'
                                   ELSE 'ABANDON.TIMEOUT' END,
               state_note = pg_catalog.format('no progress in state %s for %s (policy timeout)', c.state, c.timeout)
         WHERE a.id OPERATOR(pg_catalog.=) c.id AND a.state OPERATOR(pg_catalog.=) c.state
           AND a.state_changed_at OPERATOR(pg_catalog.=) c.state_changed_at;
        IF FOUND THEN
            n := n OPERATOR(pg_catalog.+) 1;
        END IF;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_abandonment(timestamptz, integer) IS 'internal: abandonment in the session tenant';

-- What evaluation does beyond the gates (src/evaluate.c calls these): requests for information
-- it raises, bounded like a reviewer's, and adverse evidence on an opened account, which
-- restricts it and goes to its owner's queue. docs/decisioning.md, docs/queues.md.

-- Closes the open requests a decision no longer needs (their gate was settled, or a newer signal
-- answered them) and opens the round the decision asks for, if any: evaluation-raised requests
-- count toward max_rfi_rounds like a reviewer's. Internal.
CREATE FUNCTION kyc.settle_information_requests(app uuid, result jsonb, decision_id uuid, actor name)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    a         kyc.application;
    p         kyc.policy;
    focus     text := settle_information_requests.result OPERATOR(pg_catalog.->>) 'focus_gate';
    new_round integer := (settle_information_requests.result OPERATOR(pg_catalog.#>>) ARRAY['gates', focus, 'rfi_round'])::integer;
    reason    text := settle_information_requests.result OPERATOR(pg_catalog.#>>) ARRAY['gates', focus, 'reason_code'];
    id        uuid;
    due       timestamptz;
    n         integer;
BEGIN
    SELECT * INTO a FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) settle_information_requests.app;
    WITH done AS (
        UPDATE kyc.information_request r
           SET status = 'answered', responded_at = pg_catalog.now(), closed_at = pg_catalog.now()
         WHERE r.application_id OPERATOR(pg_catalog.=) a.id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
           AND ((settle_information_requests.result OPERATOR(pg_catalog.#>>) ARRAY['gates', r.gate::text, 'status'])
                    IS DISTINCT FROM 'info_needed' OR new_round IS NOT NULL)
        RETURNING r.id, r.round)
    SELECT pg_catalog.count(kyc.append_evidence(a.id, 'information_request', 'customer_safe',
               pg_catalog.jsonb_build_object('action', 'close', 'request_id', d.id, 'round', d.round,
                                             'decision_id', settle_information_requests.decision_id,
                                             'note', 'the gate no longer waits for this request')))
    INTO n FROM done d;
    IF new_round IS NULL THEN
        RETURN n;
    END IF;
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) a.policy_id;
    due := pg_catalog.now() OPERATOR(pg_catalog.+) p.rfi_expire_after;
    INSERT INTO kyc.information_request AS x (tenant_id, application_id, task_id, gate, round, reason_code, requested_by,
                                              requested_at, due_at)
    VALUES (a.tenant_id, a.id, NULL, focus::kyc.gate, new_round, reason, settle_information_requests.actor, pg_catalog.now(), due)
    RETURNING x.id INTO id;
    PERFORM kyc.append_evidence(a.id, 'information_request', 'customer_safe',
        pg_catalog.jsonb_build_object('action', 'request', 'request_id', id, 'round', new_round, 'max_rounds', p.max_rfi_rounds,
                                      'origin', 'evaluation', 'decision_id', settle_information_requests.decision_id,
                                      'message_key', (SELECT c.customer_message_key FROM kyc.reason_code c
                                                      WHERE c.code OPERATOR(pg_catalog.=) reason),
                                      'due_at', due));
    RETURN n OPERATOR(pg_catalog.+) 1;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.settle_information_requests(uuid, jsonb, uuid, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.settle_information_requests(uuid, jsonb, uuid, name) IS
    'internal: close the requests for information a decision no longer needs and open the round it asks (counted toward max_rfi_rounds)';

-- Adverse evidence on an opened account (a critical gate the live signals put in review or
-- failed): the account is restricted (no outbound transfers, for FUND.REVIEW_HOLD: the restriction,
-- which the service and KYC reviewers read, does not say whether AML or fraud raised it; the
-- evidence row of the gate's class does) and moved to approved_restricted, and
-- the gate goes to its owner's queue (origin adverse_evidence), once per gate while its task
-- lives. The reviewer clears it (the restriction is lifted) or declines it (the account is closed
-- through the exit path). Returns the account's state. Internal.
CREATE FUNCTION kyc.review_adverse_evidence(app uuid, result jsonb, decision_id uuid, as_of timestamptz)
RETURNS kyc.state
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    a   kyc.application;
    g   record;
    tid uuid;
    rid uuid;
BEGIN
    SELECT * INTO a FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) review_adverse_evidence.app;
    FOR g IN SELECT d.gate, e.v OPERATOR(pg_catalog.->>) 'reason_code' AS reason, coalesce(e.v OPERATOR(pg_catalog.->>) 'queue', d.review_queue) AS queue,
                    coalesce((e.v OPERATOR(pg_catalog.->>) 'sla')::interval, d.review_sla) AS sla
             FROM pg_catalog.jsonb_each(review_adverse_evidence.result OPERATOR(pg_catalog.->) 'gates') AS e (k, v)
             JOIN kyc.gate_definition d ON d.gate OPERATOR(pg_catalog.=) e.k::kyc.gate
             WHERE d.critical
               AND (e.v OPERATOR(pg_catalog.->>) 'status') OPERATOR(pg_catalog.=) ANY (ARRAY['review', 'failed'])
               AND (e.v OPERATOR(pg_catalog.->>) 'basis') OPERATOR(pg_catalog.=) 'signals'
               -- a failure declined at once before opening (eligibility, a fact) has no queue in
               -- its rule: after opening it goes to the gate owner's queue all the same
               AND coalesce(e.v OPERATOR(pg_catalog.->>) 'queue', d.review_queue) IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM kyc.review_task t
                               WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) d.gate
                                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))
             ORDER BY d.gate
    LOOP
        tid := kyc.open_review_task(a.id, g.gate, g.queue,
                                    ARRAY(SELECT x FROM pg_catalog.unnest(ARRAY[g.reason]) AS x WHERE x IS NOT NULL),
                                    g.sla, 'adverse_evidence', review_adverse_evidence.decision_id, review_adverse_evidence.as_of);
        INSERT INTO kyc.restriction AS r (tenant_id, application_id, kind, reason_code, lift_condition, imposed_by, task_id)
        VALUES (a.tenant_id, a.id, 'no_outbound_transfers', 'FUND.REVIEW_HOLD',
                'the review of the account clears it', kyc.caller(), tid)
        RETURNING r.id INTO rid;
        PERFORM kyc.append_evidence(a.id, 'restriction', kyc.gate_class(g.gate),
            pg_catalog.jsonb_build_object('action', 'impose', 'restriction_id', rid, 'kind', 'no_outbound_transfers',
                                          'reason_code', 'FUND.REVIEW_HOLD', 'review_reason', g.reason, 'task_id', tid,
                                          'decision_id', review_adverse_evidence.decision_id,
                                          'lift_condition', 'the review of the account clears it'));
        IF a.state OPERATOR(pg_catalog.<>) 'approved_restricted'::kyc.state THEN
            UPDATE kyc.application x SET state = 'approved_restricted', state_note = 'adverse evidence after opening: under review'
            WHERE x.id OPERATOR(pg_catalog.=) a.id
            RETURNING x.state INTO a.state;
        END IF;
    END LOOP;
    RETURN a.state;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.review_adverse_evidence(uuid, jsonb, uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.review_adverse_evidence(uuid, jsonb, uuid, timestamptz) IS
    'internal: restrict an opened account on adverse evidence and open its review in the gate owner''s queue';
