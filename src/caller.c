/*-------------------------------------------------------------------------
 *
 * caller.c
 *	  The identity of the caller of an API function, and the role check every
 *	  SECURITY DEFINER function makes before it does anything.
 *
 * Inside a SECURITY DEFINER function current_user is the function's owner.
 * The caller is the "outer" user: the session role after SET ROLE, which
 * SECURITY DEFINER does not change (miscinit.c).  Checks and records use it.
 *
 * IDENTIFICATION
 *	  src/caller.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "caller.h"
#include "guc.h"

/*
 * KycCallerId
 *		The role that called the API, seen through SECURITY DEFINER.
 */
Oid
KycCallerId(void)
{
	return GetOuterUserId();
}

/*
 * KycCallerName
 *		Name of KycCallerId(), palloc'd in the current context.
 */
char *
KycCallerName(void)
{
	return GetUserNameFromId(KycCallerId(), false);
}

/*
 * KycActorPrincipal
 *		The application-level principal from kyc.actor, or NULL when unset.
 */
const char *
KycActorPrincipal(void)
{
	if (kyc_actor == NULL || kyc_actor[0] == '\0')
		return NULL;
	return kyc_actor;
}

/*
 * kyc_caller
 *		SQL: kyc.caller() -> name, the role calling the API.
 */
PG_FUNCTION_INFO_V1(kyc_caller);
Datum
kyc_caller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(DirectFunctionCall1(namein, CStringGetDatum(KycCallerName())));
}

/*
 * kyc_assert_caller
 *		SQL: kyc.assert_caller(action text, VARIADIC roles name[]) -> name.
 *		Passes when the caller is a superuser or has the privileges of one of
 *		the roles; returns the caller's name for the record.
 */
PG_FUNCTION_INFO_V1(kyc_assert_caller);
Datum
kyc_assert_caller(PG_FUNCTION_ARGS)
{
	text	   *action = PG_GETARG_TEXT_PP(0);
	ArrayType  *roles = PG_GETARG_ARRAYTYPE_P(1);
	Oid			caller = KycCallerId();
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	StringInfoData names;

	if (superuser_arg(caller))
		PG_RETURN_DATUM(DirectFunctionCall1(namein, CStringGetDatum(KycCallerName())));

	deconstruct_array(roles, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR,
					  &elems, &nulls, &nelems);
	initStringInfo(&names);
	for (int i = 0; i < nelems; i++)
	{
		const char *rolname;
		Oid			roleid;

		if (nulls[i])
			continue;
		rolname = NameStr(*DatumGetName(elems[i]));
		roleid = get_role_oid(rolname, true);
		if (OidIsValid(roleid) && has_privs_of_role(caller, roleid))
			PG_RETURN_DATUM(DirectFunctionCall1(namein, CStringGetDatum(KycCallerName())));
		appendStringInfo(&names, "%s%s", names.len > 0 ? ", " : "", rolname);
	}

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to %s", text_to_cstring(action)),
			 errdetail("Role \"%s\" has the privileges of none of these roles: %s.",
					   KycCallerName(), names.data),
			 errhint("A DBA grants one of these roles to the login role; see docs/security.md.")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}
