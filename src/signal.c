/*-------------------------------------------------------------------------
 *
 * signal.c
 *	  kyc.submit_signal: one decision signal from a model or vendor, checked
 *	  field by field, written as evidence and as a row of kyc.signal.
 *
 * Every malformed signal is refused with the field named (docs/signals.md),
 * in a fixed order of checks: the first rule a signal breaks is the one it is
 * told about, so the order below is part of the contract (sql/09_signals.sql).
 * A refused signal writes nothing: all checks come before the first write.
 * In C because every onboarding sends several signals: in PL/pgSQL the
 * checks took about 40 statements a signal.
 *
 * IDENTIFICATION
 *	  src/signal.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
#include "utils/varlena.h"

#include "application_lock.h"
#include "caller.h"
#include "data_class.h"
#include "jsonbuild.h"
#include "kyc_errors.h"
#include "ledger.h"
#include "spi_safe.h"

#define DEFAULT_HINT "The signal format is in docs/signals.md."

/* the members a signal may have, in the order the refusal lists them */
static const char *const known_fields[] = {
	"source", "signal_type", "gate", "result", "confidence", "reason_codes",
	"customer_safe_reason", "evidence_refs", "owner", "model", "score", "expires_at"
};

/*
 * the gate's owner, and whether the customer-safe reason is a message key:
 * one statement for both, each answer used where its check comes
 */
static KycPlan lookup_plan = {
	"SELECT (SELECT d.owner::text FROM kyc.gate_definition d WHERE d.gate = $1::kyc.gate),"
	"       EXISTS (SELECT 1 FROM kyc.customer_message m WHERE m.message_key = $2)",
	2, {TEXTOID, TEXTOID}
};

/* each reason code in array order: in the catalog?, its gate; and the most sensitive data class */
static KycPlan reasons_plan = {
	"SELECT c.code IS NOT NULL, c.gate::text,"
	"       GREATEST($2::kyc.data_class, pg_catalog.max(c.data_class) OVER ())::text"
	" FROM pg_catalog.unnest($1::text[]) WITH ORDINALITY AS r (code, ord)"
	" LEFT JOIN kyc.reason_code c ON c.code = r.code ORDER BY r.ord",
	2, {TEXTARRAYOID, TEXTOID}
};

static KycPlan insert_plan = {
	"INSERT INTO kyc.signal (tenant_id, application_id, evidence_seq, source, signal_type, gate, owner, result,"
	"                        confidence, reason_codes, customer_safe_reason, evidence_refs, model_id,"
	"                        model_version, score, expires_at, received_at)"
	" VALUES ($1, $2, $3, $4, $5, $6::kyc.gate, $7::kyc.owner, $8::kyc.signal_result, $9::kyc.confidence,"
	"         $10, $11, $12, $13, $14, $15, $16, pg_catalog.now())"
	" RETURNING id",
	16, {TEXTOID, UUIDOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
	TEXTARRAYOID, TEXTOID, TEXTARRAYOID, TEXTOID, TEXTOID, NUMERICOID, TIMESTAMPTZOID}
};

/* ---- refusals ---------------------------------------------------------- */

/*
 * RefuseField
 *		Refuse the signal, naming the field; hint NULL means the default one.
 */
static void
pg_attribute_noreturn()
RefuseField(const char *field, const char *problem, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("signal field \"%s\" %s", field, problem),
			 errhint("%s", hint != NULL ? hint : DEFAULT_HINT)));
}

/* jsonb_typeof() of a value */
static const char *
JsonTypeName(const JsonbValue *v)
{
	switch (v->type)
	{
		case jbvNull:
			return "null";
		case jbvString:
			return "string";
		case jbvNumeric:
			return "number";
		case jbvBool:
			return "boolean";
		case jbvBinary:
			return JsonContainerIsObject(v->val.binary.data) ? "object" : "array";
		default:
			elog(ERROR, "unexpected jsonb value type %d", (int) v->type);
	}
	return NULL;				/* keep compiler quiet */
}

static char *
TypeHint(const JsonbValue *v)
{
	return psprintf("It is a JSON %s.", JsonTypeName(v));
}

/* ---- reading members --------------------------------------------------- */

/* member key of an object, or NULL when absent or JSON null */
static JsonbValue *
Member(JsonbContainer *obj, const char *key)
{
	JsonbValue *v = KycJsonbMember(obj, key);

	return (v == NULL || v->type == jbvNull) ? NULL : v;
}

/* number of characters of a string value, as length() counts them */
static int
CharLength(const JsonbValue *v)
{
	return pg_mbstrlen_with_len(v->val.string.val, v->val.string.len);
}

/*
 * CheckedText
 *		A string member: present (when required), a JSON string, not empty, at
 *		most max_len characters; NULL when optional and absent.  label names it
 *		in refusals (model.id for member id of model).
 */
static char *
CheckedText(JsonbContainer *obj, const char *key, bool required, int max_len, const char *label)
{
	JsonbValue *v = Member(obj, key);

	if (v == NULL)
	{
		if (required)
			RefuseField(label, "is missing", NULL);
		return NULL;
	}
	if (v->type != jbvString)
		RefuseField(label, "must be a string", TypeHint(v));
	if (v->val.string.len == 0)
		RefuseField(label, "must not be empty", NULL);
	if (CharLength(v) > max_len)
		RefuseField(label, psprintf("is longer than %d characters", max_len), NULL);
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* the OID of type kyc.<name> */
static Oid
KycType(const char *name)
{
	Oid			typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
										ObjectIdGetDatum(get_namespace_oid("kyc", false)));

	if (!OidIsValid(typid))
		elog(ERROR, "type kyc.%s does not exist", name);
	return typid;
}

static int
EnumOrder(const void *a, const void *b)
{
	float4		x = (*(Form_pg_enum const *) a)->enumsortorder;
	float4		y = (*(Form_pg_enum const *) b)->enumsortorder;

	return (x > y) - (x < y);
}

/* the labels of an enum in their order, joined by ", " (as in enum_range) */
static char *
EnumLabels(Oid typid)
{
	CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(typid));
	Form_pg_enum *items = palloc(sizeof(Form_pg_enum) * Max(list->n_members, 1));
	StringInfoData out;

	for (int i = 0; i < list->n_members; i++)
		items[i] = (Form_pg_enum) GETSTRUCT(&list->members[i]->tuple);
	qsort(items, list->n_members, sizeof(Form_pg_enum), EnumOrder);
	initStringInfo(&out);
	for (int i = 0; i < list->n_members; i++)
		appendStringInfo(&out, "%s%s", i > 0 ? ", " : "", NameStr(items[i]->enumlabel));
	ReleaseSysCacheList(list);
	return out.data;
}

/*
 * CheckedLabel
 *		A required string member that must be a label of enum kyc.<type_name>.
 */
static char *
CheckedLabel(JsonbContainer *obj, const char *key, const char *type_name)
{
	char	   *v = CheckedText(obj, key, true, 64, key);
	Oid			typid = KycType(type_name);

	if (strlen(v) >= NAMEDATALEN ||
		!SearchSysCacheExists2(ENUMTYPOIDNAME, ObjectIdGetDatum(typid), CStringGetDatum(v)))
		RefuseField(key, "has an unrecognized value", psprintf("Use one of: %s.", EnumLabels(typid)));
	return v;
}

/*
 * CheckedStrings
 *		An array member of at most max_items strings, each of 1 to 200
 *		characters, as a text[]; empty when optional and absent.  *n gets the
 *		number of items.
 */
static ArrayType *
CheckedStrings(JsonbContainer *obj, const char *key, bool required, int max_items, int *n)
{
	JsonbValue *v = Member(obj, key);
	JsonbContainer *arr;
	Datum	   *items;

	*n = 0;
	if (v == NULL)
	{
		if (required)
			RefuseField(key, "is missing", NULL);
		return construct_empty_array(TEXTOID);
	}
	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		RefuseField(key, "must be an array of strings", TypeHint(v));
	arr = v->val.binary.data;
	if ((int) JsonContainerSize(arr) > max_items)
		RefuseField(key, psprintf("has more than %d items", max_items), NULL);

	*n = (int) JsonContainerSize(arr);
	items = palloc(sizeof(Datum) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(arr, i);

		if (e->type != jbvString || e->val.string.len == 0 || CharLength(e) > 200)
			RefuseField(key, "must contain only non-empty strings of at most 200 characters", NULL);
		items[i] = PointerGetDatum(cstring_to_text_with_len(e->val.string.val, e->val.string.len));
	}
	return construct_array(items, *n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* ---- the checks that need more than the signal ------------------------- */

/*
 * CheckUnknownFields
 *		Every member must be a signal field; the first unknown one in the
 *		database's sort order is named (at most 64 characters of it).
 */
static void
CheckUnknownFields(Jsonb *signal)
{
	JsonbIterator *it = JsonbIteratorInit(&signal->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *bad = NULL;
	int			bad_len = 0;
	StringInfoData all;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		bool		known = false;

		if (tok != WJB_KEY)
			continue;
		for (int i = 0; i < (int) lengthof(known_fields) && !known; i++)
			known = (int) strlen(known_fields[i]) == v.val.string.len &&
				memcmp(known_fields[i], v.val.string.val, v.val.string.len) == 0;
		if (!known && (bad == NULL ||
					   varstr_cmp(v.val.string.val, v.val.string.len, bad, bad_len, DEFAULT_COLLATION_OID) < 0))
		{
			bad = v.val.string.val;
			bad_len = v.val.string.len;
		}
	}
	if (bad == NULL)
		return;

	initStringInfo(&all);
	for (int i = 0; i < (int) lengthof(known_fields); i++)
		appendStringInfo(&all, "%s%s", i > 0 ? ", " : "", known_fields[i]);
	RefuseField(pnstrdup(bad, pg_mbcharcliplen(bad, bad_len, 64)), "is not a signal field",
				psprintf("Signal fields are: %s.", all.data));
}

/* What the catalog says about a signal's gate and customer-safe reason. */
typedef struct SignalLookups
{
	char	   *gate_owner;		/* NULL when the gate has no definition */
	bool		message_known;	/* the reason is a key of kyc.customer_message */
} SignalLookups;

/*
 * LookUp
 *		Read the gate's owner and whether the customer-safe reason (as given,
 *		before its own checks: their answer is used only once they pass) is a
 *		message key.
 */
static void
LookUp(const char *gate, JsonbContainer *obj, SignalLookups *out)
{
	JsonbValue *safe = Member(obj, "customer_safe_reason");
	Datum		args[2] = {CStringGetTextDatum(gate), (Datum) 0};
	char		nulls[3] = "  ";
	bool		isnull;

	if (safe != NULL && safe->type == jbvString)
		args[1] = PointerGetDatum(cstring_to_text_with_len(safe->val.string.val, safe->val.string.len));
	else
		nulls[1] = 'n';
	KycSpiExec(&lookup_plan, args, nulls, true, 1);
	out->gate_owner = KycSpiGetText(0, 1);
	out->message_known = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
}

/*
 * CheckGateOwner
 *		The signal's owner must be the owner of its gate.
 */
static void
CheckGateOwner(const char *gate, const char *owner, const SignalLookups *lookups)
{
	if (lookups->gate_owner != NULL && strcmp(lookups->gate_owner, owner) != 0)
		RefuseField("owner", psprintf("does not name the owner of gate \"%s\"", gate),
					psprintf("Gate \"%s\" is owned by \"%s\".", gate, lookups->gate_owner));
}

/*
 * CheckReasonCodes
 *		Every reason code must be in the catalog and belong to the signal's
 *		gate.  Returns the most sensitive data class among the gate's own and
 *		the codes'.
 */
static char *
CheckReasonCodes(ArrayType *reasons, int nreasons, const char *gate, const char *gate_class)
{
	Datum		args[2] = {PointerGetDatum(reasons), CStringGetTextDatum(gate_class)};
	int			n;
	bool		isnull;

	if (nreasons == 0)
		return pstrdup(gate_class);
	n = KycSpiExec(&reasons_plan, args, NULL, true, 0);
	for (int i = 0; i < n; i++)
		if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_KYC_REASON_INVALID),
					 errmsg("signal field \"reason_codes\" holds a code that is not in the reason catalog"),
					 errhint("Reason codes are listed in kyc.reason_code.")));
	/* the first in the signal's order is named */
	for (int i = 0; i < n; i++)
	{
		char	   *code_gate = KycSpiGetText(i, 2);

		if (code_gate == NULL || strcmp(code_gate, gate) != 0)
		{
			Datum	   *codes;
			int			ncodes;

			deconstruct_array(reasons, TEXTOID, -1, false, TYPALIGN_INT, &codes, NULL, &ncodes);
			ereport(ERROR,
					(errcode(ERRCODE_KYC_REASON_INVALID),
					 errmsg("signal field \"reason_codes\" holds code \"%s\" of another gate than \"%s\"",
							TextDatumGetCString(codes[i]), gate),
					 errhint("A signal carries only reason codes of its own gate.")));
		}
	}
	return KycSpiGetText(0, 3);
}

/*
 * CheckCustomerMessage
 *		A customer-safe reason is a key of kyc.customer_message: free text
 *		never reaches a customer.
 */
static void
CheckCustomerMessage(const SignalLookups *lookups)
{
	if (!lookups->message_known)
		RefuseField("customer_safe_reason", "is not a customer message key",
					"Customer-safe reasons are the keys of kyc.customer_message; free text never reaches a customer.");
}

/*
 * ParseTimestamp
 *		The text as a timestamptz, under the session's DateStyle and TimeZone;
 *		false when it is not one.  Any error of the input function is caught
 *		in a subtransaction, but cancellation.
 */
static bool
ParseTimestamp(const char *text, TimestampTz *out)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	bool		ok = true;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		*out = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(text),
													   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		if (edata->sqlerrcode == ERRCODE_QUERY_CANCELED || edata->sqlerrcode == ERRCODE_ASSERT_FAILURE)
			ReThrowError(edata);
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* the evidence kind a signal of this gate and type is recorded as */
static const char *
EvidenceKind(const char *gate, const char *signal_type)
{
	if (strcmp(gate, "aml") == 0)
		return "aml_referral";
	if (strcmp(gate, "fraud") == 0)
		return "fraud_signal";
	if (strcmp(gate, "cip") == 0)
		return "cip_verification";
	if (strcmp(gate, "cdd") == 0)
		return "cdd_profile";
	if (strcmp(gate, "kyb_ubo") == 0)
		return "ubo_package";
	if (strcmp(signal_type, "evidence_validation") == 0)
		return "evidence_validation";
	if (strcmp(signal_type, "identity_verification") == 0)
		return "identity_verification";
	return "signal";
}

static Datum
TextOrNull(const char *s, char *null)
{
	*null = s == NULL ? 'n' : ' ';
	return s == NULL ? (Datum) 0 : CStringGetTextDatum(s);
}

/*
 * kyc_submit_signal
 *		SQL: kyc.submit_signal(app uuid, signal jsonb) -> uuid, SECURITY DEFINER.
 *		Accepts one decision signal (docs/signals.md) as evidence; it does not
 *		decide: kyc.evaluate() does.
 */
PG_FUNCTION_INFO_V1(kyc_submit_signal);
Datum
kyc_submit_signal(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_app"};
	Jsonb	   *signal;
	JsonbContainer *obj;
	JsonbValue *model;
	JsonbValue *score_v;
	char	   *source;
	char	   *signal_type;
	char	   *gate;
	char	   *result;
	char	   *confidence;
	char	   *owner;
	char	   *safe;
	char	   *model_id = NULL;
	char	   *model_version = NULL;
	char	   *expires_text;
	char	   *cls;
	ArrayType  *reasons;
	ArrayType  *refs;
	int			nreasons;
	int			nrefs;
	Numeric		score = NULL;
	TimestampTz expires = 0;
	SignalLookups lookups;
	KycLockedApplication a;
	Datum		values[16];
	char		nulls[17] = "                ";
	bool		isnull;
	int64		seq;
	Datum		id;
	int			nest;

	KycAssertCaller("submit a signal", roles, lengthof(roles));
	signal = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	if (signal == NULL || !JB_ROOT_IS_OBJECT(signal))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a signal must be a JSON object"),
				 errhint(DEFAULT_HINT)));
	obj = &signal->root;
	CheckUnknownFields(signal);

	nest = KycSpiConnect();
	source = CheckedText(obj, "source", true, 100, "source");
	signal_type = CheckedText(obj, "signal_type", true, 100, "signal_type");
	gate = CheckedLabel(obj, "gate", "gate");
	result = CheckedLabel(obj, "result", "signal_result");
	confidence = CheckedLabel(obj, "confidence", "confidence");
	owner = CheckedLabel(obj, "owner", "owner");
	LookUp(gate, obj, &lookups);
	CheckGateOwner(gate, owner, &lookups);

	reasons = CheckedStrings(obj, "reason_codes", true, 20, &nreasons);
	cls = CheckReasonCodes(reasons, nreasons, gate, KycGateClass(gate));

	safe = CheckedText(obj, "customer_safe_reason", true, 64, "customer_safe_reason");
	CheckCustomerMessage(&lookups);
	refs = CheckedStrings(obj, "evidence_refs", false, 50, &nrefs);

	model = Member(obj, "model");
	if (model != NULL)
	{
		if (model->type != jbvBinary || !JsonContainerIsObject(model->val.binary.data))
			RefuseField("model", "must be an object with \"id\" and \"version\"", NULL);
		model_id = CheckedText(model->val.binary.data, "id", true, 100, "model.id");
		model_version = CheckedText(model->val.binary.data, "version", true, 100, "model.version");
	}

	score_v = Member(obj, "score");
	if (score_v != NULL)
	{
		if (score_v->type != jbvNumeric)
			RefuseField("score", "must be a number", NULL);
		score = score_v->val.numeric;
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(score),
											  NumericGetDatum(int64_to_numeric(0)))) < 0 ||
			DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(score),
											  NumericGetDatum(int64_to_numeric(1)))) > 0)
			RefuseField("score", "must be between 0 and 1", NULL);
	}

	expires_text = CheckedText(obj, "expires_at", false, 40, "expires_at");
	if (expires_text != NULL)
	{
		if (!ParseTimestamp(expires_text, &expires))
			RefuseField("expires_at", "is not a timestamp",
						"Use ISO 8601 with a time zone, for example \"2026-07-15T00:00:00Z\".");
		if (expires <= GetCurrentTransactionStartTimestamp())
			RefuseField("expires_at", "is already past", "An expired signal cannot settle a gate.");
	}

	/* all checked: lock, append the evidence row, record the signal */
	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), false, "accept a signal for", &a);
	seq = KycAppendEvidence(NULL, PG_GETARG_DATUM(0), EvidenceKind(gate, signal_type), cls, signal);

	values[0] = CStringGetTextDatum(a.tenant_id);
	values[1] = PG_GETARG_DATUM(0);
	values[2] = Int64GetDatum(seq);
	values[3] = CStringGetTextDatum(source);
	values[4] = CStringGetTextDatum(signal_type);
	values[5] = CStringGetTextDatum(gate);
	values[6] = CStringGetTextDatum(owner);
	values[7] = CStringGetTextDatum(result);
	values[8] = CStringGetTextDatum(confidence);
	values[9] = PointerGetDatum(reasons);
	values[10] = CStringGetTextDatum(safe);
	values[11] = PointerGetDatum(refs);
	values[12] = TextOrNull(model_id, &nulls[12]);
	values[13] = TextOrNull(model_version, &nulls[13]);
	values[14] = score != NULL ? NumericGetDatum(score) : (Datum) 0;
	nulls[14] = score != NULL ? ' ' : 'n';
	values[15] = TimestampTzGetDatum(expires);
	nulls[15] = expires_text != NULL ? ' ' : 'n';
	KycSpiExec(&insert_plan, values, nulls, false, 0);
	id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	id = SPI_datumTransfer(id, false, UUID_LEN);
	KycSpiFinish(nest);
	PG_RETURN_DATUM(id);
}
