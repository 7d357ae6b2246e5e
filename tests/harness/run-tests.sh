#!/usr/bin/env bash
# Every test, inside the throwaway cluster that tests/harness/in-cluster.sh started:
# pg_regress (sql/ + expected/), isolation specs, pgTAP suites (tests/pgtap/) through pg_prove,
# and the script tests (tests/scripts/*.sh). Exits non-zero on any failure and prints the diffs.
set -uo pipefail
cd "$(dirname "$0")/../.."

version=$(psql -XAtc 'SHOW server_version')
version_num=$(psql -XAtc 'SHOW server_version_num')
echo "server: PostgreSQL $version"
if [ "$version_num" -lt 150014 ]; then
  echo "refusing to test on PostgreSQL $version: pg_kyc needs 15.14 or newer (row-level security fixes, docs/security.md)" >&2
  exit 1
fi

passed=0
failed=0
failures=()
record() {					# record NAME STATUS
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

echo "== pg_regress and isolation (make installcheck)"
make -s installcheck
rc=$?
if [ $rc -ne 0 ]; then
  for f in regression.diffs tests/isolation/output/regression.diffs; do
    [ -s "$f" ] && { echo "---- $f"; cat "$f"; }
  done
fi
record installcheck $rc

echo "== pgTAP (pg_prove)"
dropdb --if-exists kyc_tap >/dev/null 2>&1
createdb kyc_tap && psql -X -q -d kyc_tap -c 'CREATE EXTENSION pgtap; CREATE EXTENSION pg_kyc;' >/dev/null
pg_prove -d kyc_tap tests/pgtap/*.sql
record pgtap $?

echo "== script tests"
for t in tests/scripts/*.sh; do
  [ -e "$t" ] || continue
  echo "-- $t"
  bash "$t"
  record "$t" $?
done

echo
if [ $failed -ne 0 ]; then
  echo "failed: ${failures[*]}"
fi
echo "suites: $passed passed, $failed failed"
[ $failed -eq 0 ]
