-- Decisions that hold on every path (issue 13): gates follow live evidence, every review has an
-- owner, requests for information are bounded, consent withdrawal decides cleanly, nothing opens
-- without a policy, a single vendor signal never declines before a person triages it (but for
-- facts of eligibility), and adverse evidence on an opened account restricts it and goes to review.
\set SHOW_CONTEXT never
SELECT count(kyc.grant_tenant('live_bank', r)) AS grants
FROM unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_reviewer2', 'regress_fraud', 'regress_fraud2',
                  'regress_aml', 'regress_aml2', 'regress_admin', 'regress_admin2', 'regress_auditor', 'regress_cx',
                  'regress_jobs']::name[]) r;
SET kyc.tenant = 'live_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql
\set gates 'SELECT gate, status, reason_code, decided_via, valid_until IS NOT NULL AS expires FROM kyc.application_gate WHERE application_id = :''app'' AND status <> ''not_applicable'' ORDER BY gate;'
\set tasks 'SELECT t.queue, t.gate, t.origin, t.reason_codes, t.status, t.sla_due_at - t.created_at AS sla FROM kyc.review_task t WHERE t.application_id = :''app'' ORDER BY t.created_at, t.gate;'
\set rfis 'SELECT gate, round, reason_code, status, task_id IS NULL AS raised_by_evaluation FROM kyc.information_request WHERE application_id = :''app'' ORDER BY gate, round;'

-- 1. An expired pass: the gate goes back to pending, and the account does not open on it
SELECT pg_temp.applicant('l-expire', except_gates => '{identity_proofing,cip}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'pass', 'high', '{}', now() + interval '1 hour') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT g.status, g.valid_until = s.expires_at AS holds_until_the_signal_expires
FROM kyc.application_gate g JOIN kyc.signal s ON s.application_id = g.application_id AND s.gate = g.gate
WHERE g.application_id = :'app' AND g.gate = 'identity_proofing';
-- decided again after the signal expired (as the expiry job does): the gate reads what the
-- decision says
SELECT outcome, state FROM kyc.evaluate(:'app', now() + interval '2 hours');
SELECT d.result #>> '{gates,identity_proofing,status}' AS decided, g.status AS gate_reads
FROM kyc.decision d JOIN kyc.application_gate g ON g.application_id = d.application_id AND g.gate = 'identity_proofing'
WHERE d.application_id = :'app' ORDER BY d.decided_at DESC, d.decided_as_of DESC LIMIT 1;
-- so an account cannot open by hand on it
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'app', 'cip', 'passed', NULL, 'documentary CIP in branch');
SET ROLE regress_app;
SELECT kyc.transition(:'app', 'opened_not_funded');
SELECT state FROM kyc.application_status WHERE id = :'app';
-- the state trigger itself compares with the time of the move: a pass whose signal has expired
-- since the last evaluation does not count either (the time is moved here by hand)
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'pass', 'high', '{}', now() + interval '1 hour') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT pg_temp.applicant('l-expire-2', except_gates => '{identity_proofing,cip}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'pass', 'high', '{}', now() + interval '1 hour') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
RESET ROLE;
UPDATE kyc.application_gate SET valid_until = now() - interval '1 second'
WHERE application_id = :'app' AND gate = 'identity_proofing';
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'app', 'cip', 'passed', NULL, 'documentary CIP in branch');
SET ROLE regress_app;
SELECT kyc.transition(:'app', 'opened_not_funded');
SELECT state FROM kyc.application_status WHERE id = :'app';

-- 2. A review with an owner: a signal no rule maps (a screening vendor's error) goes to the AML
--    queue with an SLA and the catalog's reason; the customer sees an ordinary review
SELECT pg_temp.applicant('l-outage', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'error', 'low') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_aml;
:tasks
SET ROLE regress_cx;
SELECT label FROM kyc.customer_status(:'app');
SET ROLE regress_app;
-- a gate a reviewer puts in review by hand gets its task too
SELECT pg_temp.applicant('l-by-hand', except_gates => '{cip}') AS app \gset
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'app', 'cip', 'review', 'CIP.NAME_DOB_MISMATCH', 'the documents disagree on the date of birth');
:tasks
SET ROLE regress_app;
-- a potential sanctions match next to a document glare: the customer is asked for a new photo, and
-- the AML analyst gets the hit all the same; the abandonment job waits for the analyst
SELECT pg_temp.applicant('l-glare-aml', except_gates => '{identity_proofing,aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_GLARE}') IS NOT NULL;
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.SANCTIONS_POTENTIAL_MATCH}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_aml;
:tasks
SET ROLE regress_app;
:rfis
SET ROLE regress_jobs;
SELECT (kyc.abandonment_sweep(now() + interval '60 days')).job;
SET ROLE regress_app;
SELECT state FROM kyc.application_status WHERE id = :'app';

-- 3. Requests for information are bounded: each evaluation-raised request is a round, a new
--    signal answers it, and past the policy's max_rfi_rounds (3) the gate goes to its owner
SELECT pg_temp.applicant('l-loop', except_gates => '{identity_proofing}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_GLARE}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
-- evaluating again asks nothing new
SELECT outcome, state FROM kyc.evaluate(:'app');
:rfis
-- the applicant uploads again and again, and the vendor reads glare each time
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_GLARE}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_GLARE}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_GLARE}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
:rfis
:tasks
SELECT (d.result #> '{gates,identity_proofing}') - 'sla' AS gate FROM kyc.decision d
WHERE d.application_id = :'app' ORDER BY d.decided_at DESC LIMIT 1;
-- the reviewer may not ask a fourth time either: the limit has its own SQLSTATE
SET ROLE regress_reviewer;
SELECT c.gate FROM kyc.claim_task('kyc_ops') c WHERE c.application_id = :'app';
SELECT count(*) AS evidence_rows FROM kyc.evidence WHERE application_id = :'app';
\set VERBOSITY sqlstate
SELECT * FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed'),
                               'request_information', 'IDV.DOCUMENT_GLARE');
\set VERBOSITY default
SELECT * FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed'),
                               'request_information', 'IDV.DOCUMENT_GLARE');
SELECT count(*) AS evidence_rows FROM kyc.evidence WHERE application_id = :'app';
-- the applicant answers an evaluation-raised request through kyc.provide_information: the answer
-- goes to the gate owner's queue
SET ROLE regress_app;
SELECT pg_temp.applicant('l-answer', except_gates => '{cdd}') AS app \gset
SELECT pg_temp.sig(:'app', 'cdd', 'bsa_aml', 'inconclusive', 'medium', '{CDD.PURPOSE_MISSING}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT state, task_id IS NOT NULL AS new_task FROM kyc.provide_information(:'app', '{"purpose": "payroll account"}');
:rfis
SET ROLE regress_aml;
:tasks
SET ROLE regress_app;

-- 4. Consent withdrawn before any evaluation, and in the middle of one: evaluation decides
--    cleanly; nothing is decided without consent, the application waits for it
SELECT pg_temp.applicant('l-withdraw') AS app \gset
SELECT kyc.withdraw_consent(:'app', '{"channel": "app"}') IS NOT NULL AS withdrawn;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT pg_temp.applicant('l-withdraw-2', except_gates => '{cip}') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.withdraw_consent(:'app', '{"channel": "app"}') IS NOT NULL AS withdrawn;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT reason_codes FROM kyc.decision WHERE application_id = :'app' ORDER BY decided_at DESC LIMIT 1;
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') IS NOT NULL AS consented;
SELECT outcome, state FROM kyc.evaluate(:'app');

-- 5. No policy in force for the product: nothing opens
SELECT count(*) AS applications FROM kyc.application_status WHERE tenant_id = 'live_bank';
SELECT kyc.open_application('l-bond', 'individual', 'savings_bond', 'US', 'digital');
SELECT count(*) AS applications FROM kyc.application_status WHERE tenant_id = 'live_bank';
SELECT count(*) AS gates FROM kyc.application_gate WHERE tenant_id = 'live_bank';

-- 6. No decline before triage: a confirmed finding on one vendor signal recommends the decline to
--    its owner's queue with a short SLA; a reviewer confirms it (two for AML)
SELECT pg_temp.applicant('l-cip', except_gates => '{cip}') AS app \gset
SELECT pg_temp.sig(:'app', 'cip', 'kyc_cip', 'fail', 'high', '{CIP.UNABLE_TO_VERIFY}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
:tasks
SELECT d.result #>> '{gates,cip,recommendation}' AS recommendation FROM kyc.decision d
WHERE d.application_id = :'app' ORDER BY d.decided_at DESC LIMIT 1;
SET ROLE regress_reviewer;
SELECT c.gate FROM kyc.claim_task('kyc_ops') c WHERE c.application_id = :'app';
SELECT task_status, state, decision_outcome
FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed'),
                      'decline', 'CIP.UNABLE_TO_VERIFY', 'no record in any source');
SET ROLE regress_app;
SELECT pg_temp.applicant('l-sanctions', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'fail', 'high', '{AML.SANCTIONS_CONFIRMED}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_aml;
:tasks
SELECT c.gate FROM kyc.claim_task('aml_ops') c WHERE c.application_id = :'app';
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT task_status, state FROM kyc.resolve_task(:'task', 'decline', 'AML.SANCTIONS_CONFIRMED', 'list entry and DOB match');
SELECT * FROM kyc.resolve_task(:'task', 'decline', 'AML.SANCTIONS_CONFIRMED');
SET SESSION AUTHORIZATION regress_aml2;
SELECT c.status, c.proposed_outcome FROM kyc.claim_task('aml_ops') c WHERE c.application_id = :'app';
SELECT task_status, state, decision_outcome FROM kyc.resolve_task(:'task', 'decline', 'AML.SANCTIONS_CONFIRMED', 'agreed');
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT pg_temp.applicant('l-fraud', except_gates => '{fraud}') AS app \gset
SELECT pg_temp.sig(:'app', 'fraud', 'fraud_risk', 'fail', 'high', '{FRAUD.CONFIRMED}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_fraud;
:tasks
SELECT c.gate FROM kyc.claim_task('fraud_ops') c WHERE c.application_id = :'app';
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed'),
                                                'decline', 'FRAUD.CONFIRMED', 'consortium match confirmed');
SET ROLE regress_app;
-- a fact of eligibility still declines at once
SELECT pg_temp.applicant('l-minor') AS app \gset
SELECT pg_temp.sig(:'app', 'eligibility', 'product', 'fail', 'high', '{ELIG.UNDERAGE}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
-- and so does a rule the bank's policy explicitly marks auto_decline (only a failing rule can be)
SET ROLE regress_admin;
SELECT kyc.draft_policy('00000000-0000-4000-8000-00000000dc01', 'fraud confirmed by the consortium declines at once') AS draft \gset
UPDATE kyc.policy_rule SET auto_decline = true WHERE policy_id = :'draft' AND rule_no = 42;
UPDATE kyc.policy_rule SET auto_decline = true WHERE policy_id = :'draft' AND rule_no = 41;
SET SESSION AUTHORIZATION regress_admin2;
SELECT kyc.publish_policy(:'draft') IS NOT NULL AS published;
SELECT document #> '{rules}' @> '[{"rule_no": 41, "auto_decline": true}]' AS marked FROM kyc.policy WHERE id = :'draft';
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT pg_temp.applicant('l-fraud-auto', except_gates => '{fraud}') AS app \gset
SELECT pg_temp.sig(:'app', 'fraud', 'fraud_risk', 'fail', 'high', '{FRAUD.CONFIRMED}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');

-- 7. Adverse evidence on an opened account restricts it and opens a review in the owner's queue;
--    the reviewer clears it (the restriction is lifted) or closes the account (two for AML)
SELECT pg_temp.applicant('l-open-aml') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-l1') IS NOT NULL AS funded;
SELECT kyc.activate(:'app');
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'fail', 'high', '{AML.SANCTIONS_CONFIRMED}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
-- (the restriction, which the service reads, does not say that AML raised it)
SELECT kind, reason_code, lifted_at IS NULL AS in_force FROM kyc.restriction_status WHERE application_id = :'app';
RESET ROLE;
SELECT task_id IS NOT NULL AS reviewed_by_task FROM kyc.restriction WHERE application_id = :'app';
SET ROLE regress_app;
SET ROLE regress_aml;
:tasks
SELECT c.gate FROM kyc.claim_task('aml_ops') c WHERE c.application_id = :'app';
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT task_status, state FROM kyc.resolve_task(:'task', 'decline', 'AML.SANCTIONS_CONFIRMED', 'true match');
SET SESSION AUTHORIZATION regress_aml2;
SELECT c.status FROM kyc.claim_task('aml_ops') c WHERE c.application_id = :'app';
SELECT task_status, state FROM kyc.resolve_task(:'task', 'decline', 'AML.SANCTIONS_CONFIRMED', 'agreed: exit');
SELECT state, state_reason FROM kyc.application_status WHERE id = :'app';
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT pg_temp.applicant('l-open-fraud') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-l2') IS NOT NULL AS funded;
SELECT kyc.activate(:'app');
SELECT pg_temp.sig(:'app', 'fraud', 'fraud_risk', 'refer', 'medium', '{FRAUD.DEVICE_RISK}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_fraud;
:tasks
SELECT c.gate FROM kyc.claim_task('fraud_ops') c WHERE c.application_id = :'app';
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed'),
                                                'clear', 'FRAUD.CLEARED_BY_REVIEW', 'device known to the customer');
SET ROLE regress_app;
SELECT kind, lifted_at IS NOT NULL AS lifted FROM kyc.restriction WHERE application_id = :'app';
-- the cleared evidence does not come back at the next evaluation
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_fraud;
:tasks
SET ROLE regress_app;

-- 8. The gate catalog is the one place for these facts: evaluation reads it (once per backend,
--    again after any change) and records what it used, so a decision replays exactly
RESET ROLE;
BEGIN;
UPDATE kyc.gate_definition SET review_sla = '5 hours' WHERE gate = 'aml';
SET LOCAL ROLE regress_app;
SELECT pg_temp.applicant('l-catalog', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'error', 'low') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET LOCAL ROLE regress_aml;
:tasks
SELECT d.inputs #>> '{catalog,gates,aml,review_sla}' AS recorded, (kyc.replay(d.id)).matches FROM kyc.decision d
WHERE d.application_id = :'app';
ROLLBACK;
SET ROLE regress_app;
SELECT pg_temp.applicant('l-catalog', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'error', 'low') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_aml;
:tasks

-- every decision replays; every gate in review of an application in onboarding has one live task;
-- the ledger verifies
SET ROLE regress_aml;
SELECT count(*) AS decisions, bool_and((kyc.replay(id)).matches) AS all_replay FROM kyc.decision WHERE tenant_id = 'live_bank';
SELECT a.external_ref, g.gate FROM kyc.application_gate g JOIN kyc.application_status a ON a.id = g.application_id
WHERE a.tenant_id = 'live_bank' AND g.status = 'review'
  AND a.state NOT IN ('declined', 'abandoned', 'closed', 'approved_restricted', 'opened_not_funded', 'active')
  AND (SELECT count(*) FROM kyc.review_task t WHERE t.application_id = a.id AND t.gate = g.gate
         AND t.status IN ('open', 'claimed', 'awaiting_second_review')) <> 1;
SET ROLE regress_auditor;
SELECT count(*) FILTER (WHERE severity = 'error') AS ledger_errors FROM kyc.verify_ledger() WHERE tenant_id = 'live_bank';
RESET ROLE;
