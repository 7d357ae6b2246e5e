/*-------------------------------------------------------------------------
 *
 * guc.c
 *	  Definition of pg_kyc's settings and the tenant lookup every API call
 *	  goes through.
 *
 * kyc.tenant is defined here, in C, so that the reserved "kyc" prefix
 * (MarkGUCPrefixReserved) rejects misspelt placeholders such as kyc.tennant.
 * A setting is not authentication: row-level security decides what a role
 * may read in the tenant it names (docs/security.md).
 *
 * IDENTIFICATION
 *	  src/guc.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "guc.h"
#include "kyc_errors.h"

/* tenant of the session or transaction; NULL or empty means none (fail closed) */
char	   *kyc_tenant = NULL;

/* the application-level principal acting (e.g. an employee id); recorded, never trusted */
char	   *kyc_actor = NULL;

/*
 * KycGucInit
 *		Define kyc.* settings and reserve the prefix.
 */
void
KycGucInit(void)
{
	DefineCustomStringVariable("kyc.tenant",
							   "Tenant whose applications this session or transaction works on.",
							   "Set it per transaction with set_config('kyc.tenant', ..., true) behind a pooler. "
							   "Unset means no rows and every API call fails.",
							   &kyc_tenant,
							   NULL,
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);

	DefineCustomStringVariable("kyc.actor",
							   "Application-level principal acting in this session, recorded with every change.",
							   "For example the reviewer's employee id; the database role is recorded as well.",
							   &kyc_actor,
							   NULL,
							   PGC_USERSET,
							   0,
							   NULL, NULL, NULL);

	MarkGUCPrefixReserved("kyc");
}

/*
 * KycRequireTenant
 *		The session's tenant, or an error when none is set.
 */
const char *
KycRequireTenant(void)
{
	if (kyc_tenant == NULL || kyc_tenant[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_KYC_TENANT_NOT_SET),
				 errmsg("no tenant is set"),
				 errdetail("Setting \"kyc.tenant\" is empty in this session."),
				 errhint("Run SET kyc.tenant = '<tenant>', or set_config('kyc.tenant', '<tenant>', true) inside the transaction.")));
	return kyc_tenant;
}

/*
 * kyc_current_tenant
 *		SQL: kyc.current_tenant() -> text, the tenant every API call works on.
 */
PG_FUNCTION_INFO_V1(kyc_current_tenant);
Datum
kyc_current_tenant(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(KycRequireTenant()));
}
