-- Definer, so that the tenant grants can be read whoever asks; the check is about the caller.
CREATE FUNCTION kyc.current_tenant() RETURNS text
    LANGUAGE c STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_current_tenant';
COMMENT ON FUNCTION kyc.current_tenant() IS
    'the tenant (setting kyc.tenant) every API call works on; an error when unset or not granted to the caller';

CREATE FUNCTION kyc.session_tenant() RETURNS text
    LANGUAGE c STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'kyc_session_tenant';
COMMENT ON FUNCTION kyc.session_tenant() IS
    'the tenant row-level security admits: kyc.tenant if granted to the caller, else NULL (no rows)';

CREATE FUNCTION kyc.caller() RETURNS name
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_caller';
COMMENT ON FUNCTION kyc.caller() IS
    'the role calling the API: the session role, also inside SECURITY DEFINER functions';

CREATE FUNCTION kyc.assert_caller(action text, VARIADIC roles name[]) RETURNS name
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'kyc_assert_caller';
COMMENT ON FUNCTION kyc.assert_caller(text, name[]) IS
    'raises insufficient_privilege unless the caller is a superuser or has the privileges of one of the roles; returns the caller';
