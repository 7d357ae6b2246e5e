/*-------------------------------------------------------------------------
 *
 * ledger.c
 *	  Appending to the evidence ledger, keeping it append-only, and the one
 *	  sanctioned change: redaction of a payload by the retention path.
 *
 * Each application is its own hash chain.  An append takes the chain's lock
 * (a transaction-level lock on a lock tag derived from the application id:
 * no heap write, no global lock, chains append in parallel), reads the head
 * with a fresh snapshot, and inserts row head+1 whose row hash covers the
 * previous row hash.  The primary key (application_id, seq) makes a fork
 * impossible even if the lock were bypassed: a second row with the same seq
 * cannot commit.
 *
 * UPDATE, DELETE and TRUNCATE on kyc.evidence are refused by triggers for
 * every role.  Only kyc_redact_evidence may null a payload and its salt; it
 * raises a backend-local flag that no SQL, setting or other session can
 * touch, and lowers it again on the way out, error or not.
 *
 * IDENTIFICATION
 *	  src/ledger.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "caller.h"
#include "data_class.h"
#include "canonical.h"
#include "guc.h"
#include "hashing.h"
#include "head_cache.h"
#include "jsonbuild.h"
#include "kyc_errors.h"
#include "ledger.h"
#include "evidence_store.h"
#include "spi_safe.h"

/* locktag_field4 values of pg_kyc's lock tags (user advisory locks use 1 and 2) */
#define KYC_LOCKTAG_CHAIN 0x4B59

/* true only while kyc_redact_evidence runs its UPDATE */
static bool redaction_in_progress = false;

static KycPlan redact_app_plan = {
	"SELECT a.tenant_id, a.state::text,"
	"       EXISTS (SELECT 1 FROM kyc.legal_hold h WHERE h.application_id = a.id AND h.released_at IS NULL)"
	" FROM kyc.application a WHERE a.id = $1 AND a.tenant_id = $2",
	2, {UUIDOID, TEXTOID}
};

static KycPlan redact_targets_plan = {
	"SELECT s.seq, e.kind::text FROM pg_catalog.unnest($2::int8[]) AS s (seq)"
	" LEFT JOIN kyc.evidence e ON e.application_id = $1 AND e.seq = s.seq ORDER BY s.seq",
	2, {UUIDOID, INT8ARRAYOID}
};

/* the first row asked for that no retention rule makes due as of $3 (no rule, or within its period) */
static KycPlan redact_due_plan = {
	"SELECT e.seq, e.data_class::text, r.keep_for::text"
	" FROM pg_catalog.unnest($2::int8[]) AS s (seq)"
	" JOIN kyc.evidence e ON e.application_id = $1 AND e.seq = s.seq"
	" JOIN kyc.application a ON a.id = e.application_id"
	" LEFT JOIN kyc.retention_rule r ON r.tenant_id = a.tenant_id AND r.data_class = e.data_class"
	" WHERE e.payload IS NOT NULL AND (r.keep_for IS NULL OR a.state_changed_at + r.keep_for > $3)"
	" ORDER BY e.seq LIMIT 1",
	3, {UUIDOID, INT8ARRAYOID, TIMESTAMPTZOID}
};

static KycPlan redact_plan = {
	"WITH r AS (UPDATE kyc.evidence SET payload = NULL, payload_salt = NULL"
	"           WHERE application_id = $1 AND seq = ANY ($2) AND payload IS NOT NULL"
	"           RETURNING seq, payload_digest)"
	" SELECT seq, payload_digest::text FROM r ORDER BY seq",
	2, {UUIDOID, INT8ARRAYOID}
};

/*
 * KycLockChain
 *		Take the chain lock of one application until the end of the transaction.
 */
void
KycLockChain(Datum app_id)
{
	pg_uuid_t  *u = DatumGetUUIDP(app_id);
	uint32		k1,
				k2;
	LOCKTAG		tag;

	memcpy(&k1, u->data, sizeof(k1));
	memcpy(&k2, u->data + sizeof(k1), sizeof(k2));
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, k1, k2, KYC_LOCKTAG_CHAIN);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * The enum values of the labels the append path writes, remembered: a
 * lookup by label at every append cost more than hashing the row.
 * Forgotten when any enum changes (ALTER TYPE ... RENAME VALUE could give a
 * label another value).
 */
#define ENUM_CACHE 64

typedef struct EnumEntry
{
	Oid			typid;
	char		label[NAMEDATALEN];
	Datum		value;
} EnumEntry;

static EnumEntry enum_cache[ENUM_CACHE];
static int	nenum_cache = 0;
static bool enum_callback_registered = false;

static void
ForgetEnums(Datum arg, int cacheid, uint32 hashvalue)
{
	nenum_cache = 0;
}

/*
 * EnumDatum
 *		The value of an enum label for column att of kyc.evidence.
 */
static Datum
EnumDatum(Relation rel, EvidenceColumn att, const char *label)
{
	Oid			typid = TupleDescAttr(RelationGetDescr(rel), att - 1)->atttypid;
	Datum		value;

	for (int i = 0; i < nenum_cache; i++)
		if (enum_cache[i].typid == typid && strcmp(enum_cache[i].label, label) == 0)
			return enum_cache[i].value;
	value = DirectFunctionCall2(enum_in, CStringGetDatum(label), ObjectIdGetDatum(typid));
	if (!enum_callback_registered)
	{
		CacheRegisterSyscacheCallback(ENUMOID, ForgetEnums, (Datum) 0);
		enum_callback_registered = true;
	}
	if (nenum_cache < ENUM_CACHE && strlen(label) < NAMEDATALEN)
	{
		enum_cache[nenum_cache].typid = typid;
		strlcpy(enum_cache[nenum_cache].label, label, NAMEDATALEN);
		enum_cache[nenum_cache++].value = value;
	}
	return value;
}

/*
 * NextSalt
 *		32 fresh random bytes.  OpenSSL's generator costs a system call at
 *		every request (its fork check), so salts are drawn 64 at a time and
 *		each one wiped from the pool as it is handed out; a pool is never used
 *		by another process than the one that filled it.
 */
static void
NextSalt(uint8 *salt)
{
	static uint8 pool[KYC_SALT_LEN * 64];
	static int	left = 0;
	static int	owner = 0;

	if (left == 0 || owner != MyProcPid)
	{
		if (!pg_strong_random(pool, sizeof(pool)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not generate a random salt")));
		left = lengthof(pool) / KYC_SALT_LEN;
		owner = MyProcPid;
	}
	left--;
	memcpy(salt, pool + left * KYC_SALT_LEN, KYC_SALT_LEN);
	explicit_bzero(pool + left * KYC_SALT_LEN, KYC_SALT_LEN);
}

/*
 * KycAppendEvidence
 *		Append one row to the application's chain and return its seq.  With a
 *		tenant_id, the caller vouches for it (the triggers); with NULL the chain
 *		must already exist in the session's tenant.  payload must be an object.
 */
int64
KycAppendEvidence(const char *tenant_id, Datum app_id, const char *kind,
				  const char *data_class, Jsonb *payload)
{
	KycHasher	hasher;
	KycRowFields f;
	KycChainHead head;
	StringInfoData canonical;
	Relation	rel;
	uint8		salt[KYC_SALT_LEN];
	uint8		prev[KYC_HASH_LEN] = {0};
	uint8		digest[KYC_HASH_LEN];
	uint8		row_hash[KYC_HASH_LEN];
	Datum		values[EV_NATTS];
	bool		nulls[EV_NATTS] = {false};
	const char *principal = KycActorPrincipal();
	char	   *role = KycCallerName();

	if (!JB_ROOT_IS_OBJECT(payload) || JB_ROOT_IS_SCALAR(payload))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("evidence payload must be a JSON object")));

	KycLockChain(app_id);
	rel = KycOpenEvidence(RowExclusiveLock);
	if (!KycHeadCacheGet(app_id, &head))
		KycReadChainHead(rel, app_id, &head);
	if (tenant_id == NULL)
	{
		const char *session_tenant = KycRequireTenant();

		if (!head.found || strcmp(head.tenant_id, session_tenant) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_KYC_APPLICATION_NOT_FOUND),
					 errmsg("application \"%s\" does not exist",
							DatumGetCString(DirectFunctionCall1(uuid_out, app_id))),
					 errhint("Check the application id and the setting kyc.tenant.")));
		tenant_id = head.tenant_id;
	}
	if (head.found)
		memcpy(prev, head.row_hash, KYC_HASH_LEN);

	NextSalt(salt);
	initStringInfo(&canonical);
	KycCanonicalJsonb(&canonical, payload);

	KycHasherInit(&hasher);
	KycPayloadDigest(&hasher, salt, &canonical, digest);
	f.hash_version = KYC_HASH_VERSION;
	f.tenant_id = tenant_id;
	f.application_id = DatumGetUUIDP(app_id);
	f.seq = head.found ? head.seq + 1 : 1;
	f.prev_hash = prev;
	f.kind = kind;
	f.data_class = data_class;
	f.recorded_at = GetCurrentTimestamp();
	f.actor_role = role;
	f.actor_role_oid = KycCallerId();
	f.actor_principal = principal;
	f.payload_schema_version = KYC_PAYLOAD_SCHEMA_VERSION;
	f.payload_digest = digest;
	KycRowHash(&hasher, &f, row_hash);
	KycHasherFree(&hasher);

	values[EV_TENANT_ID - 1] = CStringGetTextDatum(tenant_id);
	values[EV_APPLICATION_ID - 1] = app_id;
	values[EV_SEQ - 1] = Int64GetDatum(f.seq);
	values[EV_KIND - 1] = EnumDatum(rel, EV_KIND, kind);
	values[EV_DATA_CLASS - 1] = EnumDatum(rel, EV_DATA_CLASS, data_class);
	values[EV_PAYLOAD - 1] = JsonbPGetDatum(payload);
	values[EV_PAYLOAD_SALT - 1] = PointerGetDatum(KycBytesToBytea(salt, KYC_SALT_LEN));
	values[EV_PAYLOAD_DIGEST - 1] = KycHashPGetDatum(KycHashCopy(digest));
	values[EV_PAYLOAD_SCHEMA_VERSION - 1] = Int16GetDatum(KYC_PAYLOAD_SCHEMA_VERSION);
	values[EV_PREV_HASH - 1] = KycHashPGetDatum(KycHashCopy(prev));
	values[EV_ROW_HASH - 1] = KycHashPGetDatum(KycHashCopy(row_hash));
	values[EV_HASH_VERSION - 1] = Int16GetDatum(KYC_HASH_VERSION);
	values[EV_RECORDED_AT - 1] = TimestampTzGetDatum(f.recorded_at);
	values[EV_ACTOR_ROLE - 1] = DirectFunctionCall1(namein, CStringGetDatum(role));
	values[EV_ACTOR_ROLE_OID - 1] = ObjectIdGetDatum(f.actor_role_oid);
	values[EV_ACTOR_PRINCIPAL - 1] = principal ? CStringGetTextDatum(principal) : (Datum) 0;
	nulls[EV_ACTOR_PRINCIPAL - 1] = (principal == NULL);

	KycInsertEvidence(rel, values, nulls);
	KycHeadCachePut(app_id, tenant_id, f.seq, row_hash);
	table_close(rel, NoLock);	/* keep the lock until the end of the transaction */
	return f.seq;
}

/*
 * kyc_append_evidence
 *		SQL: kyc.append_evidence(app, kind, data_class, payload) -> seq.
 *		Internal: granted to nobody; the API's definer functions call it.  The
 *		chain must exist in the session's tenant (every application's chain
 *		starts with its snapshot, written when it is opened).
 */
PG_FUNCTION_INFO_V1(kyc_append_evidence);
Datum
kyc_append_evidence(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("application, kind, data class and payload of evidence must not be null")));
	(void) KycRequireTenant();

	PG_RETURN_INT64(KycAppendEvidence(NULL, PG_GETARG_DATUM(0),
									  DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(1))),
									  DatumGetCString(DirectFunctionCall1(enum_out, PG_GETARG_DATUM(2))),
									  PG_GETARG_JSONB_P(3)));
}

/*
 * CheckRedactionOnly
 *		In redaction, only payload and payload_salt may change, and only to NULL.
 */
static void
CheckRedactionOnly(Relation rel, HeapTuple oldt, HeapTuple newt)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const char *name = NameStr(att->attname);
		bool		oldnull,
					newnull;
		Datum		oldv,
					newv;

		if (att->attisdropped)
			continue;
		oldv = heap_getattr(oldt, i + 1, desc, &oldnull);
		newv = heap_getattr(newt, i + 1, desc, &newnull);
		if (strcmp(name, "payload") == 0 || strcmp(name, "payload_salt") == 0)
		{
			if (!newnull)
				elog(ERROR, "redaction may only set \"%s\" to NULL", name);
			continue;
		}
		if (oldnull != newnull ||
			(!oldnull && !datum_image_eq(oldv, newv, att->attbyval, att->attlen)))
			elog(ERROR, "redaction may not change column \"%s\"", name);
	}
}

/*
 * kyc_evidence_guard
 *		BEFORE UPDATE OR DELETE (row) and BEFORE TRUNCATE (statement) trigger on
 *		the append-only tables (kyc.evidence, kyc.signal), for every role.
 */
PG_FUNCTION_INFO_V1(kyc_evidence_guard);
Datum
kyc_evidence_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager", "kyc_evidence_guard")));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_BEFORE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired BEFORE", "kyc_evidence_guard")));

	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event) && TRIGGER_FIRED_FOR_ROW(td->tg_event) &&
		redaction_in_progress)
	{
		CheckRedactionOnly(td->tg_relation, td->tg_trigtuple, td->tg_newtuple);
		return PointerGetDatum(td->tg_newtuple);
	}

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("table \"%s\" is append-only", RelationGetRelationName(td->tg_relation)),
			 errdetail("%s is refused for every role.",
					   TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? "UPDATE" :
					   TRIGGER_FIRED_BY_DELETE(td->tg_event) ? "DELETE" : "TRUNCATE"),
			 errhint("Evidence payloads past their retention are removed only by kyc.redact_evidence().")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

/*
 * RedactionPayload
 *		The retention_action payload naming what was redacted, why and on what
 *		legal basis, with the digests that still stand for the removed payloads.
 */
static Jsonb *
RedactionPayload(const char *reason, const char *legal_basis, StringInfo redacted)
{
	KycJson		j;

	KycJsonBegin(&j);
	KycJsonString(&j, "action", "redact");
	KycJsonString(&j, "reason", reason);
	KycJsonString(&j, "legal_basis", legal_basis);
	KycJsonRaw(&j, "redacted", redacted->data);
	return KycJsonEnd(&j);
}

static char *
RequiredText(FunctionCallInfo fcinfo, int arg, const char *field)
{
	char	   *s = PG_ARGISNULL(arg) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(arg));

	if (s == NULL || s[strspn(s, " \t\n")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"%s\" must not be empty", field)));
	return s;
}

/*
 * CheckRedactable
 *		Retention applies to concluded applications not under legal hold, and
 *		never to the retention records themselves; and only where a retention
 *		rule of the tenant covers the row's data class and its period has run
 *		out as of as_of.  No rule, no redaction.
 */
static char *
CheckRedactable(Datum app, Datum seqs, const char *tenant, Datum as_of)
{
	Datum		args[2] = {app, CStringGetTextDatum(tenant)};
	bool		isnull;
	char	   *state;
	char	   *app_tenant;

	if (KycSpiExec(&redact_app_plan, args, NULL, true, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_APPLICATION_NOT_FOUND),
				 errmsg("application \"%s\" does not exist",
						DatumGetCString(DirectFunctionCall1(uuid_out, app))),
				 errhint("Check the application id and the setting kyc.tenant.")));
	app_tenant = KycSpiGetText(0, 1);
	state = KycSpiGetText(0, 2);
	if (strcmp(state, "declined") != 0 && strcmp(state, "abandoned") != 0 && strcmp(state, "closed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot redact evidence of an application in state \"%s\"", KycShownState(state)),
				 errdetail("Retention applies to declined, abandoned and closed applications.")));
	if (DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot redact evidence of an application under legal hold"),
				 errhint("Release the hold in kyc.legal_hold first, if the hold has ended.")));

	args[1] = seqs;
	KycSpiExec(&redact_targets_plan, args, NULL, true, 0);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *seq = KycSpiGetText((int) i, 1);
		char	   *kind = KycSpiGetText((int) i, 2);

		if (kind == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("evidence row %s of the application does not exist", seq)));
		if (strcmp(kind, "retention_action") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("evidence row %s is a retention record and cannot be redacted", seq)));
	}

	{
		Datum		due_args[3] = {app, seqs, as_of};

		if (KycSpiExec(&redact_due_plan, due_args, NULL, true, 1) > 0)
		{
			char	   *seq = KycSpiGetText(0, 1);
			char	   *data_class = KycSpiGetText(0, 2);
			char	   *keep_for = KycSpiGetText(0, 3);

			if (keep_for == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("no retention rule of the tenant covers evidence row %s", seq),
						 errdetail("The row is of data class \"%s\"; without a rule its payload is kept.", data_class),
						 errhint("A compliance administrator sets one with kyc.set_retention().")));
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("evidence row %s is still within its retention period", seq),
					 errdetail("Data class \"%s\" is kept %s after the application concluded.",
							   data_class, keep_for)));
		}
	}
	return app_tenant;
}

/*
 * RedactEvidence
 *		Null the payload and salt of the given rows (already redacted rows are
 *		skipped), if retention makes them due as of as_of, and append one
 *		retention_action row listing them.
 */
static Datum
RedactEvidence(FunctionCallInfo fcinfo, Datum as_of)
{
	static const char *const roles[] = {"kyc_admin", "kyc_jobs"};
	const char *tenant = KycRequireTenant();
	Datum		app;
	Datum		seqs;
	char	   *reason;
	char	   *legal_basis;
	char	   *app_tenant;
	StringInfoData redacted;
	Datum		args[2];
	int			nest;
	uint64		n;

	KycAssertCaller("redact evidence", roles, lengthof(roles));
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fields \"app\" and \"seqs\" must not be null")));
	app = PG_GETARG_DATUM(0);
	seqs = PG_GETARG_DATUM(1);
	reason = RequiredText(fcinfo, 2, "reason");
	legal_basis = RequiredText(fcinfo, 3, "legal_basis");

	KycLockChain(app);
	/* the list outlives SPI_finish: allocated (and grown) in the caller's context */
	initStringInfo(&redacted);
	nest = KycSpiConnect();
	app_tenant = CheckRedactable(app, seqs, tenant, as_of);

	args[0] = app;
	args[1] = seqs;
	redaction_in_progress = true;
	PG_TRY();
	{
		KycSpiExec(&redact_plan, args, NULL, false, 0);
	}
	PG_FINALLY();
	{
		redaction_in_progress = false;
	}
	PG_END_TRY();

	n = SPI_processed;
	appendStringInfoChar(&redacted, '[');
	for (uint64 i = 0; i < n; i++)
		appendStringInfo(&redacted, "%s{\"seq\":%s,\"payload_digest\":\"%s\"}",
						 i > 0 ? "," : "", KycSpiGetText((int) i, 1), KycSpiGetText((int) i, 2));
	appendStringInfoChar(&redacted, ']');
	KycSpiFinish(nest);

	if (n > 0)
		KycAppendEvidence(app_tenant, app, "retention_action", "internal",
						  RedactionPayload(reason, legal_basis, &redacted));
	PG_RETURN_INT32((int32) n);
}

/*
 * kyc_redact_evidence
 *		SQL: kyc.redact_evidence(app, seqs, reason, legal_basis) -> rows redacted,
 *		as of the transaction's start.
 */
PG_FUNCTION_INFO_V1(kyc_redact_evidence);
Datum
kyc_redact_evidence(PG_FUNCTION_ARGS)
{
	return RedactEvidence(fcinfo, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
}

/*
 * kyc_redact_evidence_as_of
 *		SQL: kyc.redact_evidence_as_of(app, seqs, reason, legal_basis, as_of):
 *		the retention job's redaction, as of its own now.  Internal.
 */
PG_FUNCTION_INFO_V1(kyc_redact_evidence_as_of);
Datum
kyc_redact_evidence_as_of(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("field \"as_of\" must not be null")));
	return RedactEvidence(fcinfo, PG_GETARG_DATUM(4));
}
