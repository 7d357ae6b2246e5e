/*-------------------------------------------------------------------------
 *
 * decision_inputs.c
 *	  What kyc.decide() reads about one application as of a time: the
 *	  application, its gates and its signals, as one jsonb document that the
 *	  decision records and kyc.replay() recomputes from.
 *
 * The document is the one this query builds (docs/decisioning.md), which
 * tests/decision_inputs.sql keeps as the reference and compares with:
 *
 *	 SELECT jsonb_build_object(
 *		 'as_of_us', (EXTRACT(epoch FROM $2) * 1000000)::bigint,
 *		 'application', jsonb_build_object('applicant_kind', a.applicant_kind,
 *			 'product', a.product, 'jurisdiction', a.jurisdiction,
 *			 'channel', a.channel, 'segment', a.segment, 'state', a.state),
 *		 'gates', (SELECT jsonb_object_agg(g.gate, jsonb_build_object(
 *			 'status', g.status, 'reason_code', g.reason_code,
 *			 'manual', coalesce(g.decided_via = 'manual', false),
 *			 'decided_at_us', <epoch us of g.updated_at>)) FROM kyc.application_gate g
 *			 WHERE g.application_id = a.id),
 *		 'signals', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id,
 *			 'gate', s.gate, 'source', s.source, 'signal_type', s.signal_type,
 *			 'result', s.result, 'confidence', s.confidence,
 *			 'reason_codes', to_jsonb(s.reason_codes),
 *			 'received_at_us', ..., 'expires_at_us', ...)
 *			 ORDER BY s.received_at, s.evidence_seq), '[]') FROM kyc.signal s
 *			 WHERE s.application_id = a.id AND s.received_at <= $2),
 *		 'catalog', jsonb_build_object('gates', (SELECT jsonb_object_agg(d.gate,
 *			 jsonb_build_object('critical', d.critical, 'business_only', d.business_only,
 *			 'pending_state', d.pending_state, 'review_rank', d.review_rank,
 *			 'review_queue', d.review_queue, 'review_sla', d.review_sla,
 *			 'confirm_sla', d.confirm_sla, 'review_reason', d.review_reason,
 *			 'auto_decline', d.auto_decline)) FROM kyc.gate_definition d)),
 *		 'requests', (SELECT jsonb_object_agg(r.gate, jsonb_build_object('rounds', count,
 *			 'last_requested_at_us', <epoch us of max(requested_at)>, 'open', bool_or(status = 'open')))
 *			 FROM kyc.information_request r WHERE r.application_id = a.id GROUP BY r.gate))
 *	 FROM kyc.application a WHERE a.id = $1
 *
 * (kyc.decide() reads a decision recorded before 0.3.0, which has no
 * "catalog", as 0.2.0 decided it.)
 *
 * Built here from index scans instead, because running that query was a
 * seventh of an onboarding's CPU.  Like the query inside the SECURITY
 * DEFINER API (whose owner bypasses row-level security), it reads every row
 * of the application.
 *
 * IDENTIFICATION
 *	  src/decision_inputs.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "catalog_cache.h"
#include "evaluate.h"
#include "jsonbuild.h"
#include "kyc_relation.h"

/* One table of the application read through an index led by its application column. */
typedef struct AppScan
{
	Relation	rel;
	Relation	idx;
	IndexScanDesc scan;
	TupleTableSlot *slot;
} AppScan;

/*
 * BeginAppScan
 *		Scan the rows of table kyc.<name> whose column <column> is app,
 *		through the first btree index that leads with that column.
 */
static void
BeginAppScan(AppScan *s, const char *name, const char *column, Datum app, Snapshot snap)
{
	AttrNumber	att;
	List	   *indexes;
	ListCell   *lc;
	Oid			chosen = InvalidOid;
	ScanKeyData key;

	s->rel = table_open(KycRelationId(name), AccessShareLock);
	att = KycColumnNumber(s->rel, column);
	indexes = RelationGetIndexList(s->rel);
	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), AccessShareLock);
		bool		fits = idx->rd_rel->relam == BTREE_AM_OID && idx->rd_index->indkey.values[0] == att &&
			idx->rd_indpred == NIL && idx->rd_index->indisvalid;

		index_close(idx, AccessShareLock);
		if (fits)
		{
			chosen = lfirst_oid(lc);
			break;
		}
	}
	list_free(indexes);
	if (!OidIsValid(chosen))
		elog(ERROR, "relation kyc.%s has no index on \"%s\"", name, column);

	s->idx = index_open(chosen, AccessShareLock);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, app);
	s->scan = index_beginscan(s->rel, s->idx, snap, 1, 0);
	index_rescan(s->scan, &key, 1, NULL, 0);
	s->slot = table_slot_create(s->rel, NULL);
}

static bool
NextRow(AppScan *s)
{
	return index_getnext_slot(s->scan, ForwardScanDirection, s->slot);
}

static void
EndAppScan(AppScan *s)
{
	ExecDropSingleTupleTableSlot(s->slot);
	index_endscan(s->scan);
	index_close(s->idx, AccessShareLock);
	table_close(s->rel, AccessShareLock);
}

/* ---- values, as jsonb_build_object() would make them -------------------- */

/* a column whose JSON form is its text form (text, enums, uuid), or null */
static void
PushColumn(JsonbParseState **st, TupleTableSlot *slot, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);
	Oid			typoutput;
	bool		varlena;

	if (isnull)
	{
		KycJsonbPushText(st, WJB_VALUE, NULL);
		return;
	}
	getTypeOutputInfo(TupleDescAttr(slot->tts_tupleDescriptor, att - 1)->atttypid, &typoutput, &varlena);
	KycJsonbPushText(st, WJB_VALUE, OidOutputFunctionCall(typoutput, d));
}

static void
PushField(JsonbParseState **st, TupleTableSlot *slot, const char *key, AttrNumber att)
{
	KycJsonbPushKey(st, key);
	PushColumn(st, slot, att);
}

/*
 * EpochMicros
 *		(EXTRACT(epoch FROM ts) * 1000000)::bigint, with its errors.
 */
static int64
EpochMicros(TimestampTz ts)
{
	int64		us;

	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cannot convert infinity to %s", "bigint")));
	if (pg_add_s64_overflow(ts, (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY, &us))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("bigint out of range")));
	return us;
}

static void
PushMicros(JsonbParseState **st, const char *key, Datum ts, bool isnull)
{
	JsonbValue	v;

	KycJsonbPushKey(st, key);
	if (isnull)
		v.type = jbvNull;
	else
	{
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(EpochMicros(DatumGetTimestampTz(ts)));
	}
	pushJsonbValue(st, WJB_VALUE, &v);
}

static void
PushMicrosColumn(JsonbParseState **st, TupleTableSlot *slot, const char *key, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);

	PushMicros(st, key, d, isnull);
}

/* to_jsonb() of a text[]: an array of strings (and nulls), or null */
static void
PushTextArray(JsonbParseState **st, TupleTableSlot *slot, const char *key, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	KycJsonbPushKey(st, key);
	if (isnull)
	{
		KycJsonbPushText(st, WJB_VALUE, NULL);
		return;
	}
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
	for (int i = 0; i < n; i++)
		KycJsonbPushText(st, WJB_ELEM, nulls[i] ? NULL : TextDatumGetCString(elems[i]));
	pushJsonbValue(st, WJB_END_ARRAY, NULL);
}

/* ---- the three parts --------------------------------------------------- */

/* The application's own fields; false when there is no such application. */
static bool
PushApplication(JsonbParseState **st, Datum app, Snapshot snap)
{
	static const char *const fields[] = {
		"applicant_kind", "product", "jurisdiction", "channel", "segment", "state"
	};
	AppScan		s;
	bool		found;

	BeginAppScan(&s, "application", "id", app, snap);
	found = NextRow(&s);
	if (found)
	{
		KycJsonbPushKey(st, "application");
		pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		for (int i = 0; i < (int) lengthof(fields); i++)
			PushField(st, s.slot, fields[i], KycColumnNumber(s.rel, fields[i]));
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	}
	EndAppScan(&s);
	return found;
}

/* Every gate row, keyed by gate; null when there is none (jsonb_object_agg of no rows). */
static void
PushGates(JsonbParseState **st, Datum app, Snapshot snap)
{
	AppScan		s;
	AttrNumber	gate_att,
				status_att,
				reason_att,
				via_att,
				updated_att;
	bool		any = false;

	BeginAppScan(&s, "application_gate", "application_id", app, snap);
	gate_att = KycColumnNumber(s.rel, "gate");
	status_att = KycColumnNumber(s.rel, "status");
	reason_att = KycColumnNumber(s.rel, "reason_code");
	via_att = KycColumnNumber(s.rel, "decided_via");
	updated_att = KycColumnNumber(s.rel, "updated_at");

	KycJsonbPushKey(st, "gates");
	while (NextRow(&s))
	{
		bool		isnull;
		bool		via_isnull;
		Datum		via = slot_getattr(s.slot, via_att, &via_isnull);
		JsonbValue	manual;
		Oid			typoutput;
		bool		varlena;

		if (!any)
			pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		any = true;
		getTypeOutputInfo(TupleDescAttr(s.slot->tts_tupleDescriptor, gate_att - 1)->atttypid, &typoutput, &varlena);
		KycJsonbPushKey(st, OidOutputFunctionCall(typoutput, slot_getattr(s.slot, gate_att, &isnull)));
		pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		PushField(st, s.slot, "status", status_att);
		PushField(st, s.slot, "reason_code", reason_att);
		KycJsonbPushKey(st, "manual");
		manual.type = jbvBool;
		manual.val.boolean = !via_isnull && strcmp(TextDatumGetCString(via), "manual") == 0;
		pushJsonbValue(st, WJB_VALUE, &manual);
		PushMicrosColumn(st, s.slot, "decided_at_us", updated_att);
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	}
	if (any)
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	else
		KycJsonbPushText(st, WJB_VALUE, NULL);
	EndAppScan(&s);
}

/* A signal received by as_of, and where it sorts. */
typedef struct SignalRow
{
	TimestampTz received_at;
	int64		evidence_seq;
	HeapTuple	tuple;
} SignalRow;

static int
SignalOrder(const void *a, const void *b)
{
	const SignalRow *x = a;
	const SignalRow *y = b;

	if (x->received_at != y->received_at)
		return x->received_at < y->received_at ? -1 : 1;
	if (x->evidence_seq != y->evidence_seq)
		return x->evidence_seq < y->evidence_seq ? -1 : 1;
	return 0;
}

/* The signals received by as_of, oldest first; [] when there is none. */
static void
PushSignals(JsonbParseState **st, Datum app, Datum as_of, bool as_of_isnull, Snapshot snap)
{
	static const char *const text_fields[] = {
		"id", "gate", "source", "signal_type", "result", "confidence"
	};
	AttrNumber	text_atts[lengthof(text_fields)];
	AttrNumber	received_att,
				seq_att,
				reasons_att,
				expires_att;
	AppScan		s;
	SignalRow  *rows = NULL;
	int			n = 0;
	int			cap = 0;

	BeginAppScan(&s, "signal", "application_id", app, snap);
	for (int i = 0; i < (int) lengthof(text_fields); i++)
		text_atts[i] = KycColumnNumber(s.rel, text_fields[i]);
	received_att = KycColumnNumber(s.rel, "received_at");
	seq_att = KycColumnNumber(s.rel, "evidence_seq");
	reasons_att = KycColumnNumber(s.rel, "reason_codes");
	expires_att = KycColumnNumber(s.rel, "expires_at");

	while (!as_of_isnull && NextRow(&s))
	{
		bool		isnull;
		bool		seq_isnull;
		Datum		received = slot_getattr(s.slot, received_att, &isnull);
		Datum		seq = slot_getattr(s.slot, seq_att, &seq_isnull);

		if (isnull || seq_isnull || DatumGetTimestampTz(received) > DatumGetTimestampTz(as_of))
			continue;
		if (n == cap)
		{
			cap = Max(16, cap * 2);
			rows = rows ? repalloc(rows, sizeof(SignalRow) * cap) : palloc(sizeof(SignalRow) * cap);
		}
		rows[n].received_at = DatumGetTimestampTz(received);
		rows[n].evidence_seq = DatumGetInt64(seq);
		rows[n++].tuple = ExecCopySlotHeapTuple(s.slot);
	}
	if (n > 1)
		qsort(rows, n, sizeof(SignalRow), SignalOrder);

	KycJsonbPushKey(st, "signals");
	pushJsonbValue(st, WJB_BEGIN_ARRAY, NULL);
	for (int r = 0; r < n; r++)
	{
		ExecForceStoreHeapTuple(rows[r].tuple, s.slot, false);
		pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		for (int i = 0; i < (int) lengthof(text_fields); i++)
			PushField(st, s.slot, text_fields[i], text_atts[i]);
		PushTextArray(st, s.slot, "reason_codes", reasons_att);
		PushMicrosColumn(st, s.slot, "received_at_us", received_att);
		PushMicrosColumn(st, s.slot, "expires_at_us", expires_att);
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(st, WJB_END_ARRAY, NULL);
	EndAppScan(&s);
}

static void
PushBoolValue(JsonbParseState **st, bool b)
{
	JsonbValue	v;

	v.type = jbvBool;
	v.val.boolean = b;
	pushJsonbValue(st, WJB_VALUE, &v);
}

/*
 * PushCatalog
 *		The gate catalog's facts that shape a decision, {"gates": {gate:
 *		{critical, business_only, pending_state, review_rank, review_queue,
 *		review_sla, confirm_sla, review_reason, auto_decline}}}, as the catalog
 *		cache keeps them built (src/catalog_cache.c).  Recorded with the
 *		decision, so a later change of the catalog never changes a replay.
 */
static void
PushCatalog(JsonbParseState **st)
{
	Jsonb	   *catalog = KycGateCatalogJsonb();
	JsonbValue	v;

	KycJsonbPushKey(st, "catalog");
	v.type = jbvBinary;
	v.val.binary.data = &catalog->root;
	v.val.binary.len = VARSIZE(catalog) - VARHDRSZ;
	pushJsonbValue(st, WJB_VALUE, &v);
}

/* One gate's requests for information so far. */
typedef struct GateRequests
{
	char	   *gate;
	int64		rounds;
	TimestampTz last;
	bool		open;
} GateRequests;

/*
 * PushRequests
 *		Per gate, the requests for information asked so far (any status): how
 *		many, when the latest was asked, whether one is open; null when none.
 *		Evaluation bounds them by the policy's max_rfi_rounds.
 */
static void
PushRequests(JsonbParseState **st, Datum app, Snapshot snap)
{
	AppScan		s;
	AttrNumber	gate_att,
				at_att,
				status_att;
	GateRequests g[16];
	int			n = 0;

	BeginAppScan(&s, "information_request", "application_id", app, snap);
	gate_att = KycColumnNumber(s.rel, "gate");
	at_att = KycColumnNumber(s.rel, "requested_at");
	status_att = KycColumnNumber(s.rel, "status");
	while (NextRow(&s))
	{
		bool		isnull;
		char	   *gate = DatumGetCString(DirectFunctionCall1(enum_out, slot_getattr(s.slot, gate_att, &isnull)));
		TimestampTz at = DatumGetTimestampTz(slot_getattr(s.slot, at_att, &isnull));
		char	   *status = DatumGetCString(DirectFunctionCall1(enum_out, slot_getattr(s.slot, status_att, &isnull)));
		int			i;

		for (i = 0; i < n && strcmp(g[i].gate, gate) != 0; i++)
			;
		if (i == n)
		{
			if (n == (int) lengthof(g))
				elog(ERROR, "more gates with requests for information than there are gates");
			g[n].gate = gate;
			g[n].rounds = 0;
			g[n].last = at;
			g[n].open = false;
			n++;
		}
		g[i].rounds++;
		g[i].last = Max(g[i].last, at);
		g[i].open |= strcmp(status, "open") == 0;
	}
	EndAppScan(&s);

	KycJsonbPushKey(st, "requests");
	if (n == 0)
	{
		KycJsonbPushText(st, WJB_VALUE, NULL);
		return;
	}
	pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
	for (int i = 0; i < n; i++)
	{
		JsonbValue	v;

		KycJsonbPushKey(st, g[i].gate);
		pushJsonbValue(st, WJB_BEGIN_OBJECT, NULL);
		KycJsonbPushKey(st, "rounds");
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(g[i].rounds);
		pushJsonbValue(st, WJB_VALUE, &v);
		PushMicros(st, "last_requested_at_us", TimestampTzGetDatum(g[i].last), false);
		KycJsonbPushKey(st, "open");
		PushBoolValue(st, g[i].open);
		pushJsonbValue(st, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(st, WJB_END_OBJECT, NULL);
}

/*
 * KycDecisionInputs
 *		What kyc.decide() reads about the application as of a time, or NULL
 *		when there is no such application; in the caller's memory context.
 *		Read with the active snapshot (read_only), or, like a statement of a
 *		volatile function, with a new one that sees this command's writes.
 */
Jsonb *
KycDecisionInputs(Datum app, bool app_isnull, Datum as_of, bool as_of_isnull, bool read_only)
{
	JsonbParseState *st = NULL;
	JsonbValue *doc;
	Snapshot	snap;

	if (app_isnull)
		return NULL;
	if (!read_only)
		CommandCounterIncrement();
	snap = RegisterSnapshot(read_only ? GetActiveSnapshot() : GetTransactionSnapshot());

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	if (!PushApplication(&st, app, snap))
	{
		UnregisterSnapshot(snap);
		return NULL;
	}
	PushMicros(&st, "as_of_us", as_of, as_of_isnull);
	PushGates(&st, app, snap);
	PushSignals(&st, app, as_of, as_of_isnull, snap);
	if (KycLiveEvidenceSchema())
	{
		PushCatalog(&st);
		PushRequests(&st, app, snap);
	}
	doc = pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	UnregisterSnapshot(snap);
	return JsonbValueToJsonb(doc);
}

/*
 * kyc_decision_inputs
 *		SQL: kyc.decision_inputs(app uuid, as_of timestamptz) -> jsonb: the
 *		inputs of a decision about an application, recorded in the decision
 *		so that kyc.replay() can recompute it.  Internal.
 */
PG_FUNCTION_INFO_V1(kyc_decision_inputs);
Datum
kyc_decision_inputs(PG_FUNCTION_ARGS)
{
	Jsonb	   *inputs = KycDecisionInputs(PG_GETARG_DATUM(0), PG_ARGISNULL(0),
										   PG_GETARG_DATUM(1), PG_ARGISNULL(1), true);

	if (inputs == NULL)
		PG_RETURN_NULL();
	PG_RETURN_JSONB_P(inputs);
}
