#!/usr/bin/env bash
# Regenerates the generated parts of docs/ from a live cluster (run by `make docs`):
#   docs/state-machine.dot, docs/state-machine.svg   the diagram, from kyc.state_transition
#   docs/state-machine.md                            its Mermaid block, between the markers
#   docs/walkthrough.out                             what `make demo` prints
#   docs/reasons.md                                  the reason catalog
#   docs/role-matrix.md                              the privileges of every role
# tests/scripts/docs_current.sh fails when any of them is stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v dot >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; }

createdb kyc_docs
psql -X -q -d kyc_docs -c 'CREATE EXTENSION pg_kyc'
psql -XAt -d kyc_docs -c "SELECT kyc.state_diagram('dot')" > docs/state-machine.dot
dot -Tsvg docs/state-machine.dot > docs/state-machine.svg
mermaid=$(psql -XAt -d kyc_docs -c "SELECT kyc.state_diagram('mermaid')")
MERMAID="$mermaid" perl -0pi -e \
  's/(<!-- generated: kyc\.state_diagram\(.mermaid.\) -->\n```mermaid\n).*?(^```$)/$1$ENV{MERMAID}\n$2/sm' \
  docs/state-machine.md
psql -X -q -d kyc_docs -f tests/harness/reasons-doc.sql > docs/reasons.md
psql -X -q -d kyc_docs -f tests/harness/role-matrix-doc.sql > docs/role-matrix.md
dropdb kyc_docs

createdb kyc_walkthrough
PGDATABASE=kyc_walkthrough psql -X -f tests/demo/walkthrough.sql > docs/walkthrough.out 2>&1
dropdb kyc_walkthrough
echo "docs regenerated: state-machine.dot, state-machine.svg, state-machine.md, reasons.md, role-matrix.md, walkthrough.out"
