#!/usr/bin/env bash
# The cost of row-level security and of the data classes (make bench): reading one application's
# evidence chain, kyc.evaluate, and the views that substitute neutral values for what the caller
# may not read (kyc.state_history, kyc.application_status), by a kyc_app login subject to
# row-level security, against the same calls by a kyc_app login with BYPASSRLS, in one run. One
# client, BENCH_SECONDS per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
db=kyc_bench_rls
apps=200
fresh_db $db
psql -XAq -v ON_ERROR_STOP=1 -v apps=$apps -d $db -f tests/bench/evaluate_setup.sql >/dev/null
psql -XAq -v ON_ERROR_STOP=1 -d $db >/dev/null <<'SQL'
DROP ROLE IF EXISTS bench_rls;
DROP ROLE IF EXISTS bench_bypass;
CREATE ROLE bench_rls IN ROLE kyc_app;
CREATE ROLE bench_bypass BYPASSRLS IN ROLE kyc_app;
SELECT kyc.grant_tenant('bench', 'bench_rls'), kyc.grant_tenant('bench', 'bench_bypass');
GRANT USAGE ON SCHEMA bench_eval TO bench_rls, bench_bypass;
GRANT SELECT ON bench_eval.apps TO bench_rls, bench_bypass;
SQL

tps() { BENCH_ROLE=$1 pgbench_tps $db 1 "$2" -D apps=$apps -D signals="$3"; }	# tps ROLE SCRIPT SIGNALS
rows() {			# rows ROLE: evidence rows of a 50-signal application the role reads
  PGOPTIONS="-c kyc.tenant=bench -c role=$1" psql -XAt -d $db -c \
    "SELECT count(*) FROM kyc.evidence WHERE application_id = (SELECT id FROM bench_eval.apps WHERE signals = 50 AND n = 1)"
}
{
echo "## Row-level security ($(date -u +%Y-%m-%d), PostgreSQL $(psql -XAt -d $db -c 'SHOW server_version'), 1 client, ${secs}s per run)"
echo
echo "| call | live signals | subject to RLS /s | BYPASSRLS /s | cost of RLS |"
echo "|---|---|---|---|---|"
for k in 10 50; do
  r=$(tps bench_rls rls_evidence.sql $k); b=$(tps bench_bypass rls_evidence.sql $k)
  echo "| read one application's evidence | $k | $r | $b | $(ratio "$b" "$r")x |"
done
for k in 10 50; do
  r=$(tps bench_rls evaluate.sql $k); b=$(tps bench_bypass evaluate.sql $k)
  echo "| kyc.evaluate | $k | $r | $b | $(ratio "$b" "$r")x |"
done
# the views that put neutral values in place of what the caller may not read (owner's rights:
# the caller's BYPASSRLS changes nothing there, the masking is paid by both)
for k in 10 50; do
  r=$(tps bench_rls rls_history.sql $k); b=$(tps bench_bypass rls_history.sql $k)
  echo "| read one application's kyc.state_history | $k | $r | $b | $(ratio "$b" "$r")x |"
done
r=$(tps bench_rls rls_status.sql 10); b=$(tps bench_bypass rls_status.sql 10)
echo "| read one application's kyc.application_status | - | $r | $b | $(ratio "$b" "$r")x |"

echo
echo "Evidence rows of a 50-signal application read: $(rows bench_rls) subject to RLS (kyc_app may not read fraud-sensitive or SAR-restricted rows), $(rows bench_bypass) with BYPASSRLS."
} | tee "$out/rls.md"
dropdb $db
psql -XAq -c 'DROP ROLE bench_rls; DROP ROLE bench_bypass' >/dev/null
