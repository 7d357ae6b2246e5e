/*-------------------------------------------------------------------------
 *
 * gate_record.c
 *	  Recording one gate's status and its gate_decision evidence row: the
 *	  step shared by consent, funding, manual decisions, reviews and every
 *	  gate an evaluation settles.
 *
 * An opened account never has an unresolved critical gate (docs/activation.md):
 * setting one to anything but passed, waived or not_applicable is refused.
 * The callers have made their own checks (who may decide the gate, which
 * reason fits); this only writes, under the caller's application lock.
 *
 * IDENTIFICATION
 *	  src/gate_record.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "gate_record.h"
#include "jsonbuild.h"
#include "ledger.h"
#include "spi_safe.h"

/* the gate's definition (NULLs when there is none) and the reason's data class */
static KycPlan definition_plan = {
	"SELECT d.critical, d.owner::text, (SELECT c.data_class::text FROM kyc.reason_code c WHERE c.code = $2)"
	" FROM (SELECT) x LEFT JOIN kyc.gate_definition d ON d.gate = $1::kyc.gate",
	2, {TEXTOID, TEXTOID}
};

static KycPlan opened_plan = {
	"SELECT 1 FROM kyc.application a WHERE a.id = $1"
	" AND a.state = ANY ('{approved_restricted,opened_not_funded,active}'::kyc.state[])",
	1, {UUIDOID}
};

static KycPlan update_plan = {
	"UPDATE kyc.application_gate"
	"   SET status = $3::kyc.gate_status, reason_code = $4, note = $5, decided_by = $6, decided_via = $7,"
	"       updated_at = pg_catalog.now()"
	" WHERE application_id = $1 AND gate = $2::kyc.gate",
	7, {UUIDOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, NAMEOID, TEXTOID}
};

static Datum
TextArg(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/*
 * IsResolved
 *		Whether a status leaves a critical gate of an opened account resolved.
 */
static bool
IsResolved(const char *status)
{
	return strcmp(status, "passed") == 0 || strcmp(status, "waived") == 0 ||
		strcmp(status, "not_applicable") == 0;
}

/*
 * KycRecordGate
 *		Set one gate of an application (status, reason, note, who, how) and
 *		append its gate_decision evidence row.  Any argument but app may be
 *		NULL, as the SQL function allows.
 */
void
KycRecordGate(Datum app, const char *gate, const char *status, const char *reason_code,
			  const char *note, const char *actor, const char *via)
{
	Datum		args[7];
	char		nulls[8] = "       ";
	bool		isnull;
	bool		critical;
	char	   *owner;
	char	   *reason_class;
	const char *cls;
	KycJson		j;
	int			nest = KycSpiConnect();

	args[0] = TextArg(gate, &nulls[0]);
	args[1] = TextArg(reason_code, &nulls[1]);
	KycSpiExec(&definition_plan, args, nulls, true, 1);
	critical = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) && !isnull;
	owner = KycSpiGetText(0, 2);
	reason_class = KycSpiGetText(0, 3);

	if (critical && status != NULL && !IsResolved(status))
	{
		args[0] = app;
		if (KycSpiExec(&opened_plan, args, NULL, true, 1) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot set critical gate \"%s\" of an opened account to \"%s\"", gate, status),
					 errhint("Concerns about an open account go through restrictions, a review task (early-life monitoring) or kyc.close_account().")));
	}

	memset(nulls, ' ', 7);
	args[0] = app;
	args[1] = TextArg(gate, &nulls[1]);
	args[2] = TextArg(status, &nulls[2]);
	args[3] = TextArg(reason_code, &nulls[3]);
	args[4] = TextArg(note, &nulls[4]);
	args[5] = actor ? DirectFunctionCall1(namein, CStringGetDatum(actor)) : (Datum) 0;
	nulls[5] = actor ? ' ' : 'n';
	args[6] = TextArg(via, &nulls[6]);
	KycSpiExec(&update_plan, args, nulls, false, 0);
	KycSpiFinish(nest);

	/* the reason's class, else the gate's own (AML and fraud rows are restricted) */
	if (reason_class != NULL)
		cls = reason_class;
	else if (gate != NULL && strcmp(gate, "aml") == 0)
		cls = "sar_restricted";
	else if (gate != NULL && strcmp(gate, "fraud") == 0)
		cls = "fraud_sensitive";
	else
		cls = "internal";

	KycJsonBegin(&j);
	KycJsonString(&j, "gate", gate);
	KycJsonString(&j, "status", status);
	KycJsonString(&j, "reason_code", reason_code);
	KycJsonString(&j, "note", note);
	KycJsonString(&j, "owner", owner);
	KycJsonString(&j, "via", via);
	KycAppendEvidence(NULL, app, "gate_decision", cls, KycJsonEnd(&j));
}

static const char *
EnumArg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(n)));
}

static const char *
TextArgOf(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * kyc_record_gate
 *		SQL: kyc.record_gate(app uuid, gate kyc.gate, status kyc.gate_status,
 *		reason_code text, note text, actor name, via text) -> void.  Internal:
 *		granted to nobody; the API's definer functions call it after their
 *		own checks.
 */
PG_FUNCTION_INFO_V1(kyc_record_gate);
Datum
kyc_record_gate(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("application, kind, data class and payload of evidence must not be null")));
	KycRecordGate(PG_GETARG_DATUM(0), EnumArg(fcinfo, 1), EnumArg(fcinfo, 2), TextArgOf(fcinfo, 3),
				  TextArgOf(fcinfo, 4), PG_ARGISNULL(5) ? NULL : NameStr(*PG_GETARG_NAME(5)),
				  TextArgOf(fcinfo, 6));
	PG_RETURN_VOID();
}
