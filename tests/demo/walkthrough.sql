-- pg_kyc walk-through: applicants moving through account opening, as the services and
-- reviewers of a bank would drive it. Run by `make demo`; its output is docs/walkthrough.out.
\set ON_ERROR_STOP 0
\set SHOW_CONTEXT never
\set ECHO queries
\pset footer off

\echo
\echo '== 0. Install. Logins for a service, reviewers, compliance and the job scheduler; nobody here is a superuser.'
CREATE EXTENSION IF NOT EXISTS pg_kyc;
\set QUIET 1
DO $$ BEGIN
    CREATE ROLE demo_app LOGIN IN ROLE kyc_app;
    CREATE ROLE demo_kyc_ops LOGIN IN ROLE kyc_reviewer;
    CREATE ROLE demo_fraud LOGIN IN ROLE kyc_fraud;
    CREATE ROLE demo_aml LOGIN IN ROLE kyc_aml;
    CREATE ROLE demo_compliance LOGIN IN ROLE kyc_admin, kyc_auditor;
    CREATE ROLE demo_cx LOGIN IN ROLE kyc_cx;
    CREATE ROLE demo_aml_lead LOGIN IN ROLE kyc_aml;
    CREATE ROLE demo_scheduler LOGIN IN ROLE kyc_jobs;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
-- the DBA grants the bank's tenant to its logins; setting kyc.tenant alone opens nothing
SELECT count(kyc.grant_tenant('first_national', r)) AS tenant_grants
FROM unnest(ARRAY['demo_app', 'demo_kyc_ops', 'demo_fraud', 'demo_aml', 'demo_compliance', 'demo_cx', 'demo_aml_lead',
                  'demo_scheduler']::name[]) r;
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
SELECT external_ref, applicant_kind, product, state FROM kyc.application_status ORDER BY created_at, external_ref;

\echo
\echo '== 2. Every application has one row per gate, each with its owner. KYB/UBO applies to the business only.'
SELECT a.external_ref, g.gate, g.owner, g.status
FROM kyc.application_gate g JOIN kyc.application a ON a.id = g.application_id
WHERE a.external_ref IN ('alice-2026-001', 'acme-llc-2026-004')
ORDER BY a.external_ref, g.gate;

\echo
\echo '== 3. Alice consents (purpose, disclosure version, channel proof). The service asks the database to decide.'
SELECT kyc.capture_consent(:alice, 'account_opening', 'disclosures-2026-10', '{"channel": "app", "session": "s-41"}') > 0 AS consent_recorded;
SELECT outcome, state, risk_tier FROM kyc.evaluate(:alice);
\echo '   No signal yet: proofing is pending, and the policy (digital checking v1, pinned at opening) waits.'

\echo
\echo '== 4. The service tries to open her account itself: refused, with the reasons, and there is no shortcut.'
SELECT kyc.transition(:alice, 'opened_not_funded');
SELECT kyc.transition(:alice, 'active');

\echo
\echo '== 5. The document vendor''s signal arrives: glare on the licence. A signal is evidence, not a decision.'
SELECT kyc.submit_signal(:alice, '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
    "result": "inconclusive", "confidence": "medium", "reason_codes": ["IDV.DOCUMENT_GLARE"],
    "customer_safe_reason": "additional_information_needed", "evidence_refs": ["doc_123"], "owner": "identity_platform",
    "model": {"id": "idv-doc", "version": "4.2"}, "score": 0.41}') IS NOT NULL AS signal_accepted;
\echo '   A malformed signal is refused, naming the field, and nothing is written:'
SELECT kyc.submit_signal(:alice, '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
    "result": "inconclusive", "confidence": "medium", "reason_codes": ["IDV.DOCUMENT_GLARE"],
    "customer_safe_reason": "Your licence photo looks tampered", "owner": "identity_platform"}');
SELECT outcome, state FROM kyc.evaluate(:alice);
SET ROLE demo_cx;
SELECT label, message, next_step FROM kyc.customer_status_by_ref('alice-2026-001');
SET ROLE demo_app;

\echo
\echo '== 6. A new photo passes; CIP, CDD, fraud and AML checks come back clean. A proofing pass alone opens nothing:'
SELECT kyc.submit_signal(:alice, '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
    "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "verification_in_progress",
    "owner": "identity_platform", "model": {"id": "idv-doc", "version": "4.2"}, "score": 0.97}') IS NOT NULL AS signal_accepted;
SELECT outcome, state FROM kyc.evaluate(:alice);
SELECT count(kyc.submit_signal(:alice, jsonb_build_object('source', src, 'signal_type', t, 'gate', g, 'owner', o,
           'result', 'pass', 'confidence', 'high', 'reason_codes', '[]'::jsonb, 'customer_safe_reason', 'under_review'))) AS signals
FROM (VALUES ('cip_bureau', 'non_documentary_match', 'cip', 'kyc_cip'), ('cdd_questionnaire', 'risk_profile', 'cdd', 'bsa_aml'),
             ('device_intel', 'device_risk', 'fraud', 'fraud_risk'), ('watchlist_screening', 'sanctions_pep', 'aml', 'bsa_aml')) AS s (src, t, g, o);
SELECT outcome, state, risk_tier FROM kyc.evaluate(:alice);
\echo '   The gates as the AML analyst sees them: the service itself may not see the fraud and AML gates.'
SET ROLE demo_aml;
SELECT gate, status, decided_via FROM kyc.application_gate WHERE application_id = :alice ORDER BY gate;
SET ROLE demo_app;

\echo
\echo '== 7. Her account is open. The first deposit clears and the service activates it.'
SELECT kyc.record_funding(:alice, 250.00, 'USD', 'ach', 'ach-88412') IS NOT NULL AS funding_recorded;
SELECT kyc.activate(:alice);
\echo '   Every decision records its exact inputs and policy version, and replays to the same result:'
SELECT d.from_state, d.to_state, d.outcome, d.policy_version, cardinality(d.input_signal_ids) AS signals,
       (kyc.replay(d.id)).matches AS replays
FROM kyc.decision d WHERE d.application_id = :alice ORDER BY d.decided_at;

\echo
\echo '== 8. Bob: the CIP bureau cannot verify him (high confidence). One vendor signal only recommends the'
\echo '   decline: KYC operations confirms it within a short SLA. The decline is owned by the CIP gate.'
SELECT kyc.capture_consent(:bob, 'account_opening', 'disclosures-2026-10', '{"channel": "app", "session": "s-77"}') > 0 AS consent_recorded;
SELECT kyc.submit_signal(:bob, '{"source": "cip_bureau", "signal_type": "non_documentary_match", "gate": "cip", "result": "fail",
    "confidence": "high", "reason_codes": ["CIP.UNABLE_TO_VERIFY"], "customer_safe_reason": "unable_to_open_account",
    "owner": "kyc_cip"}') IS NOT NULL AS signal_accepted;
SELECT outcome, state FROM kyc.evaluate(:bob);
SET ROLE demo_kyc_ops;
SELECT c.gate, c.reason_codes, c.sla_due_at - c.created_at AS sla FROM kyc.claim_task('kyc_ops') c;
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :bob AND status = 'claimed'),
    'decline', 'CIP.UNABLE_TO_VERIFY', 'neither the bureau nor the documents verify the identity');
SET ROLE demo_app;
SELECT state, state_reason FROM kyc.application_status WHERE id = :bob;
\echo '   declined is terminal:'
SELECT kyc.transition(:bob, 'cip_verification_pending');

\echo
\echo '== 9. Carol leaves during identity proofing: abandoned, counted as friction, not success.'
SELECT kyc.capture_consent(:carol, 'account_opening', 'disclosures-2026-10', '{"channel": "contact_center", "agent": "a-17"}') > 0 AS consent_recorded;
SELECT outcome, state FROM kyc.evaluate(:carol);
SELECT kyc.transition(:carol, 'abandoned', 'ABANDON.CUSTOMER_LEFT');

\echo
\echo '== 10. Acme LLC (small-business policy): the entity''s registry record does not match its attestation, and'
\echo '       screening refers an owner to AML. Each gate in review gets a task in its own queue; the state shows the AML hold.'
SELECT kyc.capture_consent(:acme, 'account_opening', 'disclosures-2026-10', '{"channel": "branch", "banker": "b-3"}') > 0 AS consent_recorded;
SELECT count(kyc.submit_signal(:acme, jsonb_build_object('source', src, 'signal_type', t, 'gate', g, 'owner', o, 'result', r,
           'confidence', c, 'reason_codes', rc, 'customer_safe_reason', 'under_review'))) AS signals
FROM (VALUES ('idv_vendor', 'evidence_validation', 'identity_proofing', 'identity_platform', 'pass', 'high', '[]'::jsonb),
             ('cip_bureau', 'non_documentary_match', 'cip', 'kyc_cip', 'pass', 'high', '[]'),
             ('cdd_questionnaire', 'risk_profile', 'cdd', 'bsa_aml', 'pass', 'high', '[]'),
             ('device_intel', 'device_risk', 'fraud', 'fraud_risk', 'pass', 'high', '[]'),
             ('kyb_vendor', 'registry_match', 'kyb_ubo', 'kyb_ops', 'refer', 'medium', '["KYB.REGISTRY_MISMATCH"]'),
             ('watchlist_screening', 'sanctions_pep', 'aml', 'bsa_aml', 'refer', 'medium', '["AML.PEP_MATCH"]')) AS s (src, t, g, o, r, c, rc);
SELECT outcome, state FROM kyc.evaluate(:acme);
SELECT queue, gate, reason_codes, status FROM kyc.review_task WHERE application_id = :acme ORDER BY queue;

\echo
\echo '== 11. What customer service may tell them: approved wording only. Acme''s AML hold reads exactly like'
\echo '       any other review; nothing says AML, PEP or KYB.'
SET ROLE demo_cx;
SELECT label, message, next_step FROM kyc.customer_status_by_ref('acme-llc-2026-004');
SELECT label, message, next_step FROM kyc.customer_status_by_ref('alice-2026-001', 'es-US');
SELECT label, message, next_step FROM kyc.customer_status_by_ref('bob-2026-002');

\echo
\echo '== 12. Reviewers work their queues. KYB operations claims Acme''s registry mismatch and asks the'
\echo '       applicant for the ownership chart (an RFI, counted against the policy''s maximum of 3 rounds).'
SET ROLE demo_kyc_ops;
SELECT queue, gate, reason_codes, status, priority FROM kyc.claim_task('kyb_ops');
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :acme AND status = 'claimed'),
    'request_information', 'KYB.UBO_INCOMPLETE', 'ownership chart misses the holding company');
SET ROLE demo_cx;
SELECT label, next_step FROM kyc.customer_status_by_ref('acme-llc-2026-004');
\echo '   The applicant uploads it; the task is back in the KYB queue, and KYB operations clears the gate.'
SET ROLE demo_app;
SELECT state FROM kyc.provide_information(:acme, '{"document_ref": "ubo-chart-v2", "pages": 3}');
SET ROLE demo_kyc_ops;
SELECT origin, gate FROM kyc.claim_task('kyb_ops');
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :acme AND status = 'claimed'),
    'clear', 'KYB.CLEARED_BY_REVIEW', 'holding company verified in the Delaware registry');

\echo
\echo '== 13. The AML analyst finds the PEP match is a namesake. Clearing an AML hold takes four eyes:'
\echo '       she proposes, she cannot confirm herself, and a second analyst does.'
SET ROLE demo_aml;
SELECT gate, status FROM kyc.claim_task('aml_ops');
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :acme AND status = 'claimed'),
    'clear', 'AML.CLEARED_BY_REVIEW', 'namesake: different date of birth and nationality');
SELECT task_status FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :acme AND gate = 'aml'
                                          AND status = 'awaiting_second_review'), 'clear', 'AML.CLEARED_BY_REVIEW');
RESET ROLE;
SET SESSION AUTHORIZATION demo_aml_lead;   -- a second person is another login: SET ROLE would not be
SELECT status, proposed_by, proposed_outcome FROM kyc.claim_task('aml_ops');
SELECT task_status, state, decision_outcome FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :acme
                                                                    AND gate = 'aml' AND status = 'awaiting_second_review'),
    'clear', 'AML.CLEARED_BY_REVIEW', 'agreed: false positive');
RESET SESSION AUTHORIZATION;

\echo
\echo '== 14. Time passes; the jobs pg_cron runs keep it (here called by hand, each with its own "now").'
\echo '       Dave opens an application and never comes back; Erin''s device check needs a fraud analyst.'
SET ROLE demo_app;
SELECT kyc.open_application('dave-2026-005', 'individual', 'digital_checking', 'US-WA', 'digital') IS NOT NULL AS opened;
SELECT kyc.open_application('erin-2026-006', 'individual', 'digital_checking', 'US-FL', 'digital') IS NOT NULL AS opened;
SELECT kyc.capture_consent(kyc.application_id('erin-2026-006'), 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0 AS consent_recorded;
SELECT kyc.submit_signal(kyc.application_id('erin-2026-006'), '{"source": "device_intel", "signal_type": "device_risk", "gate": "fraud",
    "result": "refer", "confidence": "medium", "reason_codes": ["FRAUD.DEVICE_RISK"], "customer_safe_reason": "under_review",
    "owner": "fraud_risk"}') IS NOT NULL AS signal_accepted;
SELECT outcome, state FROM kyc.evaluate(kyc.application_id('erin-2026-006'));
\echo '   Two days on, Erin''s task is past its one-day SLA: the sweep escalates it, once.'
SET ROLE demo_scheduler;
SELECT job, status, processed FROM kyc.sla_sweep(now() + interval '2 days');
SELECT job, status, processed FROM kyc.sla_sweep(now() + interval '2 days 5 minutes');
SET ROLE demo_fraud;
SELECT queue, open, escalated FROM kyc.queue_health ORDER BY queue;
\echo '   Eight days on, Dave is abandoned (the policy gives 7 days to consent): friction, not success.'
SET ROLE demo_scheduler;
SELECT job, status, processed FROM kyc.abandonment_sweep(now() + interval '8 days');
SET ROLE demo_app;
SELECT abandoned_in, reason_code, applications FROM kyc.abandonment_by_step ORDER BY abandoned_in;

\echo
\echo '== 15. Early-life monitoring: a day after opening, 95% of Alice''s deposit leaves. Her account is restricted'
\echo '       and a fraud analyst gets the case; she confirms the transfer to Alice''s own brokerage and clears it.'
SELECT kyc.record_account_event(:alice, 'outbound_transfer', 237.50) IS NOT NULL AS activity_recorded;
SET ROLE demo_scheduler;
SELECT job, status, processed FROM kyc.early_life_monitor(now() + interval '1 day');
SET ROLE demo_fraud;
SELECT a.external_ref, l.rule, l.observed, a.state, r.kind AS restriction
FROM kyc.early_life_alert l JOIN kyc.application_status a ON a.id = l.application_id JOIN kyc.restriction_status r ON r.id = l.restriction_id;
SELECT count(kyc.claim_task('fraud_ops')) AS claimed FROM generate_series(1, 2);
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :alice AND status = 'claimed'),
    'clear', 'FRAUD.CLEARED_BY_REVIEW', 'transfer to her own brokerage account, confirmed by phone');
SET ROLE demo_compliance;
SELECT job, last_status, health FROM kyc.job_health ORDER BY job;

\echo
\echo '== 16. Even a plain UPDATE by a superuser goes through the same rules.'
RESET ROLE;
UPDATE kyc.application SET state = 'active' WHERE external_ref = 'acme-llc-2026-004';

\echo
\echo '== 17. Where everyone stands, and Alice''s full history (who moved her, when, why).'
SET ROLE demo_app;
SELECT external_ref, state, state_version, state_reason FROM kyc.application_status ORDER BY created_at, external_ref;
SELECT h.state_version, h.from_state, h.to_state, h.reason_code, h.note, h.actor_role
FROM kyc.state_history h WHERE h.application_id = :alice ORDER BY h.state_version;

\echo
\echo '== 18. Every one of those steps is a row of Alice''s evidence chain, hash-linked to the one before.'
\echo '   Payloads are read through kyc.read_evidence, for a stated purpose; reading personal data is itself recorded.'
SELECT seq, kind, data_class, actor_role, coalesce(payload->>'to_state', payload->'result'->>'outcome', payload->>'gate', payload->>'purpose') AS what
FROM kyc.read_evidence(:alice, 'walk-through: onboarding review of ticket OPS-1042') ORDER BY seq;
\echo '   Reading payloads around the accessor is refused:'
SELECT payload FROM kyc.evidence WHERE application_id = :alice;

\echo
\echo '== 19. The ledger is append-only, even for a superuser.'
RESET ROLE;
UPDATE kyc.evidence SET payload = '{"gate": "cip", "result": "pass"}' WHERE application_id = :bob AND seq = 3;
DELETE FROM kyc.evidence WHERE application_id = :bob;

\echo
\echo '== 20. Compliance seals the ledger, and verifies it. The seal is exported to be kept elsewhere.'
SET ROLE demo_compliance;
SELECT kyc.seal_ledger() IS NOT NULL AS sealed;
SELECT chains, evidence_rows, errors, redacted, unsealed_chains, verdict FROM kyc.verify_summary();
SELECT key FROM jsonb_object_keys(kyc.export_digest()) AS key ORDER BY key;

\echo
\echo '== 21. Compliance keeps personal data 5 years after an application concludes, and puts Carol''s file on'
\echo '       legal hold. Five years on, the retention job redacts what is due; the chains still verify.'
SELECT kyc.set_retention('pii', interval '5 years', 'BSA record keeping: 5 years after the relationship ends');
SELECT kyc.place_legal_hold(:carol, 'complaint CX-2291 under review') IS NOT NULL AS hold_placed;
SET ROLE demo_scheduler;
SELECT job, status, processed FROM kyc.retention_sweep(now() + interval '5 years 1 day');
RESET ROLE;
SELECT a.external_ref, a.state, count(*) FILTER (WHERE e.payload IS NULL) AS pii_rows_redacted, count(*) AS pii_rows
FROM kyc.evidence e JOIN kyc.application a ON a.id = e.application_id
WHERE e.data_class = 'pii' AND e.kind <> 'retention_action' GROUP BY 1, 2 ORDER BY 1;
SET ROLE demo_compliance;
SELECT finding, severity, count(*) FROM kyc.verify_ledger() WHERE finding <> 'unsealed' GROUP BY 1, 2 ORDER BY 1, 2;

\echo
\echo '== 22. Naming another bank''s tenant gives nothing: the role was never granted it.'
SET ROLE demo_app;
SET kyc.tenant = 'second_savings';
SELECT count(*) AS applications_visible FROM kyc.application;
SELECT count(*) AS evidence_visible FROM kyc.evidence;
SELECT kyc.open_application('mallory-001', 'individual', 'digital_checking', 'US');
RESET ROLE;
