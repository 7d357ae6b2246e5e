/*-------------------------------------------------------------------------
 *
 * hashing.h
 *	  SHA-256 over the encodings of docs/ledger-format.md, and the hash
 *	  constructions of the evidence ledger (hash version 1).
 *
 * IDENTIFICATION
 *	  src/hashing.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_HASHING_H
#define KYC_HASHING_H

/*
 * SHA-256 is OpenSSL's, through its SHA256_Init/Update/Final interface:
 * deprecated in OpenSSL 3.0 in favour of EVP, but present in every 3.x
 * release, and the same assembly (SHA extensions where the CPU has them).
 * EVP allocates, initialises and frees a provider context for every digest
 * and wipes it at the end; for the ledger's short messages (a row is two
 * hashes of three or four blocks) that cost a tenth of verifying a row
 * (docs/benchmarks.md).  PostgreSQL's pg_config.h declares the OpenSSL API
 * level it was built for (OPENSSL_API_COMPAT), which keeps the deprecation
 * attributes off these prototypes.
 */
#include <openssl/opensslv.h>
#include <openssl/sha.h>
#if defined(OPENSSL_NO_DEPRECATED_3_0) || OPENSSL_VERSION_MAJOR > 3
#error "pg_kyc needs OpenSSL's SHA256_Init family (OpenSSL 1.1 or 3.x built with deprecated interfaces)"
#endif

#include "lib/stringinfo.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "hash256.h"

#define KYC_HASH_VERSION 1
#define KYC_PAYLOAD_SCHEMA_VERSION 1
#define KYC_SALT_LEN 32

#define KYC_HASHER_BUFFER 1024

/*
 * One hash at a time: the bytes of a hash are gathered in the buffer (most
 * hashes here are built from a dozen small fields) and hashed when it fills
 * up and at KycHasherFinish.
 */
typedef struct KycHasher
{
	SHA256_CTX	ctx;
	bool		started;		/* ctx holds a hash in progress */
	size_t		used;			/* bytes in buf */
	uint8		buf[KYC_HASHER_BUFFER];
} KycHasher;

/* The header fields of one evidence row, as hashed. */
typedef struct KycRowFields
{
	int			hash_version;
	const char *tenant_id;
	const pg_uuid_t *application_id;
	int64		seq;
	const uint8 *prev_hash;
	const char *kind;
	const char *data_class;
	TimestampTz recorded_at;
	const char *actor_role;
	Oid			actor_role_oid;
	const char *actor_principal;	/* NULL allowed */
	int			payload_schema_version;
	const uint8 *payload_digest;
} KycRowFields;

/* The fields of one seal, as hashed. */
typedef struct KycSealFields
{
	int			hash_version;
	int64		seal_id;
	TimestampTz sealed_at;
	int64		tree_size;
	const uint8 *merkle_root;
	const uint8 *prev_digest_hash;
	uint64		system_identifier;
	Oid			database_oid;
	const char *database_name;
	const pg_uuid_t *incarnation;
} KycSealFields;

extern void KycHasherInit(KycHasher *h);
extern void KycHasherStart(KycHasher *h);
extern void KycHasherBytes(KycHasher *h, const void *data, size_t len);
extern void KycHasherFinish(KycHasher *h, uint8 *out);
extern void KycHasherFree(KycHasher *h);

extern int64 KycUnixMicros(TimestampTz ts);
extern void KycPayloadDigest(KycHasher *h, const uint8 *salt, const StringInfo canonical, uint8 *out);
extern void KycRowHash(KycHasher *h, const KycRowFields *f, uint8 *out);
extern void KycLeafHash(KycHasher *h, const char *tenant_id, const pg_uuid_t *app,
						int64 head_seq, const uint8 *head_hash, uint8 *out);
extern void KycMerkleRoot(KycHasher *h, const uint8 *leaf_hashes, int64 n, uint8 *out);
extern int	KycAuditPath(KycHasher *h, const uint8 *leaf_hashes, int64 n, int64 index, uint8 *path);
extern void KycSealDigest(KycHasher *h, const KycSealFields *f, uint8 *out);

#endif							/* KYC_HASHING_H */
