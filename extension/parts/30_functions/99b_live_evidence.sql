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
