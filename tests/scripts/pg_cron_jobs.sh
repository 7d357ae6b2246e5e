#!/usr/bin/env bash
# pg_cron really runs the jobs: in the database pg_cron lives in (cron.database_name = kyc in the
# test cluster), a login in kyc_jobs schedules them with kyc.schedule_jobs(); one schedule is
# shortened to every minute (pg_cron 1.4, Debian 12's, counts in minutes) and the test waits
# until pg_cron has run it. Then scheduling again
# changes nothing (idempotent), kyc.unschedule_jobs() removes only kyc_ jobs, and another user's
# job survives.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=${PGDATABASE:-kyc}
. tests/harness/check.sh
su() { psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -c "$1"; }
as_jobs() { psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -c "SET ROLE cron_test_jobs; $1"; }

[ "$(su "SHOW cron.database_name")" = "$db" ] || { echo "not ok - cron.database_name is not $db"; exit 1; }
su "CREATE EXTENSION IF NOT EXISTS pg_cron" >/dev/null
su "DROP EXTENSION IF EXISTS pg_kyc CASCADE; CREATE EXTENSION pg_kyc" >/dev/null 2>&1 || { echo "not ok - install pg_kyc"; exit 1; }
su "DO \$\$ BEGIN CREATE ROLE cron_test_jobs LOGIN IN ROLE kyc_jobs; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
    DO \$\$ BEGIN CREATE ROLE cron_test_other LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
    GRANT USAGE ON SCHEMA cron TO cron_test_jobs, cron_test_other;
    SELECT kyc.grant_tenant('cron_bank', 'cron_test_jobs')" >/dev/null

# somebody else's job, which the kyc functions must leave alone
psql -XAtq -d "$db" -c "SET ROLE cron_test_other; SELECT cron.schedule('other_nightly', '0 4 * * *', 'SELECT 1')" >/dev/null

check "schedule_jobs registers every job" 7 "$(as_jobs "SELECT count(*) FROM kyc.schedule_jobs()")"
check "scheduling again is idempotent" 7 "$(as_jobs "SELECT count(*) FROM kyc.schedule_jobs()")"
check "the jobs run as the login that scheduled them" "7 cron_test_jobs" \
  "$(su "SELECT count(*) || ' ' || min(username) FROM cron.job WHERE jobname LIKE 'kyc\_%'")"

# shorten one schedule and wait for pg_cron to run it (at most 90 s)
su "SELECT cron.alter_job(jobid, schedule => '* * * * *') FROM cron.job WHERE jobname = 'kyc_sla_sweep'" >/dev/null
ran=0
for _ in $(seq 1 90); do
  ran=$(su "SELECT count(*) FROM kyc.job_run WHERE job = 'sla_sweep' AND run_by = 'cron_test_jobs' AND status = 'succeeded'")
  [ "$ran" -gt 0 ] && break
  sleep 1
done
check "pg_cron ran kyc_sla_sweep, recorded in kyc.job_run" 1 "$([ "$ran" -gt 0 ] && echo 1 || echo 0)"
check "pg_cron recorded the run as succeeded" 1 \
  "$(su "SELECT (count(*) > 0)::int FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'kyc_sla_sweep' AND d.status = 'succeeded'")"
check "job_health shows the success" t "$(su "SELECT last_success_at IS NOT NULL FROM kyc.job_health WHERE job = 'sla_sweep'")"

check "unschedule_jobs removes the seven kyc_ jobs" 7 "$(as_jobs "SELECT kyc.unschedule_jobs()")"
check "no kyc_ job is left" 0 "$(su "SELECT count(*) FROM cron.job WHERE jobname LIKE 'kyc\_%'")"
check "another user's job is untouched" 1 "$(su "SELECT count(*) FROM cron.job WHERE jobname = 'other_nightly'")"
check "a role outside kyc_jobs may not schedule (SQLSTATE)" "ERROR:  42501" \
  "$(psql -XAtq -d "$db" -v VERBOSITY=sqlstate -c "SET ROLE cron_test_other; SELECT kyc.schedule_jobs()" 2>&1)"
psql -XAtq -d "$db" -c "SET ROLE cron_test_other; SELECT cron.unschedule('other_nightly')" >/dev/null
su "DROP EXTENSION pg_kyc CASCADE" >/dev/null 2>&1
exit $fail
