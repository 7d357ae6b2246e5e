/*-------------------------------------------------------------------------
 *
 * kyc_relation.h
 *	  Finding the extension's tables and their columns by name, for the C
 *	  paths that read or write them without SPI.
 *
 * IDENTIFICATION
 *	  src/kyc_relation.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_RELATION_H
#define KYC_RELATION_H

#include "utils/relcache.h"

extern Oid	KycRelationId(const char *name);
extern AttrNumber KycColumnNumber(Relation rel, const char *column);
extern bool KycLiveEvidenceSchema(void);

#endif							/* KYC_RELATION_H */
