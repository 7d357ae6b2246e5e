/*-------------------------------------------------------------------------
 *
 * evidence_store.c
 *	  The append path's direct access to kyc.evidence: read a chain's head
 *	  through the primary key, insert a row into the heap and its indexes.
 *
 * Appending is the hot path of every API call, so it does not go through
 * SPI: no parse, plan or executor start per row.  What the executor would
 * check is guaranteed here instead: the values are built by ledger.c (never
 * NULL where the table says NOT NULL, seq > 0, the payload an object), the
 * tenant is checked by the caller, and the primary key is enforced by the
 * unique index insert, which is also the last line of defence against a
 * forked chain.  Only this file knows the column order; it refuses to run
 * against a table that does not have it.
 *
 * IDENTIFICATION
 *	  src/evidence_store.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tupmacs.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "evidence_store.h"
#include "kyc_relation.h"

static const char *const column_names[EV_NATTS] = {
	"tenant_id", "application_id", "seq", "kind", "data_class", "payload", "payload_salt",
	"payload_digest", "payload_schema_version", "prev_hash", "row_hash", "hash_version",
	"recorded_at", "actor_role", "actor_role_oid", "actor_principal"
};

/* The storage shape of each column, as KycDeformEvidence reads it. */
typedef struct ColumnShape
{
	int16		len;
	char		align;
	bool		byval;
} ColumnShape;

static const ColumnShape column_shapes[EV_NATTS] = {
	{-1, TYPALIGN_INT, false},	/* tenant_id text */
	{16, TYPALIGN_CHAR, false}, /* application_id uuid */
	{8, TYPALIGN_DOUBLE, true}, /* seq bigint */
	{4, TYPALIGN_INT, true},	/* kind enum */
	{4, TYPALIGN_INT, true},	/* data_class enum */
	{-1, TYPALIGN_INT, false},	/* payload jsonb */
	{-1, TYPALIGN_INT, false},	/* payload_salt bytea */
	{32, TYPALIGN_CHAR, false}, /* payload_digest hash256 */
	{2, TYPALIGN_SHORT, true},	/* payload_schema_version smallint */
	{32, TYPALIGN_CHAR, false}, /* prev_hash hash256 */
	{32, TYPALIGN_CHAR, false}, /* row_hash hash256 */
	{2, TYPALIGN_SHORT, true},	/* hash_version smallint */
	{8, TYPALIGN_DOUBLE, true}, /* recorded_at timestamptz */
	{NAMEDATALEN, TYPALIGN_CHAR, false},	/* actor_role name */
	{4, TYPALIGN_INT, true},	/* actor_role_oid oid */
	{-1, TYPALIGN_INT, false},	/* actor_principal text */
};

/*
 * CheckLayout
 *		The table must have exactly the columns this file writes, in order,
 *		stored as KycDeformEvidence expects.
 */
static void
CheckLayout(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (desc->natts != EV_NATTS)
		elog(ERROR, "kyc.evidence has %d columns, pg_kyc expects %d", desc->natts, EV_NATTS);
	for (int i = 0; i < EV_NATTS; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || strcmp(NameStr(att->attname), column_names[i]) != 0)
			elog(ERROR, "column %d of kyc.evidence is not \"%s\"", i + 1, column_names[i]);
		if (att->attlen != column_shapes[i].len || att->attalign != column_shapes[i].align ||
			att->attbyval != column_shapes[i].byval)
			elog(ERROR, "column \"%s\" of kyc.evidence is not stored as pg_kyc expects", column_names[i]);
	}
}

/*
 * KycDeformEvidence
 *		heap_deform_tuple for kyc.evidence, whose column shapes CheckLayout has
 *		checked: offsets are computed from constants instead of the tuple
 *		descriptor, which makes deforming a row a third of its cost (it is the
 *		inner loop of verification).  A row with fewer attributes than the
 *		table (none is ever written) takes the general path.
 */
void
KycDeformEvidence(HeapTuple tuple, TupleDesc desc, Datum *values, bool *isnull)
{
	HeapTupleHeader tup = tuple->t_data;
	bool		hasnulls = HeapTupleHasNulls(tuple);
	bits8	   *bp = tup->t_bits;
	char	   *tp = (char *) tup + tup->t_hoff;
	uint32		off = 0;

	if (HeapTupleHeaderGetNatts(tup) != EV_NATTS)
	{
		heap_deform_tuple(tuple, desc, values, isnull);
		return;
	}
	/* unrolled, each column's shape becomes a constant */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 16
#endif
	for (int i = 0; i < EV_NATTS; i++)
	{
		const ColumnShape *shape = &column_shapes[i];

		if (hasnulls && att_isnull(i, bp))
		{
			values[i] = (Datum) 0;
			isnull[i] = true;
			continue;
		}
		isnull[i] = false;
		if (shape->len == -1)
		{
			off = att_align_pointer(off, TYPALIGN_INT, -1, tp + off);
			values[i] = PointerGetDatum(tp + off);
			off += VARSIZE_ANY(tp + off);
			continue;
		}
		off = att_align_nominal(off, shape->align);
		if (!shape->byval)
			values[i] = PointerGetDatum(tp + off);
		else if (shape->len == 8)
			values[i] = Int64GetDatum(*(int64 *) (tp + off));
		else if (shape->len == 4)
			values[i] = Int32GetDatum(*(int32 *) (tp + off));
		else
			values[i] = Int16GetDatum(*(int16 *) (tp + off));
		off += shape->len;
	}
}

/*
 * What the append path would otherwise look up at every row: kyc.evidence's
 * OID (two catalog lookups by name) and its indexes' IndexInfo.  Both are
 * forgotten at any relcache invalidation of the table or its indexes (DDL,
 * DROP/CREATE EXTENSION), which is the only way they can change.
 */
#define MAX_CACHED_INDEXES 8

static Oid	evidence_relid = InvalidOid;	/* layout checked */
static int	ncached_indexes = 0;
static Oid	cached_index_oids[MAX_CACHED_INDEXES];
static IndexInfo *cached_index_infos[MAX_CACHED_INDEXES];

static void
ForgetEvidence(Datum arg, Oid relid)
{
	bool		ours = relid == InvalidOid || relid == evidence_relid;

	for (int i = 0; i < ncached_indexes && !ours; i++)
		ours = relid == cached_index_oids[i];
	if (!ours)
		return;
	evidence_relid = InvalidOid;
	ncached_indexes = 0;		/* the IndexInfos stay in CacheMemoryContext: a few hundred bytes per DDL */
}

/*
 * KycEvidenceStoreInit
 *		Register the invalidation of the cached OID and index infos; from _PG_init.
 */
void
KycEvidenceStoreInit(void)
{
	CacheRegisterRelcacheCallback(ForgetEvidence, (Datum) 0);
}

/*
 * KycOpenEvidence
 *		Open kyc.evidence, checking its layout the first time it is seen.
 */
Relation
KycOpenEvidence(LOCKMODE mode)
{
	Relation	rel;

	if (!OidIsValid(evidence_relid))
	{
		Oid			relid = KycRelationId("evidence");

		rel = table_open(relid, mode);
		CheckLayout(rel);
		evidence_relid = relid;
		return rel;
	}
	return table_open(evidence_relid, mode);
}

/* the IndexInfo of one of the table's indexes, built once */
static IndexInfo *
EvidenceIndexInfo(Relation idx)
{
	Oid			oid = RelationGetRelid(idx);
	IndexInfo  *info;
	MemoryContext old;

	for (int i = 0; i < ncached_indexes; i++)
		if (cached_index_oids[i] == oid)
			return cached_index_infos[i];
	old = MemoryContextSwitchTo(CacheMemoryContext);
	info = BuildIndexInfo(idx);
	MemoryContextSwitchTo(old);
	if (info->ii_Expressions != NIL || info->ii_Predicate != NIL)
		elog(ERROR, "index \"%s\" on kyc.evidence has expressions or a predicate, which pg_kyc does not support",
			 RelationGetRelationName(idx));
	if (ncached_indexes < MAX_CACHED_INDEXES)
	{
		cached_index_oids[ncached_indexes] = oid;
		cached_index_infos[ncached_indexes++] = info;
	}
	return info;
}

/*
 * KycReadChainHead
 *		The highest-seq row of a chain, read through the primary key with a
 *		snapshot taken now (after the caller took the chain lock), so that a
 *		row committed by the previous lock holder is seen.
 */
void
KycReadChainHead(Relation rel, Datum app_id, KycChainHead *head)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	Relation	idx;
	ScanKeyData key;
	Snapshot	snap;
	IndexScanDesc scan;
	TupleTableSlot *slot;

	if (!OidIsValid(pk))
		elog(ERROR, "kyc.evidence has no primary key");
	idx = index_open(pk, AccessShareLock);
	snap = RegisterSnapshot(GetLatestSnapshot());
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, app_id);
	scan = index_beginscan(rel, idx, snap, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	slot = table_slot_create(rel, NULL);

	head->found = index_getnext_slot(scan, BackwardScanDirection, slot);
	if (head->found)
	{
		slot_getallattrs(slot);
		head->seq = DatumGetInt64(slot->tts_values[EV_SEQ - 1]);
		memcpy(head->row_hash, DatumGetKycHashP(slot->tts_values[EV_ROW_HASH - 1])->bytes, KYC_HASH_LEN);
		head->tenant_id = TextDatumGetCString(slot->tts_values[EV_TENANT_ID - 1]);
	}

	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	UnregisterSnapshot(snap);
	index_close(idx, AccessShareLock);
}

/*
 * KycInsertEvidence
 *		Insert one row into the heap and every index (unique ones checked),
 *		then make it visible to the rest of this command: the next append of
 *		the same statement must find it as the chain's head.
 */
void
KycInsertEvidence(Relation rel, Datum *values, bool *nulls)
{
	HeapTuple	tup = heap_form_tuple(RelationGetDescr(rel), values, nulls);
	List	   *indexes;
	ListCell   *lc;

	simple_heap_insert(rel, tup);

	indexes = RelationGetIndexList(rel);
	foreach(lc, indexes)
	{
		Relation	idx = index_open(lfirst_oid(lc), RowExclusiveLock);
		IndexInfo  *info = EvidenceIndexInfo(idx);
		Datum		ivalues[INDEX_MAX_KEYS];
		bool		inulls[INDEX_MAX_KEYS];

		for (int i = 0; i < info->ii_NumIndexAttrs; i++)
		{
			AttrNumber	att = info->ii_IndexAttrNumbers[i];

			ivalues[i] = values[att - 1];
			inulls[i] = nulls[att - 1];
		}
		index_insert(idx, ivalues, inulls, &tup->t_self, rel,
					 idx->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO,
					 false, info);
		index_close(idx, RowExclusiveLock);
	}
	list_free(indexes);
	heap_freetuple(tup);
	CommandCounterIncrement();
}
