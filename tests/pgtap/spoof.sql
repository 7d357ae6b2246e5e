-- Spoofing: what a logged-in, non-superuser, non-owner role tries in order to see or change what it
-- may not. Switching roles, hijacking a definer function's search_path, a leaky function in a
-- WHERE clause, and constraint probes for hidden rows. Each attack is first shown to work on
-- something unprotected, so that a passing test means the protection held, not that the attack
-- never ran.
\i tests/setup.sql
SELECT plan(18);

\o /dev/null
CREATE ROLE spoof_app LOGIN IN ROLE kyc_app;
CREATE ROLE spoof_reviewer LOGIN IN ROLE kyc_reviewer;
CREATE ROLE spoof_admin LOGIN IN ROLE kyc_admin;
CREATE ROLE spoof_other_admin LOGIN IN ROLE kyc_admin;
SELECT kyc.grant_tenant('tap_bank', r) FROM unnest('{spoof_app,spoof_reviewer,spoof_admin}'::name[]) r;
SELECT kyc.grant_tenant('other_bank', 'spoof_other_admin');

-- An application under AML review: its gate decision is SAR-restricted evidence.
SELECT kyc.open_application('spoof-1', 'individual', 'digital_checking', 'US') AS app \gset
SELECT kyc.set_gate(:'app', 'aml', 'review', 'AML.SANCTIONS_POTENTIAL_MATCH', 'sanctions screening: potential match');
-- Another tenant's draft policy and application.
SET LOCAL kyc.tenant = 'other_bank';
SELECT p.id AS shipped FROM kyc.policy p WHERE p.tenant_id = '*' AND p.product = 'digital_checking' AND p.status = 'published' \gset
SET SESSION AUTHORIZATION spoof_other_admin;
SELECT kyc.draft_policy(:'shipped', 'other bank: confidential fraud thresholds') AS other_draft \gset
RESET SESSION AUTHORIZATION;
SELECT kyc.open_application('spoof-shared-ref', 'individual', 'digital_checking', 'US') AS other_app \gset
SET LOCAL kyc.tenant = 'tap_bank';

-- An attacker's schema, usable by every test role: an operator and functions that shadow
-- pg_catalog's when the attacker puts the schema first, and record every call.
CREATE SCHEMA spoof;
CREATE TABLE spoof.calls (what text);
CREATE FUNCTION spoof.text_eq(a text, b text) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO spoof.calls VALUES ('=(text,text)'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE OPERATOR spoof.= (LEFTARG = text, RIGHTARG = text, FUNCTION = spoof.text_eq);
CREATE FUNCTION spoof.uuid_eq(a uuid, b uuid) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO spoof.calls VALUES ('=(uuid,uuid)'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE OPERATOR spoof.= (LEFTARG = uuid, RIGHTARG = uuid, FUNCTION = spoof.uuid_eq);
CREATE FUNCTION spoof.now() RETURNS timestamptz LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO spoof.calls VALUES ('now()'); RETURN pg_catalog.now(); END $$;
CREATE FUNCTION spoof.gen_random_uuid() RETURNS uuid LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO spoof.calls VALUES ('gen_random_uuid()'); RETURN '00000000-0000-0000-0000-000000000001'; END $$;
-- A leaky function: cheap enough that the planner would run it first if it could, and it writes
-- down every row it is shown.
CREATE TABLE spoof.seen (data_class text, payload text);
CREATE FUNCTION spoof.peek(c text, p text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
$$ BEGIN INSERT INTO spoof.seen VALUES (c, p); RETURN true; END $$;
GRANT USAGE ON SCHEMA spoof TO PUBLIC;
GRANT INSERT, SELECT, DELETE ON spoof.calls, spoof.seen TO PUBLIC;
\o

-- Each role below is taken with SET SESSION AUTHORIZATION, so that it is the session user: SET
-- ROLE checks membership against the session user, which would otherwise be this superuser.

-- 1. Role switching: a login may become only the roles it is a member of.
SET SESSION AUTHORIZATION spoof_app;
SELECT throws_ok('SET ROLE kyc_aml', '42501', NULL, 'an application login cannot switch to the AML role');
SELECT throws_ok('SET ROLE spoof_reviewer', '42501', NULL, 'nor to another login''s role');
RESET SESSION AUTHORIZATION;

-- 2. search_path hijack of the definer functions and of the state machine's trigger.
SET SESSION AUTHORIZATION spoof_app;
SET LOCAL search_path = spoof, pg_catalog, public;
SELECT 'x'::text = 'x'::text AS hijack_works, gen_random_uuid() AS spoofed \gset
RESET search_path;
SELECT is((SELECT count(*)::int FROM spoof.calls), 2, 'the hijack works on a query of the caller''s own');
DELETE FROM spoof.calls;
SET LOCAL search_path = spoof, pg_catalog, public;
SELECT kyc.open_application('spoof-2', 'individual', 'digital_checking', 'US') AS app2 \gset
\o /dev/null
SELECT kyc.capture_consent(:'app2', 'account_opening', 'disclosures-2026-10', '{"channel": "app", "session": "s-7"}');
SELECT kyc.submit_signal(:'app2', '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
                                    "result": "pass", "confidence": "high", "reason_codes": [],
                                    "customer_safe_reason": "verification_in_progress", "evidence_refs": ["doc-1"],
                                    "owner": "identity_platform", "model": {"id": "idv-doc", "version": "4.2"}, "score": 0.97}');
\o
SELECT outcome IS NOT NULL AS evaluated FROM kyc.evaluate(:'app2') \gset
SELECT label IS NOT NULL AS status_read FROM kyc.customer_status(:'app2') \gset
RESET search_path;
SELECT is((SELECT count(*)::int FROM spoof.calls), 0,
          'open, consent, signal, evaluate and status ran none of the attacker''s operators or functions');
SELECT isnt(:'app2'::uuid, '00000000-0000-0000-0000-000000000001'::uuid, 'the application id was not the attacker''s');
RESET SESSION AUTHORIZATION;

-- 3. A leaky function in a WHERE clause sees only rows row-level security admits.
SET SESSION AUTHORIZATION spoof_reviewer;
SELECT count(*) FROM kyc.evidence e WHERE spoof.peek(e.data_class::text, e.tenant_id) \gset leaky_
SELECT count(*) FROM kyc.application_gate g WHERE spoof.peek(g.gate::text, g.tenant_id || ': ' || coalesce(g.note, '')) \gset leaky_gates_
RESET SESSION AUTHORIZATION;
SELECT cmp_ok((SELECT count(*)::int FROM spoof.seen WHERE data_class <> 'aml'), '>', 0,
              'the leaky function ran on the rows the reviewer may read');
SELECT is((SELECT count(*)::int FROM spoof.seen WHERE data_class IN ('sar_restricted', 'aml') OR payload LIKE '%sanctions%'), 0,
          'it was never shown a SAR-restricted row or the AML gate');
SELECT is((SELECT count(*)::int FROM spoof.seen s WHERE s.payload NOT LIKE 'tap_bank%'), 0,
          'nor another tenant''s row');

-- 4. Constraint probes: a unique or foreign-key violation must not reveal a hidden row.
SET SESSION AUTHORIZATION spoof_app;
SELECT kyc.open_application('spoof-shared-ref', 'individual', 'digital_checking', 'US') AS mine \gset
SELECT isnt(:'mine'::uuid, :'other_app'::uuid,
            'another tenant''s external reference does not collide: a new application, the other''s existence unrevealed');
SELECT is(kyc.open_application('spoof-shared-ref', 'individual', 'digital_checking', 'US'), :'mine'::uuid,
          'a retry in the caller''s own tenant returns its own application');
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION spoof_admin;
SELECT is((SELECT count(*)::int FROM kyc.policy_rule r WHERE r.policy_id = :'other_draft'), 0,
          'an administrator cannot read another tenant''s policy rules');
SELECT throws_ok(format($$INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, status)
                          VALUES (%L, 999, 'fraud', 'pass', 'passed')$$, :'other_draft'),
                 '42501', NULL, 'nor add a rule to another tenant''s draft');
SELECT throws_ok(format($$INSERT INTO kyc.policy_rule (policy_id, rule_no, gate, result, status)
                          VALUES (%L, 999, 'fraud', 'pass', 'passed')$$, gen_random_uuid()),
                 '42501', NULL, 'and a policy id that does not exist is refused the same way');
RESET SESSION AUTHORIZATION;
SELECT is((SELECT count(*)::int FROM kyc.policy_rule r WHERE r.policy_id = :'other_draft' AND r.rule_no = 999), 0,
          'the other tenant''s draft is unchanged');

-- 5. Error messages name the field, never echo the value: a value that is personal data must not
-- reach logs or the caller's error handling through an error.
CREATE FUNCTION pg_temp.error_texts(app uuid, field text, value jsonb) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    base jsonb := '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
                    "result": "pass", "confidence": "high", "reason_codes": [], "owner": "identity_platform",
                    "customer_safe_reason": "verification_in_progress"}';
    msg text; detail text; hint text;
BEGIN
    PERFORM kyc.submit_signal(app, jsonb_set(base, ARRAY[field], value));
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN concat_ws(' / ', msg, detail, hint);
END $$;
SELECT is(ARRAY(SELECT f || ': ' || t FROM
                  (SELECT f, pg_temp.error_texts(:'app2'::uuid, f, v::jsonb) AS t FROM
                     (VALUES ('gate', '"SSN 123-45-6789"'), ('result', '"SSN 123-45-6789"'),
                             ('confidence', '"SSN 123-45-6789"'), ('owner', '"SSN 123-45-6789"'),
                             ('customer_safe_reason', '"SSN 123-45-6789"'), ('reason_codes', '["SSN 123-45-6789"]'),
                             ('score', '"SSN 123-45-6789"'), ('expires_at', '"SSN 123-45-6789"'),
                             ('evidence_refs', '"SSN 123-45-6789"')) x(f, v)) e
                WHERE t LIKE '%123-45-6789%' OR t NOT LIKE '%"' || f || '"%'),
          '{}'::text[], 'each bad value is refused naming its field, and the error texts never contain the value');

-- 6. Statistics: ANALYZE samples no restricted values, and a role subject to row-level security
-- sees no statistics of pg_kyc's tables at all (pg_stats hides them while row security is active).
\o /dev/null
ANALYZE kyc.application, kyc.application_gate, kyc.evidence, kyc.signal, kyc.decision;
\o
SELECT is(ARRAY(SELECT format('%s.%s', c.relname, a.attname) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relnamespace = 'kyc'::regnamespace AND a.attnum > 0 AND a.attstattarget = 0 ORDER BY 1),
          '{application.state_note,application.state_reason,application_gate.note,application_gate.reason_code,decision.inputs,decision.result,evidence.payload,evidence.payload_salt,signal.evidence_refs,signal.reason_codes,signal.score}'::text[],
          'the columns that hold restricted values are never sampled');
SELECT is(ARRAY(SELECT format('%s.%s', s.tablename, s.attname) FROM pg_stats s
                WHERE s.schemaname = 'kyc' AND (s.tablename, s.attname) IN
                      (SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                       WHERE c.relnamespace = 'kyc'::regnamespace AND a.attnum > 0 AND a.attstattarget = 0)),
          '{}'::text[], 'after ANALYZE, pg_statistic holds nothing of them');
SELECT count(*) AS superuser_stats FROM pg_stats WHERE schemaname = 'kyc' \gset
SET SESSION AUTHORIZATION spoof_reviewer;
SELECT is((SELECT count(*)::int FROM pg_stats WHERE schemaname = 'kyc'), 0,
          format('a reviewer sees no statistics of pg_kyc''s tables (the superuser sees %s rows)', :'superuser_stats'));
RESET SESSION AUTHORIZATION;

SELECT * FROM finish();
ROLLBACK;
