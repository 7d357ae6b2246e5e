-- 1,000,000 live review tasks in tenant "bench", of which 100 are past their SLA due time; the
-- other 999,900 are due within the next 30 days. The 100,000 applications are inserted with their
-- triggers (each gets its evidence chain); the tasks are loaded with triggers and foreign-key checks
-- off (session_replication_role = replica) so that the load takes seconds. The benchmark itself
-- runs the sweep through the API with everything on.
\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS pg_kyc;
DO $$ BEGIN CREATE ROLE bench_scheduler IN ROLE kyc_jobs; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
SELECT kyc.grant_tenant('bench', 'bench_scheduler');
SET kyc.tenant = 'bench';
-- in transactions of 1,000 (each chain's first append takes its own advisory lock)
DO $$
BEGIN
    FOR b IN 0..99 LOOP
        INSERT INTO kyc.application (tenant_id, external_ref, applicant_kind, product, jurisdiction, channel, policy_id)
        SELECT 'bench', 'sla-' || i, 'individual', 'digital_checking', 'US', 'digital',
               kyc.policy_in_force('bench', 'digital_checking', 'US')
        FROM generate_series(b * 1000 + 1, b * 1000 + 1000) i;
        COMMIT;
    END LOOP;
END $$;
SET session_replication_role = replica;
-- ten live tasks per application, one per gate (one live task per application and gate)
INSERT INTO kyc.review_task (tenant_id, application_id, origin, queue, gate, reason_codes, sla_due_at, created_at)
SELECT 'bench', a.id, 'evaluation', 'kyc_ops', g, '{CDD.EDD_REQUIRED}',
       now() + (1 + random() * 29) * interval '1 day', now()
FROM kyc.application a CROSS JOIN unnest(enum_range(NULL::kyc.gate)) g
WHERE a.tenant_id = 'bench';
-- 100 of them past due (a due time never changes through the API: set here, before the guard is back)
UPDATE kyc.review_task SET sla_due_at = now() - interval '1 hour'
WHERE id IN (SELECT id FROM kyc.review_task WHERE tenant_id = 'bench' ORDER BY id LIMIT 100);
RESET session_replication_role;
VACUUM ANALYZE kyc.review_task;
VACUUM ANALYZE kyc.application;
