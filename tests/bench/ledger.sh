#!/usr/bin/env bash
# Ledger benchmarks (make bench), inside a throwaway cluster: the C chain append against a plain
# INSERT of the same row and against a straightforward PL/pgSQL chain; verify_ledger rows/s against
# a bare ordered scan and a PL/pgSQL verifier. All in one run, same clients, same machine.
# BENCH_SECONDS (default 10) sets the length of each pgbench run.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
db=kyc_bench
apps=1000
fresh_db $db
psql -XAq -v ON_ERROR_STOP=1 -v apps=$apps -d $db -f tests/bench/ledger_setup.sql >/dev/null

tps() { pgbench_tps $db "$2" "$1" -D apps=$apps; }		# tps SCRIPT CLIENTS

{
echo "## Ledger append and verification ($(date -u +%Y-%m-%d), PostgreSQL $(psql -XAt -d $db -c 'SHOW server_version'), $(nproc) cores, ${secs}s per run)"
echo
echo "| clients | plain INSERT tx/s | C chain append tx/s | PL/pgSQL text chain tx/s | PL/pgSQL same-layout chain tx/s | C cost vs plain | C vs PL/pgSQL text | C vs PL/pgSQL same layout |"
echo "|---|---|---|---|---|---|---|---|"
for c in 1 2; do
  p=$(tps append_plain.sql $c); k=$(tps append_c.sql $c); l=$(tps append_plpgsql.sql $c); m=$(tps append_plpgsql_layout.sql $c)
  echo "| $c | $p | $k | $l | $m | $(ratio "$p" "$k")x | $(ratio "$k" "$l")x | $(ratio "$k" "$m")x |"
done
echo
echo "The same with 20 appends per statement (one chain per statement), which isolates the cost of an"
echo "append from the per-statement and per-commit costs every variant shares:"
echo
echo "| clients | plain INSERT rows/s | C chain appends/s | PL/pgSQL text chain appends/s | PL/pgSQL same-layout appends/s | C cost vs plain | C vs PL/pgSQL text | C vs PL/pgSQL same layout |"
echo "|---|---|---|---|---|---|---|---|"
x20() { awk -v t="$1" 'BEGIN { printf "%.0f", t * 20 }'; }
for c in 1 2; do
  p=$(x20 "$(tps append_plain_batch.sql $c)"); k=$(x20 "$(tps append_c_batch.sql $c)")
  l=$(x20 "$(tps append_plpgsql_batch.sql $c)"); m=$(x20 "$(tps append_plpgsql_layout_batch.sql $c)")
  echo "| $c | $p | $k | $l | $m | $(ratio "$p" "$k")x | $(ratio "$k" "$l")x | $(ratio "$k" "$m")x |"
done
echo
rows=$(psql -XAt -d $db -c "SELECT count(*) FROM kyc.evidence")
scan=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT count(*) FROM (SELECT * FROM kyc.evidence ORDER BY application_id, seq) x')")
cver=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT count(*) FROM kyc.verify_ledger() WHERE severity = ''error''')")
pver=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT bench.plpgsql_verify()')")
rps() { awk -v r="$rows" -v ms="$1" 'BEGIN { printf "%.0f", r / (ms / 1000) }'; }
echo "| verification of $rows rows | ms | rows/s |"
echo "|---|---|---|"
echo "| bare ordered scan (SELECT * ORDER BY application_id, seq) | $scan | $(rps "$scan") |"
echo "| kyc.verify_ledger() (C) | $cver | $(rps "$cver") |"
echo "| PL/pgSQL verifier, same byte layout | $pver | $(rps "$pver") |"
echo
echo "Rows written by the same-layout PL/pgSQL chain that kyc.verify_ledger() rejects: $(psql -XAt -d $db -c "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
echo
echo "C verifier vs PL/pgSQL verifier: $(ratio "$pver" "$cver")x faster; C verifier vs bare scan: $(ratio "$cver" "$scan")x the time."
} | tee "$out/ledger.md"
dropdb $db
