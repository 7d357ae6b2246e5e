-- Views for the people who run the queues and watch the funnel.

-- Queue health per tenant and queue, as of now: live work, overdue and escalated tasks, the
-- oldest due time. Each role sees the queues of the gates it may read.
CREATE VIEW kyc.queue_health WITH (security_invoker = true) AS
SELECT t.tenant_id, t.queue,
       pg_catalog.count(*) FILTER (WHERE t.status OPERATOR(pg_catalog.=) 'open'::kyc.task_status) AS open,
       pg_catalog.count(*) FILTER (WHERE t.status OPERATOR(pg_catalog.=) 'claimed'::kyc.task_status) AS claimed,
       pg_catalog.count(*) FILTER (WHERE t.status OPERATOR(pg_catalog.=) 'awaiting_second_review'::kyc.task_status) AS awaiting_second_review,
       pg_catalog.count(*) FILTER (WHERE t.sla_due_at OPERATOR(pg_catalog.<) pg_catalog.now()) AS overdue,
       pg_catalog.count(*) FILTER (WHERE t.escalated_at IS NOT NULL) AS escalated,
       pg_catalog.min(t.sla_due_at) AS oldest_due_at
FROM kyc.review_task t
WHERE t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
GROUP BY t.tenant_id, t.queue;
COMMENT ON VIEW kyc.queue_health IS 'live review work per queue: open, claimed, awaiting a second reviewer, overdue, escalated';

-- Abandonment by the step it happened in: friction to study, never counted as success (seed 004 §7).
CREATE VIEW kyc.abandonment_by_step WITH (security_invoker = true) AS
SELECT h.tenant_id, h.from_state AS abandoned_in, h.reason_code, pg_catalog.count(*) AS applications
FROM kyc.state_history h
WHERE h.to_state OPERATOR(pg_catalog.=) 'abandoned'::kyc.state
GROUP BY h.tenant_id, h.from_state, h.reason_code;
COMMENT ON VIEW kyc.abandonment_by_step IS 'abandoned applications by the state they were abandoned in and why (friction, not success)';
