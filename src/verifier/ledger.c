/*-------------------------------------------------------------------------
 *
 * ledger.c
 *	  The hash constructions of docs/ledger-format.md (hash version 1).
 *
 * Every hash input is streamed into SHA-256 field by field with the
 * spec's encodings: big-endian integers, u32-length-prefixed strings with
 * 0xFFFFFFFF for NULL, 16-byte uuids, raw 32-byte hashes and unprefixed
 * ASCII domain tags.  The Merkle tree and audit paths follow RFC 9162
 * sections 2.1.1 and 2.1.3.
 *
 * IDENTIFICATION
 *	  src/verifier/ledger.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "ledger.h"
#include "sha256.h"

#define TAG_PAYLOAD	"kyc.payload.v1"
#define TAG_ROW		"pg_kyc/row"
#define TAG_HEAD	"pg_kyc/head"
#define TAG_SEAL	"pg_kyc/seal"
#define LEAF_PREFIX	0x00
#define NODE_PREFIX	0x01

/*
 * PutTag
 *		tag(s): the ASCII bytes, no length (domain separation).
 */
static void
PutTag(Sha256Ctx *ctx, const char *tag)
{
	Sha256Update(ctx, tag, strlen(tag));
}

/*
 * PutUnsigned
 *		A big-endian unsigned integer of width bytes (u8 to u64).
 */
static void
PutUnsigned(Sha256Ctx *ctx, uint64_t value, int width)
{
	unsigned char b[8];
	int			i;

	for (i = 0; i < width; i++)
		b[i] = (unsigned char) (value >> (8 * (width - 1 - i)));
	Sha256Update(ctx, b, (size_t) width);
}

/*
 * PutI64
 *		i64: two's complement, big-endian.
 */
static void
PutI64(Sha256Ctx *ctx, int64_t value)
{
	PutUnsigned(ctx, (uint64_t) value, 8);
}

/*
 * PutStr
 *		str: u32 byte length then the bytes; NULL is the length 0xFFFFFFFF.
 *		Exports cannot hold a 4 GiB string, so the length always fits.
 */
static void
PutStr(Sha256Ctx *ctx, LedgerStr s)
{
	if (s.ptr == NULL)
	{
		PutUnsigned(ctx, 0xFFFFFFFFU, 4);
		return;
	}
	PutUnsigned(ctx, (uint64_t) s.len, 4);
	Sha256Update(ctx, s.ptr, s.len);
}

/*
 * LedgerPayloadDigest
 *		H(tag("kyc.payload.v1") || salt || canonical_json(payload)).
 */
void
LedgerPayloadDigest(const unsigned char *salt, const unsigned char *canonical,
					size_t len, LedgerHash out)
{
	Sha256Ctx	ctx;

	Sha256Init(&ctx);
	PutTag(&ctx, TAG_PAYLOAD);
	Sha256Update(&ctx, salt, LEDGER_SALT_LEN);
	Sha256Update(&ctx, canonical, len);
	Sha256Final(&ctx, out);
}

/*
 * LedgerRowHash
 *		The row hash: tag("pg_kyc/row") and the fields of LedgerRow in order.
 */
void
LedgerRowHash(const LedgerRow *row, LedgerHash out)
{
	Sha256Ctx	ctx;

	Sha256Init(&ctx);
	PutTag(&ctx, TAG_ROW);
	PutUnsigned(&ctx, row->hash_version, 2);
	PutStr(&ctx, row->tenant_id);
	Sha256Update(&ctx, row->application_id, LEDGER_UUID_LEN);
	PutI64(&ctx, row->seq);
	Sha256Update(&ctx, row->prev_hash, LEDGER_HASH_LEN);
	PutStr(&ctx, row->kind);
	PutStr(&ctx, row->data_class);
	PutI64(&ctx, row->recorded_at_us);
	PutStr(&ctx, row->actor_role);
	PutUnsigned(&ctx, row->actor_role_oid, 4);
	PutStr(&ctx, row->actor_principal);
	PutUnsigned(&ctx, row->payload_schema_version, 2);
	Sha256Update(&ctx, row->payload_digest, LEDGER_HASH_LEN);
	Sha256Final(&ctx, out);
}

/*
 * LedgerLeafHash
 *		H(0x00 || tag("pg_kyc/head") || str tenant || uuid app || i64 head_seq
 *		|| hash head_hash): one chain head as a Merkle leaf.
 */
void
LedgerLeafHash(LedgerStr tenant_id, const LedgerUuid application_id,
			   int64_t head_seq, const LedgerHash head_hash, LedgerHash out)
{
	Sha256Ctx	ctx;

	Sha256Init(&ctx);
	PutUnsigned(&ctx, LEAF_PREFIX, 1);
	PutTag(&ctx, TAG_HEAD);
	PutStr(&ctx, tenant_id);
	Sha256Update(&ctx, application_id, LEDGER_UUID_LEN);
	PutI64(&ctx, head_seq);
	Sha256Update(&ctx, head_hash, LEDGER_HASH_LEN);
	Sha256Final(&ctx, out);
}

/*
 * NodeHash
 *		H(0x01 || left || right): an interior node.  out may alias an input.
 */
static void
NodeHash(const LedgerHash left, const LedgerHash right, LedgerHash out)
{
	Sha256Ctx	ctx;

	Sha256Init(&ctx);
	PutUnsigned(&ctx, NODE_PREFIX, 1);
	Sha256Update(&ctx, left, LEDGER_HASH_LEN);
	Sha256Update(&ctx, right, LEDGER_HASH_LEN);
	Sha256Final(&ctx, out);
}

/*
 * SplitPoint
 *		The largest power of two smaller than n (n > 1): the size of the left
 *		subtree in RFC 9162 section 2.1.1.
 */
static size_t
SplitPoint(size_t n)
{
	size_t		k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

/*
 * LedgerMerkleRoot
 *		MTH(D[n]) of RFC 9162 section 2.1.1 over n leaf hashes stored one after
 *		another (32 bytes each): H("") when
 *		empty, the leaf itself when alone, else H(0x01 || MTH(left) ||
 *		MTH(right)).  Recursion depth is log2(n).
 */
void
LedgerMerkleRoot(const unsigned char *leaves, size_t n, LedgerHash out)
{
	LedgerHash	left;
	LedgerHash	right;
	size_t		k;

	if (n == 0)
	{
		Sha256("", 0, out);
		return;
	}
	if (n == 1)
	{
		memcpy(out, leaves, LEDGER_HASH_LEN);
		return;
	}
	k = SplitPoint(n);
	LedgerMerkleRoot(leaves, k, left);
	LedgerMerkleRoot(leaves + k * LEDGER_HASH_LEN, n - k, right);
	NodeHash(left, right, out);
}

/*
 * LedgerAuditPath
 *		PATH(m, D[n]) of RFC 9162 section 2.1.3.1: the sibling hashes from the
 *		leaf up, stored one after another (room for 64).  Returns their count.
 *		Used to build fixtures; verification uses LedgerRootFromAuditPath.
 */
size_t
LedgerAuditPath(const unsigned char *leaves, size_t n, size_t index,
				unsigned char *path)
{
	size_t		k;
	size_t		len;

	if (n <= 1)
		return 0;
	k = SplitPoint(n);
	if (index < k)
	{
		len = LedgerAuditPath(leaves, k, index, path);
		LedgerMerkleRoot(leaves + k * LEDGER_HASH_LEN, n - k,
						 path + len * LEDGER_HASH_LEN);
	}
	else
	{
		len = LedgerAuditPath(leaves + k * LEDGER_HASH_LEN, n - k, index - k, path);
		LedgerMerkleRoot(leaves, k, path + len * LEDGER_HASH_LEN);
	}
	return len + 1;
}

/*
 * LedgerRootFromAuditPath
 *		The root that an audit path leads to from a leaf, by RFC 9162 section
 *		2.1.3.2; false (with why) when leaf_index >= tree_size or when the
 *		path is too short or too long for the tree.  The caller compares the
 *		root with the sealed merkle_root.
 */
bool
LedgerRootFromAuditPath(uint64_t index, uint64_t size, const LedgerHash leaf,
						const unsigned char *path, size_t pathlen,
						LedgerHash root, const char **why)
{
	uint64_t	fn = index;
	uint64_t	sn;
	size_t		i;

	if (index >= size)
		return *why = "leaf_index is not below tree_size", false;
	sn = size - 1;
	memcpy(root, leaf, LEDGER_HASH_LEN);
	for (i = 0; i < pathlen; i++)
	{
		if (sn == 0)
			return *why = "audit path is longer than the tree is deep", false;
		if ((fn & 1) == 1 || fn == sn)
		{
			NodeHash(path + i * LEDGER_HASH_LEN, root, root);
			while ((fn & 1) == 0 && fn != 0)
			{
				fn >>= 1;
				sn >>= 1;
			}
		}
		else
			NodeHash(root, path + i * LEDGER_HASH_LEN, root);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return *why = "audit path is shorter than the tree is deep", false;
	return true;
}

/*
 * LedgerDigestHash
 *		A seal's digest_hash: tag("pg_kyc/seal") and the fields of LedgerSeal
 *		in order.
 */
void
LedgerDigestHash(const LedgerSeal *seal, LedgerHash out)
{
	Sha256Ctx	ctx;

	Sha256Init(&ctx);
	PutTag(&ctx, TAG_SEAL);
	PutUnsigned(&ctx, seal->hash_version, 2);
	PutI64(&ctx, seal->seal_id);
	PutI64(&ctx, seal->sealed_at_us);
	PutI64(&ctx, seal->tree_size);
	Sha256Update(&ctx, seal->merkle_root, LEDGER_HASH_LEN);
	Sha256Update(&ctx, seal->prev_digest_hash, LEDGER_HASH_LEN);
	PutUnsigned(&ctx, seal->system_identifier, 8);
	PutUnsigned(&ctx, seal->database_oid, 4);
	PutStr(&ctx, seal->database_name);
	Sha256Update(&ctx, seal->incarnation, LEDGER_UUID_LEN);
	Sha256Final(&ctx, out);
}

/*
 * LedgerIsZeroHash
 *		Whether a hash is the 32 zero bytes that stand before seq 1 / seal 1.
 */
bool
LedgerIsZeroHash(const LedgerHash hash)
{
	static const LedgerHash zero;

	return memcmp(hash, zero, LEDGER_HASH_LEN) == 0;
}

/*
 * LedgerHexEncode
 *		Lower-case hex of len bytes into out (2 * len + 1 bytes).
 */
void
LedgerHexEncode(const unsigned char *bytes, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t		i;

	for (i = 0; i < len; i++)
	{
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 0xF];
	}
	out[2 * len] = '\0';
}

/*
 * HexDigit
 *		The value of one hex digit, or -1; sets *upper for A-F.
 */
static int
HexDigit(char c, bool *upper)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
	{
		*upper = true;
		return c - 'A' + 10;
	}
	return -1;
}

/*
 * LedgerHexDecode
 *		Exactly 2 * outlen hex digits into bytes.  *canonical is false when
 *		upper-case digits were used (exports write lower case).
 */
bool
LedgerHexDecode(const char *text, size_t textlen, unsigned char *out,
				size_t outlen, bool *canonical)
{
	bool		upper = false;
	size_t		i;

	if (textlen != 2 * outlen)
		return false;
	for (i = 0; i < outlen; i++)
	{
		int			hi = HexDigit(text[2 * i], &upper);
		int			lo = HexDigit(text[2 * i + 1], &upper);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char) (hi << 4 | lo);
	}
	*canonical = !upper;
	return true;
}

/*
 * LedgerUuidFormat
 *		The 8-4-4-4-12 lower-case text form into out (37 bytes).
 */
void
LedgerUuidFormat(const LedgerUuid uuid, char *out)
{
	static const int groups[5] = {4, 2, 2, 2, 6};
	int			g;
	int			at = 0;

	for (g = 0; g < 5; g++)
	{
		LedgerHexEncode(uuid + at, (size_t) groups[g], out);
		out += 2 * groups[g];
		at += groups[g];
		if (g < 4)
			*out++ = '-';
	}
	*out = '\0';
}

/*
 * LedgerUuidParse
 *		The 8-4-4-4-12 text form into 16 bytes, in text order.  *canonical is
 *		false when upper-case digits were used.
 */
bool
LedgerUuidParse(const char *text, size_t textlen, LedgerUuid out, bool *canonical)
{
	static const int groups[5] = {4, 2, 2, 2, 6};
	int			g;
	size_t		pos = 0;
	int			at = 0;
	bool		all_lower = true;

	if (textlen != LEDGER_UUID_TEXT_LEN)
		return false;
	for (g = 0; g < 5; g++)
	{
		bool		lower;

		if (!LedgerHexDecode(text + pos, 2 * (size_t) groups[g], out + at,
							 (size_t) groups[g], &lower))
			return false;
		all_lower = all_lower && lower;
		pos += 2 * (size_t) groups[g];
		at += groups[g];
		if (g < 4 && text[pos++] != '-')
			return false;
	}
	*canonical = all_lower;
	return true;
}

/*
 * LedgerStrFromC
 *		A spec `str` from a C string (NULL stays NULL).
 */
LedgerStr
LedgerStrFromC(const char *s)
{
	LedgerStr	r = {s, s ? strlen(s) : 0};

	return r;
}

/*
 * LedgerUuidFromC
 *		A uuid from text known to be well formed.
 */
void
LedgerUuidFromC(const char *text, LedgerUuid out)
{
	bool		canonical;

	LedgerUuidParse(text, strlen(text), out, &canonical);
}
