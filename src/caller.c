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
#include "utils/inval.h"
#include "utils/syscache.h"

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

/* the last caller's name; forgotten when any role changes (ALTER ROLE ... RENAME) */
static Oid	named_role = InvalidOid;
static char role_name[NAMEDATALEN];
static bool role_callback_registered = false;

static void
ForgetRoleName(Datum arg, int cacheid, uint32 hashvalue)
{
	named_role = InvalidOid;
}

/*
 * KycCallerName
 *		Name of KycCallerId(), palloc'd in the current context; every evidence
 *		row records it, so the last one is remembered.
 */
char *
KycCallerName(void)
{
	Oid			caller = KycCallerId();

	if (caller != named_role)
	{
		char	   *name = GetUserNameFromId(caller, false);

		if (!role_callback_registered)
		{
			CacheRegisterSyscacheCallback(AUTHOID, ForgetRoleName, (Datum) 0);
			role_callback_registered = true;
		}
		strlcpy(role_name, name, NAMEDATALEN);
		named_role = caller;
		return name;
	}
	return pstrdup(role_name);
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
 * KycAssertCaller
 *		Raise insufficient_privilege unless the caller is a superuser or has the
 *		privileges of one of the roles; return the caller's name.
 */
char *
KycAssertCaller(const char *action, const char *const *roles, int nroles)
{
	Oid			caller = KycCallerId();
	StringInfoData names;

	if (superuser_arg(caller))
		return KycCallerName();

	initStringInfo(&names);
	for (int i = 0; i < nroles; i++)
	{
		Oid			roleid = get_role_oid(roles[i], true);

		if (OidIsValid(roleid) && has_privs_of_role(caller, roleid))
			return KycCallerName();
		appendStringInfo(&names, "%s%s", i > 0 ? ", " : "", roles[i]);
	}

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied to %s", action),
			 errdetail("Role \"%s\" has the privileges of none of these roles: %s.",
					   KycCallerName(), names.data),
			 errhint("A DBA grants one of these roles to the login role; see docs/security.md.")));
	return NULL;				/* keep compiler quiet */
}

/*
 * kyc_assert_caller
 *		SQL: kyc.assert_caller(action text, VARIADIC roles name[]) -> name.
 *		KycAssertCaller for SQL and PL/pgSQL callers.
 */
PG_FUNCTION_INFO_V1(kyc_assert_caller);
Datum
kyc_assert_caller(PG_FUNCTION_ARGS)
{
	text	   *action = PG_GETARG_TEXT_PP(0);
	ArrayType  *roles = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	const char **names;
	int			n = 0;

	deconstruct_array(roles, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR,
					  &elems, &nulls, &nelems);
	names = palloc(sizeof(char *) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
		if (!nulls[i])
			names[n++] = NameStr(*DatumGetName(elems[i]));

	PG_RETURN_DATUM(DirectFunctionCall1(namein,
										CStringGetDatum(KycAssertCaller(text_to_cstring(action), names, n))));
}
