# Shared by the benchmark runners (sourced, not run): pgbench, a fresh database, ratios.
secs=${BENCH_SECONDS:-10}
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
out=tests/bench/results
mkdir -p "$out"

fresh_db() {			# fresh_db NAME
  dropdb --if-exists "$1" >/dev/null 2>&1
  createdb "$1"
}

# pgbench_tps DB CLIENTS SCRIPT [pgbench options...]: transactions per second, in tenant "bench";
# with BENCH_ROLE set, as that role (the connection's role setting, like SET ROLE).
pgbench_tps() {
  local db=$1 clients=$2 script=$3
  shift 3
  PGOPTIONS="-c kyc.tenant=bench${BENCH_ROLE:+ -c role=$BENCH_ROLE}" $PGBENCH -n -M prepared -c "$clients" -j "$clients" -T "$secs" "$@" \
    -f "tests/bench/$script" "$db" 2>&1 | awk '/^tps/ {printf "%.0f", $3; exit}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
