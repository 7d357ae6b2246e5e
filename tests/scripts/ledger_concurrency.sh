#!/usr/bin/env bash
# Many sessions appending to one application, and to many applications at once, while a sealer
# runs in a loop: no fork, gapless seq, every seal consistent, verification clean.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=kyc_concurrency
clients=8
per_client=150
apps=40
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
. tests/harness/check.sh
q() { psql -XAtq -d $db -c "SET kyc.tenant = 'conc'; $1" | tail -n 1; }

dropdb --if-exists $db >/dev/null 2>&1
createdb $db && psql -XAq -d $db -c 'CREATE EXTENSION pg_kyc' || exit 1
q "SELECT kyc.open_application('hot', 'individual', 'digital_checking', 'US')" >/dev/null
q "SELECT count(kyc.open_application('many-' || i, 'individual', 'digital_checking', 'US')) FROM generate_series(1, $apps) i" >/dev/null
hot=$(q "SELECT kyc.application_id('hot')")

tmp=$(mktemp -d)
cat > "$tmp/hot.sql" <<SQL
SET kyc.tenant = 'conc';
SELECT kyc.append_evidence('$hot', 'signal', 'internal', jsonb_build_object('client', :client_id));
SQL
cat > "$tmp/many.sql" <<SQL
\set n random(1, $apps)
SET kyc.tenant = 'conc';
SELECT kyc.append_evidence(kyc.application_id('many-' || :n), 'signal', 'internal', jsonb_build_object('client', :client_id));
SQL

# a sealer racing the appends
( for i in $(seq 1 40); do psql -XAtq -d $db -c "SELECT kyc.seal_ledger(clock_timestamp())" >/dev/null || echo "seal failed" > "$tmp/seal_failed"; sleep 0.05; done ) &
sealer=$!

$PGBENCH -n -c $clients -j 2 -t $per_client -f "$tmp/hot.sql" $db > "$tmp/hot.log" 2>&1
check "pgbench on one application finished without errors" 0 $?
$PGBENCH -n -c $clients -j 2 -t $per_client -f "$tmp/many.sql" $db > "$tmp/many.log" 2>&1
check "pgbench on $apps applications finished without errors" 0 $?
wait $sealer
check "every concurrent seal succeeded" "no" "$([ -e "$tmp/seal_failed" ] && echo yes || echo no)"
psql -XAtq -d $db -c "SELECT kyc.seal_ledger(clock_timestamp())" >/dev/null

check "one application: every append is a row" $((1 + clients * per_client)) "$(q "SELECT count(*) FROM kyc.evidence WHERE application_id = '$hot'")"
check "one application: seq is gapless" "$((1 + clients * per_client))" "$(q "SELECT max(seq) FROM kyc.evidence WHERE application_id = '$hot'")"
check "many applications: every append is a row" $((apps + clients * per_client)) \
  "$(q "SELECT count(*) FROM kyc.evidence e JOIN kyc.application a ON a.id = e.application_id WHERE a.external_ref LIKE 'many-%'")"
check "no chain has two rows with one prev_hash (no fork)" 0 \
  "$(q "SELECT count(*) FROM (SELECT application_id, prev_hash FROM kyc.evidence GROUP BY 1, 2 HAVING count(*) > 1) f")"
check "seals form an unbroken chain" "$(q "SELECT count(*) FROM kyc.ledger_digest")" "$(q "SELECT max(seal_id) FROM kyc.ledger_digest")"
check "verification finds no error" 0 "$(q "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
check "verification finds nothing unsealed after the last seal" 0 "$(q "SELECT count(*) FROM kyc.verify_ledger()")"

[ $fail -eq 0 ] || cat "$tmp"/*.log
rm -rf "$tmp"
dropdb $db
exit $fail
