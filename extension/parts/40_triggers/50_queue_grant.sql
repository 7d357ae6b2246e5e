-- the queue grant record is append-only, for every role
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.queue_grant_log
    FOR EACH ROW EXECUTE FUNCTION kyc.queue_grant_log_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.queue_grant_log
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.queue_grant_log_guard();
