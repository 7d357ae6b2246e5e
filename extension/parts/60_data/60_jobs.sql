-- The jobs kyc.schedule_jobs() registers (docs/operations.md). Schedules are cron expressions in
-- pg_cron's time zone (GMT unless cron.timezone is set); no business time is encoded in them:
-- each run processes whatever is due as of its own now, so a late or repeated run is harmless.
INSERT INTO kyc.job_definition (job, command, schedule, expected_every, batch_size, description)
VALUES
    ('sla_sweep', 'SELECT kyc.sla_sweep()', '*/5 * * * *', '5 minutes', 1000,
     'escalate review tasks past their SLA due time: priority raised, once per task'),
    ('signal_expiry', 'SELECT kyc.signal_expiry()', '*/15 * * * *', '15 minutes', 200,
     're-evaluate applications whose signals expired since their last decision'),
    ('abandonment', 'SELECT kyc.abandonment_sweep()', '7 * * * *', '1 hour', 500,
     'abandon applications waiting on the applicant past the policy''s timeout, and expired RFIs'),
    ('early_life', 'SELECT kyc.early_life_monitor()', '*/10 * * * *', '10 minutes', 500,
     'restrict and route newly opened accounts whose activity trips an early-life rule'),
    ('retention', 'SELECT kyc.retention_sweep()', '17 2 * * *', '1 day', 200,
     'redact evidence payloads past their retention (by data class, from conclusion), never under legal hold'),
    ('seal', 'SELECT kyc.seal_job()', '*/30 * * * *', '30 minutes', 1,
     'seal the ledger: a Merkle root over every chain head'),
    ('cleanup', 'SELECT kyc.cleanup_job_runs()', '37 3 * * *', '1 day', 10000,
     'delete job-run records (kyc.job_run and pg_cron''s run details of kyc_ jobs) older than 90 days');
