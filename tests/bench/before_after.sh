#!/usr/bin/env bash
# The CPU cost of this tree against an older one, side by side in one cluster and one time window,
# for a machine too busy for throughput figures (make bench's runners measure transactions per
# second, which other processes on a shared machine move by a third and more). BASE is a built
# checkout of the older commit (its pg_kyc.so and extension/pg_kyc--<version>.sql); it is installed
# as extension pg_kyc_base (copies under the server's lib and extension directories, so run it in
# a private installation, e.g. the chroot of docs/testing.md), next to this tree's installed
# pg_kyc, each in its own database. Then, alternating which goes first, each database runs the
# same fixed workloads as a kyc_app login subject to row-level security (and one with BYPASSRLS),
# and the backend's own CPU time (/proc/PID/schedstat, which other processes do not inflate as
# they do wall time) is divided by the calls:
#   kyc.evaluate of each 10-signal and 50-signal application (2 passes / 1 pass of 200);
#   the evidence read of tests/bench/rls_evidence.sql, 20 passes over the 50-signal applications.
# Usage, inside the cluster: BASE=/path/to/old/tree tests/bench/before_after.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BASE:?BASE must name a built checkout of the commit to compare against}"
rounds=${1:-6}
apps=200
pgc=${PG_CONFIG:-$(ls /usr/lib/postgresql/15/bin/pg_config 2>/dev/null || echo pg_config)}
libdir=$($pgc --pkglibdir); extdir=$($pgc --sharedir)/extension
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$BASE/extension/pg_kyc.control")
cp "$BASE/pg_kyc.so" "$libdir/pg_kyc_base.so"
sed "s|\$libdir/pg_kyc'|\$libdir/pg_kyc_base'|" "$BASE/extension/pg_kyc.control" > "$extdir/pg_kyc_base.control"
cp "$BASE/extension/pg_kyc--$version.sql" "$extdir/pg_kyc_base--$version.sql"

for db in kyc_new kyc_old; do dropdb --if-exists $db >/dev/null 2>&1; createdb $db; done
psql -XAq -d kyc_old -c 'CREATE EXTENSION pg_kyc_base' >/dev/null
psql -XAq -d kyc_new -c 'CREATE EXTENSION pg_kyc' >/dev/null
for db in kyc_new kyc_old; do
  sed 's/^CREATE EXTENSION IF NOT EXISTS pg_kyc;//' tests/bench/evaluate_setup.sql |
    psql -XAq -v ON_ERROR_STOP=1 -v apps=$apps -d $db >/dev/null
done
psql -XAq -d kyc_new >/dev/null <<'SQL'
DROP ROLE IF EXISTS bench_rls; DROP ROLE IF EXISTS bench_bypass;
CREATE ROLE bench_rls IN ROLE kyc_app;
CREATE ROLE bench_bypass BYPASSRLS IN ROLE kyc_app;
SQL
for db in kyc_new kyc_old; do
  psql -XAq -d $db >/dev/null <<'SQL'
SELECT kyc.grant_tenant('bench', 'bench_rls'), kyc.grant_tenant('bench', 'bench_bypass');
GRANT USAGE ON SCHEMA bench_eval TO bench_rls, bench_bypass;
GRANT SELECT ON bench_eval.apps TO bench_rls, bench_bypass;
SQL
done

# cpu DB ROLE PASSES SIGNALS BODY: backend CPU ns per call of BODY (run once per application row r)
cpu() {
  psql -XAqt -d "$1" -v ON_ERROR_STOP=1 <<SQL
SET kyc.tenant = 'bench';
SET ROLE $2;
DO \$\$ DECLARE r record; BEGIN FOR r IN SELECT id FROM bench_eval.apps WHERE signals = $4 LIMIT 20 LOOP $5; END LOOP; END \$\$;
RESET ROLE;
SELECT split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::bigint AS t0 \gset
SET ROLE $2;
DO \$\$ DECLARE r record; BEGIN FOR i IN 1..$3 LOOP FOR r IN SELECT id FROM bench_eval.apps WHERE signals = $4 LOOP $5; END LOOP; END LOOP; END \$\$;
RESET ROLE;
SELECT (split_part(pg_read_file('/proc/' || pg_backend_pid() || '/schedstat'), ' ', 1)::bigint - :t0) / ($3 * $apps);
SQL
}
read_sql='PERFORM count(*), max(e.seq), max(e.row_hash::text) FROM kyc.evidence e WHERE e.application_id = r.id'
echo "| round | tree | kyc.evaluate, 10 signals (µs CPU) | kyc.evaluate, 50 signals | evidence read, RLS | evidence read, BYPASSRLS | load |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="kyc_new kyc_old"; else order="kyc_old kyc_new"; fi
  for db in $order; do
    e10=$(cpu $db bench_rls 2 10 'PERFORM kyc.evaluate(r.id)')
    e50=$(cpu $db bench_rls 1 50 'PERFORM kyc.evaluate(r.id)')
    rr=$(cpu $db bench_rls 20 50 "$read_sql")
    rb=$(cpu $db bench_bypass 20 50 "$read_sql")
    echo "| $round | ${db#kyc_} | $((e10 / 1000)) | $((e50 / 1000)) | $(awk -v x="$rr" 'BEGIN {printf "%.1f", x / 1000}') | $(awk -v x="$rb" 'BEGIN {printf "%.1f", x / 1000}') | $(cut -d' ' -f1 /proc/loadavg) |"
  done
done
for db in kyc_new kyc_old; do dropdb $db; done
psql -XAq -c 'DROP ROLE bench_rls; DROP ROLE bench_bypass' >/dev/null
rm -f "$libdir/pg_kyc_base.so" "$extdir/pg_kyc_base.control" "$extdir/pg_kyc_base--$version.sql"
