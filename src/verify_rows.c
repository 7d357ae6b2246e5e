/*-------------------------------------------------------------------------
 *
 * verify_rows.c
 *	  The checks of one evidence row and of one chain, and where their
 *	  findings go.
 *
 * Contents: the payload and its 32-byte salt are both present (the digest
 * is recomputed over the salted canonical payload) or both removed (a
 * redaction, explained when a later retention_action row of the chain names
 * it with the same digest); the hash version is known; the row hash matches
 * the header.  Link, in seq order: seq continues the chain without a gap,
 * prev_hash is the previous row's hash, the tenant is the chain's, and the
 * row at the sealed seq is the sealed head.  At the chain's end: redactions,
 * the sealed head (chain_shorter_than_sealed, head_not_extension) and the
 * rows past it (unsealed).
 *
 * IDENTIFICATION
 *	  src/verify_rows.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "canonical.h"
#include "evidence_store.h"
#include "verify.h"

/* A finding kept with its chain until the chain's tenant is known. */
typedef struct VerifyFinding
{
	int64		seq;
	bool		has_seq;
	const char *finding;		/* static strings */
	const char *severity;
	char	   *expected;
	char	   *actual;
} VerifyFinding;

/* A payload removed, or a retention_action's record of one. */
typedef struct VerifyRedaction
{
	int64		seq;
	uint8		digest[KYC_HASH_LEN];
} VerifyRedaction;

/*
 * VerifierInit
 *		Set up the result set and the call's memory.
 */
void
VerifierInit(Verifier *v, FunctionCallInfo fcinfo, Snapshot snapshot, HTAB *sealed)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	memset(v, 0, sizeof(*v));
	v->store = rsinfo->setResult;
	v->desc = rsinfo->setDesc;
	v->snapshot = snapshot;
	v->sealed = sealed;
	v->cxt = AllocSetContextCreate(CurrentMemoryContext, "kyc verify", ALLOCSET_DEFAULT_SIZES);
	v->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "kyc verify row", ALLOCSET_DEFAULT_SIZES);
	v->last_tenant = -1;
	KycHasherInit(&v->hasher);
	initStringInfo(&v->canonical);
}

/*
 * VerifierFinding
 *		Write one finding to the result, if the caller may see it: a superuser
 *		every finding; anyone else those of its tenant's chains, and the
 *		ledger-wide ones about seals without their values (counts and roots
 *		over every tenant's chains say how many chains other tenants have).
 */
void
VerifierFinding(Verifier *v, const char *tenant, const pg_uuid_t *app, int64 seq, bool has_seq,
				const char *finding, const char *severity, const char *expected, const char *actual)
{
	Datum		values[7];
	bool		nulls[7];

	if (!v->all_tenants)
	{
		if (v->only_tenant == NULL || (tenant != NULL && strcmp(tenant, v->only_tenant) != 0))
			return;
		if (tenant == NULL)
			expected = actual = NULL;
	}
	nulls[0] = tenant == NULL;
	nulls[1] = app == NULL;
	nulls[2] = !has_seq;
	nulls[3] = nulls[4] = false;
	nulls[5] = expected == NULL;
	nulls[6] = actual == NULL;

	values[0] = tenant ? CStringGetTextDatum(tenant) : (Datum) 0;
	values[1] = app ? UUIDPGetDatum((pg_uuid_t *) app) : (Datum) 0;
	values[2] = Int64GetDatum(seq);
	values[3] = CStringGetTextDatum(finding);
	values[4] = CStringGetTextDatum(severity);
	values[5] = expected ? CStringGetTextDatum(expected) : (Datum) 0;
	values[6] = actual ? CStringGetTextDatum(actual) : (Datum) 0;
	tuplestore_putvalues(v->store, v->desc, values, nulls);
}

/* a hash as hex text, and an integer as text, for findings */
char *
VerifyHex(const uint8 *bytes)
{
	KycHash		h;

	memcpy(h.bytes, bytes, KYC_HASH_LEN);
	return KycHashToHex(&h);
}

char *
VerifyInt64Text(int64 value)
{
	return psprintf(INT64_FORMAT, value);
}

void
VerifyChainInit(Verifier *v, VerifyChain *c, const pg_uuid_t *app)
{
	if (app != &c->app)
		memcpy(c->app.data, app->data, UUID_LEN);
	c->tenant = -1;
	c->sealed_row_seen = false;
	c->sealed_row_ok = false;
	c->next_seq = 1;
	memset(c->last_hash, 0, KYC_HASH_LEN);
	c->sealed = v->sealed ? hash_search(v->sealed, app, HASH_FIND, NULL) : NULL;
	c->extra = NULL;
}

VerifyChainExtra *
VerifyChainExtraOf(Verifier *v, VerifyChain *c)
{
	if (c->extra == NULL)
		c->extra = MemoryContextAllocZero(v->cxt, sizeof(VerifyChainExtra));
	return c->extra;
}

/* keep a finding with its chain; the strings are copied into the call's memory */
static void
AddFinding(Verifier *v, VerifyChain *c, int64 seq, const char *finding, const char *severity,
		   const char *expected, const char *actual)
{
	VerifyChainExtra *x = VerifyChainExtraOf(v, c);
	MemoryContext old = MemoryContextSwitchTo(v->cxt);
	VerifyFinding *f = palloc(sizeof(VerifyFinding));

	f->seq = seq;
	f->has_seq = true;
	f->finding = finding;
	f->severity = severity;
	f->expected = expected ? pstrdup(expected) : NULL;
	f->actual = actual ? pstrdup(actual) : NULL;
	x->findings = lappend(x->findings, f);
	MemoryContextSwitchTo(old);
}

static inline bool
TenantIs(Verifier *v, int i, const char *s, int len)
{
	return v->tenant_lens[i] == len && memcmp(v->tenants[i], s, len) == 0;
}

/*
 * VerifyTenant
 *		The interned index of a tenant id: a ledger has a handful of tenants
 *		and consecutive rows usually share one.
 */
int
VerifyTenant(Verifier *v, const text *tenant)
{
	const char *s = VARDATA_ANY(tenant);
	int			len = VARSIZE_ANY_EXHDR(tenant);

	if (v->last_tenant >= 0 && TenantIs(v, v->last_tenant, s, len))
		return v->last_tenant;
	for (int i = 0; i < v->ntenants; i++)
		if (TenantIs(v, i, s, len))
			return v->last_tenant = i;
	if (v->ntenants == v->maxtenants)
	{
		v->maxtenants = Max(8, v->maxtenants * 2);
		v->tenants = v->tenants == NULL
			? MemoryContextAlloc(v->cxt, sizeof(char *) * v->maxtenants)
			: repalloc(v->tenants, sizeof(char *) * v->maxtenants);
		v->tenant_lens = v->tenant_lens == NULL
			? MemoryContextAlloc(v->cxt, sizeof(int) * v->maxtenants)
			: repalloc(v->tenant_lens, sizeof(int) * v->maxtenants);
	}
	v->tenants[v->ntenants] = MemoryContextAlloc(v->cxt, len + 1);
	memcpy(v->tenants[v->ntenants], s, len);
	v->tenants[v->ntenants][len] = '\0';
	v->tenant_lens[v->ntenants] = len;
	return v->last_tenant = v->ntenants++;
}

/*
 * EnumLabel
 *		The label of an enum value, through a small direct-mapped per-call
 *		cache: a ledger has a few dozen kinds and classes, but millions of rows.
 */
static const char *
EnumLabel(Verifier *v, Oid value)
{
	int			slot = value % lengthof(v->label_oids);
	MemoryContext old;

	if (v->label_oids[slot] == value && v->labels[slot] != NULL)
		return v->labels[slot];
	old = MemoryContextSwitchTo(v->cxt);
	v->label_oids[slot] = value;
	v->labels[slot] = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(value)));
	MemoryContextSwitchTo(old);
	return v->labels[slot];
}

/*
 * CollectExplained
 *		Remember the (seq, digest) pairs a retention_action payload names.
 */
static void
CollectExplained(Verifier *v, VerifyChain *c, Jsonb *payload)
{
	VerifyChainExtra *x = VerifyChainExtraOf(v, c);
	JsonbValue	key;
	JsonbValue *list;
	JsonbIterator *it;
	JsonbValue	item;
	JsonbIteratorToken tok;
	MemoryContext old;

	key.type = jbvString;
	key.val.string.val = "redacted";
	key.val.string.len = 8;
	list = findJsonbValueFromContainer(&payload->root, JB_FOBJECT, &key);
	if (list == NULL || list->type != jbvBinary)
		return;

	old = MemoryContextSwitchTo(v->cxt);
	it = JsonbIteratorInit(list->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &item, true)) != WJB_DONE)
	{
		JsonbValue *seq;
		JsonbValue *digest;
		VerifyRedaction *e;

		if (tok != WJB_ELEM || item.type != jbvBinary)
			continue;
		key.val.string.val = "seq";
		key.val.string.len = 3;
		seq = findJsonbValueFromContainer(item.val.binary.data, JB_FOBJECT, &key);
		key.val.string.val = "payload_digest";
		key.val.string.len = 14;
		digest = findJsonbValueFromContainer(item.val.binary.data, JB_FOBJECT, &key);
		if (seq == NULL || seq->type != jbvNumeric || digest == NULL || digest->type != jbvString ||
			digest->val.string.len != KYC_HASH_LEN * 2)
			continue;
		e = palloc(sizeof(VerifyRedaction));
		e->seq = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(seq->val.numeric)));
		if (KycHexToBytes(digest->val.string.val, digest->val.string.len, e->digest))
			x->explained = lappend(x->explained, e);
	}
	MemoryContextSwitchTo(old);
}

/*
 * VerifyContents
 *		The checks that need only the row (deformed into values/nulls), in
 *		rowcxt; tenant is its interned tenant id.
 */
void
VerifyContents(Verifier *v, VerifyChain *c, Datum *values, bool *nulls, int tenant)
{
	int64		seq = DatumGetInt64(values[EV_SEQ - 1]);
	const char *kind = EnumLabel(v, DatumGetObjectId(values[EV_KIND - 1]));
	bool		payload_null = nulls[EV_PAYLOAD - 1];
	bool		salt_null = nulls[EV_PAYLOAD_SALT - 1];
	uint8	   *digest = DatumGetKycHashP(values[EV_PAYLOAD_DIGEST - 1])->bytes;
	uint8	   *row_hash = DatumGetKycHashP(values[EV_ROW_HASH - 1])->bytes;
	KycRowFields f;
	uint8		computed[KYC_HASH_LEN];

	if (payload_null && salt_null)
	{
		VerifyChainExtra *x = VerifyChainExtraOf(v, c);
		MemoryContext old = MemoryContextSwitchTo(v->cxt);
		VerifyRedaction *red = palloc(sizeof(VerifyRedaction));

		red->seq = seq;
		memcpy(red->digest, digest, KYC_HASH_LEN);
		x->redactions = lappend(x->redactions, red);
		MemoryContextSwitchTo(old);
	}
	else if (payload_null || salt_null ||
			 VARSIZE_ANY_EXHDR(DatumGetPointer(values[EV_PAYLOAD_SALT - 1])) != KYC_SALT_LEN)
		AddFinding(v, c, seq, "payload_salt_mismatch", "error",
				   "payload and 32-byte salt both present or both removed",
				   payload_null ? "payload removed, salt present" : "salt missing or malformed");
	else
	{
		uint8		pd[KYC_HASH_LEN];
		Jsonb	   *jb = DatumGetJsonbP(values[EV_PAYLOAD - 1]);

		resetStringInfo(&v->canonical);
		KycCanonicalJsonb(&v->canonical, jb);
		KycPayloadDigest(&v->hasher, (const uint8 *) VARDATA_ANY(DatumGetPointer(values[EV_PAYLOAD_SALT - 1])),
						 &v->canonical, pd);
		if (memcmp(pd, digest, KYC_HASH_LEN) != 0)
			AddFinding(v, c, seq, "payload_digest_mismatch", "error", VerifyHex(pd), VerifyHex(digest));
		if (strcmp(kind, "retention_action") == 0)
			CollectExplained(v, c, jb);
	}

	f.hash_version = DatumGetInt16(values[EV_HASH_VERSION - 1]);
	f.tenant_id = v->tenants[tenant];
	f.application_id = DatumGetUUIDP(values[EV_APPLICATION_ID - 1]);
	f.seq = seq;
	f.prev_hash = DatumGetKycHashP(values[EV_PREV_HASH - 1])->bytes;
	f.kind = kind;
	f.data_class = EnumLabel(v, DatumGetObjectId(values[EV_DATA_CLASS - 1]));
	f.recorded_at = DatumGetTimestampTz(values[EV_RECORDED_AT - 1]);
	f.actor_role = NameStr(*DatumGetName(values[EV_ACTOR_ROLE - 1]));
	f.actor_role_oid = DatumGetObjectId(values[EV_ACTOR_ROLE_OID - 1]);
	f.actor_principal = nulls[EV_ACTOR_PRINCIPAL - 1] ? NULL : TextDatumGetCString(values[EV_ACTOR_PRINCIPAL - 1]);
	f.payload_schema_version = DatumGetInt16(values[EV_PAYLOAD_SCHEMA_VERSION - 1]);
	f.payload_digest = digest;
	if (f.hash_version != KYC_HASH_VERSION)
		AddFinding(v, c, seq, "unknown_hash_version", "error",
				   VerifyInt64Text(KYC_HASH_VERSION), VerifyInt64Text(f.hash_version));
	KycRowHash(&v->hasher, &f, computed);
	if (memcmp(computed, row_hash, KYC_HASH_LEN) != 0)
		AddFinding(v, c, seq, "row_hash_mismatch", "error", VerifyHex(computed), VerifyHex(row_hash));
}

/*
 * VerifyLinkBegin
 *		The row with this seq and prev_hash follows the last linked row.
 */
void
VerifyLinkBegin(Verifier *v, VerifyChain *c, int64 seq, const uint8 *prev_hash)
{
	if (seq != c->next_seq)
		AddFinding(v, c, seq, "seq_gap", "error", VerifyInt64Text(c->next_seq), VerifyInt64Text(seq));
	if (memcmp(prev_hash, c->last_hash, KYC_HASH_LEN) != 0)
		AddFinding(v, c, seq, "prev_hash_mismatch", "error", VerifyHex(c->last_hash), VerifyHex(prev_hash));
}

/*
 * VerifyLinkEnd
 *		Same tenant as the chain, the sealed head; the row is now the last.
 */
void
VerifyLinkEnd(Verifier *v, VerifyChain *c, int64 seq, const uint8 *row_hash, int tenant)
{
	if (c->tenant < 0)
		c->tenant = tenant;
	else if (tenant != c->tenant)
		AddFinding(v, c, seq, "tenant_mismatch", "error", v->tenants[c->tenant], v->tenants[tenant]);
	if (c->sealed != NULL && seq == c->sealed->head_seq)
	{
		c->sealed_row_seen = true;
		c->sealed_row_ok = memcmp(row_hash, c->sealed->head_hash, KYC_HASH_LEN) == 0;
	}
	c->next_seq = seq + 1;
	memcpy(c->last_hash, row_hash, KYC_HASH_LEN);
}

/*
 * VerifyOrderedRow
 *		All checks of one row of a chain read in seq order.
 */
void
VerifyOrderedRow(Verifier *v, VerifyChain *c, Datum *values, bool *nulls)
{
	int64		seq = DatumGetInt64(values[EV_SEQ - 1]);
	int			tenant = VerifyTenant(v, DatumGetTextPP(values[EV_TENANT_ID - 1]));

	VerifyLinkBegin(v, c, seq, DatumGetKycHashP(values[EV_PREV_HASH - 1])->bytes);
	VerifyContents(v, c, values, nulls, tenant);
	VerifyLinkEnd(v, c, seq, DatumGetKycHashP(values[EV_ROW_HASH - 1])->bytes, tenant);
}

/*
 * VerifyChainByIndex
 *		Walk one chain in primary key order, contents and links of each row.
 */
void
VerifyChainByIndex(Verifier *v, VerifyChain *c)
{
	Relation	rel = KycOpenEvidence(AccessShareLock);
	Relation	idx = index_open(RelationGetPrimaryKeyIndex(rel), AccessShareLock);
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(rel, NULL);

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, UUIDPGetDatum(&c->app));
	scan = index_beginscan(rel, idx, v->snapshot, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		Datum	   *values;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		slot_getallattrs(slot);
		values = slot->tts_values;
		old = MemoryContextSwitchTo(v->rowcxt);
		VerifyOrderedRow(v, c, values, slot->tts_isnull);
		MemoryContextSwitchTo(old);
		MemoryContextReset(v->rowcxt);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
}

/*
 * VerifyChainEnd
 *		The findings that need the whole chain, then every finding of the
 *		chain written out under the chain's tenant.
 */
void
VerifyChainEnd(Verifier *v, VerifyChain *c)
{
	VerifyChainExtra *x = c->extra;
	const char *tenant = c->tenant >= 0 ? v->tenants[c->tenant] : NULL;
	ListCell   *lc;

	if (c->tenant < 0)
		return;					/* no row linked: nothing to report */
	if (x != NULL)
	{
		foreach(lc, x->findings)
		{
			VerifyFinding *f = lfirst(lc);

			VerifierFinding(v, tenant, &c->app, f->seq, f->has_seq, f->finding, f->severity, f->expected, f->actual);
		}
		foreach(lc, x->redactions)
		{
			VerifyRedaction *red = lfirst(lc);
			ListCell   *ec;
			bool		explained = false;

			foreach(ec, x->explained)
			{
				VerifyRedaction *e = lfirst(ec);

				if (e->seq == red->seq && memcmp(e->digest, red->digest, KYC_HASH_LEN) == 0)
					explained = true;
			}
			if (explained)
				VerifierFinding(v, tenant, &c->app, red->seq, true, "redacted", "info", NULL, NULL);
			else
				VerifierFinding(v, tenant, &c->app, red->seq, true, "unexplained_redaction", "error",
								"a retention_action row naming this row", "none");
		}
	}

	if (c->sealed == NULL)
		VerifierFinding(v, tenant, &c->app, 1, true, "unsealed", "info",
						"sealed head", psprintf("no seal covers rows 1.." INT64_FORMAT, c->next_seq - 1));
	else
	{
		c->sealed->seen = true;
		if (!c->sealed_row_seen)
			VerifierFinding(v, tenant, &c->app, c->sealed->head_seq, true, "chain_shorter_than_sealed", "error",
							VerifyInt64Text(c->sealed->head_seq), VerifyInt64Text(c->next_seq - 1));
		else if (!c->sealed_row_ok)
			VerifierFinding(v, tenant, &c->app, c->sealed->head_seq, true, "head_not_extension", "error",
							VerifyHex(c->sealed->head_hash), "a different row");
		if (c->next_seq - 1 > c->sealed->head_seq)
			VerifierFinding(v, tenant, &c->app, c->sealed->head_seq + 1, true, "unsealed", "info",
							psprintf("sealed up to " INT64_FORMAT, c->sealed->head_seq),
							psprintf("rows " INT64_FORMAT ".." INT64_FORMAT, c->sealed->head_seq + 1, c->next_seq - 1));
	}
}
