-- The id of an application of the session's tenant, by the service's own external_ref. Runs with
-- the caller's rights, so row-level security decides what it can find.
CREATE FUNCTION kyc.application_id(external_ref text) RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    t   text := kyc.current_tenant();
    app uuid;
BEGIN
    SELECT a.id INTO app FROM kyc.application a
    WHERE a.tenant_id OPERATOR(pg_catalog.=) t
      AND a.external_ref OPERATOR(pg_catalog.=) application_id.external_ref;
    IF app IS NULL THEN
        RAISE EXCEPTION 'application with external_ref "%" does not exist', application_id.external_ref
            USING ERRCODE = 'KY004',
                  HINT = 'Check the external_ref and the setting kyc.tenant.';
    END IF;
    RETURN app;
END
$fn$;
COMMENT ON FUNCTION kyc.application_id(text) IS
    'the id of the session tenant''s application with this external_ref, or KY004';
