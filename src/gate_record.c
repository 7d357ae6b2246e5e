/*-------------------------------------------------------------------------
 *
 * gate_record.c
 *	  Recording one gate's status and its gate_decision evidence row: the
 *	  step shared by consent, funding, manual decisions, reviews and every
 *	  gate an evaluation settles.
 *
 * A status evaluation derived from signals holds until the earliest of them
 * expires (valid_until); any other decision does not expire.
 * An opened account never has an unresolved critical gate (docs/activation.md):
 * setting one to anything but passed, waived or not_applicable is refused.
 * The callers have made their own checks (who may decide the gate, which
 * reason fits); this only writes, under the caller's application lock.  An
 * evaluation settles several gates at once: one statement reads their
 * definitions, one updates them all, then each gets its evidence row.
 *
 * IDENTIFICATION
 *	  src/gate_record.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "gate_record.h"
#include "jsonbuild.h"
#include "kyc_relation.h"
#include "ledger.h"
#include "spi_safe.h"

/*
 * each gate's definition (NULLs when there is none) and its reason's data
 * class, in order.  This and the update take arrays, whose lengths a custom
 * plan would be made for at every call: they keep one generic plan.
 */
static KycPlan definitions_plan = {
	"SELECT d.critical, d.owner::text, c.data_class::text"
	" FROM ROWS FROM (pg_catalog.unnest($1::text[]), pg_catalog.unnest($2::text[])) WITH ORDINALITY"
	"      AS v (gate, reason, ord)"
	" LEFT JOIN kyc.gate_definition d ON d.gate = v.gate::kyc.gate"
	" LEFT JOIN kyc.reason_code c ON c.code = v.reason"
	" ORDER BY v.ord",
	2, {TEXTARRAYOID, TEXTARRAYOID},
	.cursor_options = CURSOR_OPT_GENERIC_PLAN
};

static KycPlan opened_plan = {
	"SELECT 1 FROM kyc.application a WHERE a.id = $1"
	" AND a.state = ANY ('{approved_restricted,opened_not_funded,active}'::kyc.state[])",
	1, {UUIDOID}
};

/* every gate of the batch in one statement (each gate appears once) */
static KycPlan update_plan = {
	"UPDATE kyc.application_gate g"
	"   SET status = v.status::kyc.gate_status, reason_code = v.reason, note = $5, decided_by = $6,"
	"       decided_via = $7, updated_at = pg_catalog.now(),"
	"       valid_until = 'epoch'::timestamptz + v.until::bigint * '1 microsecond'::interval"
	"  FROM ROWS FROM (pg_catalog.unnest($2::text[]), pg_catalog.unnest($3::text[]), pg_catalog.unnest($4::text[]),"
	"                  pg_catalog.unnest($8::text[]))"
	"       AS v (gate, status, reason, until)"
	" WHERE g.application_id = $1 AND g.gate = v.gate::kyc.gate",
	8, {UUIDOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTOID, NAMEOID, TEXTOID, TEXTARRAYOID},
	.cursor_options = CURSOR_OPT_GENERIC_PLAN
};

/* the same, for a database not yet updated to 0.3.0 (no valid_until) */
static KycPlan update_plan_0_2 = {
	"UPDATE kyc.application_gate g"
	"   SET status = v.status::kyc.gate_status, reason_code = v.reason, note = $5, decided_by = $6,"
	"       decided_via = $7, updated_at = pg_catalog.now()"
	"  FROM ROWS FROM (pg_catalog.unnest($2::text[]), pg_catalog.unnest($3::text[]), pg_catalog.unnest($4::text[]))"
	"       AS v (gate, status, reason)"
	" WHERE g.application_id = $1 AND g.gate = v.gate::kyc.gate",
	7, {UUIDOID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, TEXTOID, NAMEOID, TEXTOID},
	.cursor_options = CURSOR_OPT_GENERIC_PLAN
};

static Datum
TextArg(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/* a text[] of n strings, NULLs allowed */
static Datum
TextArray(const char *const *items, int n)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	bool	   *nulls = palloc(sizeof(bool) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	for (int i = 0; i < n; i++)
	{
		nulls[i] = items[i] == NULL;
		elems[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(items[i]);
	}
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
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
 * KycRecordGates
 *		Set n gates of an application (status and reason each; the same note,
 *		actor and way for all) in one statement, then append their
 *		gate_decision evidence rows in the order given.  Any field but app may
 *		be NULL, as the SQL function allows.
 */
void
KycRecordGates(Datum app, const KycGateChange *changes, int n, const char *note,
			   const char *actor, const char *via)
{
	const char **gates = palloc(sizeof(char *) * Max(n, 1));
	const char **statuses = palloc(sizeof(char *) * Max(n, 1));
	const char **reasons = palloc(sizeof(char *) * Max(n, 1));
	const char **untils = palloc(sizeof(char *) * Max(n, 1));
	char	  **owners = palloc(sizeof(char *) * Max(n, 1));
	char	  **classes = palloc(sizeof(char *) * Max(n, 1));
	int			unresolved = -1;	/* the first critical gate left unresolved */
	Datum		args[8];
	char		nulls[9] = "        ";
	int			nest;

	if (n <= 0)
		return;
	for (int i = 0; i < n; i++)
	{
		gates[i] = changes[i].gate;
		statuses[i] = changes[i].status;
		reasons[i] = changes[i].reason_code;
		untils[i] = changes[i].valid_until_us;
	}

	nest = KycSpiConnect();
	args[0] = TextArray(gates, n);
	args[1] = TextArray(reasons, n);
	KycSpiExec(&definitions_plan, args, NULL, true, 0);
	for (int i = 0; i < n; i++)
	{
		bool		isnull;
		bool		critical = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));

		if (critical && !isnull && statuses[i] != NULL && !IsResolved(statuses[i]) && unresolved < 0)
			unresolved = i;
		owners[i] = KycSpiGetText(i, 2);
		classes[i] = KycSpiGetText(i, 3);
	}

	/* an opened account never has an unresolved critical gate (docs/activation.md) */
	if (unresolved >= 0)
	{
		args[0] = app;
		if (KycSpiExec(&opened_plan, args, NULL, true, 1) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("cannot set critical gate \"%s\" of an opened account to \"%s\"",
							gates[unresolved], statuses[unresolved]),
					 errhint("Concerns about an open account go through restrictions, a review task (early-life monitoring) or kyc.close_account().")));
	}

	args[0] = app;
	args[1] = TextArray(gates, n);
	args[2] = TextArray(statuses, n);
	args[3] = TextArray(reasons, n);
	args[4] = TextArg(note, &nulls[4]);
	args[5] = actor ? DirectFunctionCall1(namein, CStringGetDatum(actor)) : (Datum) 0;
	nulls[5] = actor ? ' ' : 'n';
	args[6] = TextArg(via, &nulls[6]);
	args[7] = TextArray(untils, n);
	KycSpiExec(KycLiveEvidenceSchema() ? &update_plan : &update_plan_0_2, args, nulls, false, 0);
	KycSpiFinish(nest);

	for (int i = 0; i < n; i++)
	{
		const char *cls;
		KycJson		j;

		/* the reason's class, else the gate's own (AML and fraud rows are restricted) */
		if (classes[i] != NULL)
			cls = classes[i];
		else if (gates[i] != NULL && strcmp(gates[i], "aml") == 0)
			cls = "sar_restricted";
		else if (gates[i] != NULL && strcmp(gates[i], "fraud") == 0)
			cls = "fraud_sensitive";
		else
			cls = "internal";

		KycJsonBegin(&j);
		KycJsonString(&j, "gate", gates[i]);
		KycJsonString(&j, "status", statuses[i]);
		KycJsonString(&j, "reason_code", reasons[i]);
		KycJsonString(&j, "note", note);
		KycJsonString(&j, "owner", owners[i]);
		KycJsonString(&j, "via", via);
		KycAppendEvidence(NULL, app, "gate_decision", cls, KycJsonEnd(&j));
	}
}

/*
 * KycRecordGate
 *		KycRecordGates for one gate.
 */
void
KycRecordGate(Datum app, const char *gate, const char *status, const char *reason_code,
			  const char *note, const char *actor, const char *via)
{
	KycGateChange change = {gate, status, reason_code, NULL};

	KycRecordGates(app, &change, 1, note, actor, via);
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
