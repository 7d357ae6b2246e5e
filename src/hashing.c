/*-------------------------------------------------------------------------
 *
 * hashing.c
 *	  The byte layouts of docs/ledger-format.md: payload digest, row hash,
 *	  Merkle tree over chain heads (RFC 9162 §2.1), seal digest.
 *
 * Every integer is fixed-width big-endian, every string length-prefixed
 * (NULL as length 0xFFFFFFFF), timestamps are integer microseconds since the
 * Unix epoch, and each construction starts with its own ASCII tag so that no
 * two of them can produce the same input bytes.
 *
 * IDENTIFICATION
 *	  src/hashing.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/timestamp.h"

#include "hashing.h"

#define NULL_STRING_LENGTH 0xFFFFFFFFu

/* the buffered bytes into the hash, starting it if need be */
static void
Flush(KycHasher *h)
{
	if (!h->started)
	{
		SHA256_Init(&h->ctx);
		h->started = true;
	}
	SHA256_Update(&h->ctx, h->buf, h->used);
	h->used = 0;
}

/*
 * KycHasherInit
 *		Make the hasher ready for its first hash.
 */
void
KycHasherInit(KycHasher *h)
{
	KycHasherStart(h);
}

void
KycHasherStart(KycHasher *h)
{
	h->used = 0;
	h->started = false;
}

/* bytes that do not fit the buffer: flush it, then buffer or hash them */
static void
HasherSpill(KycHasher *h, const void *data, size_t len)
{
	Flush(h);
	if (len <= KYC_HASHER_BUFFER)
	{
		memcpy(h->buf, data, len);
		h->used = len;
	}
	else
		SHA256_Update(&h->ctx, data, len);
}

/* the common case, inlined into the field encoders: the bytes fit the buffer */
static inline void
Put(KycHasher *h, const void *data, size_t len)
{
	if (likely(len <= KYC_HASHER_BUFFER - h->used))
	{
		memcpy(h->buf + h->used, data, len);
		h->used += len;
	}
	else
		HasherSpill(h, data, len);
}

void
KycHasherBytes(KycHasher *h, const void *data, size_t len)
{
	Put(h, data, len);
}

void
KycHasherFinish(KycHasher *h, uint8 *out)
{
	Flush(h);
	SHA256_Final(out, &h->ctx);
	h->started = false;
}

void
KycHasherFree(KycHasher *h)
{
	h->used = 0;
	h->started = false;
}

static void
HashTag(KycHasher *h, const char *tag)
{
	Put(h, tag, strlen(tag));
}

static void
HashU8(KycHasher *h, uint8 v)
{
	Put(h, &v, 1);
}

static void
HashU16(KycHasher *h, uint16 v)
{
	uint8		b[2] = {(uint8) (v >> 8), (uint8) v};

	Put(h, b, 2);
}

static void
HashU32(KycHasher *h, uint32 v)
{
	uint8		b[4] = {(uint8) (v >> 24), (uint8) (v >> 16), (uint8) (v >> 8), (uint8) v};

	Put(h, b, 4);
}

static void
HashU64(KycHasher *h, uint64 v)
{
	HashU32(h, (uint32) (v >> 32));
	HashU32(h, (uint32) v);
}

static void
HashStr(KycHasher *h, const char *s)
{
	size_t		len;

	if (s == NULL)
	{
		HashU32(h, NULL_STRING_LENGTH);
		return;
	}
	len = strlen(s);
	HashU32(h, (uint32) len);
	Put(h, s, len);
}

/*
 * KycUnixMicros
 *		A timestamptz as microseconds since 1970-01-01 UTC.
 */
int64
KycUnixMicros(TimestampTz ts)
{
	return (int64) ts + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
}

/*
 * KycPayloadDigest
 *		H("kyc.payload.v1" || salt || canonical payload bytes).
 */
void
KycPayloadDigest(KycHasher *h, const uint8 *salt, const StringInfo canonical, uint8 *out)
{
	KycHasherStart(h);
	HashTag(h, "kyc.payload.v1");
	Put(h, salt, KYC_SALT_LEN);
	Put(h, canonical->data, canonical->len);
	KycHasherFinish(h, out);
}

/*
 * KycRowHash
 *		The row hash of hash version 1 over the header and the payload digest.
 */
void
KycRowHash(KycHasher *h, const KycRowFields *f, uint8 *out)
{
	KycHasherStart(h);
	HashTag(h, "pg_kyc/row");
	HashU16(h, (uint16) f->hash_version);
	HashStr(h, f->tenant_id);
	Put(h, f->application_id->data, UUID_LEN);
	HashU64(h, (uint64) f->seq);
	Put(h, f->prev_hash, KYC_HASH_LEN);
	HashStr(h, f->kind);
	HashStr(h, f->data_class);
	HashU64(h, (uint64) KycUnixMicros(f->recorded_at));
	HashStr(h, f->actor_role);
	HashU32(h, (uint32) f->actor_role_oid);
	HashStr(h, f->actor_principal);
	HashU16(h, (uint16) f->payload_schema_version);
	Put(h, f->payload_digest, KYC_HASH_LEN);
	KycHasherFinish(h, out);
}

/*
 * KycLeafHash
 *		RFC 9162 leaf hash H(0x00 || leaf_data) of one chain head.
 */
void
KycLeafHash(KycHasher *h, const char *tenant_id, const pg_uuid_t *app,
			int64 head_seq, const uint8 *head_hash, uint8 *out)
{
	KycHasherStart(h);
	HashU8(h, 0x00);
	HashTag(h, "pg_kyc/head");
	HashStr(h, tenant_id);
	Put(h, app->data, UUID_LEN);
	HashU64(h, (uint64) head_seq);
	Put(h, head_hash, KYC_HASH_LEN);
	KycHasherFinish(h, out);
}

static void
NodeHash(KycHasher *h, const uint8 *left, const uint8 *right, uint8 *out)
{
	KycHasherStart(h);
	HashU8(h, 0x01);
	Put(h, left, KYC_HASH_LEN);
	Put(h, right, KYC_HASH_LEN);
	KycHasherFinish(h, out);
}

/* largest power of two smaller than n (n > 1) */
static int64
SplitPoint(int64 n)
{
	int64		k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/*
 * KycMerkleRoot
 *		RFC 9162 §2.1.1 tree hash over n leaf hashes (32 bytes each).
 */
void
KycMerkleRoot(KycHasher *h, const uint8 *leaf_hashes, int64 n, uint8 *out)
{
	uint8		left[KYC_HASH_LEN];
	uint8		right[KYC_HASH_LEN];
	int64		k;

	check_stack_depth();
	if (n == 0)
	{
		KycHasherStart(h);
		KycHasherFinish(h, out);
		return;
	}
	if (n == 1)
	{
		memcpy(out, leaf_hashes, KYC_HASH_LEN);
		return;
	}
	k = SplitPoint(n);
	KycMerkleRoot(h, leaf_hashes, k, left);
	KycMerkleRoot(h, leaf_hashes + k * KYC_HASH_LEN, n - k, right);
	NodeHash(h, left, right, out);
}

/*
 * KycAuditPath
 *		RFC 9162 §2.1.3.1 inclusion proof of leaf index among n leaves, written
 *		to path (room for 64 hashes); returns the number of hashes.
 */
int
KycAuditPath(KycHasher *h, const uint8 *leaf_hashes, int64 n, int64 index, uint8 *path)
{
	int			len;
	int64		k;

	check_stack_depth();
	if (n <= 1)
		return 0;
	k = SplitPoint(n);
	if (index < k)
	{
		len = KycAuditPath(h, leaf_hashes, k, index, path);
		KycMerkleRoot(h, leaf_hashes + k * KYC_HASH_LEN, n - k, path + len * KYC_HASH_LEN);
	}
	else
	{
		len = KycAuditPath(h, leaf_hashes + k * KYC_HASH_LEN, n - k, index - k, path);
		KycMerkleRoot(h, leaf_hashes, k, path + len * KYC_HASH_LEN);
	}
	return len + 1;
}

/*
 * KycSealDigest
 *		The digest_hash of one seal, chaining it to the previous seal.
 */
void
KycSealDigest(KycHasher *h, const KycSealFields *f, uint8 *out)
{
	KycHasherStart(h);
	HashTag(h, "pg_kyc/seal");
	HashU16(h, (uint16) f->hash_version);
	HashU64(h, (uint64) f->seal_id);
	HashU64(h, (uint64) KycUnixMicros(f->sealed_at));
	HashU64(h, (uint64) f->tree_size);
	Put(h, f->merkle_root, KYC_HASH_LEN);
	Put(h, f->prev_digest_hash, KYC_HASH_LEN);
	HashU64(h, f->system_identifier);
	HashU32(h, (uint32) f->database_oid);
	HashStr(h, f->database_name);
	Put(h, f->incarnation->data, UUID_LEN);
	KycHasherFinish(h, out);
}
