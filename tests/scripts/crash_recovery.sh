#!/usr/bin/env bash
# Crash safety: concurrent clients run whole onboarding flows (open, consent, signals, evaluate,
# funding, activation: one transaction each) and log every flow whose COMMIT they saw; the
# postmaster is killed with SIGKILL in the middle of the load, and the cluster restarted. Then
# every flow a client saw committed is there, whole (state active, its evidence chain complete);
# no flow is half-written (every application is either a whole flow or absent); and
# kyc.verify_ledger() finds nothing wrong.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=kyc_crash
clients=4
. tests/harness/check.sh
q() { psql -XAtq -d $db -c "SET kyc.tenant = 'crash_bank'; $1" | tail -n 1; }

datadir=$(psql -XAtc "SHOW data_directory")
cluster_version=15
cluster_name=$(basename "$datadir")
dropdb --if-exists $db >/dev/null 2>&1
createdb $db && psql -XAq -d $db -c "CREATE EXTENSION pg_kyc" || exit 1
psql -XAq -d $db -c "SELECT kyc.grant_tenant('crash_bank', current_user)" >/dev/null

# One flow, one transaction; the client prints the reference after COMMIT returned.
flow_sql() {			# flow_sql REF
  cat <<SQL
SET kyc.tenant = 'crash_bank';
BEGIN;
SELECT kyc.open_application('$1', 'individual', 'digital_checking', 'US-NY', 'digital') AS app \gset
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0;
SELECT count(kyc.submit_signal(:'app', jsonb_build_object('source', g || '_vendor', 'signal_type', 'check', 'gate', g,
       'owner', o, 'result', 'pass', 'confidence', 'high', 'reason_codes', '[]'::jsonb, 'customer_safe_reason', 'under_review')))
FROM (VALUES ('identity_proofing', 'identity_platform'), ('cip', 'kyc_cip'), ('cdd', 'bsa_aml'),
             ('fraud', 'fraud_risk'), ('aml', 'bsa_aml')) AS s (g, o);
SELECT (kyc.evaluate(:'app')).state;
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-$1') IS NOT NULL;
SELECT kyc.activate(:'app');
COMMIT;
\echo committed $1
SQL
}

tmp=$(mktemp -d)
client() {			# client N: flows until the server goes away
  local n=$1 i=0
  while :; do
    i=$((i + 1))
    flow_sql "c$n-f$i" | psql -XAtq -v ON_ERROR_STOP=1 -d $db 2>/dev/null | grep '^committed ' >> "$tmp/seen.$n" || break
  done
}
for n in $(seq 1 $clients); do client "$n" & done
sleep 6
pid=$(head -n 1 "$datadir/postmaster.pid")
kill -9 "$pid"
wait
# the postmaster's children notice its death and exit; a machine crash would take them at once,
# so what is still alive after a few seconds gets SIGKILL too
for _ in $(seq 1 10); do pgrep -P "$pid" >/dev/null || break; sleep 1; done
pkill -9 -P "$pid" 2>/dev/null
sleep 1
# a reboot would clear the socket directory; here the dead postmaster may linger as a zombie whose
# pid still answers, so its socket lock files are removed by hand
port=$(sed -n 4p "$datadir/postmaster.pid")
rm -f "/var/run/postgresql/.s.PGSQL.$port.lock" "/tmp/.s.PGSQL.$port.lock"
seen=$(cat "$tmp"/seen.* | wc -l)
echo "# clients saw $seen flows committed before the postmaster was killed"
[ "$seen" -gt 0 ] || { echo "not ok - the load committed nothing before the crash"; exit 1; }

# restart (crash recovery replays the WAL)
pg_ctlcluster "$cluster_version" "$cluster_name" start || { echo "not ok - the cluster restarts after the crash"; exit 1; }
for _ in $(seq 1 30); do psql -XAtq -d $db -c "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done

cat "$tmp"/seen.* | sed 's/^committed //' | sort > "$tmp/seen"
q "SELECT external_ref FROM kyc.application WHERE state = 'active' ORDER BY 1" > /dev/null
psql -XAtq -d $db -c "SET kyc.tenant = 'crash_bank'" -c "SELECT external_ref FROM kyc.application WHERE state = 'active'" | sort > "$tmp/active"
check "every flow a client saw committed is present and active" 0 "$(comm -23 "$tmp/seen" "$tmp/active" | wc -l)"
check "no application is half-written (every one is a whole, active flow)" 0 \
  "$(q "SELECT count(*) FROM kyc.application WHERE state <> 'active'")"
# a whole flow's chain: snapshot, consent gate, 5 signals + their gate decisions, decision, state
# changes, funding, its gate decision, activation; every chain has the same length
check "every chain has the length of a whole flow" 1 \
  "$(q "SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM kyc.evidence GROUP BY application_id) c")"
check "every active application's funding and activation are in its chain" 0 \
  "$(q "SELECT count(*) FROM kyc.application a WHERE NOT EXISTS (SELECT 1 FROM kyc.evidence e WHERE e.application_id = a.id AND e.kind = 'activation')")"
check "verification finds no error after the crash" 0 \
  "$(psql -XAtq -d $db -c "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
check "and the ledger can be sealed" t "$(psql -XAtq -d $db -c "SELECT kyc.seal_ledger() IS NOT NULL")"

rm -rf "$tmp"
dropdb $db
exit $fail
