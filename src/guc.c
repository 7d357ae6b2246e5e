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

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "caller.h"
#include "guc.h"
#include "kyc_errors.h"
#include "tenant_grant.h"

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

/* the last authorisation checked, valid for one transaction of one backend */
static char checked_tenant[NAMEDATALEN * 4];
static Oid	checked_role = InvalidOid;
static LocalTransactionId checked_lxid = InvalidLocalTransactionId;
static bool checked_result = false;

/*
 * KycTenantAuthorized
 *		Whether the calling role may work in the tenant: a superuser, or a
 *		member of a role granted the tenant (tenant_grant.c).  Checked once
 *		per transaction and tenant; must run where kyc.tenant_grant is readable
 *		(the extension's SECURITY DEFINER functions).
 */
bool
KycTenantAuthorized(const char *tenant)
{
	Oid			caller = KycCallerId();

	if (superuser_arg(caller))
		return true;
	if (checked_lxid == MyProc->lxid && checked_role == caller && strcmp(checked_tenant, tenant) == 0)
		return checked_result;

	checked_result = KycTenantGranted(tenant, caller);
	strlcpy(checked_tenant, tenant, sizeof(checked_tenant));
	checked_role = caller;
	checked_lxid = MyProc->lxid;
	return checked_result;
}

/*
 * KycRequireTenant
 *		The session's tenant, or an error when none is set or the calling role
 *		may not work in it.
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
	if (!KycTenantAuthorized(kyc_tenant))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for tenant \"%s\"", kyc_tenant),
				 errdetail("Role \"%s\" is not a member of a role granted this tenant.", KycCallerName()),
				 errhint("A DBA grants tenants with kyc.grant_tenant(); setting kyc.tenant alone gives no access.")));
	return kyc_tenant;
}

/*
 * kyc_session_tenant
 *		SQL: kyc.session_tenant() -> text, the tenant row-level security admits:
 *		kyc.tenant when the calling role may work in it, NULL otherwise (no
 *		error, so that a query simply sees no rows).
 */
PG_FUNCTION_INFO_V1(kyc_session_tenant);
Datum
kyc_session_tenant(PG_FUNCTION_ARGS)
{
	if (kyc_tenant == NULL || kyc_tenant[0] == '\0' || !KycTenantAuthorized(kyc_tenant))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(kyc_tenant));
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
