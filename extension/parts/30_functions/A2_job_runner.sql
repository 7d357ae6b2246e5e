-- The job runner (docs/operations.md): every job is a plain function taking now, run as a member
-- of kyc_jobs (the login pg_cron runs it as), over every tenant granted to that login, one
-- bounded batch per tenant in its own subtransaction, and recorded in kyc.job_run. A second run
-- of the same job while one holds its lock records itself as skipped and does nothing, as does a
-- run as of a time before the job's last run (a late pg_cron run): time does not go back for a
-- job. The lock is not an SQL advisory lock, which any login could take to stop the jobs
-- (src/job_lock.c). Within a tenant each application is handled in its own subtransaction: one
-- that fails is listed (kyc.job_item_failure, and the run's detail) and the others go on.

-- Takes the job's lock for the transaction, without waiting; false when another run holds it.
-- Internal.
CREATE FUNCTION kyc.try_job_lock(job text) RETURNS boolean
    LANGUAGE c VOLATILE STRICT
    AS 'MODULE_PATHNAME', 'kyc_try_job_lock';
COMMENT ON FUNCTION kyc.try_job_lock(text) IS
    'internal: take a job''s run lock for the transaction without waiting (a lock tag no SQL advisory lock reaches)';

-- The tenants a job run works on: those granted to the caller (every granted tenant for a
-- superuser). Internal.
CREATE FUNCTION kyc.job_tenants() RETURNS SETOF text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT t.tenant_id FROM (SELECT DISTINCT g.tenant_id FROM kyc.tenant_grant g) t
    WHERE (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole)
       OR kyc.tenant_granted(t.tenant_id, kyc.caller()::regrole)
    ORDER BY 1;
END;
COMMENT ON FUNCTION kyc.job_tenants() IS 'internal: the tenants a job run by the caller works on';

CREATE FUNCTION kyc.run_job(job text, now timestamptz, batch integer) RETURNS kyc.job_run
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
REVOKE ALL ON FUNCTION kyc.run_job(text, timestamptz, integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc.run_job(text, timestamptz, integer) IS
    'internal: run one job over the caller''s tenants under its run lock, and record the run';

-- The jobs as users call them (and pg_cron does): each returns its kyc.job_run row.
-- Grant to: kyc_jobs.
CREATE FUNCTION kyc.sla_sweep(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('sla_sweep', now, batch);
COMMENT ON FUNCTION kyc.sla_sweep(timestamptz, integer) IS
    'job: escalate live review tasks past their SLA due time as of now (once per task); grant to kyc_jobs';
CREATE FUNCTION kyc.signal_expiry(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('signal_expiry', now, batch);
COMMENT ON FUNCTION kyc.signal_expiry(timestamptz, integer) IS
    'job: re-evaluate, as of now, applications with signals expired since their last decision; grant to kyc_jobs';
CREATE FUNCTION kyc.abandonment_sweep(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('abandonment', now, batch);
COMMENT ON FUNCTION kyc.abandonment_sweep(timestamptz, integer) IS
    'job: abandon applications whose RFI expired or that waited on the applicant past the policy''s timeout; grant to kyc_jobs';
CREATE FUNCTION kyc.early_life_monitor(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('early_life', now, batch);
COMMENT ON FUNCTION kyc.early_life_monitor(timestamptz, integer) IS
    'job: restrict and route to fraud review newly opened accounts whose activity trips an early-life rule; grant to kyc_jobs';
CREATE FUNCTION kyc.retention_sweep(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('retention', now, batch);
COMMENT ON FUNCTION kyc.retention_sweep(timestamptz, integer) IS
    'job: redact evidence payloads past their retention (kyc.retention_rule), never under legal hold; grant to kyc_jobs';
CREATE FUNCTION kyc.seal_job(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('seal', now, batch);
COMMENT ON FUNCTION kyc.seal_job(timestamptz, integer) IS 'job: seal the ledger (kyc.seal_ledger); grant to kyc_jobs';
CREATE FUNCTION kyc.cleanup_job_runs(now timestamptz DEFAULT pg_catalog.now(), batch integer DEFAULT NULL) RETURNS kyc.job_run
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN kyc.run_job('cleanup', now, batch);
COMMENT ON FUNCTION kyc.cleanup_job_runs(timestamptz, integer) IS
    'job: delete job-run records older than 90 days, here and in pg_cron''s run details of kyc_ jobs; grant to kyc_jobs';

-- Job health: the last run and the last success of every job; stale when the last success is
-- older than twice the job's interval (pg_cron can stop silently, and does nothing on a standby).
CREATE VIEW kyc.job_health WITH (security_invoker = true) AS
SELECT d.job, d.schedule, d.expected_every,
       l.started_at AS last_run_at, l.status AS last_status, l.processed AS last_processed, l.more_due,
       s.started_at AS last_success_at,
       (s.started_at IS NULL
        OR s.started_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) (d.expected_every OPERATOR(pg_catalog.*) 2))) AS stale,
       CASE WHEN s.started_at IS NULL THEN 'never succeeded'
            WHEN s.started_at OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) (d.expected_every OPERATOR(pg_catalog.*) 2))
                THEN 'stale: no success within twice its interval'
            WHEN l.status OPERATOR(pg_catalog.=) 'failed' THEN 'failing'
            WHEN l.more_due THEN 'behind: more was due than one batch'
            ELSE 'ok' END AS health,
       coalesce(pg_catalog.jsonb_array_length(l.detail OPERATOR(pg_catalog.->) 'failed_items'), 0) AS last_failed_items
FROM kyc.job_definition d
LEFT JOIN LATERAL (SELECT r.* FROM kyc.job_run r WHERE r.job OPERATOR(pg_catalog.=) d.job
                   AND r.status OPERATOR(pg_catalog.<>) 'skipped'
                   ORDER BY r.started_at DESC LIMIT 1) l ON true
LEFT JOIN LATERAL (SELECT r.started_at FROM kyc.job_run r WHERE r.job OPERATOR(pg_catalog.=) d.job
                   AND r.status OPERATOR(pg_catalog.=) 'succeeded'
                   ORDER BY r.started_at DESC LIMIT 1) s ON true;
COMMENT ON VIEW kyc.job_health IS 'per job: last run, last success, whether it is stale, failing or behind, and how many applications its last run could not handle';
