-- Named so they fire first among BEFORE and AFTER row triggers (name order).
CREATE TRIGGER a10_kyc_guard
    BEFORE INSERT OR UPDATE ON kyc.application
    FOR EACH ROW EXECUTE FUNCTION kyc.application_guard();

CREATE TRIGGER a10_kyc_record_open
    AFTER INSERT ON kyc.application
    FOR EACH ROW EXECUTE FUNCTION kyc.application_record();

CREATE TRIGGER a10_kyc_record_transition
    AFTER UPDATE OF state ON kyc.application
    FOR EACH ROW
    WHEN (OLD.state OPERATOR(pg_catalog.<>) NEW.state)
    EXECUTE FUNCTION kyc.application_record();
