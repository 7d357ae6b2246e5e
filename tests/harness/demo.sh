#!/usr/bin/env bash
# The walk-through `make demo` runs inside a throwaway cluster (see tests/harness/in-cluster.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "PostgreSQL $(psql -XAtc 'SHOW server_version'), pg_cron preloaded: $(psql -XAtc 'SHOW shared_preload_libraries')"
psql -X -f tests/demo/walkthrough.sql
