/*-------------------------------------------------------------------------
 *
 * verify.c
 *	  Verification of the evidence ledger: every chain, every row, every seal,
 *	  in one snapshot, returning every finding rather than the first.
 *
 * For each row: seq continues the chain without a gap, prev_hash is the
 * previous row's hash, the payload digest matches the salted canonical
 * payload, the row hash matches the header.  A payload removed by retention
 * is reported as redacted when a later retention_action row of the chain
 * names it with the same digest, and as unexplained_redaction otherwise.
 * Against the last seal: every sealed chain still holds its sealed head row
 * (else chain_shorter_than_sealed, head_not_extension, chain_missing), rows
 * past it are reported unsealed.  The digest chain is checked link by link,
 * and the last seal's Merkle root is recomputed from the sealed heads.
 *
 * IDENTIFICATION
 *	  src/verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "utils/fmgroids.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"

#include "canonical.h"
#include "evidence_store.h"
#include "hash256.h"
#include "hashing.h"
#include "sealed_heads.h"
#include "spi_safe.h"





static KycPlan last_seal_plan = {
	"SELECT max(seal_id) FROM kyc.ledger_digest",
	0, {InvalidOid}
};

static KycPlan digests_plan = {
	"SELECT seal_id, hash_version, sealed_at, tree_size, merkle_root, prev_digest_hash,"
	"       system_identifier, database_oid, database_name, incarnation, digest_hash,"
	"       (SELECT system_identifier FROM pg_catalog.pg_control_system()) AS current_system"
	" FROM kyc.ledger_digest ORDER BY seal_id",
	0, {InvalidOid}
};

static KycPlan leaves_plan = {
	"SELECT s.tenant_id, s.application_id, s.head_seq, s.head_hash"
	" FROM (SELECT DISTINCT ON (application_id) tenant_id, application_id, head_seq, head_hash"
	"       FROM kyc.sealed_head WHERE seal_id <= $1 ORDER BY application_id, seal_id DESC) s"
	" ORDER BY s.tenant_id COLLATE \"C\", s.application_id",
	1, {INT8OID}
};

/* Where findings go. */
typedef struct Report
{
	Tuplestorestate *store;
	TupleDesc	desc;
} Report;

/* One redacted row waiting for its retention_action. */
typedef struct Redaction
{
	int64		seq;
	uint8		digest[KYC_HASH_LEN];
	bool		explained;
} Redaction;

/* The state of the chain being walked. */
typedef struct Chain
{
	bool		active;
	pg_uuid_t	app;
	char	   *tenant_id;
	int64		next_seq;
	uint8		last_hash[KYC_HASH_LEN];
	KycSealedHead *sealed;		/* NULL when never sealed */
	bool		sealed_row_ok;	/* the row at the sealed seq matched */
	bool		sealed_row_seen;
	List	   *redactions;		/* of Redaction */
	List	   *explained;		/* of Redaction, from retention_action rows */
	MemoryContext cxt;			/* reset at each new chain */
	MemoryContext labelcxt;		/* the enum label cache, for the whole call */
	Oid			label_oids[64];
	const char *labels[64];
	int			nlabels;
} Chain;

static void
Finding(Report *r, const char *tenant, const pg_uuid_t *app, int64 seq, bool has_seq,
		const char *finding, const char *severity, const char *expected, const char *actual)
{
	Datum		v[7];
	bool		n[7] = {tenant == NULL, app == NULL, !has_seq, false, false, expected == NULL, actual == NULL};

	v[0] = tenant ? CStringGetTextDatum(tenant) : (Datum) 0;
	v[1] = app ? UUIDPGetDatum((pg_uuid_t *) app) : (Datum) 0;
	v[2] = Int64GetDatum(seq);
	v[3] = CStringGetTextDatum(finding);
	v[4] = CStringGetTextDatum(severity);
	v[5] = expected ? CStringGetTextDatum(expected) : (Datum) 0;
	v[6] = actual ? CStringGetTextDatum(actual) : (Datum) 0;
	tuplestore_putvalues(r->store, r->desc, v, n);
}

static char *
Hex(const uint8 *bytes)
{
	KycHash		h;

	memcpy(h.bytes, bytes, KYC_HASH_LEN);
	return KycHashToHex(&h);
}

static char *
Int64Text(int64 v)
{
	return psprintf(INT64_FORMAT, v);
}

/*
 * CollectExplained
 *		Remember the (seq, digest) pairs a retention_action payload names.
 */
static void
CollectExplained(Chain *c, Jsonb *payload)
{
	JsonbValue	key;
	JsonbValue *list;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	MemoryContext old;

	key.type = jbvString;
	key.val.string.val = "redacted";
	key.val.string.len = 8;
	list = findJsonbValueFromContainer(&payload->root, JB_FOBJECT, &key);
	if (list == NULL || list->type != jbvBinary)
		return;

	old = MemoryContextSwitchTo(c->cxt);
	it = JsonbIteratorInit(list->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		JsonbValue *seq;
		JsonbValue *digest;
		Redaction  *e;

		if (tok != WJB_ELEM || v.type != jbvBinary)
			continue;
		key.val.string.val = "seq";
		key.val.string.len = 3;
		seq = findJsonbValueFromContainer(v.val.binary.data, JB_FOBJECT, &key);
		key.val.string.val = "payload_digest";
		key.val.string.len = 14;
		digest = findJsonbValueFromContainer(v.val.binary.data, JB_FOBJECT, &key);
		if (seq == NULL || seq->type != jbvNumeric || digest == NULL || digest->type != jbvString ||
			digest->val.string.len != KYC_HASH_LEN * 2)
			continue;
		e = palloc(sizeof(Redaction));
		e->seq = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(seq->val.numeric)));
		if (KycHexToBytes(digest->val.string.val, digest->val.string.len, e->digest))
			c->explained = lappend(c->explained, e);
	}
	MemoryContextSwitchTo(old);
}

/*
 * EndChain
 *		Findings that need the whole chain: redactions, the sealed head.
 */
static void
EndChain(Report *r, Chain *c)
{
	ListCell   *lc;

	if (!c->active)
		return;
	foreach(lc, c->redactions)
	{
		Redaction  *red = lfirst(lc);
		ListCell   *ec;
		bool		explained = false;

		foreach(ec, c->explained)
		{
			Redaction  *e = lfirst(ec);

			if (e->seq == red->seq && memcmp(e->digest, red->digest, KYC_HASH_LEN) == 0)
				explained = true;
		}
		if (explained)
			Finding(r, c->tenant_id, &c->app, red->seq, true, "redacted", "info", NULL, NULL);
		else
			Finding(r, c->tenant_id, &c->app, red->seq, true, "unexplained_redaction", "error",
					"a retention_action row naming this row", "none");
	}

	if (c->sealed == NULL)
		Finding(r, c->tenant_id, &c->app, 1, true, "unsealed", "info",
				"sealed head", psprintf("no seal covers rows 1.." INT64_FORMAT, c->next_seq - 1));
	else
	{
		c->sealed->seen = true;
		if (!c->sealed_row_seen)
			Finding(r, c->tenant_id, &c->app, c->sealed->head_seq, true, "chain_shorter_than_sealed", "error",
					Int64Text(c->sealed->head_seq), Int64Text(c->next_seq - 1));
		else if (!c->sealed_row_ok)
			Finding(r, c->tenant_id, &c->app, c->sealed->head_seq, true, "head_not_extension", "error",
					Hex(c->sealed->head_hash), "a different row");
		if (c->next_seq - 1 > c->sealed->head_seq)
			Finding(r, c->tenant_id, &c->app, c->sealed->head_seq + 1, true, "unsealed", "info",
					psprintf("sealed up to " INT64_FORMAT, c->sealed->head_seq),
					psprintf("rows " INT64_FORMAT ".." INT64_FORMAT, c->sealed->head_seq + 1, c->next_seq - 1));
	}
	MemoryContextReset(c->cxt);
	c->redactions = NIL;
	c->explained = NIL;
	c->active = false;
}

/*
 * EnumLabel
 *		The label of an enum value, through a small per-call cache: a ledger has
 *		a few dozen distinct kinds and classes, but millions of rows.
 */
static const char *
EnumLabel(Chain *c, Oid value)
{
	for (int i = 0; i < c->nlabels; i++)
		if (c->label_oids[i] == value)
			return c->labels[i];
	if (c->nlabels < (int) lengthof(c->label_oids))
	{
		MemoryContext old = MemoryContextSwitchTo(c->labelcxt);

		c->label_oids[c->nlabels] = value;
		c->labels[c->nlabels] = DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(value)));
		MemoryContextSwitchTo(old);
		return c->labels[c->nlabels++];
	}
	return DatumGetCString(DirectFunctionCall1(enum_out, ObjectIdGetDatum(value)));
}

/*
 * CheckRow
 *		All per-row checks of one evidence row (deformed into values/nulls).
 */
static void
CheckRow(Report *r, Chain *c, HTAB *sealed, KycHasher *hasher, StringInfo canonical,
		 Datum *values, bool *nulls)
{
	pg_uuid_t  *app = DatumGetUUIDP(values[EV_APPLICATION_ID - 1]);
	int64		seq = DatumGetInt64(values[EV_SEQ - 1]);
	const char *kind = EnumLabel(c, DatumGetObjectId(values[EV_KIND - 1]));
	bool		payload_null = nulls[EV_PAYLOAD - 1];
	bool		salt_null = nulls[EV_PAYLOAD_SALT - 1];
	uint8	   *digest = DatumGetKycHashP(values[EV_PAYLOAD_DIGEST - 1])->bytes;
	uint8	   *prev = DatumGetKycHashP(values[EV_PREV_HASH - 1])->bytes;
	uint8	   *row_hash = DatumGetKycHashP(values[EV_ROW_HASH - 1])->bytes;
	char	   *tenant = TextDatumGetCString(values[EV_TENANT_ID - 1]);
	KycRowFields f;
	uint8		computed[KYC_HASH_LEN];
	MemoryContext old;

	if (!c->active || memcmp(app->data, c->app.data, UUID_LEN) != 0)
	{
		EndChain(r, c);
		c->active = true;
		memcpy(c->app.data, app->data, UUID_LEN);
		c->tenant_id = MemoryContextStrdup(c->cxt, tenant);
		c->next_seq = 1;
		memset(c->last_hash, 0, KYC_HASH_LEN);
		c->sealed = sealed ? hash_search(sealed, app, HASH_FIND, NULL) : NULL;
		c->sealed_row_ok = false;
		c->sealed_row_seen = false;
	}

	if (seq != c->next_seq)
		Finding(r, c->tenant_id, &c->app, seq, true, "seq_gap", "error", Int64Text(c->next_seq), Int64Text(seq));
	if (memcmp(prev, c->last_hash, KYC_HASH_LEN) != 0)
		Finding(r, c->tenant_id, &c->app, seq, true, "prev_hash_mismatch", "error", Hex(c->last_hash), Hex(prev));

	if (payload_null && salt_null)
	{
		Redaction  *red = MemoryContextAlloc(c->cxt, sizeof(Redaction));

		red->seq = seq;
		memcpy(red->digest, digest, KYC_HASH_LEN);
		old = MemoryContextSwitchTo(c->cxt);
		c->redactions = lappend(c->redactions, red);
		MemoryContextSwitchTo(old);
	}
	else if (payload_null || salt_null ||
			 VARSIZE_ANY_EXHDR(DatumGetByteaPP(values[EV_PAYLOAD_SALT - 1])) != KYC_SALT_LEN)
		Finding(r, c->tenant_id, &c->app, seq, true, "payload_salt_mismatch", "error",
				"payload and 32-byte salt both present or both removed",
				payload_null ? "payload removed, salt present" : "salt missing or malformed");
	else
	{
		uint8		pd[KYC_HASH_LEN];
		Jsonb	   *jb = DatumGetJsonbP(values[EV_PAYLOAD - 1]);

		resetStringInfo(canonical);
		KycCanonicalJsonb(canonical, jb);
		KycPayloadDigest(hasher, (const uint8 *) VARDATA_ANY(DatumGetByteaPP(values[EV_PAYLOAD_SALT - 1])),
						 canonical, pd);
		if (memcmp(pd, digest, KYC_HASH_LEN) != 0)
			Finding(r, c->tenant_id, &c->app, seq, true, "payload_digest_mismatch", "error", Hex(pd), Hex(digest));
		if (strcmp(kind, "retention_action") == 0)
			CollectExplained(c, jb);
	}

	f.hash_version = DatumGetInt16(values[EV_HASH_VERSION - 1]);
	f.tenant_id = tenant;
	f.application_id = app;
	f.seq = seq;
	f.prev_hash = prev;
	f.kind = kind;
	f.data_class = EnumLabel(c, DatumGetObjectId(values[EV_DATA_CLASS - 1]));
	f.recorded_at = DatumGetTimestampTz(values[EV_RECORDED_AT - 1]);
	f.actor_role = NameStr(*DatumGetName(values[EV_ACTOR_ROLE - 1]));
	f.actor_role_oid = DatumGetObjectId(values[EV_ACTOR_ROLE_OID - 1]);
	f.actor_principal = nulls[EV_ACTOR_PRINCIPAL - 1] ? NULL : TextDatumGetCString(values[EV_ACTOR_PRINCIPAL - 1]);
	f.payload_schema_version = DatumGetInt16(values[EV_PAYLOAD_SCHEMA_VERSION - 1]);
	f.payload_digest = digest;
	if (f.hash_version != KYC_HASH_VERSION)
		Finding(r, c->tenant_id, &c->app, seq, true, "unknown_hash_version", "error",
				Int64Text(KYC_HASH_VERSION), Int64Text(f.hash_version));
	KycRowHash(hasher, &f, computed);
	if (memcmp(computed, row_hash, KYC_HASH_LEN) != 0)
		Finding(r, c->tenant_id, &c->app, seq, true, "row_hash_mismatch", "error", Hex(computed), Hex(row_hash));
	if (strcmp(f.tenant_id, c->tenant_id) != 0)
		Finding(r, c->tenant_id, &c->app, seq, true, "tenant_mismatch", "error", c->tenant_id, f.tenant_id);

	if (c->sealed != NULL && seq == c->sealed->head_seq)
	{
		c->sealed_row_seen = true;
		c->sealed_row_ok = memcmp(row_hash, c->sealed->head_hash, KYC_HASH_LEN) == 0;
	}
	c->next_seq = seq + 1;
	memcpy(c->last_hash, row_hash, KYC_HASH_LEN);
}

/*
 * CheckDigests
 *		The chain of seals, link by link, and the last seal's Merkle root and
 *		leaf count recomputed from kyc.sealed_head.
 */
static void
CheckDigests(Report *r, KycHasher *hasher)
{
	uint8		prev[KYC_HASH_LEN] = {0};
	int64		expected_id = 1;
	int64		last_id = 0;
	int64		last_tree_size = 0;
	uint8		last_root[KYC_HASH_LEN];
	bool		isnull;
	uint64		n = KycSpiExec(&digests_plan, NULL, NULL, true, 0);
	SPITupleTable *t = SPI_tuptable;

	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = t->vals[i];
		KycSealFields f;
		uint8		computed[KYC_HASH_LEN];
		uint8	   *stored;

		f.hash_version = DatumGetInt16(SPI_getbinval(tup, t->tupdesc, 2, &isnull));
		f.seal_id = DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 1, &isnull));
		f.sealed_at = DatumGetTimestampTz(SPI_getbinval(tup, t->tupdesc, 3, &isnull));
		f.tree_size = DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 4, &isnull));
		f.merkle_root = DatumGetKycHashP(SPI_getbinval(tup, t->tupdesc, 5, &isnull))->bytes;
		f.prev_digest_hash = DatumGetKycHashP(SPI_getbinval(tup, t->tupdesc, 6, &isnull))->bytes;
		f.system_identifier = (uint64) DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 7, &isnull));
		f.database_oid = DatumGetObjectId(SPI_getbinval(tup, t->tupdesc, 8, &isnull));
		f.database_name = TextDatumGetCString(SPI_getbinval(tup, t->tupdesc, 9, &isnull));
		f.incarnation = DatumGetUUIDP(SPI_getbinval(tup, t->tupdesc, 10, &isnull));
		stored = DatumGetKycHashP(SPI_getbinval(tup, t->tupdesc, 11, &isnull))->bytes;

		if (f.seal_id != expected_id)
			Finding(r, NULL, NULL, f.seal_id, true, "digest_chain_break", "error",
					psprintf("seal " INT64_FORMAT, expected_id), psprintf("seal " INT64_FORMAT, f.seal_id));
		if (memcmp(f.prev_digest_hash, prev, KYC_HASH_LEN) != 0)
			Finding(r, NULL, NULL, f.seal_id, true, "digest_chain_break", "error", Hex(prev), Hex(f.prev_digest_hash));
		KycSealDigest(hasher, &f, computed);
		if (memcmp(computed, stored, KYC_HASH_LEN) != 0)
			Finding(r, NULL, NULL, f.seal_id, true, "digest_hash_mismatch", "error", Hex(computed), Hex(stored));
		if (i == n - 1 &&
			f.system_identifier != (uint64) DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 12, &isnull)))
			Finding(r, NULL, NULL, f.seal_id, true, "identity_changed", "info",
					psprintf(UINT64_FORMAT, f.system_identifier),
					psprintf(UINT64_FORMAT, (uint64) DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 12, &isnull))));
		memcpy(prev, stored, KYC_HASH_LEN);
		expected_id = f.seal_id + 1;
		last_id = f.seal_id;
		last_tree_size = f.tree_size;
		memcpy(last_root, f.merkle_root, KYC_HASH_LEN);
	}

	if (last_id > 0)
	{
		Datum		args[1] = {Int64GetDatum(last_id)};
		uint64		nleaves = KycSpiExec(&leaves_plan, args, NULL, true, 0);
		uint8	   *leaves = palloc(Max(nleaves, 1) * KYC_HASH_LEN);
		uint8		root[KYC_HASH_LEN];

		for (uint64 i = 0; i < nleaves; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;

			KycLeafHash(hasher, TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull)),
						DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)),
						DatumGetInt64(SPI_getbinval(tup, desc, 3, &isnull)),
						DatumGetKycHashP(SPI_getbinval(tup, desc, 4, &isnull))->bytes,
						leaves + i * KYC_HASH_LEN);
		}
		KycMerkleRoot(hasher, leaves, (int64) nleaves, root);
		if ((int64) nleaves != last_tree_size)
			Finding(r, NULL, NULL, last_id, true, "seal_leaf_count_mismatch", "error",
					Int64Text(last_tree_size), Int64Text((int64) nleaves));
		if (memcmp(root, last_root, KYC_HASH_LEN) != 0)
			Finding(r, NULL, NULL, last_id, true, "merkle_root_mismatch", "error", Hex(last_root), Hex(root));
	}
}

/*
 * ScanRows
 *		Every row (of one chain, or all) in primary key order, straight from the
 *		heap through the index: verification must see every row whatever the
 *		caller's row-level security, and is the ledger's full-scan path.
 */
static void
ScanRows(Report *r, Chain *c, HTAB *sealed, KycHasher *hasher, Snapshot snap,
		 Datum app, bool one_chain, MemoryContext rowcxt)
{
	Relation	rel = KycOpenEvidence(AccessShareLock);
	Relation	idx = index_open(RelationGetPrimaryKeyIndex(rel), AccessShareLock);
	ScanKeyData key;
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	StringInfoData canonical;

	initStringInfo(&canonical);
	if (one_chain)
		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, app);
	scan = index_beginscan(rel, idx, snap, one_chain ? 1 : 0, 0);
	index_rescan(scan, one_chain ? &key : NULL, one_chain ? 1 : 0, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		slot_getallattrs(slot);
		old = MemoryContextSwitchTo(rowcxt);
		CheckRow(r, c, sealed, hasher, &canonical, slot->tts_values, slot->tts_isnull);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	index_close(idx, AccessShareLock);
	table_close(rel, AccessShareLock);
}

/*
 * Verify
 *		Walk the rows (of one chain, or all), then the seals, in one snapshot.
 */
static void
Verify(FunctionCallInfo fcinfo, bool one_chain)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Report		r;
	Chain		c;
	KycHasher	hasher;
	Snapshot	snap;
	HTAB	   *sealed = NULL;
	Datum		args[1] = {(Datum) 0};
	MemoryContext rowcxt;
	int64		last_seal = 0;
	bool		isnull;
	int			nest;

	InitMaterializedSRF(fcinfo, 0);
	r.store = rsinfo->setResult;
	r.desc = rsinfo->setDesc;
	memset(&c, 0, sizeof(c));
	c.cxt = AllocSetContextCreate(CurrentMemoryContext, "kyc verify chain", ALLOCSET_DEFAULT_SIZES);
	c.labelcxt = CurrentMemoryContext;
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "kyc verify row", ALLOCSET_DEFAULT_SIZES);

	nest = KycSpiConnect();
	snap = RegisterSnapshot(GetLatestSnapshot());
	PushActiveSnapshot(snap);
	KycHasherInit(&hasher);

	KycSpiExec(&last_seal_plan, NULL, NULL, true, 1);
	{
		Datum		v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			last_seal = DatumGetInt64(v);
	}
	if (last_seal > 0)
		sealed = KycLoadSealedHeads(last_seal);

	if (one_chain)
		args[0] = PG_GETARG_DATUM(0);
	ScanRows(&r, &c, sealed, &hasher, snap, one_chain ? args[0] : (Datum) 0, one_chain, rowcxt);
	EndChain(&r, &c);

	if (sealed != NULL)
	{
		HASH_SEQ_STATUS status;
		KycSealedHead *s;

		hash_seq_init(&status, sealed);
		while ((s = hash_seq_search(&status)) != NULL)
		{
			if (s->seen || (one_chain && memcmp(s->app.data, DatumGetUUIDP(args[0])->data, UUID_LEN) != 0))
				continue;
			Finding(&r, s->tenant_id, &s->app, s->head_seq, true, "chain_missing", "error",
					psprintf("rows 1.." INT64_FORMAT, s->head_seq), "no rows");
		}
	}
	if (!one_chain)
		CheckDigests(&r, &hasher);

	KycHasherFree(&hasher);
	PopActiveSnapshot();
	UnregisterSnapshot(snap);
	KycSpiFinish(nest);
}

/*
 * kyc_verify_chain
 *		SQL: kyc.verify_chain(app uuid) -> SETOF findings of one chain.
 */
PG_FUNCTION_INFO_V1(kyc_verify_chain);
Datum
kyc_verify_chain(PG_FUNCTION_ARGS)
{
	Verify(fcinfo, true);
	return (Datum) 0;
}

/*
 * kyc_verify_ledger
 *		SQL: kyc.verify_ledger() -> SETOF findings of every chain and seal.
 */
PG_FUNCTION_INFO_V1(kyc_verify_ledger);
Datum
kyc_verify_ledger(PG_FUNCTION_ARGS)
{
	Verify(fcinfo, false);
	return (Datum) 0;
}
