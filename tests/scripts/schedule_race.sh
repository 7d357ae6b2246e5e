#!/usr/bin/env bash
# kyc.schedule_jobs() in two sessions at once: an isolation spec (tests/isolation_cron/) that
# needs pg_cron, so it runs here, in the database pg_cron lives in (cron.database_name = kyc in
# the test cluster), not in make installcheck's own database.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=${PGDATABASE:-kyc}
. tests/harness/check.sh
su() { psql -XAtq -d "$db" -v ON_ERROR_STOP=1 -c "$1"; }
pgxs=$(dirname "$(/usr/lib/postgresql/15/bin/pg_config --pgxs)")/..
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

su "CREATE EXTENSION IF NOT EXISTS pg_cron" >/dev/null
su "DROP EXTENSION IF EXISTS pg_kyc CASCADE; CREATE EXTENSION pg_kyc" >/dev/null 2>&1 || { echo "not ok - install pg_kyc"; exit 1; }
su "DO \$\$ BEGIN CREATE ROLE sched_race_jobs LOGIN IN ROLE kyc_jobs; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;
    GRANT USAGE ON SCHEMA cron TO sched_race_jobs" >/dev/null
"$pgxs/test/isolation/pg_isolation_regress" --use-existing --dbname="$db" --inputdir=tests/isolation_cron \
    --outputdir="$out" schedule_race > "$out/run.log" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$out/run.log"; [ -f "$out/regression.diffs" ] && cat "$out/regression.diffs"; }
check "two sessions schedule the jobs at once, and both succeed (tests/isolation_cron/specs/schedule_race.spec)" 0 $rc
su "DROP EXTENSION pg_kyc CASCADE" >/dev/null 2>&1
exit $fail
