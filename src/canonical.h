/*-------------------------------------------------------------------------
 *
 * canonical.h
 *	  pg_kyc's canonical JSON serialisation of jsonb (docs/ledger-format.md).
 *
 * IDENTIFICATION
 *	  src/canonical.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_CANONICAL_H
#define KYC_CANONICAL_H

#include "lib/stringinfo.h"
#include "utils/jsonb.h"

extern void KycCanonicalJsonb(StringInfo out, Jsonb *jb);

#endif							/* KYC_CANONICAL_H */
