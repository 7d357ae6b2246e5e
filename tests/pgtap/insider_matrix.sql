-- Cross-tenant reach, tried as an insider would (docs/security.md#threat-model): every function
-- that takes an id, called by a login of each role that may call it with another tenant's id and
-- with an id that does not exist, must answer identically (same SQLSTATE and message once the id
-- is masked, or the same result), so that no call is an oracle for another bank's data. Then the
-- verification, seal, grant and job objects per tenant. Each call runs in a subtransaction that
-- is rolled back, whatever it did.
\i tests/setup.sql

\o /dev/null
SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', 'ins_' || r, r)
FROM unnest('{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_reviewer}'::name[]) r \gexec
CREATE ROLE ins_other_admin LOGIN IN ROLE kyc_admin;
SELECT kyc.grant_tenant('tap_bank', rolname) FROM pg_roles WHERE rolname LIKE 'ins\_kyc\_%';
SELECT kyc.grant_tenant('other_bank', 'ins_other_admin');

-- The other bank: an application with a fraud task, a restriction, a legal hold, a decision, a
-- draft policy of its own.
SET LOCAL kyc.tenant = 'other_bank';
CREATE TEMP TABLE other_ids AS SELECT kyc.open_application('ins-other', 'individual', 'digital_checking', 'US') AS app;
SELECT kyc.capture_consent(app, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}') FROM other_ids;
SELECT kyc.submit_signal(app, '{"source": "v", "signal_type": "t", "gate": "fraud", "owner": "fraud_risk", "result": "refer",
                                "confidence": "medium", "reason_codes": ["FRAUD.DEVICE_RISK"], "customer_safe_reason": "under_review"}')
FROM other_ids;
SELECT kyc.evaluate(app) FROM other_ids;
SELECT kyc.impose_restriction(app, 'funding_limit', 'FUND.HIGH_RISK_SOURCE', 'other bank') FROM other_ids;
SELECT kyc.place_legal_hold(app, 'other bank matter') FROM other_ids;
SET LOCAL SESSION AUTHORIZATION ins_other_admin;
SELECT kyc.draft_policy('00000000-0000-4000-8000-00000000dc01', 'other bank draft') AS other_policy \gset
RESET SESSION AUTHORIZATION;
SET LOCAL kyc.tenant = 'tap_bank';
-- Our own bank: an application with a fraud task a KYC reviewer does not work.
SELECT kyc.open_application('ins-own', 'individual', 'digital_checking', 'US') AS own_app \gset
SELECT kyc.capture_consent(:'own_app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
SELECT kyc.submit_signal(:'own_app', '{"source": "v", "signal_type": "t", "gate": "fraud", "owner": "fraud_risk", "result": "refer",
                                      "confidence": "medium", "reason_codes": ["FRAUD.DEVICE_RISK"], "customer_safe_reason": "under_review"}');
SELECT kyc.evaluate(:'own_app');
\o

SELECT o.app AS other_app, (SELECT t.id FROM kyc.review_task t WHERE t.application_id = o.app) AS other_task,
       (SELECT r.id FROM kyc.restriction r WHERE r.application_id = o.app) AS other_restriction,
       (SELECT h.id FROM kyc.legal_hold h WHERE h.application_id = o.app) AS other_hold,
       (SELECT d.id FROM kyc.decision d WHERE d.application_id = o.app LIMIT 1) AS other_decision
FROM other_ids o \gset
SELECT t.id AS own_fraud_task FROM kyc.review_task t WHERE t.application_id = :'own_app' \gset

-- What one call answers as a login: "ok <result>" or "<SQLSTATE> <message>", with the id masked.
CREATE FUNCTION pg_temp.answer(login name, query text, id uuid) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    result text;
    said   text;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', login);
        BEGIN
            EXECUTE format(query, id) INTO result;
            said := 'ok ' || coalesce(result, 'null');
        EXCEPTION WHEN OTHERS THEN
            said := SQLSTATE || ' ' || SQLERRM;
        END;
        RAISE EXCEPTION 'insider matrix: roll back' USING ERRCODE = 'KYTAP';
    EXCEPTION WHEN SQLSTATE 'KYTAP' THEN
        NULL;
    END;
    RETURN replace(said, id::text, '<id>');
END $$;

-- Every id-taking function, by the kind of id it takes, with the roles that may call it.
CREATE TEMP TABLE matrix (fn text, kind text, roles name[], query text);
INSERT INTO matrix VALUES
    ('activate', 'app', '{kyc_app}', 'SELECT kyc.activate(%L)::text'),
    ('capture_consent', 'app', '{kyc_app}', $q$SELECT kyc.capture_consent(%L, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}')::text$q$),
    ('close_account', 'app', '{kyc_app,kyc_reviewer,kyc_fraud,kyc_aml}', $q$SELECT kyc.close_account(%L, 'EXIT.CUSTOMER_REQUEST', 'x')::text$q$),
    ('customer_status', 'app', '{kyc_app,kyc_cx}', $q$SELECT kyc.customer_status(%L, 'en-US')::text$q$),
    ('evaluate', 'app', '{kyc_app,kyc_reviewer,kyc_fraud,kyc_aml}', 'SELECT kyc.evaluate(%L)::text'),
    ('export_chain', 'app', '{kyc_auditor,kyc_admin,kyc_aml}', 'SELECT kyc.export_chain(%L)::text'),
    ('impose_restriction', 'app', '{kyc_app,kyc_reviewer,kyc_fraud,kyc_aml}', $q$SELECT kyc.impose_restriction(%L, 'funding_limit', 'FUND.HIGH_RISK_SOURCE', 'x')::text$q$),
    ('next_states', 'app', '{kyc_app,kyc_reviewer,kyc_auditor,kyc_admin}', 'SELECT kyc.next_states(%L)::text'),
    ('place_legal_hold', 'app', '{kyc_admin,kyc_aml}', $q$SELECT kyc.place_legal_hold(%L, 'x') IS NOT NULL$q$),
    ('provide_information', 'app', '{kyc_app}', $q$SELECT kyc.provide_information(%L, '{"a": 1}')::text$q$),
    ('read_evidence', 'app', '{kyc_app,kyc_reviewer,kyc_fraud,kyc_aml,kyc_auditor,kyc_admin}', $q$SELECT count(*)::text FROM kyc.read_evidence(%L, 'x')$q$),
    ('record_account_event', 'app', '{kyc_app}', $q$SELECT kyc.record_account_event(%L, 'outbound_transfer', 1) IS NOT NULL$q$),
    ('record_funding', 'app', '{kyc_app}', $q$SELECT kyc.record_funding(%L, 1, 'USD', 'ach', 'r') IS NOT NULL$q$),
    ('record_notice', 'app', '{kyc_app}', $q$SELECT kyc.record_notice(%L, 'closure', 'email', '{"provider": "ses"}')::text$q$),
    ('redact_evidence', 'app', '{kyc_admin}', $q$SELECT kyc.redact_evidence(%L, '{1}', 'r', 'b')::text$q$),
    ('set_gate', 'app', '{kyc_app}', $q$SELECT kyc.set_gate(%L, 'consent', 'passed')::text$q$),
    ('set_gate', 'app', '{kyc_reviewer}', $q$SELECT kyc.set_gate(%L, 'cip', 'passed')::text$q$),
    ('set_gate', 'app', '{kyc_fraud}', $q$SELECT kyc.set_gate(%L, 'fraud', 'passed')::text$q$),
    ('set_gate', 'app', '{kyc_aml}', $q$SELECT kyc.set_gate(%L, 'aml', 'passed')::text$q$),
    ('submit_signal', 'app', '{kyc_app}', $q$SELECT kyc.submit_signal(%L, '{"source": "v", "signal_type": "t", "gate": "cip", "owner": "kyc_cip", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}') IS NOT NULL$q$),
    ('transition', 'app', '{kyc_app,kyc_reviewer,kyc_fraud,kyc_aml}', $q$SELECT kyc.transition(%L, 'abandoned', 'ABANDON.CUSTOMER_LEFT')::text$q$),
    ('verify_chain', 'app', '{kyc_auditor,kyc_admin}', 'SELECT count(*)::text FROM kyc.verify_chain(%L)'),
    ('withdraw_consent', 'app', '{kyc_app}', $q$SELECT kyc.withdraw_consent(%L, '{}')::text$q$),
    ('backtest', 'policy', '{kyc_admin,kyc_auditor,kyc_aml}', 'SELECT count(*)::text FROM kyc.backtest(%L)'),
    ('draft_policy', 'policy', '{kyc_admin}', $q$SELECT kyc.draft_policy(%L, 'copy') IS NOT NULL$q$),
    ('policy_document', 'policy', '{kyc_admin,kyc_auditor,kyc_app}', 'SELECT kyc.policy_document(%L)::text'),
    ('publish_policy', 'policy', '{kyc_admin}', 'SELECT kyc.publish_policy(%L)::text'),
    ('retire_policy', 'policy', '{kyc_admin}', 'SELECT kyc.retire_policy(%L)::text'),
    ('replay', 'decision', '{kyc_app,kyc_reviewer,kyc_auditor,kyc_admin}', 'SELECT kyc.replay(%L)::text'),
    ('release_task', 'task', '{kyc_reviewer,kyc_fraud,kyc_aml}', 'SELECT kyc.release_task(%L)::text'),
    ('resolve_task', 'task', '{kyc_reviewer,kyc_fraud,kyc_aml}', $q$SELECT kyc.resolve_task(%L, 'clear', 'FRAUD.CLEARED_BY_REVIEW')::text$q$),
    ('lift_restriction', 'restriction', '{kyc_reviewer,kyc_fraud,kyc_aml}', $q$SELECT kyc.lift_restriction(%L, 'x')::text$q$),
    ('release_legal_hold', 'hold', '{kyc_admin,kyc_aml}', $q$SELECT kyc.release_legal_hold(%L, 'x')::text$q$);

-- every id-taking function the roles may call is in the matrix (a new one must be added)
CREATE TEMP TABLE id_functions AS
SELECT p.proname::text AS fn FROM pg_proc p
WHERE p.pronamespace = 'kyc'::regnamespace AND 'uuid'::regtype = ANY (p.proargtypes::oid[])
  AND EXISTS (SELECT 1 FROM unnest('{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_reviewer}'::name[]) r
              WHERE has_function_privilege(r, p.oid, 'EXECUTE'))
  AND p.proname NOT IN ('merkle_leaf_v1', 'row_hash_v1', 'seal_digest_v1');   -- pure hash functions: no lookup

SELECT plan((SELECT count(*)::int FROM matrix m, unnest(m.roles)) + 13);

SELECT is(ARRAY(SELECT fn FROM id_functions EXCEPT SELECT fn FROM matrix ORDER BY 1), '{}'::text[],
          'every id-taking function a role may call is in the matrix');

SELECT is(pg_temp.answer(('ins_' || r)::name, m.query,
                         CASE m.kind WHEN 'app' THEN :'other_app'::uuid WHEN 'policy' THEN :'other_policy'::uuid
                                     WHEN 'decision' THEN :'other_decision'::uuid WHEN 'task' THEN :'other_task'::uuid
                                     WHEN 'restriction' THEN :'other_restriction'::uuid ELSE :'other_hold'::uuid END),
          pg_temp.answer(('ins_' || r)::name, m.query, gen_random_uuid()),
          format('%s as %s: another tenant''s %s id answers as an unknown one', m.fn, r, m.kind))
FROM matrix m, unnest(m.roles) r ORDER BY m.fn, r;

-- a same-tenant task of a queue the caller does not work answers as an unknown task
SELECT is(pg_temp.answer('ins_kyc_reviewer', $q$SELECT kyc.resolve_task(%L, 'clear', 'FRAUD.CLEARED_BY_REVIEW')::text$q$, :'own_fraud_task'),
          pg_temp.answer('ins_kyc_reviewer', $q$SELECT kyc.resolve_task(%L, 'clear', 'FRAUD.CLEARED_BY_REVIEW')::text$q$, gen_random_uuid()),
          'resolving a fraud task as a KYC reviewer answers as an unknown task');
SELECT is(pg_temp.answer('ins_kyc_reviewer', 'SELECT kyc.release_task(%L)::text', :'own_fraud_task'),
          pg_temp.answer('ins_kyc_reviewer', 'SELECT kyc.release_task(%L)::text', gen_random_uuid()),
          'releasing one too');

-- Verification: a tenant's auditor sees its own tenant's chains only; no tenant, nothing.
SELECT kyc.seal_ledger() IS NOT NULL AS sealed \gset
SET LOCAL ROLE ins_kyc_auditor;
SELECT is((SELECT count(*)::int FROM kyc.verify_ledger() WHERE tenant_id IS DISTINCT FROM 'tap_bank' AND tenant_id IS NOT NULL), 0,
          'verify_ledger reports no other tenant''s chain to an auditor');
SELECT is((SELECT count(*)::int FROM kyc.verify_ledger() f WHERE f.application_id = :'other_app'), 0,
          'not even its application id');
SELECT is((SELECT verdict FROM kyc.verify_summary()), 'verified and sealed', 'verify_summary speaks of the tenant''s chains');
SELECT is((SELECT count(*)::int FROM kyc.sealed_head WHERE tenant_id <> 'tap_bank'), 0, 'no other tenant''s sealed heads');
SELECT cmp_ok((SELECT count(*)::int FROM kyc.sealed_head), '>', 0, 'its own tenant''s sealed heads');
SELECT is((SELECT count(*)::int FROM kyc.tenant_grant WHERE tenant_id <> 'tap_bank'), 0, 'no other tenant''s grants');
SET LOCAL kyc.tenant = '';
SELECT is((SELECT count(*)::int FROM kyc.verify_ledger()), 0, 'with no tenant set, verify_ledger reports nothing');
SELECT throws_ok('SELECT * FROM kyc.verify_summary()', 'KY005', 'no tenant is set',
                 'and verify_summary fails closed instead of saying "verified" over no chains');
SET LOCAL kyc.tenant = 'tap_bank';
RESET ROLE;
SET LOCAL kyc.tenant = 'empty_bank';
SELECT kyc.grant_tenant('empty_bank', 'ins_kyc_auditor') IS NOT NULL AS granted \gset
SET LOCAL ROLE ins_kyc_auditor;
SELECT is((SELECT verdict FROM kyc.verify_summary()), 'no chains to verify', 'a tenant without chains is not "verified"');
RESET ROLE;
SET LOCAL kyc.tenant = 'tap_bank';

-- Jobs are global: no tenant's administrator changes a job definition.
SET LOCAL ROLE ins_kyc_admin;
SELECT throws_ok($$UPDATE kyc.job_definition SET batch_size = 1 WHERE job = 'sla_sweep'$$, '42501', NULL,
                 'a tenant administrator cannot change the batch size of every bank''s job');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
