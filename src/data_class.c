/*-------------------------------------------------------------------------
 *
 * data_class.c
 *	  Which data classes the calling role may read (docs/security.md), and
 *	  which class a gate's rows are.
 *
 * Row-level security calls kyc.readable_classes() once per query as an
 * initPlan, so its cost is paid by every read of evidence, decisions,
 * signals, gates and review tasks.  In SQL it cost about 0.3 ms a query
 * (two thirds of reading one application's evidence); here it is a few
 * role-membership lookups, which PostgreSQL caches.
 *
 * IDENTIFICATION
 *	  src/data_class.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "caller.h"
#include "data_class.h"
#include "kyc_relation.h"
#include "spi_safe.h"

/* A data class and the roles whose members may read it; NULL-terminated. */
typedef struct ClassReaders
{
	const char *label;
	bool		everyone;
	const char *roles[7];
} ClassReaders;

/* In kyc.data_class's order, so that the result is sorted like enum_range. */
static const ClassReaders class_readers[] = {
	{"customer_safe", true, {NULL}},
	{"internal", false, {"kyc_app", "kyc_reviewer", "kyc_fraud", "kyc_aml", "kyc_auditor", "kyc_admin", NULL}},
	{"pii", false, {"kyc_app", "kyc_reviewer", "kyc_fraud", "kyc_aml", "kyc_auditor", NULL}},
	{"fraud_sensitive", false, {"kyc_fraud", "kyc_aml", "kyc_auditor", NULL}},
	{"sar_restricted", false, {"kyc_aml", NULL}},
};

/*
 * MayRead
 *		Whether the role has the privileges of a role that reads the class,
 *		or is a superuser (who reads everything).
 */
static bool
MayRead(Oid role, const ClassReaders *class)
{
	if (class->everyone || superuser_arg(role))
		return true;
	for (const char *const *r = class->roles; *r != NULL; r++)
	{
		Oid			reader = get_role_oid(*r, true);

		if (OidIsValid(reader) && has_privs_of_role(role, reader))
			return true;
	}
	return false;
}

/*
 * kyc_readable_classes
 *		SQL: kyc.readable_classes() -> kyc.data_class[], the classes the
 *		calling role (the outer user, seen through SECURITY DEFINER) may read.
 */
PG_FUNCTION_INFO_V1(kyc_readable_classes);
Datum
kyc_readable_classes(PG_FUNCTION_ARGS)
{
	Oid			enum_type = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	Oid			caller = KycCallerId();
	Datum		labels[lengthof(class_readers)];
	int			n = 0;

	if (!OidIsValid(enum_type))
		elog(ERROR, "kyc.readable_classes() must be declared to return an array");
	for (int i = 0; i < (int) lengthof(class_readers); i++)
		if (MayRead(caller, &class_readers[i]))
			labels[n++] = DirectFunctionCall2(enum_in, CStringGetDatum(class_readers[i].label),
											  ObjectIdGetDatum(enum_type));
	PG_RETURN_ARRAYTYPE_P(construct_array(labels, n, enum_type, sizeof(Oid), true, TYPALIGN_INT));
}

/*
 * KycGateClass
 *		The data class of what a gate's rows reveal, as kyc.gate_class() says:
 *		an AML gate's are SAR-restricted, a fraud gate's fraud-sensitive,
 *		proofing and CIP carry personal data.
 */
const char *
KycGateClass(const char *gate)
{
	if (strcmp(gate, "aml") == 0)
		return "sar_restricted";
	if (strcmp(gate, "fraud") == 0)
		return "fraud_sensitive";
	if (strcmp(gate, "identity_proofing") == 0 || strcmp(gate, "cip") == 0)
		return "pii";
	return "internal";
}

/*
 * KycDataClassRank
 *		Position of a data class in kyc.data_class's order (more sensitive is
 *		higher), for max() over classes.
 */
int
KycDataClassRank(const char *label)
{
	for (int i = 0; i < (int) lengthof(class_readers); i++)
		if (strcmp(label, class_readers[i].label) == 0)
			return i;
	elog(ERROR, "unrecognized data class \"%s\"", label);
	return -1;					/* keep compiler quiet */
}

/*
 * KycCallerMayRead
 *		Whether the calling role (seen through SECURITY DEFINER) may read a
 *		data class.  Messages and results the API returns ask this before
 *		naming a restricted fact.
 */
bool
KycCallerMayRead(const char *label)
{
	return MayRead(KycCallerId(), &class_readers[KycDataClassRank(label)]);
}

/*
 * KycMaxClass
 *		The more sensitive of two classes; a NULL is no class.
 */
const char *
KycMaxClass(const char *a, const char *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	return KycDataClassRank(b) > KycDataClassRank(a) ? b : a;
}

/*
 * KycStateClass
 *		The class of what a state says of an application: being in AML review
 *		is itself an AML fact (docs/security.md); every other state is internal.
 */
const char *
KycStateClass(const char *state)
{
	if (state != NULL && strcmp(state, "aml_review_pending") == 0)
		return "sar_restricted";
	return "internal";
}

/*
 * KycShownState
 *		A state as an error may name it to the caller: the neutral
 *		"review_pending" for one it may not read (docs/security.md).
 */
const char *
KycShownState(const char *state)
{
	return KycCallerMayRead(KycStateClass(state)) ? state : KYC_NEUTRAL_STATE;
}

/* ---- the class of each reason code, cached per backend -------------------- */

/*
 * kyc.reason_code is read once per backend into a hash table of code ->
 * class rank.  A statement that changes the catalog fires
 * kyc_reason_code_changed, which queues a relcache invalidation of the table:
 * every backend (this one at the next command) then forgets its copy.
 */
typedef struct ReasonClassEntry
{
	char		code[NAMEDATALEN];
	int			rank;
} ReasonClassEntry;

static HTAB *reason_classes = NULL;
static Oid	reason_code_relid = InvalidOid;
static uint64 reason_invalidations = 0;	/* a load that saw one start over */

static KycPlan reason_classes_plan = {
	"SELECT r.code, r.data_class::text FROM kyc.reason_code r",
	0, {InvalidOid}
};

static void
ForgetReasonClasses(Datum arg, Oid relid)
{
	if (relid != InvalidOid && relid != reason_code_relid)
		return;
	reason_invalidations++;
	if (reason_classes != NULL)
	{
		hash_destroy(reason_classes);
		reason_classes = NULL;
	}
}

/*
 * KycDataClassInit
 *		Register the invalidation of the reason-class cache; from _PG_init.
 */
void
KycDataClassInit(void)
{
	CacheRegisterRelcacheCallback(ForgetReasonClasses, (Datum) 0);
}

static void
LoadReasonClasses(void)
{
	HASHCTL		ctl;
	HTAB	   *h;
	int			n;
	int			nest;
	uint64		invalidations;

	reason_code_relid = KycRelationId("reason_code");
again:
	/* an invalidation processed while the catalog is read (at a lock) may be for a newer one */
	invalidations = reason_invalidations;
	ctl.keysize = NAMEDATALEN;
	ctl.entrysize = sizeof(ReasonClassEntry);
	ctl.hcxt = CacheMemoryContext;
	h = hash_create("pg_kyc reason classes", 64, &ctl, HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	nest = KycSpiConnect();
	n = KycSpiExec(&reason_classes_plan, NULL, NULL, true, 0);
	for (int i = 0; i < n; i++)
	{
		char	   *code = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char	   *cls = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		ReasonClassEntry *e;

		if (strlen(code) >= NAMEDATALEN)
			continue;			/* looked up one by one (never in the shipped catalog) */
		e = hash_search(h, code, HASH_ENTER, NULL);
		e->rank = KycDataClassRank(cls);
	}
	KycSpiFinish(nest);
	if (invalidations != reason_invalidations)
	{
		hash_destroy(h);
		goto again;
	}
	reason_classes = h;
}

static KycPlan reason_class_plan = {
	"SELECT r.data_class::text FROM kyc.reason_code r WHERE r.code = $1",
	1, {TEXTOID}
};

/*
 * KycReasonClass
 *		The class kyc.reason_code gives a code, or NULL when the code is not in
 *		the catalog.
 */
const char *
KycReasonClass(const char *code)
{
	ReasonClassEntry *e;

	if (code == NULL)
		return NULL;
	if (strlen(code) >= NAMEDATALEN)
	{
		Datum		arg = CStringGetTextDatum(code);
		char	   *cls = NULL;
		int			nest = KycSpiConnect();

		if (KycSpiExec(&reason_class_plan, &arg, NULL, true, 1) > 0)
			cls = KycSpiGetText(0, 1);
		KycSpiFinish(nest);
		return cls == NULL ? NULL : class_readers[KycDataClassRank(cls)].label;
	}
	if (reason_classes == NULL)
		LoadReasonClasses();
	e = hash_search(reason_classes, code, HASH_FIND, NULL);
	return e == NULL ? NULL : class_readers[e->rank].label;
}

/*
 * kyc_reason_class
 *		SQL: kyc.reason_class(code text) -> kyc.data_class, NULL for a code
 *		not in the catalog.  Row-level security and the views that substitute
 *		neutral values call it per row, hence the cache.
 */
PG_FUNCTION_INFO_V1(kyc_reason_class);
Datum
kyc_reason_class(PG_FUNCTION_ARGS)
{
	const char *cls;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	cls = KycReasonClass(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	if (cls == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(enum_in, CStringGetDatum(cls),
										ObjectIdGetDatum(get_fn_expr_rettype(fcinfo->flinfo))));
}

/*
 * kyc_reason_code_changed
 *		AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT trigger
 *		on kyc.reason_code: every backend forgets its cached classes.
 */
PG_FUNCTION_INFO_V1(kyc_reason_code_changed);
Datum
kyc_reason_code_changed(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager", "kyc_reason_code_changed")));
	CacheInvalidateRelcache(td->tg_relation);
	return PointerGetDatum(NULL);
}
