-- Policies: versioned, published with four eyes, immutable once published, pinned by each
-- application when it opens; a draft can be backtested against past decisions first.
\set SHOW_CONTEXT never
SET kyc.tenant = 'dec_bank';
SET ROLE regress_app;
SELECT kyc.open_application('pin-before', 'individual', 'digital_checking', 'US-TX') AS before \gset
-- an application held for device risk reported with high confidence under the shipped policy
SELECT kyc.open_application('device-high', 'individual', 'digital_checking', 'US-TX') AS device \gset
SELECT kyc.capture_consent(:'device', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0 AS consent;
SELECT count(kyc.submit_signal(:'device', jsonb_build_object('source', 'v', 'signal_type', 't', 'gate', g, 'owner', o,
           'result', r, 'confidence', 'high', 'reason_codes', rc, 'customer_safe_reason', 'under_review'))) AS signals
FROM (VALUES ('identity_proofing', 'identity_platform', 'pass', '[]'::jsonb), ('cip', 'kyc_cip', 'pass', '[]'),
             ('cdd', 'bsa_aml', 'pass', '[]'), ('aml', 'bsa_aml', 'pass', '[]'),
             ('fraud', 'fraud_risk', 'refer', '["FRAUD.DEVICE_RISK"]')) AS s (g, o, r, rc);
SELECT outcome, state FROM kyc.evaluate(:'device');

SET ROLE regress_admin;
SELECT tenant_id, product, jurisdiction, version, status, publisher FROM kyc.policy ORDER BY product;
-- the bank drafts its own policy from the shipped one: device risk reported with high confidence
-- is accepted
SELECT kyc.draft_policy('00000000-0000-4000-8000-00000000dc01', 'dec_bank: device risk with high confidence is accepted') AS v2 \gset
SELECT product, version, status, author FROM kyc.policy WHERE id = :'v2';
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, reason_code, min_confidence, status)
VALUES (:'v2', 35, 'fraud', 'refer', 'FRAUD.DEVICE_RISK', 'high', 'passed');

-- what would change, before publishing (an auditor runs it: a backtest covers the decisions its
-- runner may read, and fraud holds are fraud-sensitive)
SET ROLE regress_auditor;
SELECT external_ref, recorded_outcome, recorded_state, backtest_outcome, backtest_state, changed
FROM kyc.backtest(:'v2') WHERE changed ORDER BY external_ref;
SET ROLE regress_admin;

-- four eyes: the author cannot publish; a bad failure rule is refused (the second administrator
-- is another login: SET ROLE would not make a second person)
SELECT kyc.publish_policy(:'v2');
RESET ROLE;
SET SESSION AUTHORIZATION regress_admin2;
SELECT kyc.draft_policy('00000000-0000-4000-8000-00000000dc01', 'a broken draft') AS broken \gset
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, status, decision_reason)
VALUES (:'broken', 1, 'cip', 'fail', 'failed', 'CIP.NAME_DOB_MISMATCH');
RESET SESSION AUTHORIZATION;
SET ROLE regress_admin;
SELECT kyc.publish_policy(:'broken');
RESET ROLE;
SET SESSION AUTHORIZATION regress_admin2;
SELECT kyc.publish_policy(:'v2') IS NOT NULL AS published;
SELECT kyc.publish_policy(:'v2');
SELECT version, status, publisher, content_digest IS NOT NULL AS digested FROM kyc.policy WHERE id = :'v2';

-- immutable once published
UPDATE kyc.policy SET risk_high = 10 WHERE id = :'v2';
RESET SESSION AUTHORIZATION;
UPDATE kyc.policy SET risk_high = 10 WHERE id = :'v2';
UPDATE kyc.policy_rule SET status = 'passed' WHERE policy_id = :'v2' AND rule_no = 45;
DELETE FROM kyc.policy_rule WHERE policy_id = :'v2';
INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, status) VALUES (:'v2', 99, 'aml', 'pass', 'passed');
DELETE FROM kyc.policy WHERE id = :'v2';
SELECT count(*) AS v2_rules FROM kyc.policy_rule WHERE policy_id = :'v2';

-- pinning: the application opened before keeps the shipped policy; one opened now pins the bank's
SET ROLE regress_app;
SELECT kyc.open_application('pin-after', 'individual', 'digital_checking', 'US-TX') AS after \gset
SELECT a.external_ref, p.tenant_id, p.version FROM kyc.application a JOIN kyc.policy p ON p.id = a.policy_id
WHERE a.external_ref IN ('pin-before', 'pin-after') ORDER BY 1;
SELECT kyc.capture_consent(id, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0 FROM kyc.application WHERE external_ref IN ('pin-before', 'pin-after');
SELECT kyc.submit_signal(id, jsonb_build_object('source', 'v', 'signal_type', 't', 'gate', g, 'owner', o, 'result', r,
                                                'confidence', 'high', 'reason_codes', rc, 'customer_safe_reason', 'under_review')) IS NOT NULL
FROM kyc.application a,
     (VALUES ('identity_proofing', 'identity_platform', 'pass', '[]'::jsonb), ('cip', 'kyc_cip', 'pass', '[]'), ('cdd', 'bsa_aml', 'pass', '[]'),
             ('aml', 'bsa_aml', 'pass', '[]'), ('fraud', 'fraud_risk', 'refer', '["FRAUD.DEVICE_RISK"]')) AS s (g, o, r, rc)
WHERE a.external_ref IN ('pin-before', 'pin-after');
SELECT a.external_ref, e.outcome, e.state FROM kyc.application a, LATERAL kyc.evaluate(a.id) e
WHERE a.external_ref IN ('pin-before', 'pin-after') ORDER BY 1;

-- retired policies are no longer pinned by new applications
SET ROLE regress_admin2;
SELECT kyc.retire_policy(:'v2');
SELECT kyc.retire_policy(:'v2');
SET ROLE regress_app;
SELECT p.tenant_id, p.version FROM kyc.policy p WHERE p.id = kyc.policy_in_force('dec_bank', 'digital_checking', 'US-TX');

-- only administrators write policies
SELECT kyc.draft_policy(:'v2', 'not mine to write');
RESET ROLE;

-- replay names what differs: a decision recorded before a superuser edited its inputs
RESET ROLE;
SET kyc.tenant = 'dec_bank';
SELECT id AS dec FROM kyc.decision WHERE application_id = kyc.application_id('device-high') ORDER BY decided_at LIMIT 1 \gset
SELECT matches, policy_unchanged, differences FROM kyc.replay(:'dec');
SET session_replication_role = replica;
UPDATE kyc.decision SET inputs = jsonb_set(inputs, '{signals}',
    (SELECT jsonb_agg(CASE WHEN s->>'gate' = 'fraud' THEN jsonb_set(s, '{result}', '"pass"') ELSE s END)
     FROM jsonb_array_elements(inputs->'signals') s))
WHERE id = :'dec';
SET session_replication_role = origin;
SELECT matches, policy_unchanged, differences FROM kyc.replay(:'dec');
