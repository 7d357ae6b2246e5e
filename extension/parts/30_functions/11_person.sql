-- Who is a person (docs/security.md#four-eyes). SET ROLE changes the role a login acts as, not
-- who is at the keyboard: the person is the session's login (session_user, which neither SET
-- ROLE nor SECURITY DEFINER changes) and, where the service sets it, the application principal
-- kyc.actor. Two acts are by the same person when their logins match, or when both name the
-- same principal: a login cannot become a second person by claiming another kyc.actor, and two
-- logins claiming one employee are one person.

-- The kyc.actor principal of the session, NULL when unset. Internal.
CREATE FUNCTION kyc.actor_principal() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN pg_catalog.current_setting('kyc.actor', true) OPERATOR(pg_catalog.=) '' THEN NULL
                ELSE pg_catalog.current_setting('kyc.actor', true) END;
END;
COMMENT ON FUNCTION kyc.actor_principal() IS 'internal: the session''s kyc.actor, NULL when unset';

-- Whether two acts, each by a login and a principal, are by the same person. Internal.
CREATE FUNCTION kyc.same_person(login_a name, principal_a text, login_b name, principal_b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT coalesce(login_a OPERATOR(pg_catalog.=) login_b, false)
        OR coalesce(principal_a OPERATOR(pg_catalog.=) principal_b, false);
END;
COMMENT ON FUNCTION kyc.same_person(name, text, name, text) IS
    'internal: whether two acts are by one person (same login, or the same kyc.actor principal)';
