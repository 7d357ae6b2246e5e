-- pg_kyc walk-through: applicants moving through account opening, as the services and
-- reviewers of a bank would drive it. Run by `make demo`; its output is docs/walkthrough.out.
\set ON_ERROR_STOP 0
\set SHOW_CONTEXT never
\set ECHO queries
\pset footer off

\echo
\echo '== 0. Install. Logins for a service, three reviewers and compliance; nobody here is a superuser.'
CREATE EXTENSION IF NOT EXISTS pg_kyc;
\set QUIET 1
DO $$ BEGIN
    CREATE ROLE demo_app LOGIN IN ROLE kyc_app;
    CREATE ROLE demo_kyc_ops LOGIN IN ROLE kyc_reviewer;
    CREATE ROLE demo_fraud LOGIN IN ROLE kyc_fraud;
    CREATE ROLE demo_aml LOGIN IN ROLE kyc_aml;
    CREATE ROLE demo_compliance LOGIN IN ROLE kyc_admin, kyc_auditor;
    CREATE ROLE demo_cx LOGIN IN ROLE kyc_cx;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
\set QUIET 0
SET kyc.tenant = 'first_national';
-- shorthand for this script: look applications up by the service's own reference
\set alice 'kyc.application_id(''alice-2026-001'')'
\set bob 'kyc.application_id(''bob-2026-002'')'
\set carol 'kyc.application_id(''carol-2026-003'')'
\set acme 'kyc.application_id(''acme-llc-2026-004'')'

\echo
\echo '== 1. The onboarding service opens three retail applications and one small business.'
SET ROLE demo_app;
SELECT kyc.open_application('alice-2026-001', 'individual', 'digital_checking', 'US-CA', 'digital', 'new_to_bank') IS NOT NULL AS opened;
SELECT kyc.open_application('bob-2026-002', 'individual', 'digital_checking', 'US-TX', 'digital') IS NOT NULL AS opened;
SELECT kyc.open_application('carol-2026-003', 'individual', 'digital_checking', 'US-NY', 'contact_center') IS NOT NULL AS opened;
SELECT kyc.open_application('acme-llc-2026-004', 'business', 'small_business_checking', 'US-DE', 'branch') IS NOT NULL AS opened;
SELECT external_ref, applicant_kind, product, state FROM kyc.application ORDER BY created_at, external_ref;

\echo
\echo '== 2. Every application has one row per gate, each with its owner. KYB/UBO applies to the business only.'
SELECT a.external_ref, g.gate, g.owner, g.status
FROM kyc.application_gate g JOIN kyc.application a ON a.id = g.application_id
WHERE a.external_ref IN ('alice-2026-001', 'acme-llc-2026-004')
ORDER BY a.external_ref, g.gate;

\echo
\echo '== 3. Alice consents (purpose, disclosure version, channel proof); the service records it and moves her on.'
SELECT kyc.capture_consent(:alice, 'account_opening', 'disclosures-2026-10', '{"channel": "app", "session": "s-41"}') > 0 AS consent_recorded;
SELECT kyc.transition(:alice, 'consent_captured');
SELECT kyc.transition(:alice, 'identity_proofing_pending');

\echo
\echo '== 4. The service tries to open her account before the gates are cleared: refused, with the reasons.'
SELECT kyc.transition(:alice, 'opened_not_funded');
\echo '   ... and tries to skip straight to active: no such move exists.'
SELECT kyc.transition(:alice, 'active');

\echo
\echo '== 4b. The document vendor''s signal arrives: glare on the licence. It is evidence, not a decision.'
SELECT kyc.submit_signal(:alice, '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
    "result": "inconclusive", "confidence": "medium", "reason_codes": ["IDV.DOCUMENT_GLARE"],
    "customer_safe_reason": "additional_information_needed", "evidence_refs": ["doc_123"], "owner": "identity_platform",
    "model": {"id": "idv-doc", "version": "4.2"}, "score": 0.41}') IS NOT NULL AS signal_accepted;
\echo '   A malformed signal is refused, naming the field, and nothing is written:'
SELECT kyc.submit_signal(:alice, '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
    "result": "inconclusive", "confidence": "medium", "reason_codes": ["IDV.DOCUMENT_GLARE"],
    "customer_safe_reason": "Your licence photo looks tampered", "owner": "identity_platform"}');

\echo
\echo '== 5. Reviewers clear their own gates. The service cannot decide a fraud gate.'
SELECT kyc.set_gate(:alice, 'fraud', 'passed');
SET ROLE demo_kyc_ops;
SELECT kyc.set_gate(:alice, 'eligibility', 'passed');
SELECT kyc.set_gate(:alice, 'identity_proofing', 'passed', NULL, 'document and liveness match');
SELECT kyc.set_gate(:alice, 'cip', 'passed', NULL, 'non-documentary match on name, DOB, address, SSN');
SELECT kyc.set_gate(:alice, 'cdd', 'passed', NULL, 'low risk: salary deposits, bill pay');
SET ROLE demo_fraud;
SELECT kyc.set_gate(:alice, 'fraud', 'passed', NULL, 'device and velocity clean');
SET ROLE demo_aml;
SELECT kyc.set_gate(:alice, 'aml', 'passed', NULL, 'no sanctions or PEP hits');

\echo
\echo '== 6. All critical gates passed: the account opens, and activates once funding clears.'
SET ROLE demo_app;
SELECT kyc.transition(:alice, 'opened_not_funded', NULL, 'all critical gates cleared');
SELECT kyc.transition(:alice, 'active');
SELECT kyc.set_gate(:alice, 'funding', 'passed', NULL, 'ACH credit of 250.00 settled');
SELECT kyc.transition(:alice, 'active');

\echo
\echo '== 7. Bob: CIP cannot form a reasonable belief of his identity. A decline must name the failed gate.'
SELECT kyc.set_gate(:bob, 'consent', 'passed');
SELECT kyc.transition(:bob, 'consent_captured');
SELECT kyc.transition(:bob, 'cip_verification_pending');
SELECT kyc.transition(:bob, 'declined', 'FRAUD.CONFIRMED');
SET ROLE demo_kyc_ops;
SELECT kyc.set_gate(:bob, 'cip', 'failed', 'CIP.UNABLE_TO_VERIFY', 'no source matched SSN and DOB');
SET ROLE demo_app;
SELECT kyc.transition(:bob, 'declined', 'CIP.UNABLE_TO_VERIFY');
\echo '   declined is terminal:'
SELECT kyc.transition(:bob, 'cip_verification_pending');

\echo
\echo '== 8. Carol leaves during identity proofing: abandoned, counted as friction, not success.'
SELECT kyc.set_gate(:carol, 'consent', 'passed');
SELECT kyc.transition(:carol, 'consent_captured');
SELECT kyc.transition(:carol, 'identity_proofing_pending');
SELECT kyc.transition(:carol, 'abandoned', 'ABANDON.CUSTOMER_LEFT');

\echo
\echo '== 9. Acme LLC: the registry does not match, so the application waits in the KYB queue.'
SELECT kyc.set_gate(:acme, 'consent', 'passed');
SELECT kyc.transition(:acme, 'consent_captured');
SET ROLE demo_kyc_ops;
SELECT kyc.set_gate(:acme, 'kyb_ubo', 'review', 'KYB.REGISTRY_MISMATCH', 'formation state differs from attestation');
SELECT kyc.transition(:acme, 'kyb_review_pending', 'KYB.REGISTRY_MISMATCH');

\echo
\echo '== 9b. What customer service may tell Acme and Alice: approved wording only. Acme''s KYB review reads'
\echo '       exactly like any other review would, AML and fraud holds included.'
SET ROLE demo_cx;
SELECT label, message, next_step FROM kyc.customer_status_by_ref('acme-llc-2026-004');
SELECT label, message, next_step FROM kyc.customer_status_by_ref('alice-2026-001', 'es-US');
SELECT label, message, next_step FROM kyc.customer_status_by_ref('bob-2026-002');

\echo
\echo '== 10. Even a plain UPDATE by the table owner goes through the same rules.'
RESET ROLE;
UPDATE kyc.application SET state = 'active' WHERE external_ref = 'acme-llc-2026-004';

\echo
\echo '== 11. Where everyone stands, and Alice''s full history (who moved her, when, why).'
SET ROLE demo_app;
SELECT external_ref, state, state_version, state_reason FROM kyc.application ORDER BY created_at, external_ref;
SELECT h.state_version, h.from_state, h.to_state, h.reason_code, h.note, h.actor_role
FROM kyc.state_history h WHERE h.application_id = :alice ORDER BY h.state_version;

\echo
\echo '== 12. Every one of those steps is a row of Alice''s evidence chain, hash-linked to the one before.'
SELECT seq, kind, data_class, actor_role, payload->>'to_state' AS to_state, payload->>'gate' AS gate
FROM kyc.evidence WHERE application_id = :alice ORDER BY seq;

\echo
\echo '== 13. The ledger is append-only, even for the table owner.'
RESET ROLE;
UPDATE kyc.evidence SET payload = '{"gate": "fraud", "status": "passed"}' WHERE application_id = :bob AND seq = 5;
DELETE FROM kyc.evidence WHERE application_id = :bob;

\echo
\echo '== 14. Compliance seals the ledger, and verifies it. The seal is exported to be kept elsewhere.'
SET ROLE demo_compliance;
SELECT kyc.seal_ledger() IS NOT NULL AS sealed;
SELECT chains, evidence_rows, errors, redacted, unsealed_chains, verdict FROM kyc.verify_summary();
SELECT key FROM jsonb_object_keys(kyc.export_digest()) AS key ORDER BY key;

\echo
\echo '== 15. Five years after Bob''s decline, retention removes the personal data; the chain still verifies.'
SELECT kyc.redact_evidence(:bob, '{1}', 'retention period ended', 'BSA record keeping: 5 years after decline') AS rows_redacted;
SELECT seq, kind, payload IS NULL AS payload_removed FROM kyc.evidence WHERE application_id = :bob ORDER BY seq;
SELECT seq, finding, severity FROM kyc.verify_chain(:bob) ORDER BY seq, finding;

\echo
\echo '== 16. Another bank sees none of it.'
SET ROLE demo_app;
SET kyc.tenant = 'second_savings';
SELECT count(*) AS applications_visible FROM kyc.application;
SELECT count(*) AS evidence_visible FROM kyc.evidence;
RESET ROLE;
