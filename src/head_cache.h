/*-------------------------------------------------------------------------
 *
 * head_cache.h
 *	  The chain heads this transaction appended to, kept in backend memory.
 *
 * IDENTIFICATION
 *	  src/head_cache.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_HEAD_CACHE_H
#define KYC_HEAD_CACHE_H

#include "evidence_store.h"

extern void KycHeadCacheInit(void);
extern bool KycHeadCacheGet(Datum app_id, KycChainHead *head);
extern void KycHeadCachePut(Datum app_id, const char *tenant_id, int64 seq, const uint8 *row_hash);

#endif							/* KYC_HEAD_CACHE_H */
