-- The SLA sweep through the API: 100 due tasks escalated (priority, evidence row each), then
-- rolled back so every transaction finds the same 100 due.
BEGIN;
SELECT processed FROM kyc.sla_sweep(now(), 1000);
ROLLBACK;
