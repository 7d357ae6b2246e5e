/*-------------------------------------------------------------------------
 *
 * caller.h
 *	  Who is calling: the role behind SECURITY DEFINER, and role checks.
 *
 * IDENTIFICATION
 *	  src/caller.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_CALLER_H
#define KYC_CALLER_H

extern Oid	KycCallerId(void);
extern char *KycCallerName(void);
extern const char *KycActorPrincipal(void);
extern char *KycAssertCaller(const char *action, const char *const *roles, int nroles);

#endif							/* KYC_CALLER_H */
