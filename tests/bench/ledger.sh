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
declare -A t1 t20
for c in 1 2; do
  p=$(tps append_plain.sql $c); k=$(tps append_c.sql $c); l=$(tps append_plpgsql.sql $c); m=$(tps append_plpgsql_layout.sql $c)
  t1[p$c]=$p; t1[k$c]=$k; t1[l$c]=$l; t1[m$c]=$m
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
  p=$(tps append_plain_batch.sql $c); k=$(tps append_c_batch.sql $c)
  l=$(tps append_plpgsql_batch.sql $c); m=$(tps append_plpgsql_layout_batch.sql $c)
  t20[p$c]=$p; t20[k$c]=$k; t20[l$c]=$l; t20[m$c]=$m
  echo "| $c | $(x20 "$p") | $(x20 "$k") | $(x20 "$l") | $(x20 "$m") | $(ratio "$p" "$k")x | $(ratio "$k" "$l")x | $(ratio "$k" "$m")x |"
done
echo
echo "The cost of one more append (µs of one client's transaction time, the difference between a"
echo "transaction with 20 appends and one with 1, divided by 19; per-statement and commit costs cancel out):"
echo
echo "| clients | plain INSERT µs | C chain µs | PL/pgSQL text µs | PL/pgSQL same-layout µs | C cost vs plain | PL/pgSQL text vs C | PL/pgSQL same layout vs C |"
echo "|---|---|---|---|---|---|---|---|"
# marginal TPS1 TPS20 CLIENTS: µs per extra append, per client
marginal() { awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { printf "%.2f", (c / b - c / a) / 19 * 1e6 }'; }
for c in 1 2; do
  mp=$(marginal "${t1[p$c]}" "${t20[p$c]}" $c); mk=$(marginal "${t1[k$c]}" "${t20[k$c]}" $c)
  ml=$(marginal "${t1[l$c]}" "${t20[l$c]}" $c); mm=$(marginal "${t1[m$c]}" "${t20[m$c]}" $c)
  echo "| $c | $mp | $mk | $ml | $mm | $(ratio "$mk" "$mp")x | $(ratio "$ml" "$mk")x | $(ratio "$mm" "$mk")x |"
done
echo
rows=$(psql -XAt -d $db -c "SELECT count(*) FROM kyc.evidence")
# bare scans in one backend, as verify_ledger runs: no parallel workers
psql -XAq -d $db -c "ALTER DATABASE $db SET max_parallel_workers_per_gather = 0"
seqscan=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT count(actor_principal) FROM kyc.evidence')")
scan=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT count(*) FROM (SELECT * FROM kyc.evidence ORDER BY application_id, seq) x')")
cver=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT count(*) FROM kyc.verify_ledger() WHERE severity = ''error''')")
pver=$(psql -XAt -d $db -c "SELECT bench.ms('SELECT bench.plpgsql_verify()')")
rps() { awk -v r="$rows" -v ms="$1" 'BEGIN { printf "%.0f", r / (ms / 1000) }'; }
echo "| verification of $rows rows | ms | rows/s |"
echo "|---|---|---|"
echo "| bare sequential scan (SELECT count(actor_principal): every column deformed) | $seqscan | $(rps "$seqscan") |"
echo "| bare ordered scan (SELECT * ORDER BY application_id, seq) | $scan | $(rps "$scan") |"
echo "| kyc.verify_ledger() (C) | $cver | $(rps "$cver") |"
echo "| PL/pgSQL verifier, same byte layout | $pver | $(rps "$pver") |"
echo
echo "Rows written by the same-layout PL/pgSQL chain that kyc.verify_ledger() rejects: $(psql -XAt -d $db -c "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
echo
echo "C verifier vs PL/pgSQL verifier: $(ratio "$pver" "$cver")x faster; C verifier vs bare sequential scan: $(ratio "$cver" "$seqscan")x the time; vs bare ordered scan: $(ratio "$cver" "$scan")x."
} | tee "$out/ledger.md"
dropdb $db
