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

-- The class of a reason code from the catalog (NULL when not in it); cached per backend in C
-- and forgotten whenever kyc.reason_code changes (trigger kyc.reason_code_changed).
CREATE FUNCTION kyc.reason_class(code text) RETURNS kyc.data_class
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_reason_class';
COMMENT ON FUNCTION kyc.reason_class(text) IS 'the data class kyc.reason_code gives a reason code (NULL when not in the catalog)';

-- The class of what a state says: being in AML review is itself an AML fact.
CREATE FUNCTION kyc.state_class(state kyc.state) RETURNS kyc.data_class
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN state_class.state OPERATOR(pg_catalog.=) 'aml_review_pending'::kyc.state
                THEN 'sar_restricted'::kyc.data_class ELSE 'internal'::kyc.data_class END;
END;
COMMENT ON FUNCTION kyc.state_class(kyc.state) IS 'the data class of what a state reveals (aml_review_pending: sar_restricted)';

CREATE FUNCTION kyc.reason_code_changed() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_reason_code_changed';
COMMENT ON FUNCTION kyc.reason_code_changed() IS 'internal: every backend forgets its cached reason classes when kyc.reason_code changes';
