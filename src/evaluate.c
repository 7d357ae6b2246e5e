/*-------------------------------------------------------------------------
 *
 * evaluate.c
 *	  kyc.evaluate: decide an application under its pinned policy and record
 *	  the decision with everything that follows from it.
 *
 * The decision itself is kyc.decide (decide.c), a pure function of the
 * recorded inputs and the policy document.  Here are its surroundings, in
 * this order: the application lock, the pinned policy, the inputs read now,
 * every gate the policy settled written with its evidence, the decision's
 * evidence row, a restriction for a restricted approval, the state move,
 * the kyc.decision row, review tasks opened for every gate in review and
 * those of settled gates cancelled, the requests for information the
 * decision asks or no longer needs (kyc.settle_information_requests), and on
 * an opened account the restriction and review of adverse evidence
 * (kyc.review_adverse_evidence).  The order fixes the evidence chain, which
 * sql/11_decisioning.sql shows.  The rarer branches (restriction, review
 * tasks, requests) call the SQL functions that own them.
 *
 * IDENTIFICATION
 *	  src/evaluate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/uuid.h"

#include "application_lock.h"
#include "caller.h"
#include "catalog_cache.h"
#include "data_class.h"
#include "decide.h"
#include "evaluate.h"
#include "gate_record.h"
#include "jsonbuild.h"
#include "ledger.h"
#include "spi_safe.h"

static KycPlan policy_plan = {
	"SELECT p.id, p.version, p.product, p.content_digest::text, p.document FROM kyc.policy p WHERE p.id = $1",
	1, {UUIDOID}
};

static KycPlan kept_plan = {
	"SELECT gate::text FROM kyc.gate_definition WHERE critical",
	0, {InvalidOid}
};

static KycPlan gates_plan = {
	"SELECT gate::text, status::text, reason_code,"
	"       (EXTRACT(epoch FROM valid_until) * 1000000)::bigint::text"
	" FROM kyc.application_gate WHERE application_id = $1",
	1, {UUIDOID}
};

/* the same, for a database not yet updated to 0.3.0 (no valid_until) */
static KycPlan gates_plan_0_2 = {
	"SELECT gate::text, status::text, reason_code, NULL::text"
	" FROM kyc.application_gate WHERE application_id = $1",
	1, {UUIDOID}
};

static KycPlan restriction_plan = {
	"SELECT 1 FROM kyc.restriction r WHERE r.application_id = $1 AND r.lifted_at IS NULL LIMIT 1",
	1, {UUIDOID}
};

static KycPlan impose_plan = {
	"SELECT kyc.impose_restriction($1, ($2 #>> '{restriction,kind}')::kyc.restriction_kind,"
	"                              $2 #>> '{restriction,reason_code}', $2 #>> '{restriction,lift_condition}')",
	2, {UUIDOID, JSONBOID}
};

static KycPlan decision_plan = {
	"INSERT INTO kyc.decision (tenant_id, application_id, policy_id, policy_version, policy_digest, inputs, result,"
	"                          input_signal_ids, outcome, risk_tier, reason_codes, from_state, to_state,"
	"                          decided_at, decided_as_of, decided_by, evidence_seq, data_class)"
	" VALUES ($1, $2, $3, $4, $5::kyc.hash256, $6, $7,"
	"         ARRAY(SELECT (s ->> 'id')::uuid FROM pg_catalog.jsonb_array_elements($6 -> 'signals') s),"
	"         ($7 ->> 'outcome')::kyc.outcome, ($7 ->> 'risk_tier')::kyc.risk_tier,"
	"         ARRAY(SELECT pg_catalog.jsonb_array_elements_text($7 -> 'reason_codes')),"
	"         $8::kyc.state, $9::kyc.state, pg_catalog.now(), $10, $11, $12, $13::kyc.data_class)"
	" RETURNING id",
	13, {TEXTOID, UUIDOID, UUIDOID, INT4OID, TEXTOID, JSONBOID, JSONBOID, TEXTOID, TEXTOID,
	TIMESTAMPTZOID, NAMEOID, INT8OID, TEXTOID}
};

/*
 * Requests for information the decision asks or no longer needs (evaluation-raised requests
 * count toward the policy's bound like a reviewer's); only when there is one of either.
 */
static KycPlan requests_plan = {
	"SELECT kyc.settle_information_requests($1, $2, $3, $4)"
	" WHERE $2 #> ARRAY['gates', $2 ->> 'focus_gate'] ? 'rfi_round'"
	"    OR EXISTS (SELECT 1 FROM kyc.information_request r"
	"               WHERE r.application_id = $1 AND r.status = 'open'::kyc.rfi_status)",
	4, {UUIDOID, JSONBOID, UUIDOID, NAMEOID}
};

/* adverse evidence on an opened account: a restriction and a review, once per gate */
static KycPlan adverse_plan = {
	"SELECT kyc.review_adverse_evidence($1, $2, $3, $4)"
	" WHERE EXISTS (SELECT 1 FROM pg_catalog.jsonb_each($2 -> 'gates') AS e (k, v)"
	"               WHERE e.v ->> 'status' = ANY (ARRAY['review', 'failed']) AND e.v ->> 'basis' = 'signals')",
	4, {UUIDOID, JSONBOID, UUIDOID, TIMESTAMPTZOID}
};

/* one live task per gate in review, each in its owner's queue with its own reasons */
static KycPlan open_tasks_plan = {
	"SELECT kyc.open_review_task($1, e.k::kyc.gate, e.v ->> 'queue',"
	"           ARRAY(SELECT x FROM pg_catalog.unnest(ARRAY[e.v ->> 'reason_code']) AS x WHERE x IS NOT NULL),"
	"           coalesce((e.v ->> 'sla')::interval, '2 days'), 'evaluation', $3, $4)"
	" FROM pg_catalog.jsonb_each($2 -> 'gates') AS e (k, v)"
	" WHERE e.v ->> 'status' = 'review' AND e.v ->> 'queue' IS NOT NULL"
	"   AND NOT EXISTS (SELECT 1 FROM kyc.review_task t"
	"                   WHERE t.application_id = $1 AND t.gate = e.k::kyc.gate"
	"                     AND t.status = ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))",
	4, {UUIDOID, JSONBOID, UUIDOID, TIMESTAMPTZOID}
};

/* a live task whose gate is no longer in review (the common case finds none) */
static KycPlan settled_tasks_plan = {
	"SELECT 1 FROM kyc.review_task t WHERE t.application_id = $1"
	"   AND t.status = ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])"
	"   AND t.origin <> ALL (ARRAY['early_life', 'adverse_evidence'])"
	"   AND ($2 #>> ARRAY['gates', t.gate::text, 'status']) IS DISTINCT FROM 'review' LIMIT 1",
	2, {UUIDOID, JSONBOID}
};

static KycPlan cancel_plan = {
	"SELECT kyc.cancel_settled_tasks($1, 'the gate was settled by evaluation')",
	1, {UUIDOID}
};

/* move_toward's steps */
static KycPlan state_plan = {
	"SELECT a.state::text FROM kyc.application a WHERE a.id = $1",
	1, {UUIDOID}
};

static KycPlan to_consent_plan = {
	"UPDATE kyc.application a SET state = 'consent_captured', state_reason = NULL, state_note = $2 WHERE a.id = $1",
	2, {UUIDOID, TEXTOID}
};

static KycPlan to_opened_plan = {
	"UPDATE kyc.application a SET state = 'opened_not_funded', state_reason = NULL, state_note = $2 WHERE a.id = $1",
	2, {UUIDOID, TEXTOID}
};

static KycPlan edge_plan = {
	"SELECT 1 FROM kyc.state_transition t WHERE t.from_state = $1::kyc.state AND t.to_state = $2::kyc.state",
	2, {TEXTOID, TEXTOID}
};

static KycPlan to_target_plan = {
	"UPDATE kyc.application a SET state = $2::kyc.state, state_reason = $3, state_note = $4 WHERE a.id = $1",
	4, {UUIDOID, TEXTOID, TEXTOID, TEXTOID}
};

/* the state catalog's phases (src/catalog_cache.c) */
static bool
IsOpened(const char *state)
{
	return KycStateHasPhase(state, "opened");
}

static bool
IsTerminal(const char *state)
{
	return KycStateHasPhase(state, "terminal");
}

static Datum
TextArg(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/* ---- reading jsonb ----------------------------------------------------- */

/* two strings, either NULL, are the same */
static bool
TextEq(const char *a, const char *b)
{
	return (a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0);
}

/* ->> of a member: its text, NULL when absent or JSON null */
static char *
FieldText(JsonbContainer *c, const char *key)
{
	JsonbValue *v = KycJsonbMember(c, key);
	Jsonb	   *scalar;

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type == jbvString)
		return pnstrdup(v->val.string.val, v->val.string.len);
	if (v->type == jbvBinary)
		return JsonbToCString(NULL, v->val.binary.data, v->val.binary.len);
	scalar = JsonbValueToJsonb(v);
	return JsonbToCString(NULL, &scalar->root, VARSIZE(scalar));
}

static JsonbContainer *
FieldContainer(JsonbContainer *c, const char *key)
{
	JsonbValue *v = KycJsonbMember(c, key);

	return (v != NULL && v->type == jbvBinary) ? v->val.binary.data : NULL;
}

/* ---- moving the state -------------------------------------------------- */

/*
 * KycMoveToward
 *		Move an application toward the state a decision asks for, along
 *		catalog edges: through consent_captured from the start, and on to
 *		active through opened_not_funded.  Returns the state it is in then.
 *		The state trigger checks every step.
 */
char *
KycMoveToward(Datum app, const char *target, const char *reason_code, const char *note)
{
	Datum		args[4];
	char		nulls[5] = "    ";
	char	   *cur = NULL;
	int			nest = KycSpiConnect();

	args[0] = app;
	if (KycSpiExec(&state_plan, args, NULL, false, 1) > 0)
		cur = KycSpiGetText(0, 1);
	if (cur == NULL || target == NULL || strcmp(cur, target) == 0)
	{
		KycSpiFinish(nest);
		return cur;
	}

	args[1] = TextArg(note, &nulls[1]);
	if (strcmp(cur, "application_started") == 0 &&
		strcmp(target, "declined") != 0 && strcmp(target, "abandoned") != 0)
	{
		KycSpiExec(&to_consent_plan, args, nulls, false, 0);
		cur = "consent_captured";
	}
	if (strcmp(target, "active") == 0 &&
		strcmp(cur, "opened_not_funded") != 0 && strcmp(cur, "approved_restricted") != 0)
	{
		KycSpiExec(&to_opened_plan, args, nulls, false, 0);
		cur = "opened_not_funded";
	}
	if (strcmp(cur, target) != 0)
	{
		Datum		edge[2] = {CStringGetTextDatum(cur), CStringGetTextDatum(target)};

		if (KycSpiExec(&edge_plan, edge, NULL, false, 1) > 0)
		{
			args[1] = CStringGetTextDatum(target);
			nulls[1] = ' ';
			args[2] = TextArg(reason_code, &nulls[2]);
			args[3] = TextArg(note, &nulls[3]);
			KycSpiExec(&to_target_plan, args, nulls, false, 0);
			cur = (char *) target;
		}
	}
	KycSpiFinish(nest);
	return pstrdup(cur);
}

/*
 * kyc_move_toward
 *		SQL: kyc.move_toward(app uuid, target kyc.state, reason_code text,
 *		note text) -> kyc.state.  Internal.
 */
PG_FUNCTION_INFO_V1(kyc_move_toward);
Datum
kyc_move_toward(PG_FUNCTION_ARGS)
{
	char	   *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = KycMoveToward(PG_GETARG_DATUM(0),
						  PG_ARGISNULL(1) ? NULL : DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(1))),
						  PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
						  PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3)));
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(enum_in, CStringGetDatum(state),
										ObjectIdGetDatum(get_fn_expr_rettype(fcinfo->flinfo))));
}

/* ---- evaluation -------------------------------------------------------- */

/* What evaluation knows of the application it locked and its pinned policy. */
typedef struct Evaluation
{
	Datum		app;
	const char *tenant_id;
	char	   *state;			/* when locked */
	char	   *actor;
	Datum		policy_id;
	int32		policy_version;
	char	   *policy_product;
	char	   *policy_digest;	/* content_digest as text, or NULL */
	Jsonb	   *document;		/* NULL when the policy has none */
	Jsonb	   *inputs;
	Jsonb	   *res;			/* kyc.decide's result; NULL when it had no document */
} Evaluation;

/*
 * ReadApplication
 *		The columns of the locked application row that evaluation needs.
 */
static void
ReadApplication(Evaluation *e, Datum row, char **product, char **jurisdiction, bool *has_policy)
{
	HeapTupleHeader th = DatumGetHeapTupleHeader(row);
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	HeapTupleData tuple;
	bool		isnull;

	tuple.t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = th;
	*product = SPI_getvalue(&tuple, desc, SPI_fnumber(desc, "product"));
	*jurisdiction = SPI_getvalue(&tuple, desc, SPI_fnumber(desc, "jurisdiction"));
	e->policy_id = SPI_getbinval(&tuple, desc, SPI_fnumber(desc, "policy_id"), &isnull);
	*has_policy = !isnull;
	if (!isnull)
		e->policy_id = datumCopy(e->policy_id, false, UUID_LEN);
	ReleaseTupleDesc(desc);
}

/*
 * ReadPolicy
 *		The pinned policy; false when there is none.
 */
static bool
ReadPolicy(Evaluation *e)
{
	Datum		args[1] = {e->policy_id};
	bool		isnull;
	Datum		d;

	if (KycSpiExec(&policy_plan, args, NULL, false, 1) == 0)
		return false;
	e->policy_version = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	e->policy_product = KycSpiGetText(0, 3);
	e->policy_digest = KycSpiGetText(0, 4);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 5, &isnull);
	e->document = isnull ? NULL : DatumGetJsonbP(SPI_datumTransfer(d, false, -1));
	return true;
}

/*
 * IsKept
 *		Whether gate is one an opened account keeps: concerns after opening go
 *		through early-life monitoring, restrictions, review and exit
 *		(docs/activation.md), never through its critical gates.
 */
static bool
IsKept(const char *gate, char **kept, int nkept)
{
	for (int i = 0; i < nkept; i++)
		if (strcmp(gate, kept[i]) == 0)
			return true;
	return false;
}

/*
 * RecordPolicyGates
 *		Write every gate the policy decided (basis signals or policy: not
 *		consent, not a manual decision that still stands) whose status or
 *		reason changed, in one statement, and their gate_decision evidence rows
 *		in the order of the result's gates.
 */
static void
RecordPolicyGates(Evaluation *e, bool opened)
{
	bool		owned = KycJsonbMember(&e->inputs->root, "catalog") != NULL;
	JsonbContainer *gates = FieldContainer(&e->res->root, "gates");
	char	  **kept = NULL;
	int			nkept = 0;
	char	  **cur_gate;
	char	  **cur_status;
	char	  **cur_reason;
	char	  **cur_until;
	int			ncur;
	char	   *note;
	KycGateChange *changes;
	int			nchanges = 0;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	Datum		args[1] = {e->app};

	if (gates == NULL || !JsonContainerIsObject(gates))
		return;
	if (opened)
	{
		nkept = KycSpiExec(&kept_plan, NULL, NULL, false, 0);
		kept = palloc(sizeof(char *) * Max(nkept, 1));
		for (int i = 0; i < nkept; i++)
			kept[i] = KycSpiGetText(i, 1);
	}
	ncur = KycSpiExec(owned ? &gates_plan : &gates_plan_0_2, args, NULL, false, 0);
	cur_gate = palloc(sizeof(char *) * Max(ncur, 1));
	cur_status = palloc(sizeof(char *) * Max(ncur, 1));
	cur_reason = palloc(sizeof(char *) * Max(ncur, 1));
	cur_until = palloc(sizeof(char *) * Max(ncur, 1));
	for (int i = 0; i < ncur; i++)
	{
		cur_gate[i] = KycSpiGetText(i, 1);
		cur_status[i] = KycSpiGetText(i, 2);
		cur_reason[i] = KycSpiGetText(i, 3);
		cur_until[i] = KycSpiGetText(i, 4);
	}
	note = psprintf("policy %s v%d", e->policy_product, e->policy_version);
	changes = palloc(sizeof(KycGateChange) * JsonContainerSize(gates));

	it = JsonbIteratorInit(gates);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *gate;
		JsonbContainer *g;
		char	   *basis;
		char	   *status;
		char	   *reason;
		char	   *until;

		if (tok != WJB_KEY)
			continue;
		gate = pnstrdup(v.val.string.val, v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		g = v.type == jbvBinary ? v.val.binary.data : NULL;
		basis = FieldText(g, "basis");
		if (basis == NULL || (strcmp(basis, "signals") != 0 && strcmp(basis, "policy") != 0) ||
			IsKept(gate, kept, nkept))
			continue;
		status = FieldText(g, "status");
		reason = FieldText(g, "reason_code");
		until = FieldText(g, "expires_at_us");
		for (int i = 0; i < ncur; i++)
		{
			if (strcmp(cur_gate[i], gate) != 0)
				continue;
			if (!TextEq(status, cur_status[i]) || !TextEq(reason, cur_reason[i]) || !TextEq(until, cur_until[i]))
			{
				changes[nchanges].gate = gate;
				changes[nchanges].status = status;
				changes[nchanges].reason_code = reason;
				changes[nchanges].valid_until_us = until;
				nchanges++;
			}
			break;
		}
	}
	KycRecordGates(e->app, changes, nchanges, note, e->actor, "policy");
}

/*
 * CodeClass
 *		The class of a string that is a catalog reason code, else NULL; only
 *		strings shaped like a code (^[A-Z]+\.) are looked up.
 */
static const char *
CodeClass(const JsonbValue *v)
{
	char		code[NAMEDATALEN];

	if (v == NULL || v->type != jbvString || v->val.string.len < 3 || v->val.string.len >= NAMEDATALEN ||
		v->val.string.val[0] < 'A' || v->val.string.val[0] > 'Z' ||
		memchr(v->val.string.val, '.', v->val.string.len) == NULL)
		return NULL;
	memcpy(code, v->val.string.val, v->val.string.len);
	code[v->val.string.len] = '\0';
	return KycReasonClass(code);
}

/*
 * ReasonsClass
 *		The most sensitive class of the catalog reason codes anywhere in a
 *		container, or NULL: a copy of a fact keeps its class.
 */
static const char *
ReasonsClass(JsonbContainer *c)
{
	const char *cls = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (c == NULL)
		return NULL;
	it = JsonbIteratorInit(c);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
		if (tok == WJB_VALUE || tok == WJB_ELEM)
			cls = KycMaxClass(cls, CodeClass(&v));
	return cls;
}

/*
 * InputsClass
 *		ReasonsClass of a decision's inputs, reading the bulk of them, the
 *		signals and the gates, only where they hold codes (each signal's
 *		"reason_codes", each gate's "reason_code"), everything else whole:
 *		an evaluation with 50 live signals would otherwise walk a thousand
 *		values.  So the inputs after an AML clearance (a gate's
 *		AML.CLEARED_BY_REVIEW) make the decision SAR-restricted.  The gate
 *		catalog recorded since 0.3.0 ("catalog") is not read: its codes are
 *		reference data, not facts of the application.
 */
static const char *
InputsClass(Jsonb *inputs)
{
	const char *cls = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (inputs == NULL)
		return NULL;
	it = JsonbIteratorInit(&inputs->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbContainer *c;

		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (v.type != jbvBinary)
		{
			cls = KycMaxClass(cls, CodeClass(&v));
			continue;
		}
		c = v.val.binary.data;
		/*
		 * the gate catalog's facts (each gate's review reason, say) speak of
		 * no applicant: they do not make every decision AML's
		 */
		if (strcmp(key, "catalog") == 0)
			continue;
		if (strcmp(key, "signals") == 0 && JsonContainerIsArray(c))
		{
			for (uint32 i = 0; i < JsonContainerSize(c); i++)
			{
				JsonbValue *sig = getIthJsonbValueFromContainer(c, i);
				JsonbValue *codes = sig->type == jbvBinary ? KycJsonbMember(sig->val.binary.data, "reason_codes") : NULL;

				if (codes != NULL && codes->type == jbvBinary)
					cls = KycMaxClass(cls, ReasonsClass(codes->val.binary.data));
			}
		}
		else if (strcmp(key, "gates") == 0 && JsonContainerIsObject(c))
		{
			JsonbIterator *git = JsonbIteratorInit(c);
			JsonbValue	g;

			while ((tok = JsonbIteratorNext(&git, &g, true)) != WJB_DONE)
				if (tok == WJB_VALUE && g.type == jbvBinary)
					cls = KycMaxClass(cls, CodeClass(KycJsonbMember(g.val.binary.data, "reason_code")));
		}
		else
			cls = KycMaxClass(cls, ReasonsClass(c));
	}
	return cls;
}

/*
 * DecisionClass
 *		The most sensitive class among the gates the decision holds or fails
 *		on decides who may read it; internal when there are none.
 */
static const char *
DecisionClass(Evaluation *e)
{
	JsonbContainer *gates = e->res ? FieldContainer(&e->res->root, "gates") : NULL;
	const char *cls = NULL;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (gates == NULL || !JsonContainerIsObject(gates))
		return "internal";
	it = JsonbIteratorInit(gates);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *gate;
		char	   *status;

		if (tok != WJB_KEY)
			continue;
		gate = pnstrdup(v.val.string.val, v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		status = FieldText(v.type == jbvBinary ? v.val.binary.data : NULL, "status");
		if (status != NULL &&
			(strcmp(status, "review") == 0 || strcmp(status, "failed") == 0 || strcmp(status, "info_needed") == 0) &&
			(cls == NULL || KycDataClassRank(KycGateClass(gate)) > KycDataClassRank(cls)))
			cls = KycGateClass(gate);
	}
	return KycMaxClass(cls ? cls : "internal",
					   KycMaxClass(InputsClass(e->inputs), e->res ? ReasonsClass(&e->res->root) : NULL));
}

static void
PushJsonb(JsonbParseState **st, JsonbIteratorToken tok, Jsonb *j)
{
	JsonbValue	v;

	if (j == NULL)
		v.type = jbvNull;
	else
	{
		v.type = jbvBinary;
		v.val.binary.data = &j->root;
		v.val.binary.len = VARSIZE(j) - VARHDRSZ;
	}
	pushJsonbValue(st, tok, &v);
}

/*
 * DecisionPayload
 *		The decision's evidence: the policy (id, version, digest), the result
 *		and the ids of the input signals.
 */
static Jsonb *
DecisionPayload(Evaluation *e)
{
	JsonbParseState *st = NULL;
	JsonbContainer *signals = e->inputs ? FieldContainer(&e->inputs->root, "signals") : NULL;
	JsonbValue	v;

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	KycJsonbPushKey(&st, "policy_id");
	KycJsonbPushText(&st, WJB_VALUE, DatumGetCString(DirectFunctionCall1(uuid_out, e->policy_id)));
	KycJsonbPushKey(&st, "policy_version");
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(e->policy_version);
	pushJsonbValue(&st, WJB_VALUE, &v);
	KycJsonbPushKey(&st, "policy_digest");
	KycJsonbPushText(&st, WJB_VALUE, e->policy_digest);
	KycJsonbPushKey(&st, "result");
	PushJsonb(&st, WJB_VALUE, e->res);
	KycJsonbPushKey(&st, "input_signal_ids");
	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	if (signals != NULL && JsonContainerIsArray(signals))
		for (uint32 i = 0; i < JsonContainerSize(signals); i++)
		{
			JsonbValue *s = getIthJsonbValueFromContainer(signals, i);
			JsonbValue *id = s->type == jbvBinary ? KycJsonbMember(s->val.binary.data, "id") : NULL;
			JsonbValue	null = {.type = jbvNull};

			pushJsonbValue(&st, WJB_ELEM, id ? id : &null);
		}
	pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	return JsonbValueToJsonb(pushJsonbValue(&st, WJB_END_OBJECT, NULL));
}

static Datum
EnumOrNull(TupleDesc desc, int att, const char *label, bool *isnull)
{
	*isnull = label == NULL;
	if (label == NULL)
		return (Datum) 0;
	return DirectFunctionCall2(enum_in, CStringGetDatum(label),
							   ObjectIdGetDatum(TupleDescAttr(desc, att)->atttypid));
}

/*
 * kyc_evaluate
 *		SQL: kyc.evaluate(app uuid, as_of timestamptz DEFAULT now(), OUT
 *		decision_id uuid, OUT outcome kyc.outcome, OUT state kyc.state, OUT
 *		risk_tier kyc.risk_tier), SECURITY DEFINER.
 */
PG_FUNCTION_INFO_V1(kyc_evaluate);
Datum
kyc_evaluate(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_app", "kyc_reviewer", "kyc_fraud", "kyc_aml", "kyc_jobs"};
	Evaluation	e = {0};
	KycLockedApplication a;
	TupleDesc	result_desc;
	char	   *product;
	char	   *jurisdiction;
	bool		has_policy;
	bool		opened;
	bool		owned;			/* decided as 0.3.0 decides (inputs with a catalog) */
	TimestampTz as_of;
	char	   *outcome = NULL;
	char	   *risk_tier = NULL;
	char	   *target = NULL;
	char	   *reason = NULL;
	const char *cls;
	const char *state;
	int64		seq;
	Datum		decision_id;
	Datum		args[13];
	char		nulls[14] = "             ";
	Datum		values[4];
	bool		isnull[4];
	bool		dummy;
	int			nest;

	if (get_call_result_type(fcinfo, NULL, &result_desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "kyc.evaluate must be declared with OUT parameters");
	result_desc = BlessTupleDesc(result_desc);

	e.actor = KycAssertCaller("evaluate an application", roles, lengthof(roles));
	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), false, "evaluate", &a);
	e.app = PG_GETARG_DATUM(0);
	e.tenant_id = a.tenant_id;
	e.state = a.state;
	opened = IsOpened(a.state);
	ReadApplication(&e, a.row, &product, &jurisdiction, &has_policy);

	nest = KycSpiConnect();
	if (!has_policy || !ReadPolicy(&e))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no policy was in force for product \"%s\" in \"%s\" when the application was opened",
						product, jurisdiction),
				 errhint("Publish a policy for the product and jurisdiction, then open the application again.")));
	if (PG_ARGISNULL(1) || TIMESTAMP_NOT_FINITE(PG_GETARG_TIMESTAMPTZ(1)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"as_of\" must be a finite time")));
	as_of = PG_GETARG_TIMESTAMPTZ(1);
	if (as_of < GetCurrentTransactionStartTimestamp())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"as_of\" must not be before the current time"),
				 errhint("Evaluate as of now, or as of a later time (a job deciding on expiry); decisions are never back-dated.")));

	e.inputs = KycDecisionInputs(e.app, false, TimestampTzGetDatum(as_of), false, false);
	if (e.inputs != NULL && e.document != NULL)
		e.res = DatumGetJsonbP(DirectFunctionCall2(kyc_decide, JsonbPGetDatum(e.inputs),
												   JsonbPGetDatum(e.document)));
	owned = e.inputs != NULL && KycJsonbMember(&e.inputs->root, "catalog") != NULL;

	if (e.res != NULL)
		RecordPolicyGates(&e, opened);

	if (e.res != NULL)
	{
		JsonbValue *first;
		JsonbContainer *reasons = FieldContainer(&e.res->root, "reason_codes");

		outcome = FieldText(&e.res->root, "outcome");
		risk_tier = FieldText(&e.res->root, "risk_tier");
		target = FieldText(&e.res->root, "target_state");
		if (reasons != NULL && JsonContainerIsArray(reasons) && JsonContainerSize(reasons) > 0 &&
			(first = getIthJsonbValueFromContainer(reasons, 0))->type == jbvString)
			reason = pnstrdup(first->val.string.val, first->val.string.len);
	}
	cls = DecisionClass(&e);
	seq = KycAppendEvidence(NULL, e.app, "decision", cls, DecisionPayload(&e));

	args[0] = e.app;
	if (outcome != NULL && strcmp(outcome, "approve_restricted") == 0 &&
		KycSpiExec(&restriction_plan, args, NULL, false, 1) == 0)
	{
		args[1] = JsonbPGetDatum(e.res);
		KycSpiExec(&impose_plan, args, NULL, false, 0);
	}

	state = e.state;
	if ((target != NULL && !opened) || (target != NULL && strcmp(target, "active") == 0))
	{
		const char *why = NULL;

		if (strcmp(outcome ? outcome : "", "decline") == 0 ||
			strcmp(outcome ? outcome : "", "hold_for_review") == 0 ||
			strcmp(outcome ? outcome : "", "request_information") == 0)
			why = reason;
		state = KycMoveToward(e.app, target, why,
							  psprintf("evaluation under policy %s v%d", e.policy_product, e.policy_version));
	}

	args[0] = CStringGetTextDatum(e.tenant_id);
	args[1] = e.app;
	args[2] = e.policy_id;
	args[3] = Int32GetDatum(e.policy_version);
	args[4] = TextArg(e.policy_digest, &nulls[4]);
	args[5] = e.inputs ? JsonbPGetDatum(e.inputs) : (Datum) 0;
	nulls[5] = e.inputs ? ' ' : 'n';
	args[6] = e.res ? JsonbPGetDatum(e.res) : (Datum) 0;
	nulls[6] = e.res ? ' ' : 'n';
	args[7] = CStringGetTextDatum(e.state);
	args[8] = TextArg(state, &nulls[8]);
	args[9] = TimestampTzGetDatum(as_of);
	args[10] = DirectFunctionCall1(namein, CStringGetDatum(e.actor));
	args[11] = Int64GetDatum(seq);
	args[12] = CStringGetTextDatum(cls);
	KycSpiExec(&decision_plan, args, nulls, false, 0);
	decision_id = SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &dummy),
									false, UUID_LEN);

	/*
	 * every gate in review has its task, whatever the outcome (a request for
	 * information elsewhere included), while the application is in
	 * onboarding; on an opened account adverse evidence restricts it and goes
	 * to review.  Tasks of gates evaluation has since settled are cancelled.
	 */
	if (e.res != NULL && !owned)
	{
		/* a database not yet updated to 0.3.0: tasks of a hold only, as 0.2.0 did */
		if (outcome != NULL && strcmp(outcome, "hold_for_review") == 0)
		{
			Datum		task_args[4] = {e.app, JsonbPGetDatum(e.res), decision_id, TimestampTzGetDatum(as_of)};

			KycSpiExec(&open_tasks_plan, task_args, NULL, false, 0);
		}
	}
	else if (e.res != NULL && state != NULL && !IsOpened(state) && !IsTerminal(state))
	{
		Datum		task_args[4] = {e.app, JsonbPGetDatum(e.res), decision_id, TimestampTzGetDatum(as_of)};
		Datum		rfi_args[4] = {e.app, JsonbPGetDatum(e.res), decision_id,
		DirectFunctionCall1(namein, CStringGetDatum(e.actor))};

		KycSpiExec(&open_tasks_plan, task_args, NULL, false, 0);
		KycSpiExec(&requests_plan, rfi_args, NULL, false, 0);
	}
	else if (e.res != NULL && state != NULL && IsOpened(state))
	{
		Datum		adverse_args[4] = {e.app, JsonbPGetDatum(e.res), decision_id, TimestampTzGetDatum(as_of)};

		if (KycSpiExec(&adverse_plan, adverse_args, NULL, false, 1) > 0)
			state = KycSpiGetText(0, 1);
	}
	{
		Datum		task_args[2] = {e.app, e.res ? JsonbPGetDatum(e.res) : (Datum) 0};
		char		task_nulls[3] = {' ', e.res ? ' ' : 'n', '\0'};

		if (KycSpiExec(&settled_tasks_plan, task_args, task_nulls, false, 1) > 0)
			KycSpiExec(&cancel_plan, task_args, NULL, false, 0);
	}

	/* the labels live in SPI's memory, which SPI_finish frees: enum values are by value */
	values[0] = decision_id;
	isnull[0] = false;
	values[1] = EnumOrNull(result_desc, 1, outcome, &isnull[1]);
	/* a state the caller may not read is not returned (docs/security.md) */
	values[2] = EnumOrNull(result_desc, 2, state != NULL && KycCallerMayRead(KycStateClass(state)) ? state : NULL,
						   &isnull[2]);
	values[3] = EnumOrNull(result_desc, 3, risk_tier, &isnull[3]);
	KycSpiFinish(nest);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(result_desc, values, isnull)));
}
