/*-------------------------------------------------------------------------
 *
 * application_lock.h
 *	  Locking one application of the session's tenant.
 *
 * IDENTIFICATION
 *	  src/application_lock.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_APPLICATION_LOCK_H
#define KYC_APPLICATION_LOCK_H

/* An application locked by KycLockApplication. */
typedef struct KycLockedApplication
{
	Datum		row;			/* the kyc.application row, a composite datum */
	char	   *state;			/* its state label */
	const char *tenant_id;		/* the session's tenant, which is the row's */
} KycLockedApplication;

extern void KycApplicationLockInit(void);
extern void KycLockApplication(Datum app, bool app_isnull, bool shared, const char *action,
							   KycLockedApplication *out);

#endif							/* KYC_APPLICATION_LOCK_H */
