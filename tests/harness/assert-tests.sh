#!/usr/bin/env bash
# The regression, isolation and pgTAP suites against an assert-enabled PostgreSQL 15
# (tests/harness/assert-server.sh builds it once from Debian's source package). pg_kyc is built
# and installed into that server from a copy of this tree, so the ordinary build is untouched.
# A failed Assert() ends the backend with "TRAP:" in the server log; any TRAP fails the run.
# `make test-assert` runs it; `make test` runs it too when CI is set.
set -uo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
pg_config=$(tests/harness/assert-server.sh | tail -n 1) || exit 1
bindir=$($pg_config --bindir)
export PATH="$bindir:$PATH"

tmp=$(mktemp -d /tmp/pg_kyc-assert.XXXX)
chmod 755 "$tmp"
tree=$tmp/tree
mkdir "$tree"
tar -c --exclude=.git --exclude='*.o' --exclude='*.bc' --exclude='*.so' --exclude=results \
    --exclude=kyc_verify --exclude='tests/isolation/output' . | tar -x -C "$tree"
make -s -C "$tree" PG_CONFIG="$pg_config" install >"$tmp/build.log" 2>&1 \
  || { tail -n 40 "$tmp/build.log"; exit 1; }

# a cluster of our own, owned by the unprivileged postgres user (initdb refuses root)
data=$tmp/data
sock=$tmp/sock
mkdir -p "$sock"
chown postgres "$tmp" "$sock"
port=$((7440 + RANDOM % 1000))
run_pg() { su postgres -s /bin/bash -c "PATH='$bindir':\$PATH $*"; }
run_pg "initdb -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 -D '$data'" >/dev/null || exit 1
cat >> "$data/postgresql.conf" <<EOF
port = $port
listen_addresses = ''
unix_socket_directories = '$sock'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'kyc'
cron.use_background_workers = on
max_worker_processes = 16
max_connections = 120
logging_collector = off
EOF
run_pg "pg_ctl -D '$data' -l '$tmp/server.log' -w start" >/dev/null || { cat "$tmp/server.log"; exit 1; }
stop() { run_pg "pg_ctl -D '$data' -m fast -w stop" >/dev/null 2>&1; }
trap stop EXIT
export PGHOST=$sock PGPORT=$port PGUSER=postgres PGDATABASE=kyc
createdb kyc

echo "server: $(psql -XAtc 'SHOW server_version'), debug_assertions=$(psql -XAtc 'SHOW debug_assertions')"
passed=0
failed=0
record() { if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "failed: $1"; fi; }

echo "== pg_regress and isolation on the assert-enabled server"
(cd "$tree" && make -s PG_CONFIG="$pg_config" installcheck)
rc=$?
[ $rc -ne 0 ] && for f in "$tree/regression.diffs" "$tree/tests/isolation/output/regression.diffs"; do
  [ -s "$f" ] && { echo "---- $f"; cat "$f"; }
done
record installcheck $rc

echo "== pgTAP on the assert-enabled server"
createdb kyc_tap && psql -X -q -d kyc_tap -c 'CREATE EXTENSION pgtap; CREATE EXTENSION pg_kyc;' >/dev/null
(cd "$tree" && pg_prove -d kyc_tap tests/pgtap/*.sql)
record pgtap $?

traps=$(grep -c 'TRAP:' "$tmp/server.log")
if [ "$traps" -ne 0 ]; then
  echo "---- assertion failures in the server log"
  grep -B2 -A10 'TRAP:' "$tmp/server.log" | head -n 80
fi
record "no TRAP in the server log ($traps)" "$traps"

stop
trap - EXIT
[ $failed -eq 0 ] && rm -rf "$tmp"
echo "assert suites took $(( $(date +%s) - started )) s"
echo "assert-suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
