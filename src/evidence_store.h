/*-------------------------------------------------------------------------
 *
 * evidence_store.h
 *	  Direct access to the kyc.evidence heap and its indexes for the append
 *	  path: the chain head lookup and the insert.
 *
 * IDENTIFICATION
 *	  src/evidence_store.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_EVIDENCE_STORE_H
#define KYC_EVIDENCE_STORE_H

#include "access/htup.h"
#include "utils/rel.h"

#include "hash256.h"

/* Attribute numbers of kyc.evidence, in table order. */
typedef enum EvidenceColumn
{
	EV_TENANT_ID = 1,
	EV_APPLICATION_ID,
	EV_SEQ,
	EV_KIND,
	EV_DATA_CLASS,
	EV_PAYLOAD,
	EV_PAYLOAD_SALT,
	EV_PAYLOAD_DIGEST,
	EV_PAYLOAD_SCHEMA_VERSION,
	EV_PREV_HASH,
	EV_ROW_HASH,
	EV_HASH_VERSION,
	EV_RECORDED_AT,
	EV_ACTOR_ROLE,
	EV_ACTOR_ROLE_OID,
	EV_ACTOR_PRINCIPAL,
	EV_NATTS = EV_ACTOR_PRINCIPAL
} EvidenceColumn;

/* The last row of a chain. */
typedef struct KycChainHead
{
	bool		found;
	int64		seq;
	uint8		row_hash[KYC_HASH_LEN];
	char	   *tenant_id;
} KycChainHead;

extern void KycEvidenceStoreInit(void);
extern Relation KycOpenEvidence(LOCKMODE mode);
extern void KycReadChainHead(Relation rel, Datum app_id, KycChainHead *head);
extern void KycInsertEvidence(Relation rel, Datum *values, bool *nulls);
extern void KycDeformEvidence(HeapTuple tuple, TupleDesc desc, Datum *values, bool *isnull);

#endif							/* KYC_EVIDENCE_STORE_H */
