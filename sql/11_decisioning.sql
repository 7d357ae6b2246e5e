-- Decisioning in the seed's terms: signals in, kyc.evaluate() under the pinned policy, one
-- outcome per evaluation, recorded and replayable. Each scenario shows the outcome, the state,
-- the gate that decided and what the customer is told.
\set SHOW_CONTEXT never
SET kyc.tenant = 'dec_bank';
SET ROLE regress_app;

\i tests/regress/applicant.sql
-- (the decision is read back as AML, which may read every data class; the service may not read
-- decisions held on the AML or fraud gates)
\set show 'SELECT outcome, state, risk_tier FROM kyc.evaluate(:''app''); SELECT label AS customer_sees FROM kyc.customer_status(:''app''); SET ROLE regress_aml; SELECT d.result->>''focus_gate'' AS deciding_gate, d.reason_codes FROM kyc.decision d WHERE d.application_id = :''app'' ORDER BY d.decided_at DESC LIMIT 1; SET ROLE regress_app;'

-- 1. clean approve: every critical gate passes; funding then activates the account
SELECT pg_temp.applicant('clean') AS app \gset
:show
SELECT kyc.record_funding(:'app', 250, 'USD', 'ach', 'ach-clean-1') IS NOT NULL AS funded;
:show

-- 2. document glare: the customer is asked for a new photo (information requested)
SELECT pg_temp.applicant('glare', except_gates => '{identity_proofing}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_GLARE}') IS NOT NULL;
:show
-- a new, clean document supersedes the glare signal from the same source and type
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'pass') IS NOT NULL;
:show

-- 3. liveness fail: never a decline; identity proofing review in the KYC ops queue
SELECT pg_temp.applicant('liveness', except_gates => '{identity_proofing}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'fail', 'medium', '{IDV.LIVENESS_FAILED}') IS NOT NULL;
:show
SELECT queue, gate, reason_codes, status, sla_due_at > now() AS has_sla FROM kyc.review_task WHERE application_id = :'app';

-- 4. CIP mismatch: a review; an unverifiable identity with high confidence: a decline owned by CIP,
--    once a reviewer confirmed it
SELECT pg_temp.applicant('cip-mismatch', except_gates => '{cip}') AS app \gset
SELECT pg_temp.sig(:'app', 'cip', 'kyc_cip', 'fail', 'medium', '{CIP.NAME_DOB_MISMATCH}') IS NOT NULL;
:show
SELECT pg_temp.applicant('cip-fail', except_gates => '{cip}') AS app \gset
SELECT pg_temp.sig(:'app', 'cip', 'kyc_cip', 'fail', 'high', '{CIP.UNABLE_TO_VERIFY}') IS NOT NULL;
:show
-- (one vendor signal only recommends the decline: a KYC reviewer confirms it within a short SLA)
SET ROLE regress_reviewer;
SELECT c.gate, c.reason_codes, c.sla_due_at - c.created_at AS sla FROM kyc.claim_task('kyc_ops') c;
SELECT task_status, state, decision_outcome
FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND status = 'claimed'),
                      'decline', 'CIP.UNABLE_TO_VERIFY', 'no source verifies the identity');
SET ROLE regress_app;

-- 5. high-risk CDD profile: opened with a funding limit (restricted approval)
SELECT pg_temp.applicant('high-risk', except_gates => '{cdd}') AS app \gset
SELECT pg_temp.sig(:'app', 'cdd', 'bsa_aml', 'pass', 'high', '{CDD.HIGH_RISK_PROFILE}') IS NOT NULL;
:show
SELECT kind, reason_code, lift_condition FROM kyc.restriction_status WHERE application_id = :'app';

-- 6. sanctions hit: AML review, SAR-restricted; the customer reads exactly what any review reads
SELECT pg_temp.applicant('sanctions', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.SANCTIONS_POTENTIAL_MATCH}') IS NOT NULL;
:show
SELECT count(*) AS decisions_the_service_sees FROM kyc.decision WHERE application_id = :'app';
SET ROLE regress_aml;
SELECT data_class FROM kyc.evidence WHERE application_id = :'app' AND kind = 'decision' ORDER BY seq DESC LIMIT 1;
SET ROLE regress_app;
SELECT (SELECT row(label, message, next_step) FROM kyc.customer_status(:'app'))
     = (SELECT row(label, message, next_step) FROM kyc.customer_status(kyc.application_id('cip-mismatch'))) AS same_as_a_cip_review;
-- and AML outranks every other review: with a fraud review too, the AML queue gets the case
SELECT pg_temp.sig(:'app', 'fraud', 'fraud_risk', 'refer', 'medium', '{FRAUD.DEVICE_RISK}') IS NOT NULL;
:show

-- 7. product ineligibility: a decline owned by the product, without any model involved
SELECT pg_temp.applicant('canada', jur => 'CA-ON') AS app \gset
:show
SELECT pg_temp.applicant('business-on-retail', kind => 'business') AS app \gset
:show

-- 8. an expired signal stops counting: the gate reopens when the application is evaluated after
SELECT pg_temp.applicant('expiring', except_gates => '{fraud}') AS app \gset
SELECT pg_temp.sig(:'app', 'fraud', 'fraud_risk', 'pass', 'high', '{}', now() + interval '1 hour') IS NOT NULL;
:show
SELECT outcome, state FROM kyc.evaluate(:'app', now() + interval '2 hours');
SELECT d.result->'gates'->'fraud'->>'status' AS fraud_gate, d.result->'gates'->'fraud'->>'signals' AS live_signals
FROM kyc.decision d WHERE d.application_id = :'app' ORDER BY d.decided_at DESC LIMIT 1;
SELECT kyc.evaluate(:'app', now() - interval '1 hour');
SELECT kyc.evaluate(:'app', 'infinity');

-- 9. small business: KYB/UBO is a gate of its own; a registry mismatch goes to the KYB queue
SELECT pg_temp.applicant('acme', kind => 'business', product => 'small_business_checking', except_gates => '{kyb_ubo}') AS app \gset
SELECT pg_temp.sig(:'app', 'kyb_ubo', 'kyb_ops', 'refer', 'medium', '{KYB.REGISTRY_MISMATCH}') IS NOT NULL;
:show
SELECT queue, gate FROM kyc.review_task WHERE application_id = :'app';

-- an IDV vendor pass alone never opens an account
SELECT pg_temp.applicant('idv-only', except_gates => '{cip,cdd,fraud,aml}') AS app \gset
:show

-- a reviewer's decision stands until a newer signal for that gate arrives
SET ROLE regress_reviewer;
SELECT count(kyc.claim_task('kyc_ops')) > 0 AS claimed FROM generate_series(1, 10);
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = kyc.application_id('cip-mismatch')),
                                                'clear', 'CIP.CLEARED_BY_REVIEW', 'DOB typo confirmed with customer');
-- (clearing a gate whose signal recommends a decline is an override: a second reviewer, another
-- login, confirms)
RESET ROLE;
SET SESSION AUTHORIZATION regress_reviewer2;
SELECT count(kyc.claim_task('kyc_ops')) > 0 AS claimed FROM generate_series(1, 10);
SELECT task_status, state FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = kyc.application_id('cip-mismatch')),
                                                'clear', 'CIP.CLEARED_BY_REVIEW', 'agreed');
RESET SESSION AUTHORIZATION;
SET ROLE regress_app;
SELECT kyc.application_id('cip-mismatch') AS app \gset
:show

-- every decision of the suite replays to the same result under its pinned policy
SET ROLE regress_aml;
SELECT count(*) AS decisions, bool_and((kyc.replay(id)).matches) AS all_replay, bool_and((kyc.replay(id)).policy_unchanged) AS policies_unchanged
FROM kyc.decision WHERE tenant_id = 'dec_bank';
-- decisions record their exact inputs and the policy version
SELECT p.product, d.policy_version, d.policy_digest = p.content_digest AS digest_recorded,
       cardinality(d.input_signal_ids) AS signals, jsonb_typeof(d.inputs->'gates') AS gates
FROM kyc.decision d JOIN kyc.policy p ON p.id = d.policy_id
WHERE d.application_id = kyc.application_id('clean') ORDER BY d.decided_at LIMIT 1;
SET ROLE regress_app;

-- errors: terminal applications, bad ids, unknown decisions
SELECT kyc.evaluate(kyc.application_id('cip-fail'));
SELECT kyc.evaluate('00000000-0000-0000-0000-000000000000');
SELECT kyc.replay('00000000-0000-0000-0000-000000000000');
SET ROLE regress_cx;
SELECT kyc.evaluate(:'app');
RESET ROLE;
SELECT count(*) AS decisions_after_errors FROM kyc.decision WHERE tenant_id = 'dec_bank';

-- notices: the approved wording that fits the state, with its template version and delivery proof
SET kyc.tenant = 'dec_bank';
SET ROLE regress_app;
SELECT kyc.record_notice(kyc.application_id('cip-fail'), 'decline', 'letter', '{"provider": "mailhouse", "tracking": "LT-88"}') > 0 AS recorded;
SELECT payload->>'notice_type' AS notice, payload->>'message_key' AS message_key, payload->>'template_version' AS version,
       payload->>'label' AS label, payload->>'channel' AS channel, data_class
FROM kyc.read_evidence(kyc.application_id('cip-fail'), 'regress: notices sent') WHERE kind = 'notice';
SELECT pg_temp.applicant('rfi-notice', except_gates => '{identity_proofing}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'medium', '{IDV.DOCUMENT_EXPIRED}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_notice(:'app', 'information_request', 'email', '{"message_id": "m-1"}') > 0 AS recorded;
SELECT kyc.record_notice(kyc.application_id('glare'), 'information_request', 'email', '{"message_id": "m-1"}');
SELECT kyc.record_notice(kyc.application_id('sanctions'), 'hold', 'push', '{"message_id": "p-9"}', 'es-US') > 0 AS recorded;
SELECT payload->>'label' AS label, payload->>'locale' AS locale
FROM kyc.read_evidence(kyc.application_id('sanctions'), 'regress: notices sent') WHERE kind = 'notice';
SELECT kyc.record_notice(kyc.application_id('high-risk'), 'approved_with_limits', 'in_app', '{"session": "s-1"}') > 0 AS recorded;
SELECT kyc.record_notice(kyc.application_id('cip-fail'), 'approval', 'email', '{"message_id": "m-2"}');
SELECT kyc.record_notice(kyc.application_id('cip-fail'), 'congratulations', 'email', '{"message_id": "m-2"}');
SELECT kyc.record_notice(kyc.application_id('cip-fail'), 'decline', 'pigeon', '{"message_id": "m-2"}');
SELECT kyc.record_notice(kyc.application_id('cip-fail'), 'decline', 'email', '{}');
SELECT count(*) AS notices FROM kyc.evidence WHERE tenant_id = 'dec_bank' AND kind = 'notice';
RESET ROLE;

-- evaluating no application at all
SET kyc.tenant = 'dec_bank';
SET ROLE regress_app;
SELECT kyc.evaluate(NULL);
RESET ROLE;
