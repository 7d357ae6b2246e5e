/*-------------------------------------------------------------------------
 *
 * catalog_cache.c
 *	  The gate and state catalogs (kyc.gate_definition, kyc.state_definition),
 *	  read once per backend and read again after any change to them.
 *
 * The catalogs are the one place for the facts that shape a decision: which
 * gates are critical or for businesses only, their pending states, which
 * review decides a hold, their owners' queues and SLAs, which states are
 * opened or terminal.  A statement trigger on each catalog sends a relcache
 * invalidation to every backend (kyc.catalog_changed), whose callback here
 * drops the copy; the next reader loads it again.  Decisions record the gate
 * facts they used in their inputs (src/decision_inputs.c), so that a later
 * catalog change never changes a replay.
 *
 * IDENTIFICATION
 *	  src/catalog_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "catalog_cache.h"
#include "jsonbuild.h"
#include "kyc_relation.h"
#include "spi_safe.h"

static KycPlan gates_plan = {
	"SELECT gate::text, critical, business_only, pending_state::text, review_rank, review_queue,"
	"       review_sla, confirm_sla, review_reason, auto_decline"
	" FROM kyc.gate_definition ORDER BY gate",
	0, {InvalidOid}
};

static KycPlan states_plan = {
	"SELECT state::text, phase FROM kyc.state_definition ORDER BY state",
	0, {InvalidOid}
};

/* the copy, in its own context (a child of CacheMemoryContext, reset when dropped) */
static MemoryContext catalog_context = NULL;
static bool loaded = false;
static Oid	gate_relid = InvalidOid;
static Oid	state_relid = InvalidOid;
static KycGateFacts *gates = NULL;
static int	ngates = 0;
static char **state_names = NULL;
static char **state_phases = NULL;
static int	nstates = 0;
static Jsonb *gates_jsonb = NULL;	/* KycGateCatalogJsonb's, or NULL */
static int	gates_jsonb_style = -1;

static void
ForgetCatalog(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == gate_relid || relid == state_relid)
		loaded = false;
}

/*
 * KycCatalogCacheInit
 *		Register the invalidation callback; from _PG_init.
 */
void
KycCatalogCacheInit(void)
{
	CacheRegisterRelcacheCallback(ForgetCatalog, (Datum) 0);
}

static char *
CopyText(int row, int col)
{
	char	   *s = KycSpiGetText(row, col);

	return s ? MemoryContextStrdup(catalog_context, s) : NULL;
}

static Interval *
CopyInterval(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
	Interval   *v;

	if (isnull)
		return NULL;
	v = MemoryContextAlloc(catalog_context, sizeof(Interval));
	memcpy(v, DatumGetIntervalP(d), sizeof(Interval));
	return v;
}

static bool
GetBool(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);

	return !isnull && DatumGetBool(d);
}

/*
 * Load
 *		Read both catalogs into the copy.
 */
static void
Load(void)
{
	int			nest;

	if (catalog_context == NULL)
		catalog_context = AllocSetContextCreate(CacheMemoryContext, "pg_kyc catalog cache",
												ALLOCSET_SMALL_SIZES);
	MemoryContextReset(catalog_context);
	gates_jsonb = NULL;
	gates = NULL;
	ngates = 0;
	nstates = 0;

	gate_relid = KycRelationId("gate_definition");
	state_relid = KycRelationId("state_definition");
	nest = KycSpiConnect();
	/* a database not yet updated to 0.3.0 has no gate facts to give */
	ngates = KycLiveEvidenceSchema() ? KycSpiExec(&gates_plan, NULL, NULL, true, 0) : 0;
	gates = MemoryContextAllocZero(catalog_context, sizeof(KycGateFacts) * Max(ngates, 1));
	for (int i = 0; i < ngates; i++)
	{
		bool		isnull;
		Datum		rank = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 5, &isnull);

		gates[i].gate = CopyText(i, 1);
		gates[i].critical = GetBool(i, 2);
		gates[i].business_only = GetBool(i, 3);
		gates[i].pending_state = CopyText(i, 4);
		gates[i].review_rank = isnull ? -1 : DatumGetInt32(rank);
		gates[i].has_rank = !isnull;
		gates[i].review_queue = CopyText(i, 6);
		gates[i].review_sla = CopyInterval(i, 7);
		gates[i].confirm_sla = CopyInterval(i, 8);
		gates[i].review_reason = CopyText(i, 9);
		gates[i].auto_decline = GetBool(i, 10);
	}
	nstates = KycSpiExec(&states_plan, NULL, NULL, true, 0);
	state_names = MemoryContextAlloc(catalog_context, sizeof(char *) * Max(nstates, 1));
	state_phases = MemoryContextAlloc(catalog_context, sizeof(char *) * Max(nstates, 1));
	for (int i = 0; i < nstates; i++)
	{
		state_names[i] = CopyText(i, 1);
		state_phases[i] = CopyText(i, 2);
	}
	KycSpiFinish(nest);
	loaded = true;
}

/*
 * KycGateCatalog
 *		Every gate's facts, in the enum's order; *n is how many.  Only for a
 *		database updated to 0.3.0 (KycLiveEvidenceSchema).
 */
const KycGateFacts *
KycGateCatalog(int *n)
{
	if (!loaded)
		Load();
	*n = ngates;
	return gates;
}

static void
PushTextMember(JsonbParseState **st, const char *key, const char *value)
{
	KycJsonbPushKey(st, key);
	KycJsonbPushText(st, WJB_VALUE, value);
}

static void
PushIntervalMember(JsonbParseState **st, const char *key, Interval *value)
{
	PushTextMember(st, key, value ? DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(value))) : NULL);
}

static void
PushBoolMember(JsonbParseState **st, const char *key, bool b)
{
	JsonbValue	v;

	KycJsonbPushKey(st, key);
	v.type = jbvBool;
	v.val.boolean = b;
	pushJsonbValue(st, WJB_VALUE, &v);
}

/*
 * BuildGatesJsonb
 *		{"gates": {gate: {...}}} of the copy, as jsonb_build_object() of the
 *		catalog's columns makes it (intervals in the session's IntervalStyle).
 */
static Jsonb *
BuildGatesJsonb(void)
{
	JsonbParseState *st = NULL;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	KycJsonbPushKey(&st, "gates");
	if (ngates == 0)
		KycJsonbPushText(&st, WJB_VALUE, NULL);
	else
	{
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		for (int i = 0; i < ngates; i++)
		{
			KycJsonbPushKey(&st, gates[i].gate);
			pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
			PushBoolMember(&st, "critical", gates[i].critical);
			PushBoolMember(&st, "business_only", gates[i].business_only);
			PushTextMember(&st, "pending_state", gates[i].pending_state);
			KycJsonbPushKey(&st, "review_rank");
			if (gates[i].has_rank)
			{
				JsonbValue	v;

				v.type = jbvNumeric;
				v.val.numeric = int64_to_numeric(gates[i].review_rank);
				pushJsonbValue(&st, WJB_VALUE, &v);
			}
			else
				KycJsonbPushText(&st, WJB_VALUE, NULL);
			PushTextMember(&st, "review_queue", gates[i].review_queue);
			PushIntervalMember(&st, "review_sla", gates[i].review_sla);
			PushIntervalMember(&st, "confirm_sla", gates[i].confirm_sla);
			PushTextMember(&st, "review_reason", gates[i].review_reason);
			PushBoolMember(&st, "auto_decline", gates[i].auto_decline);
			pushJsonbValue(&st, WJB_END_OBJECT, NULL);
		}
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

/*
 * KycGateCatalogJsonb
 *		The gate facts as a decision records them, built once per load (and
 *		again when the session's IntervalStyle changed since).
 */
Jsonb *
KycGateCatalogJsonb(void)
{
	if (!loaded)
		Load();
	if (gates_jsonb == NULL || gates_jsonb_style != IntervalStyle)
	{
		Jsonb	   *built = BuildGatesJsonb();
		Jsonb	   *copy = MemoryContextAlloc(catalog_context, VARSIZE(built));

		memcpy(copy, built, VARSIZE(built));
		gates_jsonb = copy;
		gates_jsonb_style = IntervalStyle;
	}
	return gates_jsonb;
}

/*
 * KycStateHasPhase
 *		Whether the catalog puts the state in the phase (start, in_progress,
 *		opened, terminal).
 */
bool
KycStateHasPhase(const char *state, const char *phase)
{
	if (!loaded)
		Load();
	for (int i = 0; i < nstates; i++)
		if (strcmp(state_names[i], state) == 0)
			return state_phases[i] != NULL && strcmp(state_phases[i], phase) == 0;
	return false;
}

/*
 * kyc_catalog_changed
 *		AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT trigger
 *		on the gate and state catalogs: every backend drops its copy.
 */
PG_FUNCTION_INFO_V1(kyc_catalog_changed);
Datum
kyc_catalog_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager", "kyc_catalog_changed")));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired AFTER each statement", "kyc_catalog_changed")));
	CacheInvalidateRelcache(td->tg_relation);
	return PointerGetDatum(NULL);
}
