/*-------------------------------------------------------------------------
 *
 * verify_scan.c
 *	  Verification of the whole ledger in one sequential pass over the heap.
 *
 * Reading the ledger in primary key order costs a buffer lookup and a page
 * visit per row, since concurrent appends interleave chains on the heap's
 * pages; verification is the ledger's full-scan path and reads the heap in
 * physical order instead.  Each row's contents are checked when it is read.
 * Rows of a chain arrive almost in seq order (each append goes to its
 * backend's current page), so a row is linked as soon as it is the next of
 * its chain; one that arrives early waits in its chain's small heap of
 * pending rows, and is linked when its predecessor has been.  At the end the
 * rows still pending are linked in seq order: exactly the walk in primary
 * key order, with the same findings.  A chain that holds a seq twice (or
 * below 1), which only tampering can produce (the primary key forbids it),
 * is checked again from scratch: a second scan collects its rows, which are
 * walked sorted by seq and then position, as the primary key index would
 * order them.
 *
 * Memory: one entry of about 100 bytes per chain, plus the rows pending at
 * a time.
 *
 * IDENTIFICATION
 *	  src/verify_scan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "evidence_store.h"
#include "verify.h"

/* The chains met so far, by application id (simplehash: entries may move as it grows). */
typedef struct ChainEntry
{
	VerifyChain chain;
	char		status;
} ChainEntry;

/* application ids are random UUIDs: fold them and mix */
static inline uint32
UuidHash(const pg_uuid_t *u)
{
	uint64		a;
	uint64		b;

	memcpy(&a, u->data, sizeof(a));
	memcpy(&b, u->data + sizeof(a), sizeof(b));
	a ^= b;
	return murmurhash32((uint32) a ^ (uint32) (a >> 32));
}

#define SH_PREFIX chains
#define SH_ELEMENT_TYPE ChainEntry
#define SH_KEY_TYPE pg_uuid_t
#define SH_KEY chain.app
#define SH_HASH_KEY(tb, key) UuidHash(&(key))
#define SH_EQUAL(tb, a, b) (memcmp((a).data, (b).data, UUID_LEN) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* the tuple descriptor RowOrder reads seqs with */
static TupleDesc disordered_desc = NULL;

static inline bool
PendingLess(const VerifyPendingRow *a, const VerifyPendingRow *b)
{
	return a->seq < b->seq;
}

/* add a row to the chain's min-heap of pending rows */
static void
PendingPush(Verifier *v, VerifyChainExtra *x, int64 seq, const uint8 *prev_hash, const uint8 *row_hash, int tenant)
{
	VerifyPendingRow *row = MemoryContextAlloc(v->cxt, sizeof(VerifyPendingRow));
	int			i;

	row->seq = seq;
	row->tenant = tenant;
	memcpy(row->prev_hash, prev_hash, KYC_HASH_LEN);
	memcpy(row->row_hash, row_hash, KYC_HASH_LEN);
	if (x->npending == x->maxpending)
	{
		x->maxpending = Max(8, x->maxpending * 2);
		x->pending = x->pending == NULL
			? MemoryContextAlloc(v->cxt, sizeof(VerifyPendingRow *) * x->maxpending)
			: repalloc(x->pending, sizeof(VerifyPendingRow *) * x->maxpending);
	}
	i = x->npending++;
	while (i > 0 && PendingLess(row, x->pending[(i - 1) / 2]))
	{
		x->pending[i] = x->pending[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	x->pending[i] = row;
}

/* remove and return the pending row with the lowest seq */
static VerifyPendingRow *
PendingPop(VerifyChainExtra *x)
{
	VerifyPendingRow *top = x->pending[0];
	VerifyPendingRow *last = x->pending[--x->npending];
	int			i = 0;

	for (;;)
	{
		int			child = 2 * i + 1;

		if (child >= x->npending)
			break;
		if (child + 1 < x->npending && PendingLess(x->pending[child + 1], x->pending[child]))
			child++;
		if (!PendingLess(x->pending[child], last))
			break;
		x->pending[i] = x->pending[child];
		i = child;
	}
	if (x->npending > 0)
		x->pending[i] = last;
	return top;
}

/* a seq seen twice or below 1: stop linking, check the chain again at the end */
static void
MarkDisordered(Verifier *v, VerifyChain *c)
{
	VerifyChainExtra *x = VerifyChainExtraOf(v, c);

	x->disordered = true;
	x->npending = 0;
}

static void
Link(Verifier *v, VerifyChain *c, int64 seq, const uint8 *prev_hash, const uint8 *row_hash, int tenant)
{
	VerifyLinkBegin(v, c, seq, prev_hash);
	VerifyLinkEnd(v, c, seq, row_hash, tenant);
}

/*
 * LinkPending
 *		Link the pending rows that now follow the chain's last row; with all,
 *		every pending row, in seq order (the end of the scan).
 */
static void
LinkPending(Verifier *v, VerifyChain *c, bool all)
{
	VerifyChainExtra *x = c->extra;

	while (x != NULL && !x->disordered && x->npending > 0 &&
		   (all || x->pending[0]->seq <= c->next_seq))
	{
		VerifyPendingRow *row = PendingPop(x);

		if (row->seq < c->next_seq)
		{
			MarkDisordered(v, c);
			return;
		}
		Link(v, c, row->seq, row->prev_hash, row->row_hash, row->tenant);
		pfree(row);
	}
}

/*
 * Arrive
 *		One row read from the heap: contents now, link now or later.
 */
static void
Arrive(Verifier *v, VerifyChain *c, Datum *values, bool *nulls)
{
	int64		seq = DatumGetInt64(values[EV_SEQ - 1]);
	const uint8 *prev_hash = DatumGetKycHashP(values[EV_PREV_HASH - 1])->bytes;
	const uint8 *row_hash = DatumGetKycHashP(values[EV_ROW_HASH - 1])->bytes;
	int			tenant = VerifyTenant(v, DatumGetTextPP(values[EV_TENANT_ID - 1]));

	if (c->extra != NULL && c->extra->disordered)
		return;
	VerifyContents(v, c, values, nulls, tenant);
	if (seq == c->next_seq)
	{
		Link(v, c, seq, prev_hash, row_hash, tenant);
		LinkPending(v, c, false);
	}
	else if (seq > c->next_seq)
		PendingPush(v, VerifyChainExtraOf(v, c), seq, prev_hash, row_hash, tenant);
	else
		MarkDisordered(v, c);
}

/* rows by seq, then by position in the heap */
static int
RowOrder(const ListCell *a, const ListCell *b)
{
	HeapTuple	ta = lfirst(a);
	HeapTuple	tb = lfirst(b);
	bool		isnull;
	int64		sa = DatumGetInt64(heap_getattr(ta, EV_SEQ, disordered_desc, &isnull));
	int64		sb = DatumGetInt64(heap_getattr(tb, EV_SEQ, disordered_desc, &isnull));

	if (sa != sb)
		return sa < sb ? -1 : 1;
	return ItemPointerCompare(&ta->t_self, &tb->t_self);
}

/*
 * RewalkDisordered
 *		A second scan collects the rows of the disordered chains; each chain is
 *		then checked from scratch, its rows in seq order.
 */
static void
RewalkDisordered(Verifier *v, chains_hash *chains)
{
	Relation	rel = KycOpenEvidence(AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	TableScanDesc scan = table_beginscan(rel, v->snapshot, 0, NULL);
	chains_iterator it;
	ChainEntry *e;
	HeapTuple	tup;
	Datum		values[EV_NATTS];
	bool		nulls[EV_NATTS];

	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		KycDeformEvidence(tup, desc, values, nulls);
		e = chains_lookup(chains, *DatumGetUUIDP(values[EV_APPLICATION_ID - 1]));
		if (e == NULL || e->chain.extra == NULL || !e->chain.extra->disordered)
			continue;
		old = MemoryContextSwitchTo(v->cxt);
		e->chain.extra->rows = lappend(e->chain.extra->rows, heap_copytuple(tup));
		MemoryContextSwitchTo(old);
	}
	table_endscan(scan);

	disordered_desc = desc;
	chains_start_iterate(chains, &it);
	while ((e = chains_iterate(chains, &it)) != NULL)
	{
		VerifyChain *c = &e->chain;
		List	   *rows;
		ListCell   *lc;

		if (c->extra == NULL || !c->extra->disordered)
			continue;
		rows = c->extra->rows;
		list_sort(rows, RowOrder);
		VerifyChainInit(v, c, &c->app);
		foreach(lc, rows)
		{
			MemoryContext old = MemoryContextSwitchTo(v->rowcxt);

			CHECK_FOR_INTERRUPTS();
			KycDeformEvidence(lfirst(lc), desc, values, nulls);
			VerifyOrderedRow(v, c, values, nulls);
			MemoryContextSwitchTo(old);
			MemoryContextReset(v->rowcxt);
		}
	}
	table_close(rel, AccessShareLock);
}

/*
 * PrefetchPage
 *		Ask for every cache line of a heap page at once: its tuples are read
 *		one after the other, and each would otherwise wait for its own lines.
 */
static inline void
PrefetchPage(Page page)
{
	for (int off = 0; off < BLCKSZ; off += 64)
		__builtin_prefetch((char *) page + off);
}

/*
 * VerifyLedgerScan
 *		Every row of kyc.evidence, in one sequential scan under the call's
 *		snapshot, then every chain finished and reported.
 */
void
VerifyLedgerScan(Verifier *v)
{
	Relation	rel = KycOpenEvidence(AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	TableScanDesc scan = table_beginscan(rel, v->snapshot, 0, NULL);
	chains_hash *chains = chains_create(v->cxt, 1024, NULL);
	chains_iterator it;
	ChainEntry *e;
	VerifyChain *c = NULL;
	HeapTuple	tup;
	Datum		values[EV_NATTS];
	bool		nulls[EV_NATTS];
	BlockNumber block = InvalidBlockNumber;
	int			ndisordered = 0;

	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		pg_uuid_t  *app;
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (ItemPointerGetBlockNumber(&tup->t_self) != block)
		{
			block = ItemPointerGetBlockNumber(&tup->t_self);
			PrefetchPage(BufferGetPage(((HeapScanDesc) scan)->rs_cbuf));
		}
		old = MemoryContextSwitchTo(v->rowcxt);
		KycDeformEvidence(tup, desc, values, nulls);
		app = DatumGetUUIDP(values[EV_APPLICATION_ID - 1]);
		/* consecutive rows often belong to one chain; c is valid until the next insert */
		if (c == NULL || memcmp(c->app.data, app->data, UUID_LEN) != 0)
		{
			bool		found;

			e = chains_insert(chains, *app, &found);
			c = &e->chain;
			if (!found)
				VerifyChainInit(v, c, app);
		}
		Arrive(v, c, values, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(v->rowcxt);
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);

	chains_start_iterate(chains, &it);
	while ((e = chains_iterate(chains, &it)) != NULL)
	{
		LinkPending(v, &e->chain, true);
		if (e->chain.extra != NULL && e->chain.extra->disordered)
			ndisordered++;
	}

	if (ndisordered > 0)
		RewalkDisordered(v, chains);

	chains_start_iterate(chains, &it);
	while ((e = chains_iterate(chains, &it)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		VerifyChainEnd(v, &e->chain);
	}
}
