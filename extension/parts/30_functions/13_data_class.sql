-- Which data classes the calling role may read (docs/security.md): customer_safe for every pg_kyc
-- role; internal for staff; pii for those who work a case (service, reviewers, fraud, AML,
-- auditors); fraud_sensitive for fraud, AML and auditors; sar_restricted for AML alone. Row-level
-- security uses it as an initPlan: (SELECT kyc.readable_classes()).
CREATE FUNCTION kyc.readable_classes() RETURNS kyc.data_class[]
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_readable_classes';
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
