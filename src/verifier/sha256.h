/*-------------------------------------------------------------------------
 *
 * sha256.h
 *	  SHA-256 (FIPS 180-4) for kyc_verify, which links nothing but libc.
 *
 * IDENTIFICATION
 *	  src/verifier/sha256.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_SHA256_H
#define KYC_VERIFY_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_BLOCK_LEN	64

/* Running state of one hash computation. */
typedef struct Sha256Ctx
{
	uint32_t	state[8];		/* H0..H7 */
	uint64_t	total;			/* message bytes seen so far */
	unsigned char block[SHA256_BLOCK_LEN];	/* partial block */
	size_t		used;			/* bytes in block */
} Sha256Ctx;

extern void Sha256Init(Sha256Ctx *ctx);
extern void Sha256Update(Sha256Ctx *ctx, const void *data, size_t len);
extern void Sha256Final(Sha256Ctx *ctx, unsigned char out[SHA256_DIGEST_LEN]);
extern void Sha256(const void *data, size_t len, unsigned char out[SHA256_DIGEST_LEN]);

#endif							/* KYC_VERIFY_SHA256_H */
