#!/usr/bin/env bash
# Runs one command inside a throwaway PostgreSQL 15 cluster (Debian's pg_virtualenv) with pg_cron
# preloaded; the cluster is removed when the command ends. PGHOST/PGPORT/PGUSER are set for it, and
# PGDATABASE=kyc, the database pg_cron runs in.
set -euo pipefail
# -t keeps each cluster's configuration in its own temporary directory, and a free port of our own
# lets several throwaway clusters (a test run and a benchmark, say) live side by side.
port=${PGPORT_FOR_TESTS:-}
while [ -z "$port" ] || [ -e "/var/run/postgresql/.s.PGSQL.$port" ] || [ -e "/tmp/.s.PGSQL.$port" ]; do
  port=$((5440 + RANDOM % 2000))
done
export PGPORT=$port
exec pg_virtualenv -t -v 15 \
  -i '--encoding=UTF8 --locale=C.UTF-8' \
  -o 'shared_preload_libraries=pg_cron' \
  -o 'cron.database_name=kyc' \
  -o 'cron.use_background_workers=on' \
  -o 'max_worker_processes=16' \
  -o 'max_connections=120' \
  bash -c 'createdb kyc && PGDATABASE=kyc exec "$@"' in-cluster "$@"
