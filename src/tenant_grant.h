/*-------------------------------------------------------------------------
 *
 * tenant_grant.h
 *	  The rule of tenancy: whether a role works in a tenant.
 *
 * IDENTIFICATION
 *	  src/tenant_grant.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_TENANT_GRANT_H
#define KYC_TENANT_GRANT_H

extern bool KycTenantGranted(const char *tenant, Oid member);

#endif							/* KYC_TENANT_GRANT_H */
