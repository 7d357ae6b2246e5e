CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.evidence
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();

CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.evidence
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();

CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.signal
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();

CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.signal
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
