/*-------------------------------------------------------------------------
 *
 * hash256.c
 *	  The kyc.hash256 base type: 32 bytes shown as 64 lower-case hex digits,
 *	  with binary send/receive and btree and hash operator class support.
 *
 * The evidence ledger stores row hashes, payload digests and Merkle roots in
 * it: half the size of hex text, compared with memcmp, and a wrong length is
 * refused at input instead of surfacing later as a verification finding.
 *
 * IDENTIFICATION
 *	  src/hash256.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "hash256.h"

static const char hexdigits[] = "0123456789abcdef";

/*
 * KycHashCopy
 *		A palloc'd hash256 holding the given 32 bytes.
 */
KycHash *
KycHashCopy(const uint8 *bytes)
{
	KycHash    *h = palloc(sizeof(KycHash));

	memcpy(h->bytes, bytes, KYC_HASH_LEN);
	return h;
}

/*
 * KycBytesToBytea
 *		A palloc'd bytea holding len bytes.
 */
bytea *
KycBytesToBytea(const uint8 *bytes, int len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), bytes, len);
	return b;
}

/*
 * KycHashToHex
 *		64 lower-case hex digits, palloc'd.
 */
char *
KycHashToHex(const KycHash *h)
{
	char	   *out = palloc(KYC_HASH_LEN * 2 + 1);

	for (int i = 0; i < KYC_HASH_LEN; i++)
	{
		out[2 * i] = hexdigits[h->bytes[i] >> 4];
		out[2 * i + 1] = hexdigits[h->bytes[i] & 0x0f];
	}
	out[KYC_HASH_LEN * 2] = '\0';
	return out;
}

static inline int
HexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * KycHexToBytes
 *		Decode 64 hex digits into 32 bytes; false when the text is not that.
 */
bool
KycHexToBytes(const char *hex, int len, uint8 *out)
{
	if (len != KYC_HASH_LEN * 2)
		return false;
	for (int i = 0; i < KYC_HASH_LEN; i++)
	{
		int			hi = HexValue(hex[2 * i]);
		int			lo = HexValue(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8) ((hi << 4) | lo);
	}
	return true;
}

/*
 * kyc_hash256_in
 *		Text input: exactly 64 hex digits (either case), nothing else.
 */
PG_FUNCTION_INFO_V1(kyc_hash256_in);
Datum
kyc_hash256_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	KycHash    *h;

	if (len != KYC_HASH_LEN * 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", "kyc.hash256"),
				 errdetail("A hash256 is 64 hexadecimal digits; the input has %zu characters.", len)));

	h = palloc(sizeof(KycHash));
	for (int i = 0; i < KYC_HASH_LEN; i++)
	{
		int			hi = HexValue(str[2 * i]);
		int			lo = HexValue(str[2 * i + 1]);

		if (hi < 0 || lo < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s", "kyc.hash256"),
					 errdetail("Character %d is not a hexadecimal digit.", hi < 0 ? 2 * i + 1 : 2 * i + 2)));
		h->bytes[i] = (uint8) ((hi << 4) | lo);
	}
	PG_RETURN_KYCHASH_P(h);
}

/*
 * kyc_hash256_out
 *		Text output: 64 lower-case hex digits.
 */
PG_FUNCTION_INFO_V1(kyc_hash256_out);
Datum
kyc_hash256_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(KycHashToHex(PG_GETARG_KYCHASH_P(0)));
}

/*
 * kyc_hash256_recv
 *		Binary input: exactly 32 bytes.
 */
PG_FUNCTION_INFO_V1(kyc_hash256_recv);
Datum
kyc_hash256_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			remaining = buf->len - buf->cursor;

	if (remaining != KYC_HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", "kyc.hash256"),
				 errdetail("A hash256 is 32 bytes; the input has %d.", remaining)));
	PG_RETURN_KYCHASH_P(KycHashCopy((const uint8 *) pq_getmsgbytes(buf, KYC_HASH_LEN)));
}

/*
 * kyc_hash256_send
 *		Binary output: the 32 bytes.
 */
PG_FUNCTION_INFO_V1(kyc_hash256_send);
Datum
kyc_hash256_send(PG_FUNCTION_ARGS)
{
	KycHash    *h = PG_GETARG_KYCHASH_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) h->bytes, KYC_HASH_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static inline int
HashCmp(FunctionCallInfo fcinfo)
{
	return memcmp(PG_GETARG_KYCHASH_P(0)->bytes, PG_GETARG_KYCHASH_P(1)->bytes, KYC_HASH_LEN);
}

PG_FUNCTION_INFO_V1(kyc_hash256_cmp);
Datum
kyc_hash256_cmp(PG_FUNCTION_ARGS)
{
	int			c = HashCmp(fcinfo);

	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));
}

PG_FUNCTION_INFO_V1(kyc_hash256_eq);
Datum
kyc_hash256_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(HashCmp(fcinfo) == 0);
}

PG_FUNCTION_INFO_V1(kyc_hash256_ne);
Datum
kyc_hash256_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(HashCmp(fcinfo) != 0);
}

PG_FUNCTION_INFO_V1(kyc_hash256_lt);
Datum
kyc_hash256_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(HashCmp(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(kyc_hash256_le);
Datum
kyc_hash256_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(HashCmp(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(kyc_hash256_gt);
Datum
kyc_hash256_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(HashCmp(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(kyc_hash256_ge);
Datum
kyc_hash256_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(HashCmp(fcinfo) >= 0);
}

/*
 * kyc_hash256_hash
 *		Hash opclass support: the bytes are already uniformly distributed, but
 *		hashing them again keeps the contract of hash_any.
 */
PG_FUNCTION_INFO_V1(kyc_hash256_hash);
Datum
kyc_hash256_hash(PG_FUNCTION_ARGS)
{
	return hash_any(PG_GETARG_KYCHASH_P(0)->bytes, KYC_HASH_LEN);
}

PG_FUNCTION_INFO_V1(kyc_hash256_hash_extended);
Datum
kyc_hash256_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended(PG_GETARG_KYCHASH_P(0)->bytes, KYC_HASH_LEN, PG_GETARG_INT64(1));
}

/*
 * kyc_hash256_from_bytea / kyc_hash256_to_bytea
 *		Casts to and from bytea (e.g. sha256() output); the bytea must be 32 bytes.
 */
PG_FUNCTION_INFO_V1(kyc_hash256_from_bytea);
Datum
kyc_hash256_from_bytea(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	if (VARSIZE_ANY_EXHDR(b) != KYC_HASH_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot cast bytea of %d bytes to %s", (int) VARSIZE_ANY_EXHDR(b), "kyc.hash256"),
				 errdetail("A hash256 is 32 bytes.")));
	PG_RETURN_KYCHASH_P(KycHashCopy((const uint8 *) VARDATA_ANY(b)));
}

PG_FUNCTION_INFO_V1(kyc_hash256_to_bytea);
Datum
kyc_hash256_to_bytea(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(KycBytesToBytea(PG_GETARG_KYCHASH_P(0)->bytes, KYC_HASH_LEN));
}
