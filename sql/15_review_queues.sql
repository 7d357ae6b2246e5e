-- Review queues: each gate in review is a task in its owner's queue; reviewers claim (never the
-- same task twice), resolve with a catalog reason, and the application is re-evaluated. RFIs
-- round-trip up to the policy's maximum; overriding an AML hold or a decline recommendation
-- takes a second, different reviewer. Every refusal leaves nothing behind.
\set SHOW_CONTEXT never
SELECT count(kyc.grant_tenant('queue_bank', r)) AS grants
FROM unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_reviewer2', 'regress_fraud', 'regress_fraud2',
                  'regress_aml', 'regress_aml2', 'regress_admin', 'regress_auditor', 'regress_cx']::name[]) r;
SET kyc.tenant = 'queue_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql
-- the tasks of one application, and how many evidence rows it has (to show a refusal wrote nothing)
\set tasks 'SELECT t.queue, t.gate, t.origin, t.status, t.assignee, t.resolution, t.priority FROM kyc.review_task t WHERE t.application_id = :''app'' ORDER BY t.created_at, t.gate;'
\set rows 'SELECT count(*) AS evidence_rows FROM kyc.evidence WHERE application_id = :''app'';'

-- 1. Two applicants whose identity proofing is inconclusive: two tasks in the KYC ops queue
SELECT pg_temp.applicant('q-ann', except_gates => '{identity_proofing}') AS ann \gset
SELECT pg_temp.applicant('q-ben', except_gates => '{identity_proofing}') AS ben \gset
SELECT pg_temp.sig(:'ann', 'identity_proofing', 'identity_platform', 'inconclusive', 'low') IS NOT NULL;
SELECT pg_temp.sig(:'ben', 'identity_proofing', 'identity_platform', 'inconclusive', 'low') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'ann');
SELECT outcome, state FROM kyc.evaluate(:'ben');
SELECT a.external_ref, t.queue, t.gate, t.reason_codes, t.status, t.priority, t.sla_due_at > now() AS has_sla
FROM kyc.review_task t JOIN kyc.application a ON a.id = t.application_id ORDER BY a.external_ref;
-- evaluating again opens no second task for the same gate
SELECT outcome FROM kyc.evaluate(:'ann');
SELECT count(*) AS live_tasks FROM kyc.review_task WHERE status IN ('open', 'claimed');
-- the service may not decide a gate that is in a reviewer's hands
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'ann', 'identity_proofing', 'passed');
SET ROLE regress_app;

-- 2. Claiming: each reviewer gets a different task; an empty queue gives NULL
SET ROLE regress_reviewer;
SELECT a.external_ref, c.status, c.assignee FROM kyc.claim_task('kyc_ops') c JOIN kyc.application a ON a.id = c.application_id;
SET ROLE regress_reviewer2;
SELECT a.external_ref, c.status, c.assignee FROM kyc.claim_task('kyc_ops') c JOIN kyc.application a ON a.id = c.application_id;
SELECT kyc.claim_task('kyc_ops') IS NULL AS queue_empty;
-- who may claim what: a queue that does not exist; the fraud queue is not a KYC reviewer's
SELECT kyc.claim_task('kyc_opz');
SELECT kyc.claim_task('fraud_ops');
SET ROLE regress_app;
SELECT kyc.claim_task('kyc_ops');
SET ROLE regress_reviewer;
SELECT id AS ann_task FROM kyc.review_task WHERE application_id = :'ann' \gset
SELECT id AS ben_task FROM kyc.review_task WHERE application_id = :'ben' \gset
SELECT queue, open, claimed, overdue, escalated FROM kyc.queue_health ORDER BY queue;

-- 3. Refusals, each leaving the task and the chain as they were
\set app :ann
:rows
SELECT * FROM kyc.resolve_task(:'ben_task', 'clear', 'IDV.CLEARED_BY_REVIEW');
SELECT * FROM kyc.resolve_task(:'ann_task', 'clear', 'IDV.NO_SUCH_REASON');
SELECT * FROM kyc.resolve_task(:'ann_task', 'clear', 'CIP.CLEARED_BY_REVIEW');
SELECT * FROM kyc.resolve_task(:'ann_task', 'clear', 'IDV.DOCUMENT_GLARE');
SELECT * FROM kyc.resolve_task(:'ann_task', 'waive', 'IDV.CLEARED_BY_REVIEW');
SELECT * FROM kyc.resolve_task(:'ann_task', NULL, 'IDV.CLEARED_BY_REVIEW');
SELECT * FROM kyc.resolve_task('00000000-0000-4000-8000-000000000000', 'clear', 'IDV.CLEARED_BY_REVIEW');
:rows
:tasks
-- a claimed task can be put back, and claimed again
SELECT kyc.release_task(:'ann_task', 'end of shift');
SELECT a.external_ref, c.status FROM kyc.claim_task('kyc_ops') c JOIN kyc.application a ON a.id = c.application_id;

-- 4. Clearing: the gate passes, the application is re-evaluated and opens
SELECT * FROM kyc.resolve_task(:'ann_task', 'clear', 'IDV.CLEARED_BY_REVIEW', 'matched on a second document');
:tasks
SELECT * FROM kyc.resolve_task(:'ann_task', 'clear', 'IDV.CLEARED_BY_REVIEW');
SET ROLE regress_aml;
SELECT kind, payload->>'action' AS action, payload->>'outcome' AS outcome, actor_role
FROM kyc.read_evidence(:'ann', 'queue test') WHERE kind IN ('reviewer_action', 'override') ORDER BY seq;
SELECT gate, status, reason_code, decided_via FROM kyc.application_gate WHERE application_id = :'ann' AND gate = 'identity_proofing';

-- 5. A request for information, round trip: asked, answered, back in the queue; at most
--    max_rfi_rounds (3) rounds, then the reviewer must decide
\set app :ben
SET ROLE regress_reviewer2;
SELECT * FROM kyc.resolve_task(:'ben_task', 'request_information', 'IDV.DOCUMENT_EXPIRED', 'licence expired');
SELECT gate, round, reason_code, status, due_at > now() + interval '13 days' AS due_in_14_days FROM kyc.information_request WHERE application_id = :'ben';
SET ROLE regress_cx;
SELECT label, next_step FROM kyc.customer_status(:'ben');
SET ROLE regress_app;
-- what is not an answer: an empty or non-object response, an application without an open request
SELECT * FROM kyc.provide_information(:'ben', '{}');
SELECT * FROM kyc.provide_information(:'ben', '[1]');
SELECT * FROM kyc.provide_information(:'ann', '{"document_ref": "doc_9"}');
SELECT state, task_id IS NOT NULL AS new_task FROM kyc.provide_information(:'ben', '{"document_ref": "doc_456"}');
:tasks
SET ROLE regress_reviewer2;
SELECT (kyc.claim_task('kyc_ops')).id IS NOT NULL AS claimed;
SELECT id AS ben_task FROM kyc.review_task WHERE application_id = :'ben' AND status = 'claimed' \gset
SELECT task_status, state FROM kyc.resolve_task(:'ben_task', 'request_information', 'IDV.DOCUMENT_GLARE');
SET ROLE regress_app;
SELECT state FROM kyc.provide_information(:'ben', '{"document_ref": "doc_457"}');
SET ROLE regress_reviewer2;
SELECT (kyc.claim_task('kyc_ops')).id IS NOT NULL AS claimed;
SELECT id AS ben_task FROM kyc.review_task WHERE application_id = :'ben' AND status = 'claimed' \gset
SELECT task_status, state FROM kyc.resolve_task(:'ben_task', 'request_information', 'IDV.ADDRESS_MISMATCH');
SET ROLE regress_app;
SELECT state FROM kyc.provide_information(:'ben', '{"document_ref": "doc_458"}');
SET ROLE regress_reviewer2;
SELECT (kyc.claim_task('kyc_ops')).id IS NOT NULL AS claimed;
SELECT id AS ben_task FROM kyc.review_task WHERE application_id = :'ben' AND status = 'claimed' \gset
:rows
SELECT * FROM kyc.resolve_task(:'ben_task', 'request_information', 'IDV.DOCUMENT_EXPIRED');
:rows
SELECT round, reason_code, status FROM kyc.information_request WHERE application_id = :'ben' ORDER BY round;

-- 6. Declining: a reason of the gate with outcome class decline; the application is declined and
--    its other live work cancelled
SELECT * FROM kyc.resolve_task(:'ben_task', 'decline', 'IDV.PROOFING_NOT_COMPLETED', 'three documents, none verifiable');
:tasks
SELECT state, state_reason FROM kyc.application_status WHERE id = :'ben';

-- 7. Four eyes on an AML hold: the analyst who proposes clearing it cannot confirm it
SET ROLE regress_app;
SELECT pg_temp.applicant('q-cid', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.PEP_MATCH}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_aml;
SELECT c.queue, c.gate, c.status FROM kyc.claim_task('aml_ops') c;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'same name, different date of birth');
:tasks
-- the proposer gets nothing from the queue and cannot confirm
SELECT kyc.claim_task('aml_ops') IS NULL AS nothing_for_the_proposer;
:rows
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW');
:rows
-- a second analyst (another login) claims it; confirming something else than proposed is refused
RESET ROLE;
SET SESSION AUTHORIZATION regress_aml2;
SELECT c.status, c.proposed_by, c.proposed_outcome FROM kyc.claim_task('aml_ops') c;
SELECT * FROM kyc.resolve_task(:'task', 'waive', 'AML.CLEARED_BY_REVIEW', 'waived');
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'agree: false positive');
:tasks
SELECT kind, payload->>'action' AS action, payload->>'proposed_by' AS proposed_by, actor_role
FROM kyc.read_evidence(:'app', 'queue test') WHERE kind IN ('reviewer_action', 'override') ORDER BY seq;

-- 8. Four eyes on a decline recommendation (a failed fraud signal in review); the second analyst
--    may decide otherwise: declining needs no second pair of eyes
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT pg_temp.applicant('q-dee', except_gates => '{fraud}') AS app \gset
SELECT pg_temp.sig(:'app', 'fraud', 'fraud_risk', 'fail', 'medium') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_fraud;
SELECT c.queue, c.gate FROM kyc.claim_task('fraud_ops') c;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'FRAUD.CLEARED_BY_REVIEW', 'device seen with the customer before');
RESET ROLE;
SET SESSION AUTHORIZATION regress_fraud2;
SELECT c.status FROM kyc.claim_task('fraud_ops') c;
SELECT * FROM kyc.resolve_task(:'task', 'decline', 'FRAUD.CONFIRMED', 'device farm');
:tasks
SELECT state, state_reason FROM kyc.application_status WHERE id = :'app';

-- 9. A waiver needs a waivable gate, an authorised reviewer and a reason
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT pg_temp.applicant('q-eve', except_gates => '{cip}') AS app \gset
SELECT pg_temp.sig(:'app', 'cip', 'kyc_cip', 'inconclusive', 'medium', '{CIP.NAME_DOB_MISMATCH}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_reviewer;
SELECT c.gate FROM kyc.claim_task('kyc_ops') c;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT * FROM kyc.resolve_task(:'task', 'waive', 'CIP.CLEARED_BY_REVIEW', '   ');
SELECT * FROM kyc.resolve_task(:'task', 'waive', 'CIP.CLEARED_BY_REVIEW', 'documentary CIP in branch, record 77');
SELECT gate, status, note FROM kyc.application_gate WHERE application_id = :'app' AND gate = 'cip';

-- 10a. More refusals, each leaving the chain as it was: resolving a task nobody claimed, releasing
--      someone else's, an oversized answer to a request for information
SET ROLE regress_app;
SELECT pg_temp.applicant('q-gus', except_gates => '{identity_proofing}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'low') IS NOT NULL;
SELECT outcome FROM kyc.evaluate(:'app');
SET ROLE regress_reviewer;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
:rows
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'IDV.CLEARED_BY_REVIEW');
SELECT count(kyc.claim_task('kyc_ops')) AS claimed FROM generate_series(1, 2);
SET ROLE regress_reviewer2;
SELECT kyc.release_task(:'task');
SET ROLE regress_reviewer;
SELECT task_status, state FROM kyc.resolve_task(:'task', 'request_information', 'IDV.DOCUMENT_EXPIRED');
:rows
SET ROLE regress_app;
SELECT * FROM kyc.provide_information(:'app', jsonb_build_object('scan', repeat('x', 70000)));
:rows

-- 10b. A returned funding before activation is a gate decision in deposit operations' queue:
--      funding cannot be waived, nor cleared before some funding has cleared (sql/23); once the
--      second deposit cleared, verified, the gate passes and the account can be activated
SELECT pg_temp.applicant('q-hal') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-h1', 'returned') IS NOT NULL AS recorded;
SET ROLE regress_reviewer;
SELECT c.queue, c.gate, c.reason_codes FROM kyc.claim_task('deposit_ops') c;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
:rows
SELECT * FROM kyc.resolve_task(:'task', 'waive', 'FUND.VERIFIED_BY_REVIEW', 'customer says it is fine');
:rows
SET ROLE regress_app;
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-h2') IS NOT NULL AS second_deposit;
SET ROLE regress_reviewer;
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'FUND.VERIFIED_BY_REVIEW', 'second deposit cleared, confirmed with the bank');
SELECT gate, status, reason_code FROM kyc.application_gate WHERE application_id = :'app' AND gate = 'funding';
SET ROLE regress_app;
SELECT kyc.activate(:'app');

-- Another tenant's reviewer sees none of this: no task to claim, no task to resolve (the task
-- "does not exist", 22023, shown by SQLSTATE because its id is random), no rows
SET kyc.tenant = 'bank_b';
SET ROLE regress_reviewer2;
SELECT kyc.claim_task('kyc_ops') IS NULL AS nothing_to_claim;
\set VERBOSITY sqlstate
SELECT * FROM kyc.resolve_task(:'task', 'clear', 'CIP.CLEARED_BY_REVIEW', 'x');
\set VERBOSITY default
SELECT count(*) AS tasks_visible FROM kyc.review_task WHERE tenant_id = 'queue_bank';
SET kyc.tenant = 'queue_bank';

-- 10. The table itself: a priority only rises, a task's identity never changes, a resolved task
--     never changes at all, nothing is deleted
SET ROLE regress_app;
SELECT pg_temp.applicant('q-fay', except_gates => '{identity_proofing}') AS fay \gset
SELECT pg_temp.sig(:'fay', 'identity_proofing', 'identity_platform', 'inconclusive', 'low') IS NOT NULL;
SELECT outcome FROM kyc.evaluate(:'fay');
RESET ROLE;
UPDATE kyc.review_task SET priority = priority - 1 WHERE application_id = :'fay';
UPDATE kyc.review_task SET queue = 'fraud_ops' WHERE application_id = :'fay';
UPDATE kyc.review_task SET priority = priority + 10 WHERE application_id = :'fay' RETURNING priority;
UPDATE kyc.review_task SET status = 'open' WHERE application_id = :'ann';
DELETE FROM kyc.review_task WHERE application_id = :'fay';
SET kyc.tenant = 'queue_bank';
SET ROLE regress_reviewer;
SELECT queue, open, claimed, awaiting_second_review FROM kyc.queue_health ORDER BY queue;
SET ROLE regress_auditor;
SELECT count(*) FILTER (WHERE severity = 'error') AS ledger_errors FROM kyc.verify_ledger() WHERE tenant_id = 'queue_bank';
RESET ROLE;
