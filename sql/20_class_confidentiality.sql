-- AML and fraud facts keep their data class wherever they are copied, and a role sees only what
-- its classes allow (docs/security.md, "What each role sees of AML and fraud facts"): an
-- application's state, reason and note, its state history, its restrictions, the state-change
-- evidence, the decisions after an AML clearance, the details of errors, legal holds. Where a
-- role may not read a value it sees the neutral one: a state NULL ("review_pending" in error
-- texts), a reason 'REASON.WITHHELD', a note or a name NULL; it cannot act on what it cannot see.
\set SHOW_CONTEXT never
SELECT count(*) AS grants FROM (
    SELECT kyc.grant_tenant('class_bank', r)
    FROM unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_fraud', 'regress_aml', 'regress_aml2',
                      'regress_admin', 'regress_auditor']::name[]) r) g;
SET kyc.tenant = 'class_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql

-- What one role sees of one application: its row in kyc.application_status, the reasons and notes
-- of its state history, its restrictions, the decisions and evidence rows it may read, and whether
-- any payload it may read names AML.
CREATE FUNCTION pg_temp.sees(app uuid) RETURNS text LANGUAGE sql AS $$
    SELECT format('state %s, reason %s, note %s | history %s | restrictions %s | decisions %s | AML in payloads %s',
        coalesce(s.state::text, 'NULL'), coalesce(s.state_reason, 'NULL'), coalesce(s.state_note, 'NULL'),
        (SELECT string_agg(format('%s>%s %s %s', coalesce(h.from_state::text, 'NULL'), coalesce(h.to_state::text, 'NULL'),
                                  coalesce(h.reason_code, '-'), coalesce(h.actor_role::text, 'NULL')), '; ' ORDER BY h.state_version)
           FROM kyc.state_history h WHERE h.application_id = app AND h.state_version > 2),
        (SELECT coalesce(string_agg(format('%s %s by %s', r.kind, r.reason_code, coalesce(r.imposed_by::text, 'NULL')), '; '), 'none')
           FROM kyc.restriction_status r WHERE r.application_id = app),
        (SELECT count(*) FROM kyc.decision d WHERE d.application_id = app),
        (SELECT count(*) > 0 FROM kyc.read_evidence(app, 'regress: class reach') e
          WHERE e.payload::text ~ '(AML\.|aml_review_pending|SAR)'))
    FROM kyc.application_status s WHERE s.id = app
$$;
GRANT EXECUTE ON FUNCTION pg_temp.sees(uuid) TO PUBLIC;
\set everyone 'SET ROLE regress_app; SELECT ''app'' AS role, pg_temp.sees(:''app''); SET ROLE regress_reviewer; SELECT ''reviewer'' AS role, pg_temp.sees(:''app''); SET ROLE regress_fraud; SELECT ''fraud'' AS role, pg_temp.sees(:''app''); SET ROLE regress_aml; SELECT ''aml'' AS role, pg_temp.sees(:''app''); SET ROLE regress_auditor; SELECT ''auditor'' AS role, pg_temp.sees(:''app''); SET ROLE regress_admin; SELECT ''admin'' AS role, pg_temp.sees(:''app''); SET ROLE regress_app;'

-- 1. Held for AML review: the service is told hold_for_review, not which review
SELECT pg_temp.applicant('cl-aml', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.SANCTIONS_POTENTIAL_MATCH}') IS NOT NULL;
SELECT outcome, state IS NULL AS state_withheld FROM kyc.evaluate(:'app');
:everyone
-- the columns that may hold AML facts are AML's alone; the others read the status view
SELECT state FROM kyc.application WHERE id = :'app';
SELECT state_reason, state_note, state_class FROM kyc.application WHERE id = :'app';
SELECT external_ref, state_version FROM kyc.application WHERE id = :'app';
-- nor do the errors of the service's other calls name the state
SELECT kyc.record_funding(:'app', 100, 'USD', 'ach', 'ach-77');
SELECT kyc.activate(:'app');
SELECT kyc.close_account(:'app', 'EXIT.CUSTOMER_REQUEST', 'customer asked');
SELECT kyc.record_notice(:'app', 'approved_with_limits', 'email', '{"message_id": "m-1"}');
SET ROLE regress_admin;
SELECT kyc.redact_evidence(:'app', ARRAY[1]::bigint[], 'retention', 'test');
SET ROLE regress_aml;
SELECT kyc.close_account(:'app', 'EXIT.CUSTOMER_REQUEST', 'customer asked');
SELECT state, state_reason, state_class FROM kyc.application WHERE id = :'app';
SELECT data_class FROM kyc.evidence WHERE application_id = :'app' AND kind = 'state_change' ORDER BY seq DESC LIMIT 1;

-- 2. An error names no gate and no state the caller may not read (KY002, the transition
--    check), and a role cannot move an application out of (or into) a state it may not read
SET ROLE regress_app;
SELECT kyc.transition(:'app', 'opened_not_funded');
SELECT kyc.transition(:'app', 'kyb_review_pending');
SET ROLE regress_reviewer;
SELECT kyc.transition(:'app', 'declined');
SET ROLE regress_aml;
SELECT kyc.transition(:'app', 'opened_not_funded');
SELECT kyc.transition(:'app', 'active');
-- the service's own transition check, on an application it may read: no AML gate named
SET ROLE regress_app;
SELECT pg_temp.applicant('cl-plain', except_gates => '{aml,fraud}') AS plain \gset
SELECT kyc.transition(:'plain', 'consent_captured');
SELECT kyc.transition(:'plain', 'opened_not_funded');
SELECT kyc.transition(:'plain', 'aml_review_pending');
SET ROLE regress_fraud;
SELECT kyc.transition(:'plain', 'opened_not_funded');
SET ROLE regress_aml;
SELECT kyc.transition(:'plain', 'opened_not_funded');
SET ROLE regress_app;
-- a role cannot give a reason it may not read; nothing is written
SELECT kyc.transition(:'app', 'declined', 'AML.SANCTIONS_CONFIRMED');
SET ROLE regress_reviewer;
SELECT kyc.transition(:'app', 'declined', 'FRAUD.CONFIRMED');
SET ROLE regress_aml;
SELECT state, state_version FROM kyc.application WHERE id IN (:'app', :'plain') ORDER BY external_ref;

-- 3. Cleared by two AML analysts: the account opens; the decision made after the clearance holds
--    AML.CLEARED_BY_REVIEW among its inputs, so it is SAR-restricted
SELECT c.queue FROM kyc.claim_task('aml_ops') c;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'SAR 2026-117 filed; relationship may open');
SET SESSION AUTHORIZATION regress_aml2;
SELECT c.queue FROM kyc.claim_task('aml_ops') c;
SELECT task_status, state FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'agree');
SELECT outcome, data_class, to_state FROM kyc.decision WHERE application_id = :'app' ORDER BY decided_at DESC, evidence_seq DESC LIMIT 1;
RESET SESSION AUTHORIZATION;
SET ROLE regress_aml;
:everyone

-- 4. A fraud restriction on the opened account: the kind and lift condition are everyone's (the
--    service enforces them), the reason and the analyst's name only for those who read fraud
SET ROLE regress_fraud;
SELECT kyc.impose_restriction(:'app', 'no_outbound_transfers', 'FRAUD.EARLY_LIFE_ACTIVITY', '30 days without returned funding') IS NOT NULL AS restricted;
SET ROLE regress_app;
SELECT kind, reason_code, lift_condition, imposed_by FROM kyc.restriction_status WHERE application_id = :'app';
SELECT reason_code FROM kyc.restriction WHERE application_id = :'app';
SELECT kind, lift_condition FROM kyc.restriction WHERE application_id = :'app';
:everyone
-- a reviewer cannot lift what it cannot see: answered as for a restriction that does not exist
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '[0-9a-f]{8}-[0-9a-f-]{27}', '<id>');
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.try(text) TO PUBLIC;
SELECT id AS fraud_restriction FROM kyc.restriction_status WHERE application_id = :'app' \gset
SET ROLE regress_reviewer;
SELECT pg_temp.try(format('SELECT kyc.lift_restriction(%L, %L)', :'fraud_restriction', 'device checked')) AS fraud_restriction,
       pg_temp.try(format('SELECT kyc.lift_restriction(%L, %L)', '00000000-0000-4000-8000-000000000000', 'device checked')) AS unknown;
SET ROLE regress_fraud;
SELECT lifted_at IS NULL AS still_in_force FROM kyc.restriction_status WHERE id = :'fraud_restriction';
SET ROLE regress_app;

-- 5. Legal holds: AML's hold ("SAR ... filed") is SAR-restricted; the administrator neither sees
--    nor releases it, and is answered as for a hold that does not exist
SET ROLE regress_aml;
SELECT kyc.place_legal_hold(:'app', 'SAR 2026-117 filed: keep everything') AS aml_hold \gset
SET ROLE regress_admin;
SELECT kyc.place_legal_hold(:'app', 'litigation L-77') AS admin_hold \gset
SELECT reason, placed_by, data_class FROM kyc.legal_hold WHERE application_id = :'app' ORDER BY placed_at, reason;
SELECT kyc.release_legal_hold(:'aml_hold', 'retention may proceed');
SELECT kyc.release_legal_hold('00000000-0000-4000-8000-000000000000', 'retention may proceed');
SET ROLE regress_auditor;
SELECT reason, data_class FROM kyc.legal_hold WHERE application_id = :'app' ORDER BY reason;
SET ROLE regress_aml;
SELECT reason, placed_by, data_class, released_at IS NULL AS active FROM kyc.legal_hold WHERE application_id = :'app' ORDER BY reason;
SELECT data_class, payload->>'reason' AS reason FROM kyc.read_evidence(:'app', 'regress: holds')
WHERE kind = 'retention_action' ORDER BY seq;
SELECT kyc.release_legal_hold(:'aml_hold', 'matter closed');
SELECT reason, released_at IS NULL AS active FROM kyc.legal_hold WHERE application_id = :'app' ORDER BY reason;

-- 6. A reason's class is read from the catalog once per backend and forgotten when the catalog
--    changes (as the superuser, in this same session)
RESET ROLE;
SELECT kyc.reason_class('CDD.EDD_REQUIRED') AS before, kyc.reason_class('NO.SUCH_CODE') AS unknown;
BEGIN;
UPDATE kyc.reason_code SET data_class = 'fraud_sensitive' WHERE code = 'CDD.EDD_REQUIRED';
SELECT kyc.reason_class('CDD.EDD_REQUIRED') AS changed;
ROLLBACK;
SELECT kyc.reason_class('CDD.EDD_REQUIRED') AS after_rollback;

-- 7. A KYC reviewer who proposes an override (clearing a CIP decline recommendation) while the
--    application waits in AML review is told the task waits, not the state it may not read
SET ROLE regress_app;
SELECT pg_temp.applicant('cl-propose', except_gates => '{cip,aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'cip', 'kyc_cip', 'fail', 'high', '{CIP.UNABLE_TO_VERIFY}') IS NOT NULL;
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.SANCTIONS_POTENTIAL_MATCH}') IS NOT NULL;
SELECT outcome, state IS NULL AS state_withheld FROM kyc.evaluate(:'app');
SET ROLE regress_reviewer;
SELECT c.gate FROM kyc.claim_task('kyc_ops') c WHERE c.application_id = :'app';
SELECT task_status, state IS NULL AS state_withheld
FROM kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'app' AND gate = 'cip'),
                      'clear', 'CIP.CLEARED_BY_REVIEW', 'bureau file matched on a second pull');
SET ROLE regress_aml;
SELECT state FROM kyc.application WHERE id = :'app';
RESET ROLE;

-- 8. Nor does a role restrict an account with a reason it may not read: a KYC reviewer citing an
--    AML reason is refused, as for a move (the jobs login applies the policy's early-life reasons)
SET ROLE regress_app;
SELECT pg_temp.applicant('cl-restrict') AS app \gset
SELECT outcome, state FROM kyc.evaluate(:'app');
SET ROLE regress_reviewer;
SELECT kyc.impose_restriction(:'app', 'no_outbound_transfers', 'AML.SANCTIONS_POTENTIAL_MATCH', 'AML clears it');
SELECT kyc.impose_restriction(:'app', 'no_outbound_transfers', 'FRAUD.EARLY_LIFE_ACTIVITY', 'fraud clears it');
RESET ROLE;
SELECT count(*) AS restrictions FROM kyc.restriction WHERE application_id = :'app';
SELECT count(*) AS restriction_rows FROM kyc.evidence WHERE application_id = :'app' AND kind = 'restriction';
SET ROLE regress_aml;
SELECT kyc.impose_restriction(:'app', 'no_outbound_transfers', 'AML.SANCTIONS_POTENTIAL_MATCH', 'AML clears it') IS NOT NULL AS imposed;
RESET ROLE;
