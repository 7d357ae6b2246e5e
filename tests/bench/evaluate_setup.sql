-- Set-up for tests/bench/evaluate.sh: applications with 10 and with 50 live signals each.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_kyc;
DROP SCHEMA IF EXISTS bench_eval CASCADE;
CREATE SCHEMA bench_eval;
SET kyc.tenant = 'bench';
CREATE TABLE bench_eval.apps (signals int, n int, id uuid, inputs jsonb, policy jsonb, PRIMARY KEY (signals, n));

-- :apps applications per size; signals spread over the gates and over sources (so that they do
-- not supersede each other), every gate passing but fraud, which is referred
INSERT INTO bench_eval.apps (signals, n, id)
SELECT k, i, kyc.open_application('eval-' || k || '-' || i, 'individual', 'digital_checking', 'US-CA')
FROM unnest(ARRAY[10, 50]) k, generate_series(1, :apps) i;
SELECT count(kyc.capture_consent(id, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}')) FROM bench_eval.apps;
SELECT count(kyc.submit_signal(a.id, jsonb_build_object(
           'source', 'vendor_' || s, 'signal_type', 'check', 'gate', g.gate, 'owner', g.owner,
           'result', CASE WHEN g.gate = 'fraud' THEN 'refer' ELSE 'pass' END, 'confidence', 'high',
           'reason_codes', CASE WHEN g.gate = 'fraud' THEN '["FRAUD.DEVICE_RISK"]'::jsonb ELSE '[]'::jsonb END,
           'customer_safe_reason', 'under_review')))
FROM bench_eval.apps a
CROSS JOIN generate_series(1, 50) s
JOIN LATERAL (SELECT gate, owner FROM kyc.gate_definition
              WHERE gate IN ('identity_proofing', 'cip', 'cdd', 'fraud', 'aml')
              ORDER BY gate OFFSET (s % 5) LIMIT 1) g ON true
WHERE s <= a.signals;
UPDATE bench_eval.apps SET inputs = kyc.decision_inputs(id, now()),
                           policy = (SELECT p.document FROM kyc.policy p JOIN kyc.application a ON a.policy_id = p.id WHERE a.id = apps.id);
