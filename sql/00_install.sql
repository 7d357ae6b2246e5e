-- What CREATE EXTENSION gives: the schema, the roles, the catalogs.
\set SHOW_CONTEXT never
SELECT extversion FROM pg_extension WHERE extname = 'pg_kyc';

SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'kyc\_%' ORDER BY rolname;
-- every table and view belongs to kyc_owner, which no role is a member of and which bypasses nothing
SELECT pg_get_userbyid(c.relowner) AS owner, c.relkind, count(*) FROM pg_class c
WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'v') GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS members_of_kyc_owner FROM pg_auth_members WHERE roleid = 'kyc_owner'::regrole;
SELECT rolsuper, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = 'kyc_owner';

-- login roles the later tests act as (never superusers: superusers bypass row-level security)
CREATE ROLE regress_app LOGIN IN ROLE kyc_app;
CREATE ROLE regress_reviewer LOGIN IN ROLE kyc_reviewer;
CREATE ROLE regress_fraud LOGIN IN ROLE kyc_fraud;
CREATE ROLE regress_aml LOGIN IN ROLE kyc_aml;
CREATE ROLE regress_cx LOGIN IN ROLE kyc_cx;
CREATE ROLE regress_admin LOGIN IN ROLE kyc_admin;
CREATE ROLE regress_admin2 LOGIN IN ROLE kyc_admin;
CREATE ROLE regress_auditor LOGIN IN ROLE kyc_auditor;
-- second reviewers (four eyes) and the login the jobs run as
CREATE ROLE regress_reviewer2 LOGIN IN ROLE kyc_reviewer;
CREATE ROLE regress_fraud2 LOGIN IN ROLE kyc_fraud;
CREATE ROLE regress_aml2 LOGIN IN ROLE kyc_aml;
CREATE ROLE regress_jobs LOGIN IN ROLE kyc_jobs;
-- setting kyc.tenant is not enough: a role works only in the tenants granted to it
SELECT count(*) AS grants FROM (
    SELECT kyc.grant_tenant(t, r)
    FROM unnest(ARRAY['bank_a', 'bank_b', 'dec_bank']) t,
         unnest(ARRAY['regress_app', 'regress_reviewer', 'regress_fraud', 'regress_aml', 'regress_cx',
                      'regress_admin', 'regress_admin2', 'regress_auditor', 'regress_reviewer2', 'regress_fraud2',
                      'regress_aml2']::name[]) r) g;

SELECT enum_range(NULL::kyc.state);
SELECT enum_range(NULL::kyc.gate);
SELECT enum_range(NULL::kyc.gate_status);
SELECT enum_range(NULL::kyc.outcome);
SELECT enum_range(NULL::kyc.data_class);
SELECT enum_range(NULL::kyc.owner);

-- the gate map: owner, critical, who decides
SELECT gate, owner, critical, business_only, waivable, pending_state, decider_roles
FROM kyc.gate_definition ORDER BY gate;

-- every gate has reason codes, and every reason's owner owns its gate
SELECT g.gate, count(r.code) AS reasons
FROM kyc.gate_definition g LEFT JOIN kyc.reason_code r ON r.gate = g.gate
GROUP BY g.gate ORDER BY g.gate;

SELECT count(*) AS transitions FROM kyc.state_transition;

-- the diagram in docs/ is this output
SELECT kyc.state_diagram('mermaid');

SELECT kyc.state_diagram('svg');

-- every table is FORCE ROW LEVEL SECURITY
SELECT relname, relrowsecurity, relforcerowsecurity
FROM pg_class WHERE relnamespace = 'kyc'::regnamespace AND relkind = 'r' ORDER BY relname;

-- nothing in the schema is executable by PUBLIC but the pure support functions of kyc.hash256
SELECT p.proname
FROM pg_proc p
WHERE p.pronamespace = 'kyc'::regnamespace
  AND has_function_privilege('public', p.oid, 'EXECUTE')
ORDER BY 1;
