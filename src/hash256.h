/*-------------------------------------------------------------------------
 *
 * hash256.h
 *	  The kyc.hash256 type: a SHA-256 value, 32 bytes, fixed length.
 *
 * IDENTIFICATION
 *	  src/hash256.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_HASH256_H
#define KYC_HASH256_H

#include "fmgr.h"

#define KYC_HASH_LEN 32

/* Pass-by-reference, fixed 32 bytes, no varlena header (typlen = 32). */
typedef struct KycHash
{
	uint8		bytes[KYC_HASH_LEN];
} KycHash;

#define DatumGetKycHashP(X)		((KycHash *) DatumGetPointer(X))
#define KycHashPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_KYCHASH_P(n)	DatumGetKycHashP(PG_GETARG_DATUM(n))
#define PG_RETURN_KYCHASH_P(x)	return KycHashPGetDatum(x)

extern KycHash *KycHashCopy(const uint8 *bytes);
extern char *KycHashToHex(const KycHash *h);
extern bytea *KycBytesToBytea(const uint8 *bytes, int len);
extern bool KycHexToBytes(const char *hex, int len, uint8 *out);

#endif							/* KYC_HASH256_H */
