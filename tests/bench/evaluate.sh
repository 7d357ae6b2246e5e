#!/usr/bin/env bash
# kyc.evaluate() per application with 10 and with 50 live signals (make bench), against two
# baselines in the same run: reading the inputs a decision needs (kyc.decision_inputs), and the C
# decision core alone on those inputs (kyc.decide). One client, BENCH_SECONDS per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
db=kyc_bench_eval
apps=200
fresh_db $db
psql -XAq -v ON_ERROR_STOP=1 -v apps=$apps -d $db -f tests/bench/evaluate_setup.sql >/dev/null

tps() { pgbench_tps $db 1 "$1" -D apps=$apps -D signals="$2"; }	# tps SCRIPT SIGNALS
{
echo "## kyc.evaluate ($(date -u +%Y-%m-%d), PostgreSQL $(psql -XAt -d $db -c 'SHOW server_version'), 1 client, ${secs}s per run)"
echo
echo "| live signals per application | evaluate/s | reading the inputs/s | kyc.decide alone/s | evaluate cost vs reading the inputs | decide share of evaluate |"
echo "|---|---|---|---|---|---|"
for k in 10 50; do
  e=$(tps evaluate.sql $k); i=$(tps evaluate_inputs.sql $k); d=$(tps evaluate_decide.sql $k)
  share=$(awk -v e="$e" -v d="$d" 'BEGIN { printf "%.0f%%", 100 * e / d }')
  echo "| $k | $e | $i | $d | $(ratio "$i" "$e")x | $share |"
done
echo
echo "Decisions that replay to the same result: $(psql -XAt -d $db -c "SET kyc.tenant = 'bench'; SELECT count(*) FILTER (WHERE (kyc.replay(id)).matches) || ' of ' || count(*) FROM kyc.decision" | tail -1)"
} | tee "$out/evaluate.md"
dropdb $db
