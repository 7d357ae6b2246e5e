CREATE TABLE kyc.tenant_grant (
    tenant_id  text        NOT NULL,
    role_oid   oid         NOT NULL,
    role_name  name        NOT NULL,
    granted_by name        NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (tenant_id, role_oid),
    CONSTRAINT tenant_grant_tenant_set CHECK (tenant_id OPERATOR(pg_catalog.<>) '' AND tenant_id OPERATOR(pg_catalog.<>) '*')
);
COMMENT ON TABLE kyc.tenant_grant IS
    'which roles may work in which tenant: setting kyc.tenant is not enough, the session''s role must be a member of a role granted that tenant';
