#!/usr/bin/env bash
# Hostile input: 1,200 malformed and adversarial API calls (mutated and random signals, oversized
# and deeply nested JSON, invalid escapes, wrong types, SQL fragments in strings, huge arrays,
# out-of-range times, every role), generated deterministically by tests/hostile/generator.sql.
# Each call must end in a clear SQLSTATE error or a result; none may crash the server or end in
# an internal error (class XX); a call that fails must leave every kyc table as it was; and
# afterwards the ledger verifies and the state machine's invariants hold.
set -uo pipefail
cd "$(dirname "$0")/../.."
db=kyc_hostile
calls=${HOSTILE_CALLS:-1200}
. tests/harness/check.sh
q() { psql -XAtq -d $db -c "$1"; }

dropdb --if-exists $db >/dev/null 2>&1
createdb $db && q "CREATE EXTENSION pg_kyc" || exit 1
psql -XAq -d $db -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || { echo "not ok - set up"; exit 1; }
DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['app', 'reviewer', 'fraud', 'aml', 'cx', 'auditor', 'admin', 'jobs'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', 'h_' || r, 'kyc_' || r);
        EXCEPTION WHEN duplicate_object THEN NULL;
        END;
        PERFORM kyc.grant_tenant('hostile_bank', ('h_' || r)::name);
    END LOOP;
END $$;
SET kyc.tenant = 'hostile_bank';
SET ROLE h_app;
-- targets in several states: started, in review (tasks), opened, active
SELECT kyc.open_application('h-' || i, 'individual', 'digital_checking', 'US-NY', 'digital') FROM generate_series(1, 6) i;
SELECT kyc.capture_consent(kyc.application_id('h-' || i), 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') FROM generate_series(2, 6) i;
SELECT kyc.submit_signal(kyc.application_id('h-' || i), jsonb_build_object('source', g || '_v', 'signal_type', 'check', 'gate', g,
       'owner', o, 'result', CASE WHEN i = 3 AND g = 'aml' THEN 'refer' ELSE 'pass' END, 'confidence', 'high',
       'reason_codes', '[]'::jsonb, 'customer_safe_reason', 'under_review'))
FROM generate_series(3, 6) i, (VALUES ('identity_proofing', 'identity_platform'), ('cip', 'kyc_cip'), ('cdd', 'bsa_aml'),
                                      ('fraud', 'fraud_risk'), ('aml', 'bsa_aml')) s (g, o);
SELECT kyc.evaluate(kyc.application_id('h-' || i)) FROM generate_series(3, 6) i;
SELECT kyc.record_funding(kyc.application_id('h-6'), 100, 'USD', 'ach', 'a-1');
SELECT kyc.activate(kyc.application_id('h-6'));
RESET ROLE;
SQL
psql -XAq -d $db -v ON_ERROR_STOP=1 -f tests/hostile/generator.sql >/dev/null || { echo "not ok - load the generator"; exit 1; }
q "SET kyc.tenant = 'hostile_bank'; SELECT * FROM hostile.script($calls, 0.42)" > /tmp/kyc_hostile_calls.sql
errors_before=$(q "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")

{ echo "SET kyc.tenant = 'hostile_bank';"; echo '\set VERBOSITY terse'; cat /tmp/kyc_hostile_calls.sql; } \
  | psql -X -q -d $db > /tmp/kyc_hostile.out 2>&1
check "the server is up and the session ran to the end ($calls calls)" "$calls" "$(q "SELECT count(*) FROM hostile.outcome")"
echo "# outcomes by SQLSTATE class: $(q "SELECT string_agg(c || ' ' || n, ', ' ORDER BY c) FROM (SELECT left(sqlstate, 2) AS c, count(*) AS n FROM hostile.outcome GROUP BY 1) x")"
check "no call ended in an internal error (class XX) or a system error (class 58)" 0 \
  "$(q "SELECT count(*) FROM hostile.outcome WHERE left(sqlstate, 2) IN ('XX', '58')")"
q "SELECT id, login, sqlstate, call FROM hostile.outcome WHERE left(sqlstate, 2) IN ('XX', '58') ORDER BY id LIMIT 5" | sed 's/^/# /'
check "no failed call left a change behind" 0 "$(q "SELECT count(*) FROM hostile.outcome WHERE changed_on_error")"
q "SELECT id, login, sqlstate, call FROM hostile.outcome WHERE changed_on_error ORDER BY id LIMIT 5" | sed 's/^/# /'
check "the server crashed nowhere (no connection was lost)" 0 \
  "$(grep -c 'server closed the connection\|connection to server was lost' /tmp/kyc_hostile.out)"
check "every kind of call ran, and some of them succeeded" t \
  "$(q "SELECT count(*) FILTER (WHERE sqlstate = '00000') > 0 AND count(DISTINCT split_part(call, '(', 1)) >= 20 FROM hostile.outcome")"
check "the ledger verifies afterwards" "$errors_before" "$(q "SELECT count(*) FROM kyc.verify_ledger() WHERE severity = 'error'")"
check "no opened account has an unresolved critical gate, none is active unfunded" 0 \
  "$(q "SELECT count(*) FROM kyc.application a WHERE (a.state IN ('active', 'opened_not_funded', 'approved_restricted')
        AND EXISTS (SELECT 1 FROM kyc.application_gate g JOIN kyc.gate_definition d USING (gate)
                    WHERE g.application_id = a.id AND d.critical AND g.status NOT IN ('passed', 'waived', 'not_applicable')))
        OR (a.state = 'active' AND NOT EXISTS (SELECT 1 FROM kyc.application_gate g WHERE g.application_id = a.id
                                                AND g.gate = 'funding' AND g.status = 'passed'))")"
check "no evidence row names a tenant other than the one it was written in" 0 \
  "$(q "SELECT count(*) FROM kyc.evidence WHERE tenant_id <> 'hostile_bank'")"
[ -n "${HOSTILE_KEEP:-}" ] || dropdb $db
exit $fail
