#!/usr/bin/env bash
# The SLA sweep with 1,000,000 open review tasks of which 100 are due (make bench), against
# selecting those 100 rows in the same run. One client, BENCH_SECONDS per run. The sweep's cost
# is the 100 escalations (row lock, priority update, one evidence row each), not the 1,000,000.
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
db=kyc_bench_sla
fresh_db $db
start=$(date +%s)
psql -XAq -v ON_ERROR_STOP=1 -d $db -f tests/bench/sla_setup.sql >/dev/null
loaded=$(( $(date +%s) - start ))
# the sweep as a kyc_jobs login, as pg_cron runs it; the baseline as the owner (no row-level security)
{
echo "## SLA sweep ($(date -u +%Y-%m-%d), PostgreSQL $(psql -XAt -d $db -c 'SHOW server_version'), 1 client, ${secs}s per run)"
echo
echo "$(psql -XAt -d $db -c "SELECT count(*) FROM kyc.review_task WHERE status = 'open'") open tasks, $(psql -XAt -d $db -c "SELECT count(*) FROM kyc.review_task WHERE sla_due_at <= now()") due (loaded in ${loaded}s)."
echo
s=$(BENCH_ROLE=bench_scheduler pgbench_tps $db 1 sla_sweep.sql); b=$(pgbench_tps $db 1 sla_select.sql)
echo "| run | per second | ms per run |"
echo "|---|---|---|"
echo "| kyc.sla_sweep (100 escalations, rolled back) | $s | $(awk -v t="$s" 'BEGIN { printf "%.2f", 1000 / t }') |"
echo "| selecting the 100 due tasks | $b | $(awk -v t="$b" 'BEGIN { printf "%.2f", 1000 / t }') |"
echo
echo "Sweep cost vs selecting the due rows: $(ratio "$b" "$s")x; per escalated task: $(awk -v t="$s" 'BEGIN { printf "%.3f", 1000 / t / 100 }') ms."
echo
echo "The due-task query's plan:"
echo
echo '```'
psql -XAt -d $db -c "EXPLAIN (COSTS OFF) SELECT id FROM kyc.review_task WHERE tenant_id = 'bench' AND status = ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]) AND escalated_at IS NULL AND sla_due_at <= now() ORDER BY sla_due_at LIMIT 1000"
echo '```'
} | tee "$out/sla.md"
dropdb $db
