-- Which data classes the calling role may read (docs/security.md): customer_safe for every pg_kyc
-- role; internal for staff; pii for those who work a case (service, reviewers, fraud, AML,
-- auditors); fraud_sensitive for fraud, AML and auditors; sar_restricted for AML alone. Row-level
-- security uses it as an initPlan: (SELECT kyc.readable_classes()).
CREATE FUNCTION kyc.readable_classes() RETURNS kyc.data_class[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN r.rolsuper THEN pg_catalog.enum_range(NULL::kyc.data_class)
           ELSE ARRAY(
               SELECT c FROM pg_catalog.unnest(pg_catalog.enum_range(NULL::kyc.data_class)) AS c
               WHERE c OPERATOR(pg_catalog.=) 'customer_safe'
                  OR (c OPERATOR(pg_catalog.=) 'internal' AND EXISTS (
                        SELECT 1 FROM pg_catalog.unnest(ARRAY['kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_auditor', 'kyc_admin']::name[]) g
                        WHERE pg_catalog.pg_has_role(r.oid, g, 'USAGE')))
                  OR (c OPERATOR(pg_catalog.=) 'pii' AND EXISTS (
                        SELECT 1 FROM pg_catalog.unnest(ARRAY['kyc_app', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml', 'kyc_auditor']::name[]) g
                        WHERE pg_catalog.pg_has_role(r.oid, g, 'USAGE')))
                  OR (c OPERATOR(pg_catalog.=) 'fraud_sensitive' AND EXISTS (
                        SELECT 1 FROM pg_catalog.unnest(ARRAY['kyc_fraud', 'kyc_aml', 'kyc_auditor']::name[]) g
                        WHERE pg_catalog.pg_has_role(r.oid, g, 'USAGE')))
                  OR (c OPERATOR(pg_catalog.=) 'sar_restricted' AND pg_catalog.pg_has_role(r.oid, 'kyc_aml', 'USAGE')))
           END
    FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole;
END;
COMMENT ON FUNCTION kyc.readable_classes() IS 'the data classes the calling role may read (row-level security uses it)';

-- The class of what a gate's rows reveal: an AML gate's status is SAR-sensitive, a fraud gate's
-- fraud-sensitive, proofing and CIP carry personal data.
CREATE FUNCTION kyc.gate_class(gate kyc.gate) RETURNS kyc.data_class
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN gate_class.gate OPERATOR(pg_catalog.=) 'aml'::kyc.gate THEN 'sar_restricted'::kyc.data_class
                WHEN gate_class.gate OPERATOR(pg_catalog.=) 'fraud'::kyc.gate THEN 'fraud_sensitive'::kyc.data_class
                WHEN gate_class.gate OPERATOR(pg_catalog.=) ANY (ARRAY['identity_proofing', 'cip']::kyc.gate[]) THEN 'pii'::kyc.data_class
                ELSE 'internal'::kyc.data_class END;
END;
COMMENT ON FUNCTION kyc.gate_class(kyc.gate) IS 'the data class of what a gate''s rows reveal';
