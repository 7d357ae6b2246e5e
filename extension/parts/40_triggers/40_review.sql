CREATE TRIGGER a10_kyc_guard
    BEFORE UPDATE OR DELETE ON kyc.review_task
    FOR EACH ROW EXECUTE FUNCTION kyc.review_task_guard();

-- after a10_kyc_record_transition, so the state_change row comes first in the chain
CREATE TRIGGER a20_kyc_concluded
    AFTER UPDATE OF state ON kyc.application
    FOR EACH ROW
    WHEN (OLD.state OPERATOR(pg_catalog.<>) NEW.state
          AND NEW.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[]))
    EXECUTE FUNCTION kyc.application_concluded();

-- funding, account activity and early-life alerts are records of fact: append-only
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.funding
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.account_event
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_append_only
    BEFORE UPDATE OR DELETE ON kyc.early_life_alert
    FOR EACH ROW EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.funding
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.account_event
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
CREATE TRIGGER a10_kyc_no_truncate
    BEFORE TRUNCATE ON kyc.early_life_alert
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.evidence_guard();
