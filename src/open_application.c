/*-------------------------------------------------------------------------
 *
 * open_application.c
 *	  kyc.open_application: open an application in the session's tenant with
 *	  one gate row per gate, pinning the policy in force for its product and
 *	  jurisdiction.
 *
 * Idempotent on (tenant, external_ref): a retry with the same attributes
 * returns the same application; with other attributes it is refused.  The
 * state trigger writes the application's first evidence row (its
 * snapshot).  The checks keep the order and the texts of the PL/pgSQL
 * version (sql/02_open_application.sql shows them).
 *
 * IDENTIFICATION
 *	  src/open_application.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/uuid.h"

#include "caller.h"
#include "guc.h"
#include "spi_safe.h"

static KycPlan insert_plan = {
	"INSERT INTO kyc.application AS a (tenant_id, external_ref, applicant_kind, product, jurisdiction, channel,"
	"                                  segment, policy_id)"
	" VALUES ($1, $2, $3::kyc.applicant_kind, $4, $5, $6::kyc.channel, $7, kyc.policy_in_force($1, $4, $5))"
	" ON CONFLICT ON CONSTRAINT application_external_ref_unique DO NOTHING"
	" RETURNING a.id, a.policy_id IS NULL",
	7, {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID}
};

static KycPlan existing_plan = {
	"SELECT a.id, a.applicant_kind::text, a.product, a.jurisdiction, a.channel::text"
	" FROM kyc.application a WHERE a.tenant_id = $1 AND a.external_ref = $2",
	2, {TEXTOID, TEXTOID}
};

static KycPlan gates_plan = {
	"INSERT INTO kyc.application_gate (tenant_id, application_id, gate, owner, status)"
	" SELECT $1, $2, d.gate, d.owner,"
	"        CASE WHEN d.business_only AND $3::kyc.applicant_kind <> 'business'::kyc.applicant_kind"
	"             THEN 'not_applicable'::kyc.gate_status ELSE 'pending'::kyc.gate_status END"
	" FROM kyc.gate_definition d",
	3, {TEXTOID, UUIDOID, TEXTOID}
};

/* s ~ pattern, as the operator matches under the default collation */
static bool
Matches(const char *s, const char *pattern)
{
	return DatumGetBool(DirectFunctionCall2Coll(textregexeq, DEFAULT_COLLATION_OID,
												CStringGetTextDatum(s), CStringGetTextDatum(pattern)));
}

static char *
TextArgOrNull(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

static char *
EnumArgOrNull(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(n)));
}

/* a field that must differ for the same external_ref to be refused */
static bool
Differs(const char *existing, const char *given)
{
	return existing != NULL && given != NULL && strcmp(existing, given) != 0;
}

/*
 * kyc_open_application
 *		SQL: kyc.open_application(external_ref text, applicant_kind
 *		kyc.applicant_kind, product text, jurisdiction text, channel kyc.channel
 *		DEFAULT 'digital', segment text DEFAULT NULL) -> uuid, SECURITY DEFINER.
 */
PG_FUNCTION_INFO_V1(kyc_open_application);
Datum
kyc_open_application(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_app"};
	const char *tenant = KycRequireTenant();
	char	   *external_ref = TextArgOrNull(fcinfo, 0);
	char	   *kind = EnumArgOrNull(fcinfo, 1);
	char	   *product = TextArgOrNull(fcinfo, 2);
	char	   *jurisdiction = TextArgOrNull(fcinfo, 3);
	char	   *channel = EnumArgOrNull(fcinfo, 4);
	char	   *segment = TextArgOrNull(fcinfo, 5);
	Datum		args[7];
	char		nulls[8] = "       ";
	Datum		app;
	bool		isnull;
	int			nest;

	KycAssertCaller("open an application", roles, lengthof(roles));
	if (external_ref == NULL || external_ref[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"external_ref\" must not be empty"),
				 errhint("Pass the calling service's own id for the application.")));
	if (kind == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"applicant_kind\" must not be null"),
				 errhint("Use \"individual\" or \"business\".")));
	if (product == NULL || !Matches(product, "^[a-z][a-z0-9_]{0,62}$"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"product\" is not a valid product name"),
				 errdetail("A product name is lower-case letters, digits and underscores, starting with a letter."),
				 errhint("For example \"digital_checking\".")));
	if (jurisdiction == NULL || !Matches(jurisdiction, "^[A-Z]{2}(-[A-Z0-9]{1,3})?$"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"jurisdiction\" is not a valid jurisdiction code"),
				 errdetail("A jurisdiction is an ISO 3166-1 alpha-2 country code, optionally with an ISO 3166-2 subdivision."),
				 errhint("For example \"US\" or \"US-CA\".")));
	if (channel == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"channel\" must not be null")));

	nest = KycSpiConnect();
	args[0] = CStringGetTextDatum(tenant);
	args[1] = CStringGetTextDatum(external_ref);
	args[2] = CStringGetTextDatum(kind);
	args[3] = CStringGetTextDatum(product);
	args[4] = CStringGetTextDatum(jurisdiction);
	args[5] = CStringGetTextDatum(channel);
	args[6] = segment ? CStringGetTextDatum(segment) : (Datum) 0;
	nulls[6] = segment ? ' ' : 'n';
	if (KycSpiExec(&insert_plan, args, nulls, false, 0) == 0)
	{
		/* opened before: the same application, if it is the same one */
		Datum		id = (Datum) 0;

		isnull = true;
		if (KycSpiExec(&existing_plan, args, NULL, false, 1) > 0)
		{
			if (Differs(KycSpiGetText(0, 2), kind) || Differs(KycSpiGetText(0, 3), product) ||
				Differs(KycSpiGetText(0, 4), jurisdiction) || Differs(KycSpiGetText(0, 5), channel))
				ereport(ERROR,
						(errcode(ERRCODE_UNIQUE_VIOLATION),
						 errmsg("an application with this external_ref already exists with other attributes"),
						 errdetail("Applicant kind, product, jurisdiction or channel differ from the application opened with it."),
						 errhint("Use a new external_ref for a new application.")));
			id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
			if (!isnull)
				id = SPI_datumTransfer(id, false, UUID_LEN);
		}
		KycSpiFinish(nest);
		if (isnull)
			PG_RETURN_NULL();
		PG_RETURN_DATUM(id);
	}
	/* an application nothing could ever decide is refused (the insert goes with the error) */
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no policy is in force for product \"%s\" in \"%s\"", product, jurisdiction),
				 errdetail("An application is decided under the published policy it pins when it opens."),
				 errhint("Publish a policy for the product and jurisdiction (kyc.publish_policy), then open the application.")));
	app = SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
							false, UUID_LEN);

	args[1] = app;
	KycSpiExec(&gates_plan, args, NULL, false, 0);
	KycSpiFinish(nest);
	PG_RETURN_DATUM(app);
}
