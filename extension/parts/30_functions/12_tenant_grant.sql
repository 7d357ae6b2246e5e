-- The one rule of tenancy: a role may work in a tenant when it is a member of a role the tenant was
-- granted to, and that grant's role still has the OID and the name it was granted under (after a
-- restore into another cluster, or a rename, they disagree and the grant gives nothing until
-- kyc.rebind_tenant_grants()). Superusers are let in by the callers. In C (src/tenant_grant.c),
-- where every API call asks it through kyc.current_tenant and kyc.session_tenant; kyc.job_tenants
-- asks it here. Internal: granted to nobody.
CREATE FUNCTION kyc.tenant_granted(tenant text, member oid) RETURNS boolean
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_tenant_granted';
REVOKE ALL ON FUNCTION kyc.tenant_granted(text, oid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.tenant_granted(text, oid) IS
    'internal: whether a role works in a tenant (a member of a role granted it, the grant''s OID and name agreeing)';

-- Tenancy is granted, not claimed: a role works in a tenant only when it is a member of a role the
-- tenant was granted to. Only a superuser (the DBA) grants and revokes tenants: an administrator
-- who could grant tenants could grant itself every bank's data.
CREATE FUNCTION kyc.grant_tenant(tenant text, role name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    r oid := (SELECT x.oid FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) grant_tenant.role);
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to grant tenants'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Tenants are granted by a superuser (the DBA).';
    END IF;
    IF grant_tenant.tenant IS NULL OR grant_tenant.tenant OPERATOR(pg_catalog.=) ANY (ARRAY['', '*']) THEN
        RAISE EXCEPTION 'field "tenant" must name a tenant' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF r IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', grant_tenant.role USING ERRCODE = 'undefined_object';
    END IF;
    INSERT INTO kyc.tenant_grant (tenant_id, role_oid, role_name, granted_by)
    VALUES (grant_tenant.tenant, r, grant_tenant.role, kyc.caller())
    ON CONFLICT DO NOTHING;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.grant_tenant(text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.grant_tenant(text, name) IS 'let members of a role work in a tenant; superusers only';

CREATE FUNCTION kyc.revoke_tenant(tenant text, role name) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to revoke tenants'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Tenants are revoked by a superuser (the DBA).';
    END IF;
    DELETE FROM kyc.tenant_grant g
    WHERE g.tenant_id OPERATOR(pg_catalog.=) revoke_tenant.tenant
      AND g.role_name OPERATOR(pg_catalog.=) revoke_tenant.role;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.revoke_tenant(text, name) FROM PUBLIC;
COMMENT ON FUNCTION kyc.revoke_tenant(text, name) IS 'stop members of a role working in a tenant; superusers only';

-- After a restore into another cluster, the OIDs in kyc.tenant_grant name whatever roles have
-- them there; a grant counts only while its OID and its role name agree, so such grants give
-- nothing until a superuser rebinds them to the roles of those names. Returns what it did.
CREATE FUNCTION kyc.rebind_tenant_grants()
RETURNS TABLE (tenant_id text, role_name name, old_oid oid, new_oid oid, outcome text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    IF NOT (SELECT x.rolsuper FROM pg_catalog.pg_roles x WHERE x.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'permission denied to rebind tenant grants'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Tenant grants are managed by a superuser (the DBA).';
    END IF;
    RETURN QUERY
    WITH stale AS (
        SELECT g.tenant_id, g.role_name, g.role_oid, r.oid AS new_oid
        FROM kyc.tenant_grant g LEFT JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) g.role_name
        WHERE r.oid IS DISTINCT FROM g.role_oid),
    moved AS (
        UPDATE kyc.tenant_grant g SET role_oid = s.new_oid
        FROM stale s
        WHERE g.tenant_id OPERATOR(pg_catalog.=) s.tenant_id AND g.role_oid OPERATOR(pg_catalog.=) s.role_oid
          AND s.new_oid IS NOT NULL
        RETURNING g.tenant_id, g.role_name)
    SELECT s.tenant_id, s.role_name, s.role_oid, s.new_oid,
           CASE WHEN s.new_oid IS NULL THEN 'no role of this name: grants nothing; revoke it or create the role and rebind again'
                ELSE 'rebound' END
    FROM stale s ORDER BY 1, 2;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.rebind_tenant_grants() FROM PUBLIC;
COMMENT ON FUNCTION kyc.rebind_tenant_grants() IS
    'after a restore into another cluster: point tenant grants at the roles of their names; superusers only';
