/*-------------------------------------------------------------------------
 *
 * catalog_cache.h
 *	  The gate and state catalogs, read once per backend with invalidation.
 *
 * IDENTIFICATION
 *	  src/catalog_cache.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_CATALOG_CACHE_H
#define KYC_CATALOG_CACHE_H

#include "datatype/timestamp.h"
#include "utils/jsonb.h"

/* one row of kyc.gate_definition, as decisions read it */
typedef struct KycGateFacts
{
	char	   *gate;
	bool		critical;
	bool		business_only;
	char	   *pending_state;	/* NULL: the gate holds nothing up */
	int			review_rank;	/* which review decides a hold; -1 when none */
	bool		has_rank;
	char	   *review_queue;	/* the owner's queue, or NULL */
	Interval   *review_sla;
	Interval   *confirm_sla;
	char	   *review_reason;
	bool		auto_decline;
} KycGateFacts;

extern void KycCatalogCacheInit(void);
extern const KycGateFacts *KycGateCatalog(int *n);
extern Jsonb *KycGateCatalogJsonb(void);
extern bool KycStateHasPhase(const char *state, const char *phase);

#endif							/* KYC_CATALOG_CACHE_H */
