-- A reviewer's decision on a task (docs/queues.md): validated against the reason catalog and the
-- gate, recorded as evidence, applied to the gate, and the application re-evaluated.
-- Clearing or waiving an AML hold or a decline recommendation, and declining the AML gate, is an
-- override: the first reviewer proposes it, a second, different reviewer confirms it. An
-- early-life task, or a review of adverse evidence after opening, concerns an opened account: a
-- reviewer clears it, which lifts the restriction it imposed, or declines it, which closes the
-- account under the risk policy once a second reviewer confirms. Any other task (a returned
-- funding, say) is a gate decision as before
-- opening. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.resolve_task(task uuid, outcome kyc.review_outcome, reason_code text, note text DEFAULT NULL,
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
REVOKE ALL ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.resolve_task(uuid, kyc.review_outcome, text, text) IS
    'a reviewer''s decision on a claimed task: recorded as evidence, applied to the gate, the application re-evaluated; overrides need a second reviewer';

-- Opens the next RFI round of a task's gate, up to the policy's maximum. Internal.
CREATE FUNCTION kyc.request_information_internal(a kyc.application, t kyc.review_task, reason_code text, actor name)
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

-- The applicant's answer to the open RFI: recorded as evidence (of the class of what was asked),
-- the gate goes back to its queue as a new task, and the application is re-evaluated.
-- Grant to: kyc_app.
CREATE FUNCTION kyc.provide_information(app uuid, response jsonb,
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
