/*-------------------------------------------------------------------------
 *
 * guc.h
 *	  pg_kyc's settings (kyc.tenant, kyc.actor).
 *
 * IDENTIFICATION
 *	  src/guc.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_GUC_H
#define KYC_GUC_H

extern char *kyc_tenant;
extern char *kyc_actor;

extern void KycGucInit(void);
extern const char *KycRequireTenant(void);
extern bool KycTenantAuthorized(const char *tenant);

#endif							/* KYC_GUC_H */
