#!/usr/bin/env bash
# Dump and restore into a new cluster: a database populated by the walk-through (tenants, chains,
# seals, redactions, review tasks, job runs, a tenant's own policy and wording) is dumped with
# pg_dump and restored with pg_restore (schema, then data with triggers disabled) into a second cluster (another system
# identifier). Every dumped table arrives whole, every chain and every old seal verifies there,
# tenant grants give nothing until rebound to the roles of their names, and then the service works
# on, new seals extending the old chain of seals under the new database's identity.
set -uo pipefail
cd "$(dirname "$0")/../.."
src=kyc_dump_src
. tests/harness/check.sh
tmp=$(mktemp -d)
chmod 755 "$tmp"
port2=$((PGPORT + 1))
while [ -e "/var/run/postgresql/.s.PGSQL.$port2" ]; do port2=$((port2 + 1)); done
cleanup() { pg_dropcluster --stop 15 kyc_restored >/dev/null 2>&1; rm -rf "$tmp"; dropdb --if-exists $src >/dev/null 2>&1; }
trap cleanup EXIT

# the source: the walk-through, plus a tenant's own policy version and wording
dropdb --if-exists $src >/dev/null 2>&1
createdb $src || exit 1
psql -X -q -d $src -f tests/demo/walkthrough.sql >/dev/null 2>&1
psql -XAq -d $src -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || { echo "not ok - populate the source"; exit 1; }
SET kyc.tenant = 'first_national';
SET ROLE demo_compliance;
SELECT kyc.draft_policy(kyc.policy_in_force('first_national', 'digital_checking', 'US'), 'first national v2');
SELECT kyc.draft_customer_message('under_review', 'en-US', 'We are on it', 'Your application is with our team.', 'Nothing to do yet.');
RESET ROLE;
SELECT kyc.seal_ledger();
SQL
tables="tenant_grant application application_gate restriction evidence legal_hold signal decision review_task
information_request funding account_event early_life_alert retention_rule job_run ledger_digest sealed_head policy
policy_rule policy_risk_factor policy_timeout policy_early_life_rule customer_message"
counts() {			# counts PSQL-ARGS: one line per table, as a superuser (no row-level security)
  for t in $tables; do echo "$t $(psql -XAtq "$@" -c "SELECT count(*) FROM kyc.$t")"; done
}
fingerprint="SELECT md5(string_agg(application_id || ':' || seq || ':' || row_hash || ':' || coalesce(payload::text, '-'), ',' ORDER BY application_id, seq)) FROM kyc.evidence"
counts -d $src > "$tmp/src.counts"
src_fp=$(psql -XAtq -d $src -c "$fingerprint")
src_seals=$(psql -XAtq -d $src -c "SELECT count(*) FROM kyc.ledger_digest")

# a second cluster, and the roles (pg_dump carries no roles)
pg_createcluster 15 kyc_restored -p $port2 -d "$tmp/data" -- --auth=trust >/dev/null 2>&1 \
  && pg_ctlcluster 15 kyc_restored start || { echo "not ok - create a second cluster"; exit 1; }
new() { psql -XAtq -p $port2 -d kyc_restored "$@"; }
pg_dumpall --roles-only 2>/dev/null | psql -X -q -p $port2 -d postgres >/dev/null 2>&1
createdb -p $port2 kyc_restored || exit 1
check "the clusters have different system identifiers" t \
  "$([ "$(psql -XAtq -c 'SELECT system_identifier FROM pg_control_system()')" != "$(psql -XAtq -p $port2 -d postgres -c 'SELECT system_identifier FROM pg_control_system()')" ] && echo t || echo f)"

pg_dump -Fc -d $src -f "$tmp/kyc.dump" || { echo "not ok - pg_dump"; exit 1; }
# the schema (CREATE EXTENSION, with its shipped catalogs), then the data with triggers disabled:
# the rows are history, not new events (--disable-triggers acts on data-only restores)
{ pg_restore --schema-only -p $port2 -d kyc_restored "$tmp/kyc.dump"
  pg_restore --data-only --disable-triggers -p $port2 -d kyc_restored "$tmp/kyc.dump"; } > "$tmp/restore.log" 2>&1
check "pg_restore (schema, then data with triggers disabled) reports no error" 0 "$(grep -c 'error:' "$tmp/restore.log")"
[ -s "$tmp/restore.log" ] && sed 's/^/# /' "$tmp/restore.log" | head -20

counts -p $port2 -d kyc_restored > "$tmp/new.counts"
if diff "$tmp/src.counts" "$tmp/new.counts" >/dev/null; then
  echo "ok - every dumped table has the same rows ($(awk '{ s += $2 } END { print s }' "$tmp/src.counts") rows in $(wc -l < "$tmp/src.counts") tables)"
else
  echo "not ok - row counts differ after restore"; diff "$tmp/src.counts" "$tmp/new.counts"; fail=1
fi
check "the shipped catalogs are not duplicated (one shipped policy per product)" 2 \
  "$(new -c "SELECT count(*) FROM kyc.policy WHERE tenant_id = '*'")"
check "every evidence row, hash and payload is the same" "$src_fp" "$(new -c "$fingerprint")"
check "every chain and every old seal verifies in the new cluster" 0 \
  "$(new -c "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
check "the restored database drew a new incarnation" t \
  "$(new -c "SELECT i.incarnation <> d.incarnation FROM kyc.ledger_identity i, kyc.ledger_digest d ORDER BY d.seal_id DESC LIMIT 1")"

# tenant grants name roles by OID; in another cluster they give nothing until rebound
as_app() { new -c "SET kyc.tenant = 'first_national'; SET ROLE demo_app; $1" | tail -n 1; }
check "before rebinding, a restored grant gives nothing" 0 "$(as_app "SELECT count(*) FROM kyc.application")"
check "rebinding points every grant at the role of its name" 0 \
  "$(new -c "SELECT count(*) FROM kyc.rebind_tenant_grants() WHERE outcome <> 'rebound'")"
check "after rebinding, the service sees its applications" "$(psql -XAtq -d $src -c "SELECT count(*) FROM kyc.application WHERE tenant_id = 'first_national'")" \
  "$(as_app "SELECT count(*) FROM kyc.application")"

# the service works on: an existing chain grows, a new application opens, a new seal extends the
# old chain of seals, made under the new system identifier and incarnation
as_app "SELECT kyc.record_account_event(kyc.application_id('alice-2026-001'), 'deposit', 20) IS NOT NULL" >/dev/null
check "an existing application takes new evidence" 1 \
  "$(as_app "SELECT count(*) FROM kyc.close_account(kyc.application_id('alice-2026-001'), 'EXIT.CUSTOMER_REQUEST')")"
check "a new application opens" t \
  "$(as_app "SELECT kyc.open_application('zoe-2026-099', 'individual', 'digital_checking', 'US-NY', 'digital') IS NOT NULL")"
check "a new seal follows the restored ones" "$((src_seals + 1))" "$(new -c "SELECT kyc.seal_ledger()")"
check "the new seal names the new cluster and incarnation; the one before, the old" "t t" \
  "$(new -c "SELECT (n.system_identifier = (SELECT system_identifier FROM pg_control_system())) || ' ' || (n.incarnation = i.incarnation AND p.incarnation <> i.incarnation)
             FROM kyc.ledger_digest n JOIN kyc.ledger_digest p ON p.seal_id = n.seal_id - 1, kyc.ledger_identity i
             WHERE n.seal_id = (SELECT max(seal_id) FROM kyc.ledger_digest)" | sed 's/true/t/g; s/false/f/g')"
check "verification is clean after the new writes and seal" 0 \
  "$(new -c "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
exit $fail
