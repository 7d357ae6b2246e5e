#!/usr/bin/env bash
# ALTER EXTENSION pg_kyc UPDATE from every released version (extension/released/): a database
# created at that version and populated through its API (the walk-through, plus an application
# left half-way) is updated; it must then equal a fresh install object for object
# (tests/upgrade/describe.sql, diffed), keep its data and its verification findings, and keep
# working: the applications opened before the update move on, new ones open, new seals verify.
# The released scripts must be unchanged (extension/released/SHA256SUMS), and every C symbol they
# name must still be exported by the library, since a database not yet updated runs on it.
set -euo pipefail
cd "$(dirname "$0")/../.."
fresh=kyc_upgrade_fresh
. tests/harness/check.sh
tmp=$(mktemp -d)
dbs=($fresh)
cleanup() { for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1 || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
describe() { psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -f tests/upgrade/describe.sql; }
db=					# the database being updated, for:
q() { psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -c "$1" | tail -n 1; }
ours() { q "SET kyc.tenant = 'upgrade_bank'; $1"; }
bank() { q "SET kyc.tenant = 'first_national'; SET ROLE $1; $2"; }	# bank ROLE SQL: as a walk-through login
findings="SELECT coalesce(string_agg(finding || '/' || severity || ':' || n, ' ' ORDER BY finding, severity), 'none')
          FROM (SELECT finding, severity, count(*) AS n FROM kyc.verify_ledger() GROUP BY 1, 2) f"
data="SELECT md5(string_agg(application_id || ':' || seq || ':' || row_hash || ':' || coalesce(payload::text, '-'), ',' ORDER BY application_id, seq))
      || ' ' || (SELECT count(*) FROM kyc.application) || ' ' || (SELECT count(*) FROM kyc.ledger_digest) FROM kyc.evidence"

current=$(sed -n "s/^default_version = '\(.*\)'/\1/p" extension/pg_kyc.control)
released=$(ls extension/released/ | sed -n 's/^pg_kyc--\(.*\)\.sql$/\1/p' | sort -V)
[ -n "$released" ] || { echo "not ok - no released version in extension/released/"; exit 1; }

# frozen means frozen: a released script is what was installed in the field
if (cd extension/released && sha256sum --quiet --strict -c SHA256SUMS) 2>&1 | sed 's/^/# /'; then
  echo "ok - the released scripts are unchanged (extension/released/SHA256SUMS)"
else
  echo "not ok - a released script changed: released scripts are never edited; add the change to an upgrade step"; fail=1
fi
check "every released script has a checksum" "$(ls extension/released/*.sql | wc -l)" "$(wc -l < extension/released/SHA256SUMS)"

# the new library still exports every C symbol an older (or intermediate) version binds
pg_config=$(command -v /usr/lib/postgresql/15/bin/pg_config || command -v pg_config)
lib="$($pg_config --pkglibdir)/pg_kyc.so"
scripts=(extension/released/*.sql extension/pg_kyc--*--*.sql)
nm -D --defined-only "$lib" | awk '{ print $NF }' | sort -u > "$tmp/exported"
grep -ho "'MODULE_PATHNAME' *, *'[A-Za-z0-9_]*'" "${scripts[@]}" | sed "s/.*, *'\(.*\)'/\1/" | sort -u > "$tmp/bound"
check "every C function of the released and upgrade scripts names its symbol" \
  "$(cat "${scripts[@]}" | grep -o 'MODULE_PATHNAME' | wc -l)" \
  "$(cat "${scripts[@]}" | grep -o "'MODULE_PATHNAME' *, *'[A-Za-z0-9_]*'" | wc -l)"
missing=$(comm -23 "$tmp/bound" "$tmp/exported" | tr '\n' ' ')
if [ -z "$missing" ]; then
  echo "ok - the library exports the $(wc -l < "$tmp/bound") C symbols the released and upgrade scripts bind"
else
  echo "not ok - the library does not export C symbols that released or upgrade scripts bind: ${missing% }"; fail=1
fi

# a fresh install of the current version, and its description
dropdb --if-exists $fresh >/dev/null 2>&1
createdb $fresh && psql -XAq -d $fresh -c "CREATE EXTENSION pg_kyc" || { echo "not ok - CREATE EXTENSION pg_kyc"; exit 1; }
check "a fresh install is at version $current" "$current" \
  "$(psql -XAtq -d $fresh -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_kyc'")"
describe $fresh > "$tmp/fresh.txt"

# The comparison must see a difference: in a rolled-back transaction, a function body replaced,
# forced row-level security turned off, a shipped row changed, an enum label added.
{ cat <<'SQL'
\set ON_ERROR_STOP 1
BEGIN;
DO $probe$
DECLARE
    f regprocedure;
BEGIN
    SELECT p.oid INTO f FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_depend d ON d.objid = p.oid
    WHERE d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'pg_kyc') AND d.deptype = 'e'
      AND p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'plpgsql') AND p.prokind = 'f'
    ORDER BY p.proname LIMIT 1;
    EXECUTE pg_catalog.regexp_replace(pg_catalog.pg_get_functiondef(f), '\$function\$\s*$', E'-- probe\n$function$');
    RAISE NOTICE 'probe: %', f;
END
$probe$;
ALTER TABLE kyc.application NO FORCE ROW LEVEL SECURITY;
UPDATE kyc.job_definition SET batch_size = batch_size + 1 WHERE job = 'seal';
ALTER TYPE kyc.channel ADD VALUE 'probe';
SQL
  echo '\i tests/upgrade/describe.sql'
  echo 'ROLLBACK;'
} | psql -XAtq -d $fresh > "$tmp/probe.txt" 2> "$tmp/probe.err" || { echo "not ok - probe the comparison"; cat "$tmp/probe.err"; exit 1; }
probed=$(sed -n 's/.*NOTICE:  probe: //p' "$tmp/probe.err")
diff "$tmp/fresh.txt" "$tmp/probe.txt" > "$tmp/probe.diff" || true
seen=0
for k in "function $probed | -- probe" "table kyc.application | kind r .* forced f" "table kyc.job_definition | row .*\"job\": \"seal\"" \
         "type kyc.channel | label probe"; do
  grep -q "^> $k" "$tmp/probe.diff" && seen=$((seen + 1))
done
check "the comparison sees a replaced function body ($probed), forced row-level security off, a changed shipped row, a new enum label" 4 "$seen"

for v in $released; do
  db="kyc_upgrade_from_${v//./_}"
  dbs+=("$db")
  dropdb --if-exists "$db" >/dev/null 2>&1
  createdb "$db" && q "CREATE EXTENSION pg_kyc VERSION '$v'" >/dev/null || { echo "not ok - CREATE EXTENSION pg_kyc VERSION '$v'"; fail=1; continue; }
  check "$v: installed at version $v" "$v" "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_kyc'")"

  # populate through the API of $v: the walk-through (its refusals are part of it; it must keep
  # running on the oldest released version), a seal, and an application of our own left half-way
  psql -X -q -d "$db" -f tests/demo/walkthrough.sql >/dev/null 2>&1 || true
  psql -XAq -d "$db" -v ON_ERROR_STOP=1 >/dev/null 2> "$tmp/populate.err" <<'SQL' || { echo "not ok - $v: populate"; cat "$tmp/populate.err"; fail=1; continue; }
SELECT kyc.grant_tenant('upgrade_bank', current_user);
SET kyc.tenant = 'upgrade_bank';
SELECT kyc.open_application('before-update-001', 'individual', 'digital_checking', 'US-NY', 'digital') AS app \gset
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
SELECT kyc.submit_signal(:'app', '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
       "owner": "identity_platform", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}');
SELECT kyc.evaluate(:'app');
SELECT kyc.seal_ledger();
SQL
  check "$v: the walk-through ran (at least 6 applications of first_national, 2 seals)" "t t" \
    "$(q "SELECT CASE WHEN count(*) >= 6 THEN 't' ELSE 'f' END || CASE WHEN (SELECT count(*) FROM kyc.ledger_digest) >= 2 THEN ' t' ELSE ' f' END
          FROM kyc.application WHERE tenant_id = 'first_national'")"

  before_findings=$(q "$findings") && before_data=$(q "$data") || { echo "not ok - $v: record the state before the update"; fail=1; continue; }

  if q "ALTER EXTENSION pg_kyc UPDATE" > "$tmp/update.out" 2>&1; then
    echo "ok - $v: ALTER EXTENSION pg_kyc UPDATE"
  else
    echo "not ok - $v: ALTER EXTENSION pg_kyc UPDATE"; sed 's/^/# /' "$tmp/update.out"; fail=1; continue
  fi
  check "$v: updated to version $current" "$current" "$(q "SELECT extversion FROM pg_extension WHERE extname = 'pg_kyc'")"

  describe "$db" > "$tmp/updated.txt"
  if diff -u --label "fresh install of $current" --label "updated from $v" "$tmp/fresh.txt" "$tmp/updated.txt" > "$tmp/update.diff"; then
    echo "ok - $v: the updated extension equals a fresh install ($(wc -l < "$tmp/fresh.txt") lines of description)"
  else
    echo "not ok - $v: the updated extension differs from a fresh install (a change without its step in an upgrade script?):"
    sed 's/^/# /' "$tmp/update.diff" | head -200; fail=1
  fi

  check "$v: the update left the evidence, applications and seals as they were" "$before_data" "$(q "$data")"
  check "$v: verification finds what it found before the update ($before_findings)" "$before_findings" "$(q "$findings")"
  check "$v: verification reports no error" 0 "$(q "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"

  # the applications opened before the update move on
  ours "SELECT count(kyc.submit_signal(kyc.application_id('before-update-001'), jsonb_build_object('source', g || '_vendor',
          'signal_type', 'check', 'gate', g, 'owner', o, 'result', 'pass', 'confidence', 'high', 'reason_codes', '[]'::jsonb,
          'customer_safe_reason', 'under_review')))
        FROM (VALUES ('cip', 'kyc_cip'), ('cdd', 'bsa_aml'), ('fraud', 'fraud_risk'), ('aml', 'bsa_aml')) AS s (g, o)" >/dev/null || true
  check "$v: an application opened before the update is decided after it" opened_not_funded \
    "$(ours "SELECT (kyc.evaluate(kyc.application_id('before-update-001'))).state")"
  ours "SELECT kyc.record_funding(kyc.application_id('before-update-001'), 100, 'USD', 'ach', 'ach-before-001')" >/dev/null || true
  check "$v: ... funded and activated" active "$(ours "SELECT kyc.activate(kyc.application_id('before-update-001'))")"
  bank demo_app "SELECT kyc.record_funding(kyc.application_id('acme-llc-2026-004'), 5000, 'USD', 'wire', 'wire-acme-1')" >/dev/null || true
  check "$v: the walk-through's business account is funded and activated" active \
    "$(bank demo_app "SELECT kyc.activate(kyc.application_id('acme-llc-2026-004'))")"
  check "$v: a fraud analyst clears the walk-through's open fraud task" resolved \
    "$(bank demo_fraud "SELECT (kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = kyc.application_id('erin-2026-006')
                                                   AND status = 'claimed'), 'clear', 'FRAUD.CLEARED_BY_REVIEW', 'device known to the customer')).task_status")"

  # a new application, the whole way
  check "$v: a new application opens, is decided, funded and activated" active "$(ours "
    SELECT kyc.open_application('after-update-001', 'individual', 'digital_checking', 'US-CA', 'digital') IS NOT NULL;
    SELECT kyc.capture_consent(kyc.application_id('after-update-001'), 'account_opening', 'disclosures-2026-10', '{\"channel\": \"app\"}');
    SELECT count(kyc.submit_signal(kyc.application_id('after-update-001'), jsonb_build_object('source', g || '_vendor',
             'signal_type', 'check', 'gate', g, 'owner', o, 'result', 'pass', 'confidence', 'high', 'reason_codes', '[]'::jsonb,
             'customer_safe_reason', 'under_review')))
    FROM (VALUES ('identity_proofing', 'identity_platform'), ('cip', 'kyc_cip'), ('cdd', 'bsa_aml'), ('fraud', 'fraud_risk'),
                 ('aml', 'bsa_aml')) AS s (g, o);
    SELECT kyc.evaluate(kyc.application_id('after-update-001'));
    SELECT kyc.record_funding(kyc.application_id('after-update-001'), 100, 'USD', 'ach', 'ach-after-001');
    SELECT kyc.activate(kyc.application_id('after-update-001'))")"

  # a new seal extends the old ones, and everything verifies
  seals=$(q "SELECT count(*) FROM kyc.ledger_digest") || seals=-1
  check "$v: a new seal follows the ones made before the update" "$((seals + 1))" "$(q "SELECT kyc.seal_ledger()")"
  check "$v: verification after the new writes and seal reports no error and nothing unsealed" 0 \
    "$(q "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error' OR finding = 'unsealed'")"
done
exit $fail
