-- The reason classes each backend caches (src/data_class.c) are forgotten when the catalog changes.
CREATE TRIGGER reason_code_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON kyc.reason_code
    FOR EACH STATEMENT EXECUTE FUNCTION kyc.reason_code_changed();
