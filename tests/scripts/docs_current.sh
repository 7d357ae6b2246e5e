#!/usr/bin/env bash
# The generated docs match what the code produces now: the state diagram (DOT file and the Mermaid
# block in docs/state-machine.md), the reason catalog, the role matrix and the walk-through output. `make docs` regenerates them.
set -uo pipefail
cd "$(dirname "$0")/../.."
fail=0
db=kyc_docs_check
dropdb --if-exists $db >/dev/null 2>&1
createdb $db && psql -X -q -d $db -c 'CREATE EXTENSION pg_kyc' || exit 1

if ! diff -u docs/state-machine.dot <(psql -XAt -d $db -c "SELECT kyc.state_diagram('dot')"); then
  echo "docs/state-machine.dot is stale: run make docs"; fail=1
fi
block=$(perl -0ne 'print $1 if /<!-- generated: kyc\.state_diagram\(.mermaid.\) -->\n```mermaid\n(.*?)\n```/s' docs/state-machine.md)
if [ "$block" != "$(psql -XAt -d $db -c "SELECT kyc.state_diagram('mermaid')")" ]; then
  echo "the Mermaid block of docs/state-machine.md is stale: run make docs"; fail=1
fi
if ! diff -u docs/reasons.md <(psql -X -q -d $db -f tests/harness/reasons-doc.sql); then
  echo "docs/reasons.md is stale: run make docs"; fail=1
fi
if ! diff -u docs/role-matrix.md <(psql -X -q -d $db -f tests/harness/role-matrix-doc.sql); then
  echo "docs/role-matrix.md is stale: run make docs"; fail=1
fi
dropdb $db

createdb kyc_walkthrough_check
if ! diff -u docs/walkthrough.out <(PGDATABASE=kyc_walkthrough_check psql -X -f tests/demo/walkthrough.sql 2>&1); then
  echo "docs/walkthrough.out differs from what the walk-through prints: run make docs"; fail=1
fi
dropdb kyc_walkthrough_check
[ $fail -eq 0 ] && echo "docs are current"
exit $fail
