/*-------------------------------------------------------------------------
 *
 * pg_kyc.c
 *	  Module entry point: PG_MODULE_MAGIC and _PG_init.
 *
 * IDENTIFICATION
 *	  src/pg_kyc.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"

#include "application_lock.h"
#include "catalog_cache.h"
#include "data_class.h"
#include "evidence_store.h"
#include "guc.h"
#include "head_cache.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/*
 * _PG_init
 *		Define settings; one Init per module.
 */
void
_PG_init(void)
{
	KycGucInit();
	KycHeadCacheInit();
	KycEvidenceStoreInit();
	KycApplicationLockInit();
	KycCatalogCacheInit();
	KycDataClassInit();
}
