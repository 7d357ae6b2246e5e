-- What each role reads of AML and fraud facts (docs/security.md, "What each role sees of AML and
-- fraud facts"). Every column of every table and view of schema kyc that can hold a reason, a
-- note, a payload, a detail or a person, found through the catalogs (a new one fails the suite
-- until it is classified below), is read by a non-superuser login of every group role, and so is
-- kyc.read_evidence; every value the login gets back must be of a class its role may read.
--
-- A value's class is read off the value itself, so that the check does not trust the code it
-- checks: the catalog class of every reason code in it (kyc.reason_code), sar_restricted for the
-- state aml_review_pending, and the class named by a "CLASS:<class>" marker, which every free text
-- written below (notes, hold reasons, lift notes) carries. Neutral values (REASON.WITHHELD, NULL)
-- carry no class.
\i tests/setup.sql

\o /dev/null
SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', 'reach_' || r, r)
FROM unnest('{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer}'::name[]) r \gexec
CREATE ROLE reach_kyc_aml2 LOGIN IN ROLE kyc_aml;
SELECT kyc.grant_tenant('tap_bank', rolname) FROM pg_roles WHERE rolname LIKE 'reach\_kyc\_%';
\o

-- The classes each role may read (docs/security.md, "Data classes"), written out rather than
-- asked of kyc.readable_classes(), which is part of what is checked.
CREATE TEMP TABLE may_read (role name, class kyc.data_class);
INSERT INTO may_read
SELECT r, c::kyc.data_class FROM (VALUES
    ('kyc_app', '{customer_safe,internal,pii}'),
    ('kyc_reviewer', '{customer_safe,internal,pii}'),
    ('kyc_fraud', '{customer_safe,internal,pii,fraud_sensitive}'),
    ('kyc_aml', '{customer_safe,internal,pii,fraud_sensitive,sar_restricted}'),
    ('kyc_auditor', '{customer_safe,internal,pii,fraud_sensitive}'),
    ('kyc_admin', '{customer_safe,internal}'),
    ('kyc_cx', '{customer_safe}'),
    ('kyc_jobs', '{}')) AS v (r, cs), unnest(cs::text[]) c;

-- Every column that can hold a reason, a note, a payload, a detail or a person, and what it holds:
-- a fact about an application (checked: every value a login reads is of a class its role may
-- read), or catalog text the same for every application (not a fact, not checked). The list is
-- here so that a new column is looked at before it ships.
CREATE TEMP TABLE classified (relname name, attname name, fact boolean, why text, PRIMARY KEY (relname, attname));
INSERT INTO classified VALUES
    ('abandonment_by_step', 'reason_code', true, 'from kyc.state_history'),
    ('account_event', 'recorded_by', true, 'the service'),
    ('application', 'state', true, 'AML only (column grant)'),
    ('application', 'state_reason', true, 'AML only (column grant)'),
    ('application', 'state_note', true, 'AML only (column grant)'),
    ('application_gate', 'reason_code', true, 'row class: the gate''s'),
    ('application_gate', 'note', true, 'row class: the gate''s'),
    ('application_status', 'state', true, 'NULL when the state''s class is not readable'),
    ('application_status', 'state_reason', true, 'REASON.WITHHELD when the reason''s class is not readable'),
    ('application_status', 'state_note', true, 'NULL when the last move''s class is not readable'),
    ('customer_message', 'message', false, 'customer wording'),
    ('customer_message', 'next_step', false, 'customer wording'),
    ('decision', 'from_state', true, 'row class: its most sensitive content'),
    ('decision', 'to_state', true, 'row class: its most sensitive content'),
    ('decision', 'inputs', true, 'row class: its most sensitive content'),
    ('decision', 'result', true, 'row class: its most sensitive content'),
    ('decision', 'reason_codes', true, 'row class: its most sensitive content'),
    ('evidence', 'payload', true, 'no role selects it (kyc.read_evidence, checked below)'),
    ('evidence', 'payload_salt', true, 'no role selects it'),
    ('funding', 'recorded_by', true, 'the service'),
    ('gate_definition', 'description', false, 'catalog'),
    ('gate_definition', 'review_reason', false, 'catalog'),
    ('customer_message_key', 'description', false, 'catalog'),
    ('information_request', 'reason_code', true, 'row class: the gate''s'),
    ('information_request', 'requested_by', true, 'row class: the gate''s'),
    ('job_definition', 'description', false, 'catalog'),
    ('job_run', 'run_by', true, 'the jobs login'),
    ('job_run', 'detail', true, 'error texts of job runs, which name no gate the jobs login may not read'),
    ('legal_hold', 'reason', true, 'row class: AML''s holds are SAR-restricted'),
    ('legal_hold', 'placed_by', true, 'row class: AML''s holds are SAR-restricted'),
    ('policy', 'description', false, 'catalog: a policy'),
    ('policy', 'restriction_reason', false, 'catalog: a policy'),
    ('policy_early_life_rule', 'reason_code', false, 'catalog: a policy'),
    ('policy_rule', 'reason_code', false, 'catalog: a policy'),
    ('policy_rule', 'decision_reason', false, 'catalog: a policy'),
    ('policy_rule', 'result', false, 'catalog: a policy'),
    ('policy_timeout', 'state', false, 'catalog: a policy'),
    ('reason_code', 'description', false, 'catalog'),
    ('restriction', 'reason_code', true, 'AML only (column grant)'),
    ('restriction', 'imposed_by', true, 'AML only (column grant)'),
    ('restriction', 'lifted_by', true, 'AML only (column grant)'),
    ('restriction', 'lift_note', true, 'AML only (column grant)'),
    ('restriction_status', 'reason_code', true, 'REASON.WITHHELD when the reason''s class is not readable'),
    ('restriction_status', 'imposed_by', true, 'NULL when the reason''s class is not readable'),
    ('restriction_status', 'lifted_by', true, 'NULL when the reason''s class is not readable'),
    ('restriction_status', 'lift_note', true, 'NULL when the reason''s class is not readable'),
    ('review_queue', 'description', false, 'catalog'),
    ('review_task', 'reason_codes', true, 'row class: the gate''s'),
    ('review_task', 'proposed_reason', true, 'row class: the gate''s'),
    ('review_task', 'proposed_note', true, 'row class: the gate''s'),
    ('review_task', 'resolution', true, 'row class: the gate''s'),
    ('review_task', 'resolution_reason', true, 'row class: the gate''s'),
    ('review_task', 'resolution_note', true, 'row class: the gate''s'),
    ('review_task', 'resolved_by', true, 'row class: the gate''s'),
    ('signal', 'reason_codes', true, 'row class: the gate''s'),
    ('signal', 'customer_safe_reason', true, 'row class: the gate''s'),
    ('signal', 'result', true, 'row class: the gate''s'),
    ('state_definition', 'state', false, 'catalog'),
    ('state_definition', 'description', false, 'catalog'),
    ('state_history', 'from_state', true, 'NULL when the state''s class is not readable'),
    ('state_history', 'to_state', true, 'NULL when the state''s class is not readable'),
    ('state_history', 'reason_code', true, 'REASON.WITHHELD when the reason''s class is not readable'),
    ('state_history', 'note', true, 'NULL unless the row''s class is readable'),
    ('state_transition', 'from_state', false, 'catalog'),
    ('state_transition', 'to_state', false, 'catalog'),
    ('state_transition', 'description', false, 'catalog');

-- The columns to read: by name, in every table and view of schema kyc.
CREATE TEMP TABLE candidate AS
SELECT c.relname, a.attname
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'v')
  AND (a.attname ~ '(reason|note|payload|detail|inputs|result|resolution|message|next_step|description|_by$)'
       OR (a.attname ~ 'state$' AND a.atttypid = 'kyc.state'::regtype))
  AND a.attname !~ '(_at|_id|_digest|_key|_version)$'
  AND a.attname NOT IN ('decided_by', 'set_by', 'approved_by', 'drafted_by', 'published_by', 'author', 'assignee',
                        'proposed_by', 'granted_by', 'seq', 'pending_state');

-- A value's class, read off the value (see the head of this file); NULL for a neutral value.
CREATE FUNCTION pg_temp.fact_class(v text) RETURNS kyc.data_class LANGUAGE sql AS $$
    SELECT max(c) FROM (
        SELECT r.data_class FROM regexp_matches(v, '([A-Z]+\.[A-Z0-9_]+)', 'g') m JOIN kyc.reason_code r ON r.code = m[1]
        UNION ALL
        SELECT m[1]::kyc.data_class FROM regexp_matches(v, 'CLASS:([a-z_]+)', 'g') m
        UNION ALL
        SELECT 'sar_restricted'::kyc.data_class WHERE v ~ 'aml_review_pending'
        UNION ALL
        -- the name of an AML analyst says which team acted
        SELECT 'sar_restricted'::kyc.data_class WHERE v ~ 'reach_kyc_aml'
    ) x (c) $$;

-- ---- the facts: one application of each kind of hold, written through the API ------------------
CREATE FUNCTION pg_temp.sig(app uuid, gate text, owner text, result text, reasons text[] DEFAULT '{}') RETURNS uuid
LANGUAGE sql AS $$
    SELECT kyc.submit_signal(app, jsonb_build_object(
        'source', gate || '_vendor', 'signal_type', 'check', 'gate', gate, 'owner', owner, 'result', result,
        'confidence', 'medium', 'reason_codes', to_jsonb(reasons), 'customer_safe_reason', 'under_review')) $$;
CREATE FUNCTION pg_temp.applicant(ref text, except_gates text[]) RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE app uuid := kyc.open_application(ref, 'individual', 'digital_checking', 'US-NY', 'digital');
BEGIN
    PERFORM kyc.capture_consent(app, 'account_opening', 'disclosures-2026-10', '{"channel": "app"}');
    PERFORM pg_temp.sig(app, g, o, 'pass')
    FROM (VALUES ('identity_proofing', 'identity_platform'), ('cip', 'kyc_cip'), ('cdd', 'bsa_aml'),
                 ('fraud', 'fraud_risk'), ('aml', 'bsa_aml')) AS v (g, o)
    WHERE g <> ALL (except_gates);
    RETURN app;
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.sig(uuid, text, text, text, text[]), pg_temp.applicant(text, text[]) TO PUBLIC;

\o /dev/null
SET LOCAL ROLE reach_kyc_app;
-- held for AML review, then cleared by two analysts: the account opens
SELECT pg_temp.applicant('reach-aml', '{aml}') AS aml \gset
SELECT pg_temp.sig(:'aml', 'aml', 'bsa_aml', 'refer', '{AML.SANCTIONS_POTENTIAL_MATCH}');
SELECT kyc.evaluate(:'aml');
-- held for fraud review
SELECT pg_temp.applicant('reach-fraud', '{fraud}') AS fraud \gset
SELECT pg_temp.sig(:'fraud', 'fraud', 'fraud_risk', 'refer', '{FRAUD.DEVICE_RISK}');
SELECT kyc.evaluate(:'fraud');
-- asked for a new document (a personal-data reason)
SELECT pg_temp.applicant('reach-pii', '{identity_proofing}') AS pii \gset
SELECT pg_temp.sig(:'pii', 'identity_proofing', 'identity_platform', 'inconclusive', '{IDV.DOCUMENT_GLARE}');
SELECT kyc.evaluate(:'pii');
-- still held for AML review, with an analyst's note on the state
SELECT pg_temp.applicant('reach-aml-held', '{aml}') AS held \gset
SELECT pg_temp.sig(:'held', 'aml', 'bsa_aml', 'refer', '{AML.PEP_MATCH}');
SELECT kyc.evaluate(:'held');
SET LOCAL ROLE reach_kyc_aml;
SELECT kyc.transition(:'held', 'cdd_review_pending', 'AML.REFERRAL', 'CLASS:sar_restricted referred to CDD');
SELECT kyc.transition(:'held', 'aml_review_pending', 'AML.REFERRAL', 'CLASS:sar_restricted back to AML');
SELECT kyc.claim_task('aml_ops');
SELECT kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'aml'), 'clear', 'AML.CLEARED_BY_REVIEW',
                        'CLASS:sar_restricted SAR considered, not filed');
-- (the second analyst is another person: another login)
SET LOCAL SESSION AUTHORIZATION reach_kyc_aml2;
SELECT kyc.claim_task('aml_ops');
SELECT kyc.resolve_task((SELECT id FROM kyc.review_task WHERE application_id = :'aml'), 'clear', 'AML.CLEARED_BY_REVIEW',
                        'CLASS:sar_restricted agree');
RESET SESSION AUTHORIZATION;
SET LOCAL ROLE reach_kyc_aml;
SELECT kyc.place_legal_hold(:'aml', 'CLASS:sar_restricted SAR 2026-117 filed');
SET LOCAL ROLE reach_kyc_fraud;
SELECT kyc.impose_restriction(:'aml', 'no_outbound_transfers', 'FRAUD.EARLY_LIFE_ACTIVITY', 'CLASS:internal 30 days without returns');
SELECT kyc.lift_restriction((SELECT id FROM kyc.restriction_status WHERE application_id = :'aml' AND reason_code = 'FRAUD.EARLY_LIFE_ACTIVITY'),
                            'CLASS:fraud_sensitive device cleared');
SELECT kyc.claim_task('fraud_ops');
SET LOCAL ROLE reach_kyc_admin;
SELECT kyc.place_legal_hold(:'fraud', 'CLASS:internal litigation L-77');
RESET ROLE;
\o

-- What a login reads of a column: every non-NULL value, as text. NULL when refused.
CREATE FUNCTION pg_temp.read_as(login name, stmt text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    got text[];
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', login);
        BEGIN
            EXECUTE stmt INTO got;
        EXCEPTION WHEN insufficient_privilege THEN
            got := NULL;
        END;
        RAISE EXCEPTION 'class reach: roll back' USING ERRCODE = 'KYTAP';
    EXCEPTION WHEN SQLSTATE 'KYTAP' THEN
        NULL;
    END;
    RETURN got;
END $$;

CREATE TEMP TABLE logins AS
SELECT r AS role, ('reach_' || r)::name AS login
FROM unnest('{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer}'::name[]) r;

-- Every value each login reads: of every candidate column, and of every payload kyc.read_evidence
-- gives it for every application of the tenant.
-- What is read of a column: all of it, but of a decision's inputs not the gate catalog recorded
-- with them since 0.3.0 (each gate's review reason, say): reference data, the same for every
-- application, which tells nothing of this one.
CREATE FUNCTION pg_temp.column_read(rel name, att name) RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN rel = 'decision' AND att = 'inputs' THEN 'inputs - ''catalog''' ELSE quote_ident(att) END $$;

CREATE TEMP TABLE reads AS
SELECT l.role, c.relname || '.' || c.attname AS what, v
FROM logins l CROSS JOIN candidate c JOIN classified k USING (relname, attname)
CROSS JOIN LATERAL unnest(CASE WHEN k.fact THEN pg_temp.read_as(l.login,
    format('SELECT array_agg(x::text) FROM (SELECT %s AS x FROM kyc.%I) s WHERE x IS NOT NULL', pg_temp.column_read(c.relname, c.attname), c.relname)) END) v
UNION ALL
SELECT l.role, 'kyc.read_evidence().payload', v
FROM logins l CROSS JOIN LATERAL unnest(pg_temp.read_as(l.login,
    'SELECT array_agg(e.payload::text) FROM kyc.application a, kyc.read_evidence(a.id, ''class reach'') e')) v;

-- Every value of every candidate column and payload, as the superuser reads it: what there is to leak.
CREATE TEMP TABLE facts AS
SELECT c.relname || '.' || c.attname AS what, pg_temp.fact_class(v) AS class
FROM candidate c CROSS JOIN LATERAL unnest(pg_temp.read_as(current_user,
    format('SELECT array_agg(x::text) FROM (SELECT %s AS x FROM kyc.%I) s WHERE x IS NOT NULL', pg_temp.column_read(c.relname, c.attname), c.relname))) v;

SELECT plan((SELECT count(*)::int FROM logins) * ((SELECT count(*)::int FROM classified WHERE fact) + 1) + 4);

SELECT is((SELECT string_agg(relname || '.' || attname, ', ' ORDER BY 1) FROM candidate
           WHERE (relname, attname) NOT IN (SELECT relname, attname FROM classified)), NULL,
          'every column that can hold a reason, note, payload, detail or person is classified in this test');
SELECT is((SELECT string_agg(relname || '.' || attname, ', ' ORDER BY 1) FROM classified
           WHERE (relname, attname) NOT IN (SELECT relname, attname FROM candidate)), NULL,
          'every column classified in this test exists');
-- the facts are there to be leaked: SAR-restricted and fraud-sensitive values in the columns that
-- leaked them before 0.3.0
SELECT is((SELECT string_agg(w, ', ' ORDER BY w) FROM unnest(ARRAY['application.state_reason', 'application.state',
               'restriction.reason_code', 'restriction.lift_note', 'legal_hold.reason', 'decision.inputs',
               'state_history.reason_code', 'state_history.to_state', 'application.state_note']) w
           WHERE NOT EXISTS (SELECT 1 FROM facts f WHERE f.what = w AND f.class IN ('sar_restricted', 'fraud_sensitive'))), NULL,
          'the set-up wrote AML or fraud facts into every column that leaked them');
SELECT ok((SELECT count(*) FROM reads WHERE role = 'kyc_aml' AND pg_temp.fact_class(v) = 'sar_restricted') > 0,
          'AML reads the SAR-restricted facts (the check can see them)');

SELECT is((SELECT string_agg(DISTINCT coalesce(pg_temp.fact_class(r.v)::text, '?') || ': ' || left(r.v, 80), ' | ')
           FROM reads r
           WHERE r.role = l.role AND r.what = w.what
             AND pg_temp.fact_class(r.v) IS NOT NULL
             AND pg_temp.fact_class(r.v) NOT IN (SELECT m.class FROM may_read m WHERE m.role = l.role)), NULL,
          format('%s reads nothing above its classes from %s', l.login, w.what))
FROM logins l
CROSS JOIN (SELECT relname || '.' || attname AS what FROM classified WHERE fact UNION ALL SELECT 'kyc.read_evidence().payload') w
ORDER BY l.login, w.what;

SELECT * FROM finish();
ROLLBACK;
