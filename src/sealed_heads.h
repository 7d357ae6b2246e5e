/*-------------------------------------------------------------------------
 *
 * sealed_heads.h
 *	  The chain heads as of a seal, looked up by application id.
 *
 * IDENTIFICATION
 *	  src/sealed_heads.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_SEALED_HEADS_H
#define KYC_SEALED_HEADS_H

#include "utils/hsearch.h"
#include "utils/uuid.h"

#include "hash256.h"

typedef struct KycSealedHead
{
	pg_uuid_t	app;			/* hash key */
	char	   *tenant_id;
	int64		head_seq;
	uint8		head_hash[KYC_HASH_LEN];
	bool		seen;			/* verification: the chain was found */
} KycSealedHead;

extern HTAB *KycLoadSealedHeads(int64 seal_id);

#endif							/* KYC_SEALED_HEADS_H */
