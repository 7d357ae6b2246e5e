-- Group roles are cluster-wide and never extension members: created when absent, never dropped
-- by DROP EXTENSION. DBAs grant them to login roles (docs/security.md); kyc_owner owns the tables
-- and is granted to no one.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_cx',
                             'kyc_auditor', 'kyc_admin', 'kyc_jobs', 'kyc_owner']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;
