/*-------------------------------------------------------------------------
 *
 * activation.c
 *	  Funding and activation of an opened account (docs/activation.md):
 *	  kyc.record_funding and kyc.activate.
 *
 * Every step is an evidence row; the state trigger holds the invariants (no
 * active account with an unresolved critical gate or without cleared
 * funding).  The checks keep the order and the texts of the PL/pgSQL
 * versions (sql/16_activation.sql shows them); the rarer branches (a
 * returned funding) run the same statements as before.
 *
 * IDENTIFICATION
 *	  src/activation.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/uuid.h"

#include "application_lock.h"
#include "caller.h"
#include "data_class.h"
#include "gate_record.h"
#include "jsonbuild.h"
#include "ledger.h"
#include "spi_safe.h"

static KycPlan funding_plan = {
	"INSERT INTO kyc.funding AS f (tenant_id, application_id, amount, currency, source, reference, status,"
	"                              recorded_by, evidence_seq)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7::kyc.funding_status, $8, $9)"
	" RETURNING f.id",
	9, {TEXTOID, UUIDOID, NUMERICOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, NAMEOID, INT8OID}
};

static KycPlan returned_task_plan = {
	"SELECT kyc.open_review_task($1, 'funding', 'deposit_ops', ARRAY['FUND.RETURNED'], '1 day', 'evaluation', NULL,"
	"                            pg_catalog.now())",
	1, {UUIDOID}
};

static KycPlan returned_event_plan = {
	"INSERT INTO kyc.account_event (tenant_id, application_id, kind, amount, occurred_at, recorded_by)"
	" VALUES ($1, $2, 'funding_returned', $3, pg_catalog.now(), $4)",
	4, {TEXTOID, UUIDOID, NUMERICOID, NAMEOID}
};

static KycPlan restrictions_plan = {
	"SELECT pg_catalog.format('Restrictions in force: %s.',"
	"           pg_catalog.string_agg(pg_catalog.format('%s (lifts when: %s)', r.kind, r.lift_condition), '; '"
	"                                 ORDER BY r.imposed_at))"
	" FROM kyc.restriction r WHERE r.application_id = $1 AND r.lifted_at IS NULL",
	1, {UUIDOID}
};

static KycPlan activate_plan = {
	"UPDATE kyc.application x SET state = 'active', state_reason = 'FUND.CLEARED', state_note = 'activated'"
	" WHERE x.id = $1",
	1, {UUIDOID}
};

/* the activation's evidence: the funding that cleared, in order */
static KycPlan activation_payload_plan = {
	"SELECT pg_catalog.jsonb_build_object('action', 'activate',"
	"    'funding', (SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('reference', f.reference,"
	"                           'amount', f.amount::text, 'currency', f.currency, 'evidence_seq', f.evidence_seq)"
	"                       ORDER BY f.recorded_at)"
	"                FROM kyc.funding f WHERE f.application_id = $1 AND f.status = 'cleared'))",
	1, {UUIDOID}
};

static bool
IsOpened(const char *state)
{
	return strcmp(state, "approved_restricted") == 0 || strcmp(state, "opened_not_funded") == 0 ||
		strcmp(state, "active") == 0;
}

static int
NumericCmp(Numeric a, int64 b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(int64_to_numeric(b))));
}

/*
 * FundingPayload
 *		{"amount" (as text), "currency", "source", "reference", "status"}.
 */
static Jsonb *
FundingPayload(const char *amount, const char *currency, const char *source, const char *reference,
			   const char *status)
{
	JsonbParseState *st = NULL;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	KycJsonbPushString(&st, "amount", amount);
	KycJsonbPushString(&st, "currency", currency);
	KycJsonbPushString(&st, "source", source);
	KycJsonbPushString(&st, "reference", reference);
	KycJsonbPushString(&st, "status", status);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

static bool
FundingSource(const char *s)
{
	static const char *const sources[] = {"ach", "wire", "card", "check", "cash", "internal_transfer"};

	for (int i = 0; i < (int) lengthof(sources); i++)
		if (strcmp(s, sources[i]) == 0)
			return true;
	return false;
}

/*
 * kyc_record_funding
 *		SQL: kyc.record_funding(app uuid, amount numeric, currency text, source
 *		text, reference text, status kyc.funding_status DEFAULT 'cleared') ->
 *		uuid, SECURITY DEFINER.  Cleared funding passes the funding gate; a
 *		return puts it in review in deposit operations' queue before
 *		activation, and is early-life activity after it.
 */
PG_FUNCTION_INFO_V1(kyc_record_funding);
Datum
kyc_record_funding(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_app"};
	char	   *actor = KycAssertCaller("record funding", roles, lengthof(roles));
	Numeric		amount = PG_ARGISNULL(1) ? NULL : PG_GETARG_NUMERIC(1);
	char	   *currency = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *source = PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *reference = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	char	   *status = PG_ARGISNULL(5) ? NULL : DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(5)));
	char	   *amount_text;
	KycLockedApplication a;
	Datum		app = PG_GETARG_DATUM(0);
	Datum		args[9];
	Datum		id;
	bool		isnull;
	int64		seq;
	int			nest;

	if (amount == NULL || NumericCmp(amount, 0) <= 0 || NumericCmp(amount, INT64CONST(10000000000000000)) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"amount\" must be a positive amount below 10^16")));
	if (currency == NULL ||
		!DatumGetBool(DirectFunctionCall2Coll(textregexeq, DEFAULT_COLLATION_OID, CStringGetTextDatum(currency),
											  CStringGetTextDatum("^[A-Z]{3}$"))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"currency\" must be an ISO 4217 code such as \"USD\"")));
	if (source == NULL || !FundingSource(source))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"source\" must be one of ach, wire, card, check, cash, internal_transfer")));
	if (reference == NULL || reference[strspn(reference, " ")] == '\0' ||
		pg_mbstrlen(reference) > 200)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"reference\" must be the funding's reference in the payment system (1 to 200 characters)")));
	if (status == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"status\" must not be null")));

	KycLockApplication(app, PG_ARGISNULL(0), false, "record funding of", &a);
	if (!IsOpened(a.state))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot record funding of an application in state \"%s\"", KycShownState(a.state)),
				 errhint("Funding is recorded once the account is opened (opened_not_funded or approved_restricted).")));

	amount_text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(amount)));
	seq = KycAppendEvidence(NULL, app, "funding", "internal",
							FundingPayload(amount_text, currency, source, reference, status));

	nest = KycSpiConnect();
	args[0] = CStringGetTextDatum(a.tenant_id);
	args[1] = app;
	args[2] = NumericGetDatum(amount);
	args[3] = CStringGetTextDatum(currency);
	args[4] = CStringGetTextDatum(source);
	args[5] = CStringGetTextDatum(reference);
	args[6] = CStringGetTextDatum(status);
	args[7] = DirectFunctionCall1(namein, CStringGetDatum(actor));
	args[8] = Int64GetDatum(seq);
	KycSpiExec(&funding_plan, args, NULL, false, 0);
	id = SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
						   false, UUID_LEN);
	KycSpiFinish(nest);

	if (strcmp(status, "cleared") == 0)
		KycRecordGate(app, "funding", "passed", "FUND.CLEARED",
					  psprintf("%s %s by %s", amount_text, currency, source), actor, "manual");
	else if (strcmp(status, "returned") == 0 && strcmp(a.state, "active") != 0)
	{
		KycRecordGate(app, "funding", "review", "FUND.RETURNED", reference, actor, "manual");
		nest = KycSpiConnect();
		KycSpiExec(&returned_task_plan, &app, NULL, false, 0);
		KycSpiFinish(nest);
	}
	else if (strcmp(status, "returned") == 0)
	{
		/* after activation a return is early-life activity: the monitoring job's to judge */
		Datum		event_args[4] = {CStringGetTextDatum(a.tenant_id), app, NumericGetDatum(amount),
		DirectFunctionCall1(namein, CStringGetDatum(actor))};

		nest = KycSpiConnect();
		KycSpiExec(&returned_event_plan, event_args, NULL, false, 0);
		KycSpiFinish(nest);
	}
	PG_RETURN_DATUM(id);
}

/*
 * kyc_activate
 *		SQL: kyc.activate(app uuid) -> kyc.state, SECURITY DEFINER: activate an
 *		opened account whose funding cleared (the state trigger refuses it,
 *		naming the gate, otherwise).  Activating an active account does
 *		nothing.
 */
PG_FUNCTION_INFO_V1(kyc_activate);
Datum
kyc_activate(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_app"};
	Datum		active = DirectFunctionCall2(enum_in, CStringGetDatum("active"),
											 ObjectIdGetDatum(get_fn_expr_rettype(fcinfo->flinfo)));
	KycLockedApplication a;
	Datum		app = PG_GETARG_DATUM(0);
	bool		isnull;
	Jsonb	   *payload;
	int			nest;

	KycAssertCaller("activate an account", roles, lengthof(roles));
	KycLockApplication(app, PG_ARGISNULL(0), false, "activate", &a);
	if (strcmp(a.state, "active") == 0)
		PG_RETURN_DATUM(active);

	nest = KycSpiConnect();
	if (strcmp(a.state, "approved_restricted") == 0)
	{
		KycSpiExec(&restrictions_plan, &app, NULL, false, 1);
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot activate an account with active restrictions"),
				 errdetail("%s", KycSpiGetText(0, 1)),
				 errhint("A restricted account is already open; lifting its last restriction with kyc.lift_restriction() activates it.")));
	}
	if (strcmp(a.state, "opened_not_funded") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot activate an application in state \"%s\"", KycShownState(a.state)),
				 errhint("An account is activated once it is opened (opened_not_funded) and its funding has cleared.")));

	KycSpiExec(&activate_plan, &app, NULL, false, 0);
	KycSpiExec(&activation_payload_plan, &app, NULL, false, 1);
	payload = DatumGetJsonbP(SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
											   false, -1));
	KycSpiFinish(nest);
	KycAppendEvidence(NULL, app, "activation", "internal", payload);
	PG_RETURN_DATUM(active);
}
