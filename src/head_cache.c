/*-------------------------------------------------------------------------
 *
 * head_cache.c
 *	  The heads of the chains this transaction has appended to.
 *
 * Once a transaction holds a chain's lock (it keeps it until it ends), no
 * other transaction can append to that chain, so the head it wrote last is
 * still the head: the next append of the same transaction (an evaluation
 * writes several rows) skips the index lookup.  The cache lives in
 * TopTransactionContext and is forgotten at the end of the transaction and,
 * conservatively, whenever a subtransaction aborts (its rows are gone).
 *
 * IDENTIFICATION
 *	  src/head_cache.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/uuid.h"

#include "head_cache.h"

typedef struct CachedHead
{
	pg_uuid_t	app;			/* hash key */
	int64		seq;
	uint8		row_hash[KYC_HASH_LEN];
	char	   *tenant_id;
} CachedHead;

/* NULL when nothing is cached; allocated in TopTransactionContext */
static HTAB *heads = NULL;

static void
Forget(void)
{
	heads = NULL;				/* its memory goes with TopTransactionContext */
}

static void
ForgetAtXactEnd(XactEvent event, void *arg)
{
	Forget();
}

static void
ForgetAtSubXactAbort(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		if (heads != NULL)
			hash_destroy(heads);
		Forget();
	}
}

/*
 * KycHeadCacheInit
 *		Register the callbacks that forget the cache; called once from _PG_init.
 */
void
KycHeadCacheInit(void)
{
	RegisterXactCallback(ForgetAtXactEnd, NULL);
	RegisterSubXactCallback(ForgetAtSubXactAbort, NULL);
}

bool
KycHeadCacheGet(Datum app_id, KycChainHead *head)
{
	CachedHead *e;

	if (heads == NULL)
		return false;
	e = hash_search(heads, DatumGetUUIDP(app_id), HASH_FIND, NULL);
	if (e == NULL)
		return false;
	head->found = true;
	head->seq = e->seq;
	memcpy(head->row_hash, e->row_hash, KYC_HASH_LEN);
	head->tenant_id = e->tenant_id;
	return true;
}

/*
 * KycHeadCachePut
 *		Remember the head just written; the caller holds the chain's lock.
 */
void
KycHeadCachePut(Datum app_id, const char *tenant_id, int64 seq, const uint8 *row_hash)
{
	CachedHead *e;
	bool		found;

	if (heads == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(pg_uuid_t);
		ctl.entrysize = sizeof(CachedHead);
		ctl.hcxt = TopTransactionContext;
		heads = hash_create("kyc chain heads", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	e = hash_search(heads, DatumGetUUIDP(app_id), HASH_ENTER, &found);
	if (!found || strcmp(e->tenant_id, tenant_id) != 0)
		e->tenant_id = MemoryContextStrdup(TopTransactionContext, tenant_id);
	e->seq = seq;
	memcpy(e->row_hash, row_hash, KYC_HASH_LEN);
}
