-- Funding, activation, restrictions and exit after opening: each step is evidence, and the
-- state machine's invariants hold throughout (no active account with an unresolved critical gate
-- or without cleared funding; approved_restricted only with a restriction in force).
\set SHOW_CONTEXT never
SELECT count(kyc.grant_tenant('fund_bank', r)) AS grants
FROM unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_fraud', 'regress_aml', 'regress_auditor', 'regress_cx']::name[]) r;
SET kyc.tenant = 'fund_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql
\set rows 'SELECT count(*) AS evidence_rows FROM kyc.evidence WHERE application_id = :''app'';'

-- 1. Opened, not yet funded: what funding must look like, each refusal writing nothing
SELECT pg_temp.applicant('f-gus') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
:rows
SELECT kyc.record_funding(:'app', -5, 'USD', 'ach', 'ach-1');
SELECT kyc.record_funding(:'app', 100, 'usd', 'ach', 'ach-1');
SELECT kyc.record_funding(:'app', 100, 'USD', 'bitcoin', 'ach-1');
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', ' ');
SELECT kyc.record_funding(:'app', 1e20, 'USD', 'ach', 'ach-1');
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-1', NULL);
:rows
-- no funding before the account is opened
SELECT pg_temp.applicant('f-hal', except_gates => '{cip}') AS early \gset
SELECT kyc.record_funding(:'early', 100, 'USD', 'ach', 'ach-0');

-- 2. Pending funding does not activate; activation names what is missing
SELECT kyc.record_funding(:'app', 250, 'USD', 'ach', 'ach-1', 'pending') IS NOT NULL AS recorded;
SELECT kyc.activate(:'app');
:rows
SELECT kyc.record_funding(:'app', 250, 'USD', 'ach', 'ach-1', 'cleared') IS NOT NULL AS recorded;
SELECT gate, status, reason_code FROM kyc.application_gate WHERE application_id = :'app' AND gate = 'funding';
SELECT kyc.activate(:'app');
SELECT kyc.activate(:'app') AS activating_twice;
-- a return after activation is early-life activity for the monitoring job, not a gate change
SELECT kyc.record_funding(:'app', 40, 'USD', 'ach', 'ach-1r', 'returned') IS NOT NULL AS recorded;
SELECT kind, amount FROM kyc.account_event WHERE application_id = :'app';
SELECT status FROM kyc.application_gate WHERE application_id = :'app' AND gate = 'funding';
SELECT amount, currency, source, status FROM kyc.funding WHERE application_id = :'app' ORDER BY recorded_at, status;
SELECT kind, payload->>'action' AS action, jsonb_array_length(payload->'funding') AS funding_events
FROM kyc.read_evidence(:'app', 'activation test') WHERE kind IN ('funding', 'activation') ORDER BY seq;
-- only the service records funding and activates
SET ROLE regress_reviewer;
SELECT kyc.activate(:'app');
SET ROLE regress_app;

-- 3. A restricted approval: the account is open with a funding limit; activation waits for the
--    restriction to be lifted, which only a reviewer does, saying how its condition was met
SELECT pg_temp.applicant('f-ida', except_gates => '{cdd}') AS app \gset
SELECT pg_temp.sig(:'app', 'cdd', 'bsa_aml', 'pass', 'high', '{CDD.HIGH_RISK_PROFILE}') IS NOT NULL;
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 90, 'USD', 'wire', 'wire-7') IS NOT NULL AS recorded;
SELECT kyc.activate(:'app');
SELECT id AS restriction FROM kyc.restriction WHERE application_id = :'app' \gset
SELECT kyc.lift_restriction(:'restriction', 'ok');
SET ROLE regress_reviewer;
SELECT kyc.lift_restriction(:'restriction', '');
SELECT kyc.lift_restriction('00000000-0000-4000-8000-000000000000', 'ok');
-- a CDD restriction is BSA/AML's: KYC operations may not lift it, AML does
SELECT kyc.lift_restriction(:'restriction', '90 days of activity consistent with payroll deposits');
SET ROLE regress_aml;
SELECT kyc.lift_restriction(:'restriction', '90 days of activity consistent with payroll deposits');
SELECT kind, lifted_by, lift_note FROM kyc.restriction_status WHERE application_id = :'app';
SELECT kyc.lift_restriction(:'restriction', 'again');
SELECT state, state_note FROM kyc.application_status WHERE id = :'app';

-- 4. A returned initial funding goes to deposit operations before activation
SET ROLE regress_app;
SELECT pg_temp.applicant('f-jon') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 500, 'USD', 'ach', 'ach-9', 'returned') IS NOT NULL AS recorded;
SELECT queue, gate, reason_codes, status FROM kyc.review_task WHERE application_id = :'app';
SELECT kyc.activate(:'app');

-- 5. Exit after opening: an exit reason, the funds to return recorded; closed is final
SET ROLE regress_app;
SELECT kyc.close_account(kyc.application_id('f-gus'), 'CIP.UNABLE_TO_VERIFY');
SELECT kyc.close_account(kyc.application_id('f-gus'), 'EXIT.NO_SUCH');
SELECT kyc.close_account(:'early', 'EXIT.CUSTOMER_REQUEST');
SELECT kyc.close_account(kyc.application_id('f-gus'), 'EXIT.CUSTOMER_REQUEST', 'moving abroad');
SELECT state, state_reason FROM kyc.application_status WHERE external_ref = 'f-gus';
SELECT payload->>'reason_code' AS reason, payload->'funds_to_return' AS funds_to_return
FROM kyc.read_evidence(kyc.application_id('f-gus'), 'activation test') WHERE kind = 'account_closure';
SELECT kyc.close_account(kyc.application_id('f-gus'), 'EXIT.CUSTOMER_REQUEST');
SELECT kyc.record_funding(kyc.application_id('f-gus'), 5, 'USD', 'ach', 'late');

-- 6. Account activity for early-life monitoring: only for an opened account, from its opening
SELECT kyc.record_account_event(:'early', 'deposit', 10);
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'device_change', 10);
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'deposit');
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'device_change', NULL, NULL);
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'deposit', 10, NULL, now() + interval '1 day');
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'deposit', 10, NULL, now() - interval '1 day');
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'deposit', 10) IS NOT NULL AS recorded;
SELECT kyc.record_account_event(kyc.application_id('f-ida'), 'device_change', NULL, 'dev-1') IS NOT NULL AS recorded;

-- 7. The invariants, over every application of the tenant, as the AML analyst (who reads every gate)
SET ROLE regress_aml;
SELECT count(*) AS active_with_unresolved_critical_gate FROM kyc.application a
WHERE a.state IN ('active', 'opened_not_funded', 'approved_restricted')
  AND EXISTS (SELECT 1 FROM kyc.application_gate g JOIN kyc.gate_definition d USING (gate)
              WHERE g.application_id = a.id AND d.critical AND g.status NOT IN ('passed', 'waived', 'not_applicable'));
SELECT count(*) AS active_unfunded FROM kyc.application a
WHERE a.state = 'active' AND NOT EXISTS (SELECT 1 FROM kyc.application_gate g
                                         WHERE g.application_id = a.id AND g.gate = 'funding' AND g.status = 'passed');
SELECT count(*) AS restricted_without_restriction FROM kyc.application a
WHERE a.state = 'approved_restricted' AND NOT EXISTS (SELECT 1 FROM kyc.restriction r WHERE r.application_id = a.id AND r.lifted_at IS NULL);
-- and a reviewer cannot reopen a critical gate of an opened account behind the machine's back
SET ROLE regress_reviewer;
SELECT kyc.set_gate(kyc.application_id('f-ida'), 'cip', 'review', 'CIP.NAME_DOB_MISMATCH');
-- funding, account activity and alerts are append-only
RESET ROLE;
UPDATE kyc.funding SET amount = 1;
DELETE FROM kyc.account_event;
SET ROLE regress_auditor;
SELECT count(*) FILTER (WHERE severity = 'error') AS ledger_errors FROM kyc.verify_ledger() WHERE tenant_id = 'fund_bank';
RESET ROLE;

-- 8. Activation and consent of an application not open for them
SET kyc.tenant = 'fund_bank';
SET ROLE regress_app;
SELECT kyc.open_application('f-lou', 'individual', 'digital_checking', 'US') AS app \gset
SELECT kyc.activate(:'app');
SELECT kyc.transition(:'app', 'abandoned');
:rows
SELECT kyc.activate(:'app');
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
SELECT kyc.evaluate(:'app');
:rows
-- the role checks behind the grants: a role a DBA grants these functions to still may not act
RESET ROLE;
GRANT EXECUTE ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text),
    kyc.capture_consent(uuid, text, text, jsonb), kyc.submit_signal(uuid, jsonb), kyc.evaluate(uuid, timestamptz),
    kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status), kyc.activate(uuid) TO regress_cx;
SET ROLE regress_cx;
SELECT kyc.open_application('f-max', 'individual', 'digital_checking', 'US');
SELECT kyc.capture_consent(:'app', 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
SELECT kyc.submit_signal(:'app', '{}');
SELECT kyc.evaluate(:'app');
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-9');
SELECT kyc.activate(:'app');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text),
    kyc.capture_consent(uuid, text, text, jsonb), kyc.submit_signal(uuid, jsonb), kyc.evaluate(uuid, timestamptz),
    kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status), kyc.activate(uuid) FROM regress_cx;
SELECT count(*) AS applications_named_f_max FROM kyc.application WHERE external_ref = 'f-max';
