-- Each role sees only the data classes it may read (docs/security.md): only AML sees what is
-- SAR-restricted, fraud-sensitive rows are for fraud, AML and auditors, personal data is not for
-- administrators or customer service. Rows of the AML and fraud gates reveal as much as their
-- evidence and are hidden the same way.
\set SHOW_CONTEXT never
SET kyc.tenant = 'dec_bank';
SELECT id AS app FROM kyc.application WHERE external_ref = 'sanctions' \gset

-- what the application's chain holds, by class (as a superuser)
SELECT data_class, count(*) FROM kyc.evidence WHERE application_id = :'app' GROUP BY 1 ORDER BY 1;

CREATE FUNCTION pg_temp.visible(app uuid) RETURNS text LANGUAGE sql AS $$
    SELECT format('evidence %s | gates %s | signals %s | decisions %s | tasks %s | classes %s',
        (SELECT string_agg(DISTINCT data_class::text, ',') FROM kyc.evidence WHERE application_id = app),
        (SELECT string_agg(gate::text, ',' ORDER BY gate) FROM kyc.application_gate
          WHERE application_id = app AND gate IN ('cip', 'fraud', 'aml')),
        (SELECT string_agg(DISTINCT gate::text, ',') FROM kyc.signal WHERE application_id = app AND gate IN ('cip', 'fraud', 'aml')),
        (SELECT count(*) FROM kyc.decision WHERE application_id = app),
        (SELECT string_agg(queue, ',' ORDER BY queue) FROM kyc.review_task WHERE application_id = app),
        (SELECT kyc.readable_classes())::text)
$$;
GRANT EXECUTE ON FUNCTION pg_temp.visible(uuid) TO PUBLIC;

SET ROLE regress_app;
SELECT 'app' AS role, pg_temp.visible(:'app');
SET ROLE regress_reviewer;
SELECT 'reviewer' AS role, pg_temp.visible(:'app');
SET ROLE regress_fraud;
SELECT 'fraud' AS role, pg_temp.visible(:'app');
SET ROLE regress_aml;
SELECT 'aml' AS role, pg_temp.visible(:'app');
SET ROLE regress_auditor;
SELECT 'auditor' AS role, pg_temp.visible(:'app');
SET ROLE regress_admin;
SELECT 'admin' AS role, pg_temp.visible(:'app');
SET ROLE regress_cx;
SELECT kyc.readable_classes();
SELECT count(*) FROM kyc.evidence;
RESET ROLE;
