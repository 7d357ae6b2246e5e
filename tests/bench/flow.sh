#!/usr/bin/env bash
# End-to-end onboarding throughput (make bench): the whole happy path through the API (open,
# consent, 8 signals, evaluate, fund, activate: 13 calls, 45 rows, 24 of them evidence) in flows/s,
# against the floor: the same 45 rows in the same 13 statements as plain INSERTs into tables
# without triggers, hashing or row-level security, with the same number of clients. 1, 2 and 4
# clients on different applications; then 1 and 4 clients on one application (serialised).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
db=kyc_bench_flow
fresh_db $db
psql -XAq -v ON_ERROR_STOP=1 -d $db -f tests/bench/flow_setup.sql >/dev/null
tps() { BENCH_ROLE=bench_app pgbench_tps $db "$@"; }		# tps CLIENTS SCRIPT [pgbench options]
{
echo "## Onboarding flow end to end ($(date -u +%Y-%m-%d), PostgreSQL $(psql -XAt -d $db -c 'SHOW server_version'), $(nproc) cores, ${secs}s per run)"
echo
echo "| clients | API flows/s | floor flows/s | API share of the floor | API scaling vs 1 client | floor scaling vs 1 client |"
echo "|---|---|---|---|---|---|"
for c in 1 2 4; do
  a=$(tps $c flow_api.sql); f=$(tps $c flow_floor.sql)
  [ $c -eq 1 ] && { a1=$a; f1=$f; }
  echo "| $c | $a | $f | $(awk -v a="$a" -v f="$f" 'BEGIN { printf "%.0f%%", 100 * a / f }') | $(ratio "$a" "$a1")x | $(ratio "$f" "$f1")x |"
done
echo
h1=$(tps 1 flow_hot.sql -D hot=hot1); h4=$(tps 4 flow_hot.sql -D hot=hot4)
echo "One application (a fresh one per run), a signal and an evaluation per transaction: $h1 tx/s with 1 client, $h4 tx/s with 4 clients."
q() { psql -XAt -d $db -c "SET kyc.tenant = 'bench'; $1" | tail -n 1; }
for h in hot1 hot4; do
  echo "Chain of $h afterwards: $(q "SELECT count(*) || ' rows, seq ' || min(seq) || '..' || max(seq) || ', gapless: ' || (count(*) = max(seq)) FROM kyc.evidence WHERE application_id = kyc.application_id('$h')"), verification errors: $(q "SELECT count(*) FROM kyc.verify_chain(kyc.application_id('$h')) WHERE severity = 'error'")."
done
echo "Applications activated by the API runs: $(q "SELECT count(*) FROM kyc.application WHERE state = 'active'"); verification errors over the whole ledger: $(q "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")."
} | tee "$out/flow.md"
dropdb $db
