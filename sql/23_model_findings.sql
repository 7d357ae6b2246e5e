-- What the randomized model test (tests/model/, FINDINGS.md "On the merged 0.3.0 code") still found
-- after issue 13's fixes, one scenario each, with proof that a refusal writes nothing.
\set SHOW_CONTEXT never
SELECT count(kyc.grant_tenant('model_bank', r)) AS grants
FROM unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_auditor']::name[]) r;
CREATE ROLE regress_model_jobs LOGIN IN ROLE kyc_jobs;
SELECT kyc.grant_tenant('model_bank', 'regress_model_jobs');
SET kyc.tenant = 'model_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql
\set written 'SELECT (SELECT count(*) FROM kyc.evidence WHERE application_id = :''app'') AS evidence_rows, (SELECT count(*) FROM kyc.information_request WHERE application_id = :''app'') AS requests, (SELECT status FROM kyc.application_gate WHERE application_id = :''app'' AND gate = :''gate'') AS gate_status, (SELECT state FROM kyc.application_status WHERE id = :''app'') AS state;'

-- 1. Deposit operations cannot clear a returned funding into an active account: the funding gate
--    passes on cleared funding only (seed 7 step 539, seed 13 step 1604)
SELECT pg_temp.applicant('mf-fund') AS app \gset
\set gate funding
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 1000, 'USD', 'ach', 'ach-mf-1', 'returned') IS NOT NULL AS returned;
SET ROLE regress_reviewer;
SELECT id AS task FROM kyc.claim_task('deposit_ops') \gset
:written
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'FUND.CLEARED');
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'FUND.VERIFIED_BY_REVIEW', 'looked fine');
:written
SELECT status FROM kyc.review_task WHERE id = :'task';

-- 2. ... it asks the applicant for the funding instead; that request stays open past its due
--    time on an opened account, which cannot be abandoned (seed 13 step 1259: the abandonment
--    sweep expired it and left the gate waiting for an answer nobody was asked for)
SELECT task_status, state, decision_outcome FROM kyc.resolve_task(:'task', 'request_information', 'FUND.NOT_RECEIVED');
SET ROLE regress_model_jobs;
SELECT job, status FROM kyc.abandonment_sweep(now() + interval '60 days');
SET ROLE regress_app;
SELECT gate, round, status FROM kyc.information_request WHERE application_id = :'app';
:written
SET ROLE regress_auditor;
SELECT invariant, detail FROM kyc.invariant_violations();
SET ROLE regress_app;
SELECT kyc.record_funding(:'app', 1000, 'USD', 'ach', 'ach-mf-2') IS NOT NULL AS cleared;
SELECT state FROM kyc.provide_information(:'app', '{"funding_ref": "ach-mf-2"}');
SET ROLE regress_reviewer;
SELECT id = :'task' AS same_task, origin FROM kyc.claim_task('deposit_ops') \gset
SELECT :'same_task' AS same_task, :'origin' AS origin;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed' \gset
SELECT task_status, state, decision_outcome FROM kyc.resolve_task(:'task', 'clear', 'FUND.CLEARED');
SET ROLE regress_app;
SELECT kyc.activate(:'app');

-- 3. A reviewer's request for information while another gate's request is open is refused with
--    its own message, not the unique index's (seeds 2 and 3: 23505 leaked)
SELECT pg_temp.applicant('mf-rfi', except_gates => ARRAY['identity_proofing', 'cip']) AS app \gset
\set gate cip
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'high', ARRAY['IDV.DOCUMENT_GLARE']) IS NOT NULL AS idv;
SELECT pg_temp.sig(:'app', 'cip', 'kyc_cip', 'refer', 'high', ARRAY['CIP.NAME_DOB_MISMATCH']) IS NOT NULL AS cip;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT gate, round, status FROM kyc.information_request WHERE application_id = :'app';
SET ROLE regress_reviewer;
SELECT id AS task, gate FROM kyc.claim_task('kyc_ops') \gset
SELECT :'gate' AS claimed_gate;
:written
SELECT * FROM kyc.resolve_task(:'task', 'request_information', 'CIP.SSN_UNVERIFIED');
:written
SELECT status FROM kyc.review_task WHERE id = :'task';

-- 4. The restriction adverse evidence imposed on an opened account is not lifted beside its
--    review, whatever gate the review is of (seeds 1 and 3: a KYC reviewer lifted the deposit-hold
--    restriction of an identity-proofing review, and the account went active with it open)
SET ROLE regress_app;
SELECT pg_temp.applicant('mf-lift') AS app \gset
\set gate identity_proofing
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 1000, 'USD', 'ach', 'ach-mf-3') IS NOT NULL AS cleared;
SELECT kyc.activate(:'app');
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'high', ARRAY['IDV.LIVENESS_FAILED']) IS NOT NULL AS idv;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT r.id AS restriction, s.reason_code, t.gate AS review_gate, t.status AS review_status
FROM kyc.restriction r JOIN kyc.restriction_status s USING (id) JOIN kyc.review_task t ON t.id = r.task_id
WHERE r.application_id = :'app' \gset
SELECT :'reason_code' AS reason_code, :'review_gate' AS review_gate, :'review_status' AS review_status;
SET ROLE regress_reviewer;
:written
SELECT kyc.lift_restriction(:'restriction', 'customer called, all fine');
:written
SELECT lifted_at IS NULL AS still_in_force FROM kyc.restriction WHERE id = :'restriction';
-- the review decides: clearing it lifts the restriction
SELECT id = :'task' AS same_task FROM kyc.claim_task('kyc_ops') \gset
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed' \gset
SELECT task_status, state FROM kyc.resolve_task(:'task', 'clear', 'IDV.CLEARED_BY_REVIEW');
SELECT lifted_at IS NULL AS still_in_force FROM kyc.restriction WHERE id = :'restriction';

-- 5. A gate whose signals the applicant already answered, with nothing newer, goes to its owner's
--    queue: the decision never says information is needed without asking for it (seed 3 step
--    1479, seed 1 step 1682: information_requested with no request open, and provide_information
--    refused). Here a reviewer's clearance after the answer is superseded by a pass that expires
--    (AML still pending keeps the application from opening).
SET ROLE regress_app;
SELECT pg_temp.applicant('mf-asked', except_gates => ARRAY['identity_proofing', 'aml']) AS app \gset
\set gate identity_proofing
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'high', ARRAY['IDV.DOCUMENT_EXPIRED']) IS NOT NULL AS idv;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT state FROM kyc.provide_information(:'app', '{"document_ref": "passport-2"}');
SET ROLE regress_reviewer;
SELECT id AS task FROM kyc.claim_task('kyc_ops') \gset
SELECT task_status, state FROM kyc.resolve_task(:'task', 'clear', 'IDV.CLEARED_BY_REVIEW');
SET ROLE regress_app;
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'pass', 'high', '{}', now() + interval '1 hour') IS NOT NULL AS idv;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT outcome, state FROM kyc.evaluate(:'app', now() + interval '2 hours');
SELECT gate, round, status FROM kyc.information_request WHERE application_id = :'app' ORDER BY round;
SELECT gate, queue, origin, status FROM kyc.review_task WHERE application_id = :'app' AND status = 'open';
SET ROLE regress_auditor;
SELECT invariant, detail FROM kyc.invariant_violations();
RESET ROLE;

-- 6. A seal job as of a time before a seal an administrator made later is a late run, skipped and
--    harmless, not a failure (seed 7 step 2097: "cannot seal at a time before the last seal")
SELECT kyc.grant_tenant('model_bank', 'regress_admin');
SET ROLE regress_admin;
SELECT kyc.seal_ledger(now() + interval '50 years') > 0 AS sealed;
SET ROLE regress_model_jobs;
SELECT job, status, processed, detail->>'reason' AS reason FROM kyc.seal_job(now() + interval '40 years');
RESET ROLE;
SELECT count(*) AS failed_seal_runs FROM kyc.job_run WHERE job = 'seal' AND status = 'failed';

-- 7. A failed eligibility after opening (a fact such as under age, which declines at once before
--    opening and so has no queue in its rule) still goes to its owner's queue with the
--    restriction (seed 21 step 1162: approved_restricted with no review task live)
SET ROLE regress_app;
SELECT pg_temp.applicant('mf-elig') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT pg_temp.sig(:'app', 'eligibility', 'product', 'fail', 'high', ARRAY['ELIG.UNDERAGE']) IS NOT NULL AS elig;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT t.gate, t.queue, t.origin, t.status, s.reason_code FROM kyc.review_task t
JOIN kyc.restriction r ON r.task_id = t.id JOIN kyc.restriction_status s ON s.id = r.id WHERE t.application_id = :'app';
SET ROLE regress_auditor;
SELECT invariant, detail FROM kyc.invariant_violations();
RESET ROLE;
