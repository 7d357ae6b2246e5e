-- The role matrix, checked by doing: a non-superuser, non-owner login of each group role calls
-- every function of schema kyc (with NULL arguments) and tries SELECT, INSERT, UPDATE, DELETE and
-- TRUNCATE on every table and view. What is refused with "permission denied" must be exactly what
-- tests/role_matrix_expected.sql denies. Each attempt runs in a subtransaction that is rolled back,
-- whatever it did.
\i tests/setup.sql
\i tests/role_matrix_expected.sql

\o /dev/null
SELECT format('CREATE ROLE %I LOGIN IN ROLE %I', 'login_' || r, r)
FROM unnest('{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer}'::name[]) r \gexec
SELECT kyc.grant_tenant('tap_bank', rolname) FROM pg_roles WHERE rolname LIKE 'login\_kyc\_%';
\o

-- Runs stmt as login (SET LOCAL ROLE inside a subtransaction that is always rolled back) and
-- says whether the privilege system refused it.
CREATE FUNCTION pg_temp.denied(login name, stmt text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    refused boolean;
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', login);
        BEGIN
            EXECUTE stmt;
            refused := false;
        EXCEPTION WHEN insufficient_privilege THEN
            refused := SQLERRM LIKE 'permission denied for %';
        WHEN OTHERS THEN
            refused := false;
        END;
        RAISE EXCEPTION 'login matrix: roll back' USING ERRCODE = 'KYTAP';
    EXCEPTION WHEN SQLSTATE 'KYTAP' THEN
        NULL;
    END;
    RETURN refused;
END $$;

CREATE FUNCTION pg_temp.logins() RETURNS TABLE (role name, login name) LANGUAGE sql AS $$
    SELECT r, ('login_' || r)::name
    FROM unnest('{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer}'::name[]) r ORDER BY 1 $$;

-- A call of the function with a NULL of each argument's type, in a subquery: a constant NULL would
-- let the planner fold a STRICT function away before the executor checks the privilege.
CREATE FUNCTION pg_temp.null_call(f regprocedure) RETURNS text LANGUAGE sql AS $$
    SELECT format('SELECT %s(%s)', f::regproc::text,
                  coalesce(string_agg(CASE WHEN p.provariadic <> 0 AND a.n = cardinality(p.proargtypes::oid[]) THEN 'VARIADIC ' ELSE '' END
                                      || '(SELECT NULL::' || format_type(a.t, NULL) || ')', ', ' ORDER BY a.n), ''))
    FROM pg_proc p LEFT JOIN LATERAL unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a (t, n) ON true
    WHERE p.oid = f GROUP BY p.oid, p.proname, p.provariadic $$;

-- The roles whose login may call the function, in the matrix's form.
CREATE FUNCTION pg_temp.callers(f regprocedure) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(l.role, ',' ORDER BY l.role) FILTER (WHERE NOT pg_temp.denied(l.login, pg_temp.null_call(f))), '-')
    FROM pg_temp.logins() l $$;

-- The privileges a login of each role is not refused on a table or view, in the matrix's form.
CREATE FUNCTION pg_temp.privileges(t regclass) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    rel   text := t::text;
    col   text := (SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = t AND attnum = 1);
    view  boolean := (SELECT relkind = 'v' FROM pg_class WHERE oid = t);
    l     record;
    p     text;
    out   text[] := '{}';
BEGIN
    FOR l IN SELECT * FROM pg_temp.logins() LOOP
        p := concat_ws('',
            CASE WHEN NOT view AND NOT pg_temp.denied(l.login, format('DELETE FROM %s WHERE false', rel)) THEN 'D' END,
            CASE WHEN NOT view AND NOT pg_temp.denied(l.login, format('INSERT INTO %s DEFAULT VALUES', rel)) THEN 'I' END,
            CASE WHEN NOT pg_temp.denied(l.login, format('SELECT * FROM %s LIMIT 0', rel)) THEN 'S'
                 WHEN NOT pg_temp.denied(l.login, format('SELECT 1 FROM %s LIMIT 0', rel)) THEN 's' END,
            CASE WHEN NOT view AND NOT pg_temp.denied(l.login, format('TRUNCATE %s', rel)) THEN 'T' END,
            CASE WHEN NOT view AND NOT pg_temp.denied(l.login, format('UPDATE %s SET %s = %2$s WHERE false', rel, col)) THEN 'U' END);
        IF p <> '' THEN
            out := out || (l.role || ':' || p);
        END IF;
    END LOOP;
    RETURN coalesce(nullif(array_to_string(out, ','), ''), '-');
END $$;

-- Functions a login can call at all: not trigger functions and not type support functions taking
-- internal or cstring (those are covered through the catalogs in role_matrix.sql).
CREATE TEMP VIEW callable AS
SELECT x.* FROM expected_execute x JOIN pg_proc p ON p.oid = x.signature::regprocedure
WHERE p.prorettype <> 'trigger'::regtype
  AND NOT ('internal'::regtype = ANY (p.proargtypes::oid[]) OR 'cstring'::regtype = ANY (p.proargtypes::oid[]));

SELECT plan((SELECT count(*)::int FROM callable) + (SELECT count(*)::int FROM expected_table) + 2);

SELECT is(pg_temp.callers(x.signature::regprocedure), x.roles, 'a login may call ' || x.signature || ' as the matrix says')
FROM callable x ORDER BY x.signature;
SELECT is(pg_temp.privileges(('kyc.' || x.relname)::regclass), x.privileges, 'a login has the matrix''s privileges on kyc.' || x.relname)
FROM expected_table x ORDER BY x.relname;
-- the logins are what they should be for this to mean anything
SELECT is(ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname LIKE 'login\_kyc\_%' AND (rolsuper OR rolbypassrls OR NOT rolcanlogin)),
          '{}'::text[], 'every login is a non-superuser login without BYPASSRLS');
SELECT is(ARRAY(SELECT rolname::text FROM pg_roles r WHERE rolname LIKE 'login\_kyc\_%'
                AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = 'kyc'::regnamespace AND c.relowner = r.oid)),
          '{}'::text[], 'no login owns a kyc table');

SELECT * FROM finish();
ROLLBACK;
