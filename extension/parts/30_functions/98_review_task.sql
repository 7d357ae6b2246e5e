-- Review queues (docs/queues.md). Lock order everywhere: the application row, then its tasks,
-- then its evidence chain; claim_task never waits for a lock at all.

-- Opens the live task of an application's gate in a queue, or returns the one already open.
-- Internal.
CREATE FUNCTION kyc.open_review_task(app uuid, gate kyc.gate, queue text, reason_codes text[], sla interval,
                                     origin text, decision_id uuid, as_of timestamptz)
RETURNS uuid
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
DECLARE
    id uuid;
BEGIN
    INSERT INTO kyc.review_task AS t (tenant_id, application_id, decision_id, origin, queue, gate, reason_codes, sla_due_at)
    SELECT a.tenant_id, a.id, open_review_task.decision_id, open_review_task.origin, open_review_task.queue,
           open_review_task.gate, open_review_task.reason_codes, open_review_task.as_of OPERATOR(pg_catalog.+) open_review_task.sla
    FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) open_review_task.app
    ON CONFLICT (application_id, gate)
        WHERE status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
        DO NOTHING
    RETURNING t.id INTO id;
    IF id IS NULL THEN
        SELECT t.id INTO id FROM kyc.review_task t
        WHERE t.application_id OPERATOR(pg_catalog.=) open_review_task.app AND t.gate OPERATOR(pg_catalog.=) open_review_task.gate
          AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]);
    END IF;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.open_review_task(uuid, kyc.gate, text, text[], interval, text, uuid, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION kyc.open_review_task(uuid, kyc.gate, text, text[], interval, text, uuid, timestamptz) IS
    'internal: open the live review task of an application''s gate (one per gate), or return the open one';

-- Cancels live tasks whose gate no longer waits for a person: the gate was settled by newer
-- signals, or the application concluded. Early-life and adverse-evidence tasks of an opened
-- account stay. Internal.
CREATE FUNCTION kyc.cancel_settled_tasks(app uuid, why text) RETURNS integer
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

-- Hands the caller the next task of a queue: the highest priority, then the earliest due. A
-- task is skipped, never waited for, while another session holds it or its application, so two
-- reviewers never get the same task. An override waiting for its second reviewer goes to anyone
-- but its proposer (the person: 11_person.sql). NULL when the queue has nothing for the caller. Grant to: kyc_reviewer,
-- kyc_fraud, kyc_aml (kyc.review_queue.worker_roles decides per queue).
CREATE FUNCTION kyc.claim_task(queue text) RETURNS kyc.review_task
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

-- Puts a claimed task back in its queue. Grant to: kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.release_task(task uuid, note text DEFAULT NULL) RETURNS kyc.task_status
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

-- Locks a live task of the session's tenant after its application (the lock order), checks the
-- caller works its queue (kyc.works_queue), and returns it. A task of a queue the caller does not work is answered
-- as one that does not exist: "permission denied ... fraud_ops" would tell a KYC reviewer that
-- the id is a live fraud case. Internal.
CREATE FUNCTION kyc.lock_task(task uuid, action text) RETURNS kyc.review_task
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

-- Whether clearing or waiving an application's gate overrides a hold that needs four eyes: any
-- AML hold, and any gate whose latest live signal recommends a decline. Internal.
CREATE FUNCTION kyc.is_override(app uuid, gate kyc.gate, as_of timestamptz) RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT is_override.gate OPERATOR(pg_catalog.=) 'aml'::kyc.gate
        OR coalesce((SELECT s.result OPERATOR(pg_catalog.=) 'fail'::kyc.signal_result FROM kyc.signal s
                     WHERE s.application_id OPERATOR(pg_catalog.=) is_override.app AND s.gate OPERATOR(pg_catalog.=) is_override.gate
                       AND (s.expires_at IS NULL OR s.expires_at OPERATOR(pg_catalog.>) is_override.as_of)
                     ORDER BY s.received_at DESC, s.evidence_seq DESC LIMIT 1), false);
END;
COMMENT ON FUNCTION kyc.is_override(uuid, kyc.gate, timestamptz) IS
    'internal: whether clearing or waiving the gate overrides an AML hold or a decline recommendation (four eyes)';
