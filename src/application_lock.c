/*-------------------------------------------------------------------------
 *
 * application_lock.c
 *	  Locking one application of the session's tenant: the first thing every
 *	  API call about an application does.
 *
 * Writers lock FOR NO KEY UPDATE, which serialises them (an id never
 * changes, so FOR UPDATE would only add conflicts with foreign-key checks);
 * readers lock FOR KEY SHARE, which keeps the row but never waits for, or
 * blocks, a writer.  An application of another tenant, or none, is KY004
 * either way, so that the error says nothing about other tenants.  In C,
 * with its statements planned once per backend, because every call of the
 * API pays for it (in PL/pgSQL it cost about 45 us a call).
 *
 * IDENTIFICATION
 *	  src/application_lock.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "application_lock.h"
#include "guc.h"
#include "kyc_errors.h"
#include "spi_safe.h"

static KycPlan lock_plan = {
	"SELECT a.state::text, a FROM kyc.application a"
	" WHERE a.id = $1 AND a.tenant_id = $2 FOR NO KEY UPDATE",
	2, {UUIDOID, TEXTOID}
};

static KycPlan share_plan = {
	"SELECT a.state::text, a FROM kyc.application a"
	" WHERE a.id = $1 AND a.tenant_id = $2 FOR KEY SHARE",
	2, {UUIDOID, TEXTOID}
};

static bool
IsTerminal(const char *state)
{
	return strcmp(state, "declined") == 0 || strcmp(state, "abandoned") == 0 ||
		strcmp(state, "closed") == 0;
}

/*
 * KycLockApplication
 *		Lock the application (app_isnull: none was given) of the session's
 *		tenant, or raise KY004.  With an action, a concluded application is
 *		refused: "cannot <action> an application in terminal state ...".  The
 *		row (a kyc.application datum) and its state are allocated in the
 *		caller's memory context.
 */
void
KycLockApplication(Datum app, bool app_isnull, bool shared, const char *action,
				   KycLockedApplication *out)
{
	const char *tenant = KycRequireTenant();
	bool		found = false;

	out->tenant_id = tenant;
	if (!app_isnull)
	{
		Datum		args[2] = {app, CStringGetTextDatum(tenant)};
		int			nest = KycSpiConnect();

		if (KycSpiExec(shared ? &share_plan : &lock_plan, args, NULL, false, 1) > 0)
		{
			bool		isnull;

			found = true;
			out->state = KycSpiGetText(0, 1);
			out->row = SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull),
										 false, -1);
		}
		KycSpiFinish(nest);
	}
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_APPLICATION_NOT_FOUND),
				 errmsg("application \"%s\" does not exist",
						app_isnull ? "<NULL>" : DatumGetCString(DirectFunctionCall1(uuid_out, app))),
				 errhint("Check the application id and the setting kyc.tenant.")));
	if (action != NULL && IsTerminal(out->state))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s an application in terminal state \"%s\"", action, out->state)));
}

/*
 * kyc_lock_application
 *		SQL: kyc.lock_application(app uuid, shared boolean DEFAULT false) ->
 *		kyc.application.  Internal: granted to nobody.
 */
PG_FUNCTION_INFO_V1(kyc_lock_application);
Datum
kyc_lock_application(PG_FUNCTION_ARGS)
{
	KycLockedApplication a;
	bool		shared = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);

	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), shared, NULL, &a);
	PG_RETURN_DATUM(a.row);
}

/*
 * kyc_lock_open_application
 *		SQL: kyc.lock_open_application(app uuid, action text) -> kyc.application,
 *		locked for writing and not concluded.  Internal: granted to nobody.
 */
PG_FUNCTION_INFO_V1(kyc_lock_open_application);
Datum
kyc_lock_open_application(PG_FUNCTION_ARGS)
{
	KycLockedApplication a;

	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), false,
					   PG_ARGISNULL(1) ? "<NULL>" : text_to_cstring(PG_GETARG_TEXT_PP(1)), &a);
	PG_RETURN_DATUM(a.row);
}
