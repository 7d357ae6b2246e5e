-- Baseline: selecting the 100 due tasks among the 1,000,000, with the predicate the sweep uses.
BEGIN;
SELECT id, application_id, queue, gate, priority, sla_due_at FROM kyc.review_task
WHERE tenant_id = 'bench' AND status = ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
  AND escalated_at IS NULL AND sla_due_at <= now()
ORDER BY sla_due_at LIMIT 1000;
ROLLBACK;
