CREATE FUNCTION kyc.evidence_guard() RETURNS trigger
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'kyc_evidence_guard';
COMMENT ON FUNCTION kyc.evidence_guard() IS
    'BEFORE trigger on kyc.evidence: refuses UPDATE, DELETE and TRUNCATE for every role (redaction excepted)';
