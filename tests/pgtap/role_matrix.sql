-- The role matrix, checked through the catalogs: who may execute which function and read or
-- write which table, for every object of schema kyc, against the one list an auditor can read
-- (tests/role_matrix_expected.sql). A new function or table fails the suite until it is given a
-- row there, so no privilege arrives unreviewed. tests/pgtap/login_matrix.sql checks the same
-- list by actually calling, as logins. Row-level security then narrows every SELECT to the granted
-- tenant and the readable data classes (sql/12, sql/13).
\i tests/setup.sql
\i tests/role_matrix_expected.sql

-- Actual privileges in the same form, through has_*_privilege: membership and PUBLIC included.
CREATE FUNCTION pg_temp.kyc_roles() RETURNS name[] LANGUAGE sql AS
$$ SELECT ARRAY['kyc_admin', 'kyc_aml', 'kyc_app', 'kyc_auditor', 'kyc_cx', 'kyc_fraud', 'kyc_jobs', 'kyc_reviewer']::name[] $$;
CREATE FUNCTION pg_temp.executors(f oid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(r, ',' ORDER BY r), '-')
    FROM unnest(pg_temp.kyc_roles()) r WHERE has_function_privilege(r, f, 'EXECUTE') $$;
CREATE FUNCTION pg_temp.table_privileges(t oid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(r || ':' || p, ',' ORDER BY r), '-')
    FROM unnest(pg_temp.kyc_roles() || 'public'::name) r,
         LATERAL (SELECT string_agg(CASE WHEN has_table_privilege(r, t, pv) THEN left(pv, 1) ELSE 's' END, '' ORDER BY pv) AS p
                  FROM unnest(ARRAY['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE']) pv
                  WHERE has_table_privilege(r, t, pv) OR (pv = 'SELECT' AND has_any_column_privilege(r, t, 'SELECT'))) x
    WHERE x.p IS NOT NULL $$;

SELECT plan((SELECT count(*)::int FROM expected_execute) + (SELECT count(*)::int FROM expected_table) + 12);

SELECT is(pg_temp.executors(x.signature::regprocedure), x.roles, 'EXECUTE on ' || x.signature)
FROM expected_execute x ORDER BY x.signature;
SELECT is(pg_temp.table_privileges(('kyc.' || x.relname)::regclass), x.privileges, 'privileges on kyc.' || x.relname)
FROM expected_table x ORDER BY x.relname;

SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'kyc'::regnamespace
                  AND p.oid::regprocedure::text NOT IN (SELECT signature FROM expected_execute) ORDER BY 1),
          '{}'::text[], 'every function of schema kyc has a row in the matrix');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND c.relname NOT IN (SELECT relname FROM expected_table) ORDER BY 1),
          '{}'::text[], 'every table and view of schema kyc has a row in the matrix');
-- PUBLIC may call only what a value of type kyc.hash256 needs to be read, compared and cast.
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'kyc'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')
                  AND NOT (p.proname LIKE 'hash256%' OR p.proname = 'bytea') ORDER BY 1),
          '{}'::text[], 'PUBLIC executes only the hash256 type''s support functions');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'kyc'::regnamespace AND p.prosecdef
                  AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp'] ORDER BY 1),
          '{}'::text[], 'every SECURITY DEFINER function pins search_path to pg_catalog, pg_temp');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'p')
                  AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1),
          '{}'::text[], 'every table has row-level security enabled and forced');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind = 'v'
                  AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false) ORDER BY 1),
          '{application_status,restriction_status,state_history}'::text[],
          'every view runs with the caller''s rights, so row-level security applies through it, but the three that put neutral values in place of what the caller may not read');
SELECT ok((SELECT bool_and('security_barrier=true' = ANY (c.reloptions)
                           AND pg_get_viewdef(c.oid) LIKE '%session_tenant()%'
                           AND pg_get_viewdef(c.oid) LIKE '%readable_classes()%')
           FROM pg_class c WHERE c.oid IN ('kyc.state_history'::regclass, 'kyc.application_status'::regclass,
                                           'kyc.restriction_status'::regclass)),
          'the views that read with their owner''s rights are security barriers filtering by tenant and data class');
SELECT is(ARRAY(SELECT format('%s:%s:%s', r, c.relname, p) FROM unnest(pg_temp.kyc_roles() || 'public'::name) r,
                     pg_class c, unnest('{REFERENCES,TRIGGER}'::text[]) p
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'v')
                  AND has_table_privilege(r, c.oid, p) ORDER BY 1),
          '{}'::text[], 'no role may reference or add triggers to a kyc table');
-- Evidence payloads are read only through kyc.read_evidence, which records restricted reads.
SELECT is(ARRAY(SELECT format('%s:%s', r, col) FROM unnest(pg_temp.kyc_roles()) r, unnest('{payload,payload_salt}'::name[]) col
                WHERE has_column_privilege(r, 'kyc.evidence', col, 'SELECT') ORDER BY 1),
          '{}'::text[], 'no role may select evidence payloads or salts directly');
SELECT is(ARRAY(SELECT r FROM unnest(pg_temp.kyc_roles()) r
                WHERE (SELECT bool_and(has_column_privilege(r, 'kyc.evidence', a.attname, 'SELECT'))
                       FROM pg_attribute a WHERE a.attrelid = 'kyc.evidence'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                         AND a.attname NOT IN ('payload', 'payload_salt')) ORDER BY 1),
          '{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer}'::name[],
          'every role but customer service selects every other evidence column');
-- Column grants: kyc_admin edits a draft policy's settings, never its identity or status (the
-- policy guard trigger refuses edits to published policies on top of this).
SELECT is(ARRAY(SELECT format('%s.%s %s:%s', c.relname, a.attname, x.grantee::regrole, x.privilege_type)
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid, aclexplode(a.attacl) x
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relname <> 'evidence'
                  AND NOT (c.relname IN ('application', 'restriction') AND x.privilege_type = 'SELECT') ORDER BY 1),
          ARRAY['policy.abandon_after kyc_admin:UPDATE',
            'policy.consent_purpose kyc_admin:UPDATE',
            'policy.description kyc_admin:UPDATE',
            'policy.disclosure_version kyc_admin:UPDATE',
            'policy.editors kyc_admin:UPDATE',
            'policy.eligible_jurisdictions kyc_admin:UPDATE',
            'policy.eligible_kinds kyc_admin:UPDATE',
            'policy.max_rfi_rounds kyc_admin:UPDATE',
            'policy.restrict_when_tier kyc_admin:UPDATE',
            'policy.restriction_kind kyc_admin:UPDATE',
            'policy.restriction_lift kyc_admin:UPDATE',
            'policy.restriction_reason kyc_admin:UPDATE',
            'policy.rfi_expire_after kyc_admin:UPDATE',
            'policy.risk_high kyc_admin:UPDATE',
            'policy.risk_medium kyc_admin:UPDATE',
            'policy.risk_prohibited kyc_admin:UPDATE'],
          'column grants: kyc_admin may update only the settings of a policy (job definitions are global: a superuser''s)');
-- The columns of applications and restrictions that may hold AML or fraud facts are AML's alone;
-- every other column is every reading role's (docs/security.md).
SELECT is(ARRAY(SELECT format('%s.%s %s', c.relname, a.attname,
                       coalesce(string_agg(r, ',' ORDER BY r) FILTER (WHERE has_column_privilege(r, c.oid, a.attname, 'SELECT')), '-'))
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped,
                     unnest(pg_temp.kyc_roles()) r
                WHERE c.oid IN ('kyc.application'::regclass, 'kyc.restriction'::regclass)
                GROUP BY c.relname, a.attname, c.oid HAVING bool_or(r = 'kyc_app' AND has_column_privilege(r, c.oid, a.attname, 'SELECT')) IS NOT TRUE
                ORDER BY 1),
          ARRAY['application.state kyc_aml', 'application.state_class kyc_aml', 'application.state_note kyc_aml',
                'application.state_reason kyc_aml', 'restriction.imposed_by kyc_aml', 'restriction.lift_note kyc_aml',
                'restriction.lifted_by kyc_aml', 'restriction.reason_code kyc_aml'],
          'only AML selects the state, reason, note and class of an application and the reason and people of a restriction');

SELECT * FROM finish();
ROLLBACK;
