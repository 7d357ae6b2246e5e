CREATE TRIGGER a10_kyc_immutable
    BEFORE UPDATE OR DELETE ON kyc.policy
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_rule
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_risk_factor
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();

-- decisions are evidence: append-only
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.decision
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.decision
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_timeout
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON kyc.policy_early_life_rule
    FOR EACH ROW EXECUTE FUNCTION kyc.policy_part_guard();
CREATE TRIGGER a10_kyc_immutable
    BEFORE UPDATE OR DELETE ON kyc.customer_message
    FOR EACH ROW EXECUTE FUNCTION kyc.customer_message_guard();
