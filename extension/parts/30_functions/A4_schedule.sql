-- Registering the jobs with pg_cron (docs/operations.md). pg_cron is not a requirement of the
-- extension: it lives in one database (cron.database_name), perhaps another one. These functions
-- run as the caller, so that pg_cron records the caller as the jobs' user: call them as the
-- login that runs the jobs (a member of kyc_jobs with USAGE on schema cron).

-- The lines that schedule every job from the cron database. Internal.
CREATE FUNCTION kyc.cron_schedule_lines() RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.string_agg(pg_catalog.format('SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                                                   'kyc_' OPERATOR(pg_catalog.||) d.job, d.schedule, d.command,
                                                   pg_catalog.current_database()), E'\n' ORDER BY d.job)
    FROM kyc.job_definition d;
END;
COMMENT ON FUNCTION kyc.cron_schedule_lines() IS 'internal: the cron.schedule_in_database calls that register the jobs from the cron database';

-- Raises the error that says where pg_cron is and what to run there. A definer, because only
-- superusers may read cron.database_name. Internal.
CREATE FUNCTION kyc.cron_missing(action text, lines text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    cron_db text := pg_catalog.current_setting('cron.database_name', true);
BEGIN
    IF cron_db IS NULL THEN
        RAISE EXCEPTION 'cannot % jobs: pg_cron is not loaded', cron_missing.action
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name, restart, and run CREATE EXTENSION pg_cron in that database.';
    END IF;
    RAISE EXCEPTION 'cannot % jobs: pg_cron is not installed in database "%"', cron_missing.action, pg_catalog.current_database()
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = pg_catalog.format('pg_cron runs in database "%s" (cron.database_name).', cron_db),
              HINT = pg_catalog.format(E'Connect to database "%s" as %s and run:\n%s', cron_db,
                                       pg_catalog.quote_ident(kyc.caller()), cron_missing.lines);
END
$fn$;
COMMENT ON FUNCTION kyc.cron_missing(text, text) IS 'internal: the error when pg_cron is not here, with what to run where it is';

-- Registers every job of kyc.job_definition as kyc_<job>: idempotent (each is unscheduled by
-- name, then scheduled), and kyc_ jobs no longer defined are removed; no other job is touched.
-- Concurrent calls (and unschedule_jobs) take one lock and run one after the other.
-- Grant to: kyc_jobs.
CREATE FUNCTION kyc.schedule_jobs() RETURNS TABLE (job text, cron_job text, schedule text, jobid bigint)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    d kyc.job_definition;
BEGIN
    PERFORM kyc.assert_caller('schedule the jobs', 'kyc_jobs');
    IF pg_catalog.to_regnamespace('cron') IS NULL THEN
        PERFORM kyc.cron_missing('schedule', kyc.cron_schedule_lines());
    END IF;
    -- two sessions at once would unschedule each other's rows (pg_cron fails on a row deleted
    -- under it): one at a time, each then sees the other's committed registrations
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc schedule'), 0);
    EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid)) FROM cron.job j'
            ' WHERE j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
            ' AND pg_catalog.substr(j.jobname, 5) OPERATOR(pg_catalog.<>) ALL ($1)'
        USING ARRAY(SELECT x.job FROM kyc.job_definition x);
    FOR d IN SELECT * FROM kyc.job_definition x ORDER BY x.job LOOP
        job := d.job;
        cron_job := 'kyc_' OPERATOR(pg_catalog.||) d.job;
        schedule := d.schedule;
        EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid)) FROM cron.job j WHERE j.jobname OPERATOR(pg_catalog.=) $1'
                ' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
            USING cron_job;
        EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO jobid USING cron_job, d.schedule, d.command;
        RETURN NEXT;
    END LOOP;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.schedule_jobs() FROM PUBLIC;
COMMENT ON FUNCTION kyc.schedule_jobs() IS
    'register the jobs with pg_cron as kyc_<job>, running as the caller (idempotent; only kyc_ jobs are touched); grant to kyc_jobs';

-- Removes the caller's kyc_ jobs from pg_cron and returns how many. Grant to: kyc_jobs.
CREATE FUNCTION kyc.unschedule_jobs() RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
BEGIN
    PERFORM kyc.assert_caller('unschedule the jobs', 'kyc_jobs');
    IF pg_catalog.to_regnamespace('cron') IS NULL THEN
        PERFORM kyc.cron_missing('unschedule',
            (SELECT pg_catalog.string_agg(pg_catalog.format('SELECT cron.unschedule(%L);', 'kyc_' OPERATOR(pg_catalog.||) d.job),
                                          E'\n' ORDER BY d.job) FROM kyc.job_definition d));
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc schedule'), 0);
    EXECUTE 'SELECT pg_catalog.count(cron.unschedule(j.jobid))::integer FROM cron.job j'
            ' WHERE j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'' AND j.username OPERATOR(pg_catalog.=) CURRENT_USER'
        INTO n;
    RETURN n;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.unschedule_jobs() FROM PUBLIC;
COMMENT ON FUNCTION kyc.unschedule_jobs() IS 'remove the caller''s kyc_ jobs from pg_cron; grant to kyc_jobs';
