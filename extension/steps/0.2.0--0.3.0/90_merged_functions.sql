-- Functions that more than one of the files before this one replace (each topic's step carries
-- its own version of them): here is their final definition, exactly as the parts define it, so
-- that whichever topic's step ran last, the update ends with what a fresh install has.
-- Regenerate after a change with the functions the steps share (`uniq -d` over their names).
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
    -- consent and funding follow their evidence only: a hand-set "passed" would open an account
    -- nobody consented to, or activate one nobody funded
    IF pg_catalog.cardinality(d.decider_roles) OPERATOR(pg_catalog.=) 0 THEN
        RAISE EXCEPTION 'gate "%" is not decided by hand', set_gate.gate
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'Its status follows its evidence only; no role may set it.',
                  HINT = 'Consent is settled by kyc.capture_consent() and kyc.withdraw_consent(), funding by kyc.record_funding() and deposit operations'' review.';
    END IF;
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
COMMENT ON FUNCTION kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text) IS
    'record a manual decision on one gate of an application; grant to kyc_app and reviewer roles (kyc.gate_definition.decider_roles decides per gate)';
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
                                      'template_owner', (SELECT k.owner FROM kyc.customer_message_key k
                                                         WHERE k.message_key OPERATOR(pg_catalog.=) s.message_key),
                                      'label', s.label, 'message', s.message, 'next_step', s.next_step,
                                      'channel', record_notice.channel, 'delivery_proof', record_notice.delivery_proof));
END
$fn$;
COMMENT ON FUNCTION kyc.record_notice(uuid, text, text, jsonb, text) IS
    'record a customer notice (approved wording, template version, channel, delivery proof) as evidence; grant to kyc_app';
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
        restriction_reason, restriction_lift, abandon_after, rfi_expire_after, max_rfi_rounds, consent_purpose,
        disclosure_version, review_sla, author, author_login, author_principal)
    SELECT t, b.product, b.jurisdiction,
           1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(x.version) FROM kyc.policy x
                                              WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.product OPERATOR(pg_catalog.=) b.product
                                                AND x.jurisdiction OPERATOR(pg_catalog.=) b.jurisdiction), 0),
           draft_policy.description, b.eligible_kinds, b.eligible_jurisdictions, b.risk_medium, b.risk_high,
           b.risk_prohibited, b.restrict_when_tier, b.restriction_kind, b.restriction_reason, b.restriction_lift,
           b.abandon_after, b.rfi_expire_after, b.max_rfi_rounds, b.consent_purpose, b.disclosure_version,
           b.review_sla, actor, SESSION_USER, kyc.actor_principal()
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
COMMENT ON FUNCTION kyc.draft_policy(uuid, text) IS 'copy a policy into a new draft version of the session tenant''s; grant to kyc_admin';
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

    -- an override waits for a second reviewer, who confirms it by resolving the same way; so do
    -- an AML decline (SAR-sensitive adverse action, which may follow a proposal to clear) and the
    -- decline of an opened account's review, which closes the account under the risk policy
    override := (resolve_task.outcome OPERATOR(pg_catalog.=) ANY (ARRAY['clear', 'waive']::kyc.review_outcome[])
                 AND t.origin OPERATOR(pg_catalog.<>) 'early_life' AND kyc.is_override(a.id, t.gate, pg_catalog.now()))
                OR (resolve_task.outcome OPERATOR(pg_catalog.=) 'decline'::kyc.review_outcome
                    AND (early OR t.gate OPERATOR(pg_catalog.=) 'aml'::kyc.gate));
    IF override AND (NOT second OR (resolve_task.outcome OPERATOR(pg_catalog.=) 'decline'::kyc.review_outcome
                                    AND t.proposed_outcome IS DISTINCT FROM 'decline'::kyc.review_outcome)) THEN
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
        -- the state as the caller may read it (an AML review's is SAR-restricted)
        state := CASE WHEN kyc.state_class(a.state) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes()) THEN a.state END;
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
        state := (SELECT CASE WHEN kyc.state_class(x.state) OPERATOR(pg_catalog.=) ANY (kyc.readable_classes()) THEN x.state END
                  FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) a.id);
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
COMMENT ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) IS
    'a reviewer''s decision on a claimed task: recorded as evidence, applied to the gate, the application re-evaluated; overrides need a second reviewer';
CREATE OR REPLACE FUNCTION kyc.lift_restriction(restriction uuid, note text) RETURNS kyc.state
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
COMMENT ON FUNCTION kyc.lift_restriction(uuid, text) IS
    'lift a restriction whose condition is met, as its owner''s queue role and with no live review of its gate (the last one opens a restricted account fully); grant to reviewer roles';
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
    last    timestamptz;
    failed  jsonb;
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
    ELSIF run_job.now OPERATOR(pg_catalog.<) (SELECT pg_catalog.max(r.as_of) FROM kyc.job_run r
                                            WHERE r.job OPERATOR(pg_catalog.=) def.job
                                              AND r.status OPERATOR(pg_catalog.<>) 'skipped') THEN
        -- a late run: the work as of then was done by the run as of later
        last := (SELECT pg_catalog.max(r.as_of) FROM kyc.job_run r
                 WHERE r.job OPERATOR(pg_catalog.=) def.job AND r.status OPERATOR(pg_catalog.<>) 'skipped');
        status := 'skipped';
        detail := pg_catalog.jsonb_build_object('reason', 'now is before the last run of this job', 'last_as_of', last);
    ELSIF def.job OPERATOR(pg_catalog.=) 'seal'
          AND run_job.now OPERATOR(pg_catalog.<) (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d) THEN
        -- ... and a seal an administrator made as of later (kyc.seal_ledger) did the seal job's work
        last := (SELECT pg_catalog.max(d.sealed_at) FROM kyc.ledger_digest d);
        status := 'skipped';
        detail := pg_catalog.jsonb_build_object('reason', 'now is before the last seal', 'last_as_of', last);
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
        -- applications that failed alone, their work undone and the rest of their tenant's done
        failed := (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('tenant', f.tenant_id, 'application', f.application_id,
                                                                              'sqlstate', f.sqlstate, 'error', f.error)
                                               ORDER BY f.failed_at)
                   FROM kyc.job_item_failure f
                   WHERE f.run_xact OPERATOR(pg_catalog.=) pg_catalog.pg_current_xact_id() AND f.job OPERATOR(pg_catalog.=) def.job
                     AND f.as_of OPERATOR(pg_catalog.=) run_job.now);
        IF failed IS NOT NULL THEN
            status := 'failed';
            detail := detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('failed_items', failed);
        END IF;
    END IF;

    INSERT INTO kyc.job_run AS r (job, as_of, started_at, finished_at, run_by, status, tenants, processed, more_due, detail)
    VALUES (def.job, run_job.now, started, pg_catalog.clock_timestamp(), actor, status, tenants, total, more, detail)
    RETURNING r.* INTO run;
    RETURN run;
END
$fn$;
COMMENT ON FUNCTION kyc.run_job(text, timestamptz, integer) IS
    'internal: run one job over the caller''s tenants under its run lock, and record the run';
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
        BEGIN
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
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('retention', app, job_retention.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_retention(timestamptz, integer) IS 'internal: retention in the session tenant';
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
    IF NOT EXISTS (SELECT 1 FROM kyc.customer_message_key k
                   WHERE k.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key) THEN
        RAISE EXCEPTION 'message key "%" does not exist', draft_customer_message.message_key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A tenant rewords the shipped keys (SELECT message_key FROM kyc.customer_message_key); it does not add keys.';
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
COMMENT ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) IS
    'draft the next version of a customer message for the session''s tenant; a second administrator approves it; grant to kyc_admin';
CREATE OR REPLACE FUNCTION kyc.approve_customer_message(message_key text, locale text, version integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor  name := kyc.assert_caller('approve customer wording', 'kyc_admin', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    tenant text := kyc.current_tenant();
    m      kyc.customer_message;
    k      kyc.customer_message_key;
BEGIN
    -- each line approves its own wording: fraud's by fraud, identity's by KYC operations
    SELECT * INTO k FROM kyc.customer_message_key x WHERE x.message_key OPERATOR(pg_catalog.=) approve_customer_message.message_key;
    IF FOUND THEN
        PERFORM kyc.assert_caller(pg_catalog.format('approve wording owned by %s', k.owner), VARIADIC k.approver_roles);
    END IF;
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
COMMENT ON FUNCTION kyc.approve_customer_message(text, text, integer) IS
    'put a drafted customer message in force for the tenant, as a role of the line that owns the key (four eyes: not its drafter); grant to kyc_admin and reviewer roles';
