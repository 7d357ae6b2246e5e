#!/usr/bin/env bash
# End to end: chains and seals exported from a live database verify offline with kyc_verify (no
# database); a chain tampered in the database, or an export edited afterwards, is rejected; a
# legitimate redaction still verifies.
set -uo pipefail
cd "$(dirname "$0")/../.."
make -s kyc_verify >/dev/null || exit 1
db=kyc_export_check
tmp=$(mktemp -d)
fail=0
expect() {			# expect NAME EXIT_CODE COMMAND...
  local name=$1 want=$2; shift 2
  "$@" > "$tmp/out" 2>&1; local got=$?
  if [ "$got" = "$want" ]; then echo "ok - $name"; else echo "not ok - $name (exit $got, wanted $want)"; cat "$tmp/out"; fail=1; fi
}
q() { psql -XAtq -d $db -c "SET kyc.tenant = 'first_national'; $1"; }

dropdb --if-exists $db >/dev/null 2>&1
createdb $db || exit 1
PGDATABASE=$db psql -X -q -f tests/demo/walkthrough.sql >/dev/null 2>&1
# the walk-through made the first seal
q "SELECT kyc.export_digest()" > "$tmp/digest1.json"

# a legitimate redaction on a declined application, then a second seal
q "SELECT kyc.redact_evidence(kyc.application_id('bob-2026-002'), '{1}', 'retention period ended', 'policy R-7')" >/dev/null
q "SELECT kyc.seal_ledger(now())" >/dev/null
q "SELECT kyc.export_digest()" > "$tmp/digest2.json"

for ref in alice-2026-001 bob-2026-002 carol-2026-003 acme-llc-2026-004; do
  q "SELECT kyc.export_chain(kyc.application_id('$ref'))" > "$tmp/$ref.json"
  expect "exported chain $ref verifies offline" 0 ./kyc_verify chain "$tmp/$ref.json"
done
grep -q '"payload": null' "$tmp/bob-2026-002.json" && echo "ok - the redacted payload is absent from the export" \
  || { echo "not ok - the redacted payload is absent from the export"; fail=1; }
expect "the two exported digests form a chain" 0 ./kyc_verify digests "$tmp/digest1.json" "$tmp/digest2.json"
expect "digests out of order are rejected" 1 ./kyc_verify digests "$tmp/digest2.json" "$tmp/digest1.json"

# exports by roles that may not read every class: the rows they may not read are withheld (hashes
# only) and the chain still verifies whole; AML's export carries them
sar_ref=$(q "SELECT a.external_ref FROM kyc.application a JOIN kyc.evidence e ON e.application_id = a.id
             WHERE e.data_class = 'sar_restricted' LIMIT 1")
[ -n "$sar_ref" ] && echo "ok - the walk-through has an application with SAR-restricted evidence ($sar_ref)" \
  || { echo "not ok - the walk-through has an application with SAR-restricted evidence"; fail=1; }
psql -XAtq -d $db -c "CREATE ROLE export_auditor IN ROLE kyc_auditor; CREATE ROLE export_aml IN ROLE kyc_aml;
                      SELECT kyc.grant_tenant('first_national', 'export_auditor'), kyc.grant_tenant('first_national', 'export_aml')" >/dev/null
q "SET ROLE export_auditor; SELECT kyc.export_chain(kyc.application_id('$sar_ref'))" > "$tmp/auditor.json"
expect "an auditor's export with withheld SAR rows verifies offline" 0 ./kyc_verify chain "$tmp/auditor.json"
grep -q " withheld, 0 findings" "$tmp/out" && echo "ok - and the verifier says how many rows were withheld" \
  || { echo "not ok - and the verifier says how many rows were withheld"; cat "$tmp/out"; fail=1; }
withheld=$(grep -o '"withheld": true' "$tmp/auditor.json" | wc -l)
sar_rows=$(q "SELECT count(*) FROM kyc.evidence WHERE application_id = kyc.application_id('$sar_ref') AND data_class = 'sar_restricted'")
[ "$withheld" = "$sar_rows" ] && echo "ok - exactly the $sar_rows SAR-restricted rows are withheld" \
  || { echo "not ok - exactly the SAR-restricted rows are withheld ($withheld withheld, $sar_rows SAR rows)"; fail=1; }
q "SET ROLE export_aml; SELECT kyc.export_chain(kyc.application_id('$sar_ref'))" > "$tmp/aml.json"
expect "AML's export of the same chain verifies offline" 0 ./kyc_verify chain "$tmp/aml.json"
grep -q '"withheld"' "$tmp/aml.json" && { echo "not ok - AML's export withholds nothing"; fail=1; } \
  || echo "ok - AML's export withholds nothing"
sed '0,/"withheld": true/s//"withheld": "yes"/' "$tmp/auditor.json" > "$tmp/forged.json"
expect "a withheld member that is not a boolean is refused" 2 ./kyc_verify chain "$tmp/forged.json"
sed '0,/"kind": "gate_decision"/s//"kind": "override"/' "$tmp/auditor.json" > "$tmp/forged.json"
expect "an edited export with withheld rows is still rejected" 1 ./kyc_verify chain "$tmp/forged.json"
q "SET ROLE export_auditor; SELECT kyc.export_chain(gen_random_uuid())" > "$tmp/out" 2>&1
grep -q 'has no evidence' "$tmp/out" && echo "ok - an unknown application is refused" \
  || { echo "not ok - an unknown application is refused"; cat "$tmp/out"; fail=1; }

# an export edited after the fact
sed 's/"kind": "gate_decision"/"kind": "override"/' "$tmp/alice-2026-001.json" > "$tmp/edited.json"
expect "an edited export is rejected" 1 ./kyc_verify chain "$tmp/edited.json"
sed -E 's/"tree_size": [0-9]+/"tree_size": 999/' "$tmp/digest2.json" > "$tmp/digest_edited.json"
expect "an edited digest is rejected" 1 ./kyc_verify digest "$tmp/digest_edited.json"

# a chain tampered inside the database by a superuser, exported afterwards
psql -XAtq -d $db <<'SQL'
SET kyc.tenant = 'first_national';
SET session_replication_role = replica;
UPDATE kyc.evidence SET payload = jsonb_set(payload, '{note}', '"all clear"')
WHERE application_id = kyc.application_id('carol-2026-003') AND seq = 2;
SQL
q "SELECT kyc.export_chain(kyc.application_id('carol-2026-003'))" > "$tmp/carol-tampered.json"
expect "a chain tampered in the database is rejected offline" 1 ./kyc_verify chain "$tmp/carol-tampered.json"
grep -q "payload_digest_mismatch" "$tmp/out" && echo "ok - and the finding names the payload digest" \
  || { echo "not ok - and the finding names the payload digest"; fail=1; }

rm -rf "$tmp"
dropdb $db
exit $fail
