/*-------------------------------------------------------------------------
 *
 * sha256.c
 *	  SHA-256 written from FIPS 180-4 (sections 4.1.2, 4.2.2, 5.1.1, 5.3.3
 *	  and 6.2), so that kyc_verify needs no crypto library.
 *
 * The message is processed in 512-bit blocks; a partial block waits in the
 * context until it is filled or the message ends.
 *
 * IDENTIFICATION
 *	  src/verifier/sha256.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "sha256.h"

/* FIPS 180-4 section 4.2.2: first 32 bits of the cube roots of the first 64 primes. */
static const uint32_t K256[64] = {
	0x428a2f98U, 0x71374491U, 0xb5c0fbcfU, 0xe9b5dba5U,
	0x3956c25bU, 0x59f111f1U, 0x923f82a4U, 0xab1c5ed5U,
	0xd807aa98U, 0x12835b01U, 0x243185beU, 0x550c7dc3U,
	0x72be5d74U, 0x80deb1feU, 0x9bdc06a7U, 0xc19bf174U,
	0xe49b69c1U, 0xefbe4786U, 0x0fc19dc6U, 0x240ca1ccU,
	0x2de92c6fU, 0x4a7484aaU, 0x5cb0a9dcU, 0x76f988daU,
	0x983e5152U, 0xa831c66dU, 0xb00327c8U, 0xbf597fc7U,
	0xc6e00bf3U, 0xd5a79147U, 0x06ca6351U, 0x14292967U,
	0x27b70a85U, 0x2e1b2138U, 0x4d2c6dfcU, 0x53380d13U,
	0x650a7354U, 0x766a0abbU, 0x81c2c92eU, 0x92722c85U,
	0xa2bfe8a1U, 0xa81a664bU, 0xc24b8b70U, 0xc76c51a3U,
	0xd192e819U, 0xd6990624U, 0xf40e3585U, 0x106aa070U,
	0x19a4c116U, 0x1e376c08U, 0x2748774cU, 0x34b0bcb5U,
	0x391c0cb3U, 0x4ed8aa4aU, 0x5b9cca4fU, 0x682e6ff3U,
	0x748f82eeU, 0x78a5636fU, 0x84c87814U, 0x8cc70208U,
	0x90befffaU, 0xa4506cebU, 0xbef9a3f7U, 0xc67178f2U,
};

/* FIPS 180-4 section 5.3.3: first 32 bits of the square roots of the first 8 primes. */
static const uint32_t H256[8] = {
	0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
	0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U,
};

/*
 * Rotr
 *		Rotate a 32-bit word right by n (0 < n < 32), FIPS 180-4 section 3.2.
 */
static inline uint32_t
Rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/*
 * Ch, Maj, BigSigma0/1, SmallSigma0/1
 *		The six logical functions of FIPS 180-4 section 4.1.2.
 */
static inline uint32_t
Ch(uint32_t x, uint32_t y, uint32_t z)
{
	return (x & y) ^ (~x & z);
}

static inline uint32_t
Maj(uint32_t x, uint32_t y, uint32_t z)
{
	return (x & y) ^ (x & z) ^ (y & z);
}

static inline uint32_t
BigSigma0(uint32_t x)
{
	return Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);
}

static inline uint32_t
BigSigma1(uint32_t x)
{
	return Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);
}

static inline uint32_t
SmallSigma0(uint32_t x)
{
	return Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
}

static inline uint32_t
SmallSigma1(uint32_t x)
{
	return Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10);
}

/*
 * LoadBe32
 *		Read a big-endian 32-bit word (message words are big-endian).
 */
static inline uint32_t
LoadBe32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/*
 * Sha256Block
 *		Fold one 64-byte block into the state: message schedule, then the 64
 *		rounds of FIPS 180-4 section 6.2.2.
 */
static void
Sha256Block(uint32_t state[8], const unsigned char *block)
{
	uint32_t	w[64];
	uint32_t	a, b, c, d, e, f, g, h;
	int			t;

	for (t = 0; t < 16; t++)
		w[t] = LoadBe32(block + 4 * t);
	for (t = 16; t < 64; t++)
		w[t] = SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];

	a = state[0];
	b = state[1];
	c = state[2];
	d = state[3];
	e = state[4];
	f = state[5];
	g = state[6];
	h = state[7];
	for (t = 0; t < 64; t++)
	{
		uint32_t	t1 = h + BigSigma1(e) + Ch(e, f, g) + K256[t] + w[t];
		uint32_t	t2 = BigSigma0(a) + Maj(a, b, c);

		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
	state[5] += f;
	state[6] += g;
	state[7] += h;
}

/*
 * Sha256Init
 *		Start a new hash with the initial value of FIPS 180-4 section 5.3.3.
 */
void
Sha256Init(Sha256Ctx *ctx)
{
	memcpy(ctx->state, H256, sizeof(H256));
	ctx->total = 0;
	ctx->used = 0;
}

/*
 * Sha256Update
 *		Feed len more message bytes; whole blocks are hashed at once.
 */
void
Sha256Update(Sha256Ctx *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;

	ctx->total += len;
	while (len > 0)
	{
		size_t		take = SHA256_BLOCK_LEN - ctx->used;

		if (take > len)
			take = len;
		memcpy(ctx->block + ctx->used, p, take);
		ctx->used += take;
		p += take;
		len -= take;
		if (ctx->used == SHA256_BLOCK_LEN)
		{
			Sha256Block(ctx->state, ctx->block);
			ctx->used = 0;
		}
	}
}

/*
 * Sha256Final
 *		Pad as FIPS 180-4 section 5.1.1 says (a 1 bit, zeros, the 64-bit bit
 *		length) and write the digest big-endian.
 */
void
Sha256Final(Sha256Ctx *ctx, unsigned char out[SHA256_DIGEST_LEN])
{
	uint64_t	bits = ctx->total * 8;
	unsigned char pad[SHA256_BLOCK_LEN + 8];
	size_t		padlen;
	int			i;

	padlen = (ctx->used < 56) ? 56 - ctx->used : 120 - ctx->used;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[padlen + i] = (unsigned char) (bits >> (56 - 8 * i));
	Sha256Update(ctx, pad, padlen + 8);

	for (i = 0; i < 8; i++)
	{
		out[4 * i] = (unsigned char) (ctx->state[i] >> 24);
		out[4 * i + 1] = (unsigned char) (ctx->state[i] >> 16);
		out[4 * i + 2] = (unsigned char) (ctx->state[i] >> 8);
		out[4 * i + 3] = (unsigned char) ctx->state[i];
	}
}

/*
 * Sha256
 *		Hash one contiguous byte string.
 */
void
Sha256(const void *data, size_t len, unsigned char out[SHA256_DIGEST_LEN])
{
	Sha256Ctx	ctx;

	Sha256Init(&ctx);
	Sha256Update(&ctx, data, len);
	Sha256Final(&ctx, out);
}
