-- Guards on review work, whoever writes (docs/queues.md).

-- A task's priority only rises; a resolved or cancelled task never changes; tasks are not deleted.
CREATE FUNCTION kyc.review_task_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
        RAISE EXCEPTION 'review tasks are never deleted'
            USING ERRCODE = 'insufficient_privilege', HINT = 'A task that is no longer needed is cancelled.';
    END IF;
    IF (OLD).status OPERATOR(pg_catalog.=) ANY (ARRAY['resolved', 'cancelled']::kyc.task_status[]) THEN
        RAISE EXCEPTION 'a % review task cannot change', (OLD).status
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF (NEW).priority OPERATOR(pg_catalog.<) (OLD).priority THEN
        RAISE EXCEPTION 'the priority of a review task can only rise'
            USING ERRCODE = 'check_violation',
                  DETAIL = pg_catalog.format('From %s to %s.', (OLD).priority, (NEW).priority);
    END IF;
    IF ROW((NEW).id, (NEW).tenant_id, (NEW).application_id, (NEW).decision_id, (NEW).origin, (NEW).queue, (NEW).gate,
           (NEW).reason_codes, (NEW).sla_due_at, (NEW).created_at)
       IS DISTINCT FROM
       ROW((OLD).id, (OLD).tenant_id, (OLD).application_id, (OLD).decision_id, (OLD).origin, (OLD).queue, (OLD).gate,
           (OLD).reason_codes, (OLD).sla_due_at, (OLD).created_at) THEN
        RAISE EXCEPTION 'only the status, assignment, priority, escalation and resolution of a review task change'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION kyc.review_task_guard() IS 'trigger: priority only rises, resolved and cancelled tasks never change, no deletes';

-- An application that concludes (declined, abandoned, closed) leaves no live work behind.
CREATE FUNCTION kyc.application_concluded() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    PERFORM kyc.cancel_settled_tasks((NEW).id, pg_catalog.format('the application was %s', (NEW).state));
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION kyc.application_concluded() IS 'trigger: cancel the live tasks and open RFIs of a concluded application';
