/*-------------------------------------------------------------------------
 *
 * ledger.h
 *	  The hash constructions of docs/ledger-format.md (hash version 1):
 *	  payload digest, row hash, Merkle leaf and tree, audit paths, seal
 *	  digest_hash; and the hex and uuid text forms used in exports.
 *
 * IDENTIFICATION
 *	  src/verifier/ledger.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_LEDGER_H
#define KYC_VERIFY_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEDGER_HASH_LEN		32
#define LEDGER_SALT_LEN		32
#define LEDGER_UUID_LEN		16
#define LEDGER_HASH_HEX_LEN	64
#define LEDGER_UUID_TEXT_LEN 36
#define LEDGER_HASH_VERSION	1

typedef unsigned char LedgerHash[LEDGER_HASH_LEN];
typedef unsigned char LedgerUuid[LEDGER_UUID_LEN];

/* A `str` of the spec: bytes and length; ptr == NULL is SQL NULL. */
typedef struct LedgerStr
{
	const char *ptr;
	size_t		len;
} LedgerStr;

/* The fields a row hash covers, in the order it covers them. */
typedef struct LedgerRow
{
	uint16_t	hash_version;
	LedgerStr	tenant_id;
	LedgerUuid	application_id;
	int64_t		seq;
	LedgerHash	prev_hash;
	LedgerStr	kind;
	LedgerStr	data_class;
	int64_t		recorded_at_us;
	LedgerStr	actor_role;
	uint32_t	actor_role_oid;
	LedgerStr	actor_principal;
	uint16_t	payload_schema_version;
	LedgerHash	payload_digest;
} LedgerRow;

/* The fields a seal's digest_hash covers, in the order it covers them. */
typedef struct LedgerSeal
{
	uint16_t	hash_version;
	int64_t		seal_id;
	int64_t		sealed_at_us;
	int64_t		tree_size;
	LedgerHash	merkle_root;
	LedgerHash	prev_digest_hash;
	uint64_t	system_identifier;
	uint32_t	database_oid;
	LedgerStr	database_name;
	LedgerUuid	incarnation;
} LedgerSeal;

extern void LedgerPayloadDigest(const unsigned char *salt,
								const unsigned char *canonical, size_t len,
								LedgerHash out);
extern void LedgerRowHash(const LedgerRow *row, LedgerHash out);
extern void LedgerLeafHash(LedgerStr tenant_id, const LedgerUuid application_id,
						   int64_t head_seq, const LedgerHash head_hash,
						   LedgerHash out);
extern void LedgerMerkleRoot(const unsigned char *leaves, size_t n, LedgerHash out);
extern size_t LedgerAuditPath(const unsigned char *leaves, size_t n, size_t index,
							  unsigned char *path);
extern bool LedgerRootFromAuditPath(uint64_t index, uint64_t size,
									const LedgerHash leaf,
									const unsigned char *path, size_t pathlen,
									LedgerHash root, const char **why);
extern void LedgerDigestHash(const LedgerSeal *seal, LedgerHash out);

extern bool LedgerIsZeroHash(const LedgerHash hash);
extern void LedgerHexEncode(const unsigned char *bytes, size_t len, char *out);
extern bool LedgerHexDecode(const char *text, size_t textlen,
							unsigned char *out, size_t outlen, bool *canonical);
extern void LedgerUuidFormat(const LedgerUuid uuid, char *out);
extern bool LedgerUuidParse(const char *text, size_t textlen, LedgerUuid out,
							bool *canonical);

/* For built-in fixtures and vectors: C strings known to be well formed. */
extern LedgerStr LedgerStrFromC(const char *s);
extern void LedgerUuidFromC(const char *text, LedgerUuid out);

#endif							/* KYC_VERIFY_LEDGER_H */
