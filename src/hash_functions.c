/*-------------------------------------------------------------------------
 *
 * hash_functions.c
 *	  SQL access to the ledger's hash constructions, so that auditors and
 *	  tests can recompute every documented value (docs/ledger-format.md).
 *
 * IDENTIFICATION
 *	  src/hash_functions.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/uuid.h"

#include "canonical.h"
#include "hash_functions.h"
#include "hashing.h"

/*
 * KycHashArrayBytes
 *		The elements of a kyc.hash256[] as one contiguous buffer of n*32 bytes.
 */
uint8 *
KycHashArrayBytes(ArrayType *arr, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	uint8	   *bytes;

	deconstruct_array(arr, ARR_ELEMTYPE(arr), KYC_HASH_LEN, false, TYPALIGN_CHAR,
					  &elems, &nulls, n);
	bytes = palloc(Max(*n, 1) * KYC_HASH_LEN);
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("hash array must not contain nulls")));
		memcpy(bytes + i * KYC_HASH_LEN, DatumGetKycHashP(elems[i])->bytes, KYC_HASH_LEN);
	}
	return bytes;
}

PG_FUNCTION_INFO_V1(kyc_payload_digest_v1);
Datum
kyc_payload_digest_v1(PG_FUNCTION_ARGS)
{
	bytea	   *salt = PG_GETARG_BYTEA_PP(0);
	Jsonb	   *payload = PG_GETARG_JSONB_P(1);
	StringInfoData canonical;
	KycHasher	h;
	uint8		out[KYC_HASH_LEN];

	if (VARSIZE_ANY_EXHDR(salt) != KYC_SALT_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("salt must be %d bytes", KYC_SALT_LEN)));
	initStringInfo(&canonical);
	KycCanonicalJsonb(&canonical, payload);
	KycHasherInit(&h);
	KycPayloadDigest(&h, (const uint8 *) VARDATA_ANY(salt), &canonical, out);
	KycHasherFree(&h);
	PG_RETURN_KYCHASH_P(KycHashCopy(out));
}

PG_FUNCTION_INFO_V1(kyc_row_hash_v1);
Datum
kyc_row_hash_v1(PG_FUNCTION_ARGS)
{
	KycRowFields f;
	KycHasher	h;
	uint8		out[KYC_HASH_LEN];

	/* not STRICT, because actor_principal may be NULL; every other NULL gives NULL */
	for (int i = 0; i < PG_NARGS(); i++)
		if (i != 9 && PG_ARGISNULL(i))
			PG_RETURN_NULL();

	f.hash_version = KYC_HASH_VERSION;
	f.tenant_id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	f.application_id = PG_GETARG_UUID_P(1);
	f.seq = PG_GETARG_INT64(2);
	f.prev_hash = PG_GETARG_KYCHASH_P(3)->bytes;
	f.kind = text_to_cstring(PG_GETARG_TEXT_PP(4));
	f.data_class = text_to_cstring(PG_GETARG_TEXT_PP(5));
	f.recorded_at = PG_GETARG_TIMESTAMPTZ(6);
	f.actor_role = text_to_cstring(PG_GETARG_TEXT_PP(7));
	f.actor_role_oid = PG_GETARG_OID(8);
	f.actor_principal = PG_ARGISNULL(9) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(9));
	f.payload_schema_version = PG_GETARG_INT32(10);
	f.payload_digest = PG_GETARG_KYCHASH_P(11)->bytes;
	KycHasherInit(&h);
	KycRowHash(&h, &f, out);
	KycHasherFree(&h);
	PG_RETURN_KYCHASH_P(KycHashCopy(out));
}

PG_FUNCTION_INFO_V1(kyc_merkle_leaf_v1);
Datum
kyc_merkle_leaf_v1(PG_FUNCTION_ARGS)
{
	KycHasher	h;
	uint8		out[KYC_HASH_LEN];

	KycHasherInit(&h);
	KycLeafHash(&h, text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_UUID_P(1),
				PG_GETARG_INT64(2), PG_GETARG_KYCHASH_P(3)->bytes, out);
	KycHasherFree(&h);
	PG_RETURN_KYCHASH_P(KycHashCopy(out));
}

PG_FUNCTION_INFO_V1(kyc_merkle_root);
Datum
kyc_merkle_root(PG_FUNCTION_ARGS)
{
	int			n;
	uint8	   *leaves = KycHashArrayBytes(PG_GETARG_ARRAYTYPE_P(0), &n);
	KycHasher	h;
	uint8		out[KYC_HASH_LEN];

	KycHasherInit(&h);
	KycMerkleRoot(&h, leaves, n, out);
	KycHasherFree(&h);
	PG_RETURN_KYCHASH_P(KycHashCopy(out));
}

PG_FUNCTION_INFO_V1(kyc_merkle_audit_path);
Datum
kyc_merkle_audit_path(PG_FUNCTION_ARGS)
{
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
	int64		index = PG_GETARG_INT64(1);
	int			n;
	uint8	   *leaves = KycHashArrayBytes(arr, &n);
	uint8		path[64 * KYC_HASH_LEN];
	Datum	   *elems;
	KycHasher	h;
	int			len;

	if (index < 0 || index >= n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leaf index " INT64_FORMAT " is outside a tree of %d leaves", index, n)));
	KycHasherInit(&h);
	len = KycAuditPath(&h, leaves, n, index, path);
	KycHasherFree(&h);
	elems = palloc(sizeof(Datum) * Max(len, 1));
	for (int i = 0; i < len; i++)
		elems[i] = KycHashPGetDatum(KycHashCopy(path + i * KYC_HASH_LEN));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, len, ARR_ELEMTYPE(arr), KYC_HASH_LEN, false, TYPALIGN_CHAR));
}

PG_FUNCTION_INFO_V1(kyc_seal_digest_v1);
Datum
kyc_seal_digest_v1(PG_FUNCTION_ARGS)
{
	KycSealFields f;
	KycHasher	h;
	uint8		out[KYC_HASH_LEN];

	f.hash_version = KYC_HASH_VERSION;
	f.seal_id = PG_GETARG_INT64(0);
	f.sealed_at = PG_GETARG_TIMESTAMPTZ(1);
	f.tree_size = PG_GETARG_INT64(2);
	f.merkle_root = PG_GETARG_KYCHASH_P(3)->bytes;
	f.prev_digest_hash = PG_GETARG_KYCHASH_P(4)->bytes;
	f.system_identifier = (uint64) PG_GETARG_INT64(5);
	f.database_oid = PG_GETARG_OID(6);
	f.database_name = text_to_cstring(PG_GETARG_TEXT_PP(7));
	f.incarnation = PG_GETARG_UUID_P(8);
	KycHasherInit(&h);
	KycSealDigest(&h, &f, out);
	KycHasherFree(&h);
	PG_RETURN_KYCHASH_P(KycHashCopy(out));
}
