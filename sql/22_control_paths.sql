-- Controls that hold on every path (issue 13): consent and funding follow their evidence only;
-- an opened account's restrictions, closure and activity follow their owners; a late or broken
-- job run harms nobody; the customer is told what the owner of the reason approved, and a hold
-- says when it runs late. Every refusal is followed by proof that nothing was written.
\set SHOW_CONTEXT never
SELECT count(kyc.grant_tenant('paths_bank', r)) AS grants
FROM unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_fraud', 'regress_fraud2', 'regress_aml', 'regress_admin',
                  'regress_admin2', 'regress_cx']::name[]) r;
-- a scheduler login of this tenant only, so that other tests' tenants stay out of its job runs
CREATE ROLE regress_paths_jobs LOGIN IN ROLE kyc_jobs;
SELECT kyc.grant_tenant('paths_bank', 'regress_paths_jobs');
SET kyc.tenant = 'paths_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql
\set gates 'SELECT gate, status FROM kyc.application_gate WHERE application_id = :''app'' AND gate IN (''consent'', ''funding'') ORDER BY gate;'
\set rows 'SELECT count(*) AS evidence_rows FROM kyc.evidence WHERE application_id = :''app'';'

-- 1. Consent and funding are never set by hand, by any role
SELECT kyc.open_application('p-hand', 'individual', 'digital_checking', 'US-NY', 'digital') AS app \gset
SELECT kyc.set_gate(:'app', 'consent', 'passed');
SELECT kyc.set_gate(:'app', 'funding', 'passed');
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'app', 'consent', 'passed', NULL, 'seen in branch');
SET ROLE regress_aml;
SELECT kyc.set_gate(:'app', 'funding', 'waived', NULL, 'trusted customer');
SET ROLE regress_app;
:gates
:rows
SELECT gate, decider_roles FROM kyc.gate_definition WHERE gate IN ('consent', 'funding') ORDER BY gate;

-- 2. Consent passes only for the product's purpose and disclosure version
SELECT product, consent_purpose, disclosure_version FROM kyc.policy WHERE tenant_id = '*' ORDER BY product;
SELECT kyc.capture_consent(:'app', 'marketing', 'disclosures-2026-10', '{"channel": "app"}');
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2025-01', '{"channel": "app"}');
:gates
:rows
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') > 0 AS consent_recorded;
:gates

-- 3. A vendor's funding "pass" is not money received: only a funding record passes the gate
SELECT pg_temp.applicant('p-fund') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT pg_temp.sig(:'app', 'funding', 'deposit_ops', 'pass') IS NOT NULL AS funding_signal;
SELECT outcome, state FROM kyc.evaluate(:'app');
:gates
SELECT kyc.record_funding(:'app', 500, 'USD', 'ach', 'ach-p-fund') IS NOT NULL AS funded;
SELECT outcome, state FROM kyc.evaluate(:'app');

-- 4. A closed account accepts no activity, and no one closes an account alone under the risk policy
SELECT kyc.close_account(:'app', 'EXIT.RISK_POLICY', 'suspicious');
SET ROLE regress_fraud;
SELECT kyc.close_account(:'app', 'EXIT.RISK_POLICY', 'suspicious');
SET ROLE regress_app;
SELECT state FROM kyc.application_status WHERE id = :'app';
SELECT kyc.record_account_event(:'app', 'deposit', 25) IS NOT NULL AS recorded;
SELECT kyc.close_account(:'app', 'EXIT.CUSTOMER_REQUEST', 'moving abroad');
SELECT kyc.record_account_event(:'app', 'deposit', 25);
SELECT kyc.record_account_event(:'app', 'device_change', NULL, 'd-9');
SELECT count(*) AS events FROM kyc.account_event WHERE application_id = :'app';

-- 5. Rapid outflow compares exactly: 79.999% of the funding is below an 80% threshold
SELECT pg_temp.applicant('p-under') AS under \gset
SELECT pg_temp.applicant('p-over') AS over \gset
SELECT pg_temp.applicant('p-gone') AS gone \gset
SELECT count(kyc.evaluate(a)) FROM unnest(ARRAY[:'under', :'over', :'gone']::uuid[]) a;
SELECT count(kyc.record_funding(a, 1000, 'USD', 'ach', 'ach-' || a)) FROM unnest(ARRAY[:'under', :'over', :'gone']::uuid[]) a;
SELECT count(kyc.activate(a)) FROM unnest(ARRAY[:'under', :'over', :'gone']::uuid[]) a;
SELECT kyc.record_account_event(:'under', 'outbound_transfer', 799.99) IS NOT NULL AS recorded;
SELECT count(kyc.record_account_event(a, 'outbound_transfer', 800)) FROM unnest(ARRAY[:'over', :'gone']::uuid[]) a;
SET ROLE regress_paths_jobs;
SELECT job, status FROM kyc.early_life_monitor(now() + interval '3 hours');
SET ROLE regress_fraud;
SELECT a.external_ref, l.rule, l.observed, l.threshold, a.state
FROM kyc.application_status a LEFT JOIN kyc.early_life_alert l ON l.application_id = a.id
WHERE a.external_ref IN ('p-under', 'p-over', 'p-gone') ORDER BY 1;

-- 6. Only the owner's queue lifts a fraud restriction, and not while its review is open (a KYC
--    reviewer, who may not read its reason, is told it does not exist)
SELECT id AS restriction FROM kyc.restriction WHERE application_id = :'over' \gset
SET ROLE regress_reviewer;
\set VERBOSITY sqlstate
SELECT kyc.lift_restriction(:'restriction', 'looks fine to KYC');
\set VERBOSITY default
SET ROLE regress_fraud;
SELECT kyc.lift_restriction(:'restriction', 'paying his own card');
SELECT lifted_at IS NULL AS in_force FROM kyc.restriction WHERE id = :'restriction';
SELECT state FROM kyc.application_status WHERE id = :'over';
-- the review decides it: clearing the task lifts the restriction
SELECT count(kyc.claim_task('fraud_ops')) AS claimed FROM generate_series(1, 2);
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'over'), 'clear',
                                                'FRAUD.CLEARED_BY_REVIEW', 'paying his own card');
SELECT lifted_at IS NULL AS in_force FROM kyc.restriction WHERE id = :'restriction';

-- 7. A risk-policy closure needs four eyes: the proposer cannot confirm, a second analyst does
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'gone'), 'decline',
                                                'FRAUD.CONFIRMED', 'mule pattern');
SELECT state FROM kyc.application_status WHERE id = :'gone';
SELECT count(kyc.claim_task('fraud_ops')) AS claimed;
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'gone'), 'decline',
                                                'FRAUD.CONFIRMED', 'mule pattern');
SELECT state FROM kyc.application_status WHERE id = :'gone';
SET SESSION AUTHORIZATION regress_fraud2;
SELECT count(kyc.claim_task('fraud_ops')) AS claimed;
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'gone'), 'decline',
                                                'FRAUD.CONFIRMED', 'mule pattern confirmed');
SELECT state, state_reason FROM kyc.application_status WHERE id = :'gone';
RESET SESSION AUTHORIZATION;

-- 8. A late job run (as of a time before the job's last run) is a harmless no-op
SET ROLE regress_paths_jobs;
SELECT job, status FROM kyc.seal_job(now() + interval '30 years');
SELECT job, status, processed, detail->>'reason' AS reason FROM kyc.seal_job(now() + interval '29 years');
SELECT status, count(*) FROM kyc.job_run WHERE job = 'seal' AND as_of > now() + interval '28 years' GROUP BY 1 ORDER BY 1;

-- 9. One application that cannot be decided does not stop the job for the rest of its tenant.
--    The good application's proofing pass expires; so does the broken one's, whose policy a
--    superuser took away behind the triggers' back.
SET ROLE regress_app;
SELECT pg_temp.applicant('p-good', except_gates => '{identity_proofing,cip}') AS good \gset
SELECT pg_temp.applicant('p-bad', except_gates => '{identity_proofing,cip}') AS bad \gset
SELECT count(pg_temp.sig(a, 'identity_proofing', 'identity_platform', 'pass', 'high', '{}', now() + interval '1 hour'))
FROM unnest(ARRAY[:'good', :'bad']::uuid[]) a;
SELECT count(kyc.evaluate(a)) FROM unnest(ARRAY[:'good', :'bad']::uuid[]) a;
RESET ROLE;
SET session_replication_role = replica;
UPDATE kyc.application SET policy_id = NULL WHERE id = :'bad';
RESET session_replication_role;
SET kyc.tenant = 'paths_bank';
SET ROLE regress_paths_jobs;
SELECT job, status, tenants, processed, detail->'paths_bank' AS paths_bank_done,
       (SELECT count(*) FROM jsonb_array_elements(detail->'failed_items') f
        WHERE f->>'tenant' = 'paths_bank' AND f->>'application' = :'bad') AS bad_listed,
       (SELECT count(*) FROM jsonb_array_elements(detail->'failed_items') f
        WHERE f->>'application' = :'good') AS good_listed
FROM kyc.signal_expiry(now() + interval '10 years');
SELECT tenant_id, sqlstate, error FROM kyc.job_item_failure WHERE application_id = :'bad';
SELECT job, last_status, last_failed_items FROM kyc.job_health WHERE job = 'signal_expiry';
SET ROLE regress_app;
SELECT a.external_ref, count(d.*) FILTER (WHERE d.decided_by = 'regress_paths_jobs') AS decided_by_job, a.state
FROM kyc.application_status a LEFT JOIN kyc.decision d ON d.application_id = a.id
WHERE a.external_ref IN ('p-good', 'p-bad') GROUP BY a.external_ref, a.state ORDER BY 1;

-- 10. The message catalog by owner: each reason speaks a key of its owner, or a neutral key of cx
SELECT owner, string_agg(message_key, ', ' ORDER BY message_key) AS keys FROM kyc.customer_message_key GROUP BY owner ORDER BY owner;
SELECT r.code, r.owner, k.owner AS key_owner FROM kyc.reason_code r JOIN kyc.customer_message_key k ON k.message_key = r.customer_message_key
WHERE k.owner NOT IN (r.owner, 'cx');
SELECT count(*) AS keys_without_wording FROM kyc.customer_message_key k
WHERE NOT EXISTS (SELECT 1 FROM kyc.customer_message m WHERE m.message_key = k.message_key AND m.tenant_id = '*'
                  AND m.approved_by IS NOT NULL AND m.locale = 'en-US');

-- 11. Declines by owner: CIP, KYB and fraud speak their own wording; AML reads exactly like the
--     ordinary risk decline (CDD's)
SELECT pg_temp.applicant('p-cip') AS cip \gset
SELECT pg_temp.applicant('p-fraud') AS fraud \gset
SELECT pg_temp.applicant('p-aml') AS aml \gset
SELECT pg_temp.applicant('p-cdd') AS cdd \gset
SET ROLE regress_reviewer;
SELECT kyc.set_gate(:'cip', 'cip', 'failed', 'CIP.UNABLE_TO_VERIFY', 'no reasonable belief');
SELECT kyc.set_gate(:'cdd', 'cdd', 'failed', 'CDD.PROHIBITED_PROFILE', 'prohibited business line');
SET ROLE regress_fraud;
SELECT kyc.set_gate(:'fraud', 'fraud', 'failed', 'FRAUD.CONFIRMED', 'stolen identity');
SET ROLE regress_aml;
SELECT kyc.set_gate(:'aml', 'aml', 'failed', 'AML.SANCTIONS_CONFIRMED', 'true match');
-- (each line declines with its own reasons: the service may not use a fraud or AML reason)
SET ROLE regress_app;
SELECT kyc.transition(:'cip', 'declined', 'CIP.UNABLE_TO_VERIFY') IS NOT NULL AS declined;
SELECT kyc.transition(:'cdd', 'declined', 'CDD.PROHIBITED_PROFILE') IS NOT NULL AS declined;
SET ROLE regress_fraud;
SELECT kyc.transition(:'fraud', 'declined', 'FRAUD.CONFIRMED') IS NOT NULL AS declined;
SET ROLE regress_aml;
SELECT kyc.transition(:'aml', 'declined', 'AML.SANCTIONS_CONFIRMED') IS NOT NULL AS declined;
SET ROLE regress_app;
SELECT a.external_ref, s.label, s.message_key
FROM kyc.application_status a CROSS JOIN LATERAL kyc.customer_status(a.id) s
WHERE a.external_ref IN ('p-cip', 'p-fraud', 'p-aml', 'p-cdd') ORDER BY 1;
SELECT (SELECT row(label, message, next_step, message_key, message_version) FROM kyc.customer_status(:'aml'))
     = (SELECT row(label, message, next_step, message_key, message_version) FROM kyc.customer_status(:'cdd')) AS aml_reads_like_cdd;

-- 12. Each owner approves its own wording: an administrator drafts fraud's, a second
--     administrator may not approve it, a fraud analyst does
SET ROLE regress_admin;
SELECT kyc.draft_customer_message('application_not_confirmed', 'en-US', 'Please confirm it was you',
    'We could not confirm that this application was made by you, so we have not opened this account.',
    'If you applied, call us to confirm it. If you did not, tell us so we can protect your identity.') AS version \gset
SET SESSION AUTHORIZATION regress_admin2;
SELECT kyc.approve_customer_message('application_not_confirmed', 'en-US', :version);
SET SESSION AUTHORIZATION regress_reviewer;
SELECT kyc.approve_customer_message('application_not_confirmed', 'en-US', :version);
SELECT count(*) AS approved FROM kyc.customer_message WHERE tenant_id = 'paths_bank' AND approved_by IS NOT NULL;
SET SESSION AUTHORIZATION regress_fraud;
SELECT kyc.approve_customer_message('application_not_confirmed', 'en-US', :version);
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT label, message_version FROM kyc.customer_status(:'fraud');
SELECT kyc.record_notice(:'fraud', 'decline', 'letter', '{"provider": "lob", "letter_id": "l-1"}') > 0 AS notice_recorded;
SELECT kyc.record_notice(:'aml', 'decline', 'letter', '{"provider": "lob", "letter_id": "l-2"}') > 0 AS notice_recorded;
SELECT a.external_ref, e.payload->>'message_key' AS message_key, e.payload->>'template_owner' AS template_owner,
       e.payload->>'template_version' AS template_version
FROM kyc.application_status a CROSS JOIN LATERAL kyc.read_evidence(a.id, 'notice check') e
WHERE a.external_ref IN ('p-fraud', 'p-aml') AND e.kind = 'notice' ORDER BY 1;

-- 13. A hold follows its SLA: "under review" while the review is on time, then "taking longer"
--     with the escalation path, the same for an AML review as for a CIP one
SELECT pg_temp.applicant('p-hold-aml', except_gates => '{aml}') AS hold_aml \gset
SELECT pg_temp.applicant('p-hold-cip', except_gates => '{cip}') AS hold_cip \gset
SELECT pg_temp.sig(:'hold_aml', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.PEP_MATCH}') IS NOT NULL;
SELECT pg_temp.sig(:'hold_cip', 'cip', 'kyc_cip', 'fail', 'medium', '{CIP.NAME_DOB_MISMATCH}') IS NOT NULL;
SELECT count(kyc.evaluate(a)) FROM unnest(ARRAY[:'hold_aml', :'hold_cip']::uuid[]) a;
SELECT a.external_ref, a.state, s.label, s.message_key
FROM kyc.application_status a CROSS JOIN LATERAL kyc.customer_status(a.id) s
WHERE a.external_ref IN ('p-hold-aml', 'p-hold-cip') ORDER BY 1;
-- (the reviews' SLAs run out: a superuser moves their due times into the past)
RESET ROLE;
SET session_replication_role = replica;
UPDATE kyc.review_task SET sla_due_at = now() - interval '1 hour' WHERE application_id IN (:'hold_aml', :'hold_cip');
RESET session_replication_role;
SET kyc.tenant = 'paths_bank';
SET ROLE regress_cx;
SELECT a.label, a.message, a.next_step, a.message_key
FROM kyc.customer_status(:'hold_aml') a;
SELECT (SELECT row(label, message, next_step, message_key) FROM kyc.customer_status(:'hold_aml'))
     = (SELECT row(label, message, next_step, message_key) FROM kyc.customer_status(:'hold_cip')) AS aml_reads_like_cip;
SET ROLE regress_app;
SELECT kyc.record_notice(:'hold_aml', 'hold', 'email', '{"provider": "ses", "message_id": "m-9"}') > 0 AS notice_recorded;
SELECT e.payload->>'message_key' AS message_key, e.payload->>'template_owner' AS template_owner, e.data_class
FROM kyc.read_evidence(:'hold_aml', 'notice check') e WHERE e.kind = 'notice';
RESET ROLE;
