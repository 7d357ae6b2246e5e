-- Locks and returns an application of the session's tenant, or raises KY004. Internal helper of
-- the API functions (not granted to anyone). Writers lock FOR NO KEY UPDATE, which serialises
-- them (an id never changes, so FOR UPDATE would only add conflicts with foreign-key checks);
-- readers (shared) lock FOR KEY SHARE, which keeps the row but never waits for, or blocks, a
-- writer. In C (src/application_lock.c), which the C API functions call too.
CREATE FUNCTION kyc.lock_application(app uuid, shared boolean DEFAULT false) RETURNS kyc.application
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_lock_application';
REVOKE ALL ON FUNCTION kyc.lock_application(uuid, boolean) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_application(uuid, boolean) IS
    'internal: lock an application of the session''s tenant (for no key update, or key share for readers), or raise KY004';

-- The same for an action that a concluded application (declined, abandoned, closed) refuses:
-- "cannot <action> an application in terminal state ...". Internal.
CREATE FUNCTION kyc.lock_open_application(app uuid, action text) RETURNS kyc.application
    LANGUAGE c VOLATILE
    AS 'MODULE_PATHNAME', 'kyc_lock_open_application';
REVOKE ALL ON FUNCTION kyc.lock_open_application(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.lock_open_application(uuid, text) IS
    'internal: lock an application of the session''s tenant that is not concluded, or raise';
