/*-------------------------------------------------------------------------
 *
 * sealed_heads.c
 *	  Loading the chain heads as of a seal: for every chain, its row of
 *	  kyc.sealed_head with the highest seal_id not above the given seal.
 *
 * kyc.sealed_head holds only the heads that changed at each seal, so a seal's
 * full leaf set is the latest entry per chain up to that seal.
 *
 * IDENTIFICATION
 *	  src/sealed_heads.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "sealed_heads.h"
#include "spi_safe.h"

static KycPlan sealed_plan = {
	"SELECT DISTINCT ON (application_id) application_id, tenant_id, head_seq, head_hash::bytea"
	" FROM kyc.sealed_head WHERE seal_id <= $1 ORDER BY application_id, seal_id DESC",
	1, {INT8OID}
};

/*
 * KycLoadSealedHeads
 *		A hash table (in the current memory context) of the heads as of seal_id;
 *		empty for seal 0.  Runs inside the caller's SPI connection and snapshot.
 */
HTAB *
KycLoadSealedHeads(int64 seal_id)
{
	HASHCTL		ctl;
	HTAB	   *heads;
	Datum		args[1] = {Int64GetDatum(seal_id)};
	bool		isnull;

	ctl.keysize = sizeof(pg_uuid_t);
	ctl.entrysize = sizeof(KycSealedHead);
	ctl.hcxt = CurrentMemoryContext;
	heads = hash_create("kyc sealed heads", 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	KycSpiExec(&sealed_plan, args, NULL, true, 0);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		pg_uuid_t  *app = DatumGetUUIDP(SPI_getbinval(tup, desc, 1, &isnull));
		KycSealedHead *e = hash_search(heads, app, HASH_ENTER, NULL);
		bytea	   *h = DatumGetByteaPP(SPI_getbinval(tup, desc, 4, &isnull));

		e->tenant_id = MemoryContextStrdup(ctl.hcxt, TextDatumGetCString(SPI_getbinval(tup, desc, 2, &isnull)));
		e->head_seq = DatumGetInt64(SPI_getbinval(tup, desc, 3, &isnull));
		memcpy(e->head_hash, VARDATA_ANY(h), KYC_HASH_LEN);
		e->seen = false;
	}
	return heads;
}
