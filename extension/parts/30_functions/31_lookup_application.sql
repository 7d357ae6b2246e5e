-- Locks and returns an application of the session's tenant, or raises KY004. Internal helper of
-- the API functions (not granted to anyone). Writers lock FOR NO KEY UPDATE, which serialises
-- them (an id never changes, so FOR UPDATE would only add conflicts with foreign-key checks);
-- readers (shared) lock FOR KEY SHARE, which keeps the row but never waits for, or blocks, a
-- writer.
CREATE FUNCTION kyc.lock_application(app uuid, shared boolean DEFAULT false) RETURNS kyc.application
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    t text := kyc.current_tenant();
    r kyc.application;
BEGIN
    IF lock_application.shared THEN
        SELECT * INTO r FROM kyc.application a
        WHERE a.id OPERATOR(pg_catalog.=) lock_application.app AND a.tenant_id OPERATOR(pg_catalog.=) t
        FOR KEY SHARE;
    ELSE
        SELECT * INTO r FROM kyc.application a
        WHERE a.id OPERATOR(pg_catalog.=) lock_application.app AND a.tenant_id OPERATOR(pg_catalog.=) t
        FOR NO KEY UPDATE;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'application "%" does not exist', lock_application.app
            USING ERRCODE = 'KY004',
                  HINT = 'Check the application id and the setting kyc.tenant.';
    END IF;
    RETURN r;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lock_application(uuid, boolean) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_application(uuid, boolean) IS
    'internal: lock an application of the session''s tenant (for no key update, or key share for readers), or raise KY004';

-- The same for an action that a concluded application (declined, abandoned, closed) refuses:
-- "cannot <action> an application in terminal state ...". Internal.
CREATE FUNCTION kyc.lock_open_application(app uuid, action text) RETURNS kyc.application
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    r kyc.application := kyc.lock_application(lock_open_application.app);
BEGIN
    IF r.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[]) THEN
        RAISE EXCEPTION 'cannot % an application in terminal state "%"', lock_open_application.action, r.state
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN r;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.lock_open_application(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_open_application(uuid, text) IS
    'internal: lock an application of the session''s tenant that is not concluded, or raise';
