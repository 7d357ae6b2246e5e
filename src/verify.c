/*-------------------------------------------------------------------------
 *
 * verify.c
 *	  Verification of the evidence ledger: every chain, every row, every seal,
 *	  in one snapshot, returning every finding rather than the first.
 *
 * The checks of a row and of a chain are in verify_rows.c, the sequential
 * scan of the whole ledger in verify_scan.c.  Here: the entry points, the
 * snapshot and the seals.  Against the last seal every sealed chain must
 * still exist (else chain_missing); the digest chain is checked link by link,
 * and the last seal's Merkle root is recomputed from the sealed heads.
 *
 * IDENTIFICATION
 *	  src/verify.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/snapmgr.h"
#include "utils/uuid.h"

#include "caller.h"
#include "guc.h"
#include "hash256.h"
#include "hashing.h"
#include "sealed_heads.h"
#include "spi_safe.h"
#include "verify.h"

static KycPlan last_seal_plan = {
	"SELECT max(seal_id) FROM kyc.ledger_digest",
	0, {InvalidOid}
};

static KycPlan digests_plan = {
	"SELECT seal_id, hash_version, sealed_at, tree_size, merkle_root, prev_digest_hash,"
	"       system_identifier, database_oid, database_name, incarnation, digest_hash,"
	"       (SELECT system_identifier FROM pg_catalog.pg_control_system()) AS current_system"
	" FROM kyc.ledger_digest ORDER BY seal_id",
	0, {InvalidOid}
};

static KycPlan leaves_plan = {
	"SELECT s.tenant_id, s.application_id, s.head_seq, s.head_hash"
	" FROM (SELECT DISTINCT ON (application_id) tenant_id, application_id, head_seq, head_hash"
	"       FROM kyc.sealed_head WHERE seal_id <= $1 ORDER BY application_id, seal_id DESC) s"
	" ORDER BY s.tenant_id COLLATE \"C\", s.application_id",
	1, {INT8OID}
};

/*
 * CheckDigests
 *		The chain of seals, link by link, and the last seal's Merkle root and
 *		leaf count recomputed from kyc.sealed_head.
 */
static void
CheckDigests(Verifier *v)
{
	uint8		prev[KYC_HASH_LEN] = {0};
	int64		expected_id = 1;
	int64		last_id = 0;
	int64		last_tree_size = 0;
	uint8		last_root[KYC_HASH_LEN];
	bool		isnull;
	uint64		n = KycSpiExec(&digests_plan, NULL, NULL, true, 0);
	SPITupleTable *t = SPI_tuptable;

	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = t->vals[i];
		KycSealFields f;
		uint8		computed[KYC_HASH_LEN];
		uint8	   *stored;

		f.hash_version = DatumGetInt16(SPI_getbinval(tup, t->tupdesc, 2, &isnull));
		f.seal_id = DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 1, &isnull));
		f.sealed_at = DatumGetTimestampTz(SPI_getbinval(tup, t->tupdesc, 3, &isnull));
		f.tree_size = DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 4, &isnull));
		f.merkle_root = DatumGetKycHashP(SPI_getbinval(tup, t->tupdesc, 5, &isnull))->bytes;
		f.prev_digest_hash = DatumGetKycHashP(SPI_getbinval(tup, t->tupdesc, 6, &isnull))->bytes;
		f.system_identifier = (uint64) DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 7, &isnull));
		f.database_oid = DatumGetObjectId(SPI_getbinval(tup, t->tupdesc, 8, &isnull));
		f.database_name = TextDatumGetCString(SPI_getbinval(tup, t->tupdesc, 9, &isnull));
		f.incarnation = DatumGetUUIDP(SPI_getbinval(tup, t->tupdesc, 10, &isnull));
		stored = DatumGetKycHashP(SPI_getbinval(tup, t->tupdesc, 11, &isnull))->bytes;

		if (f.seal_id != expected_id)
			VerifierFinding(v, NULL, NULL, f.seal_id, true, "digest_chain_break", "error",
					psprintf("seal " INT64_FORMAT, expected_id), psprintf("seal " INT64_FORMAT, f.seal_id));
		if (memcmp(f.prev_digest_hash, prev, KYC_HASH_LEN) != 0)
			VerifierFinding(v, NULL, NULL, f.seal_id, true, "digest_chain_break", "error", VerifyHex(prev), VerifyHex(f.prev_digest_hash));
		KycSealDigest(&v->hasher, &f, computed);
		if (memcmp(computed, stored, KYC_HASH_LEN) != 0)
			VerifierFinding(v, NULL, NULL, f.seal_id, true, "digest_hash_mismatch", "error", VerifyHex(computed), VerifyHex(stored));
		if (i == n - 1 &&
			f.system_identifier != (uint64) DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 12, &isnull)))
			VerifierFinding(v, NULL, NULL, f.seal_id, true, "identity_changed", "info",
					psprintf(UINT64_FORMAT, f.system_identifier),
					psprintf(UINT64_FORMAT, (uint64) DatumGetInt64(SPI_getbinval(tup, t->tupdesc, 12, &isnull))));
		memcpy(prev, stored, KYC_HASH_LEN);
		expected_id = f.seal_id + 1;
		last_id = f.seal_id;
		last_tree_size = f.tree_size;
		memcpy(last_root, f.merkle_root, KYC_HASH_LEN);
	}

	if (last_id > 0)
	{
		Datum		args[1] = {Int64GetDatum(last_id)};
		uint64		nleaves = KycSpiExec(&leaves_plan, args, NULL, true, 0);
		uint8	   *leaves = palloc(Max(nleaves, 1) * KYC_HASH_LEN);
		uint8		root[KYC_HASH_LEN];

		for (uint64 i = 0; i < nleaves; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;

			KycLeafHash(&v->hasher, TextDatumGetCString(SPI_getbinval(tup, desc, 1, &isnull)),
						DatumGetUUIDP(SPI_getbinval(tup, desc, 2, &isnull)),
						DatumGetInt64(SPI_getbinval(tup, desc, 3, &isnull)),
						DatumGetKycHashP(SPI_getbinval(tup, desc, 4, &isnull))->bytes,
						leaves + i * KYC_HASH_LEN);
		}
		KycMerkleRoot(&v->hasher, leaves, (int64) nleaves, root);
		if ((int64) nleaves != last_tree_size)
			VerifierFinding(v, NULL, NULL, last_id, true, "seal_leaf_count_mismatch", "error",
					VerifyInt64Text(last_tree_size), VerifyInt64Text((int64) nleaves));
		if (memcmp(root, last_root, KYC_HASH_LEN) != 0)
			VerifierFinding(v, NULL, NULL, last_id, true, "merkle_root_mismatch", "error", VerifyHex(last_root), VerifyHex(root));
	}
}

/*
 * Verify
 *		Check the rows (of one chain, or all), then the seals, in one snapshot.
 */
static void
Verify(FunctionCallInfo fcinfo, bool one_chain)
{
	Verifier	v;
	Snapshot	snap;
	HTAB	   *sealed = NULL;
	int64		last_seal = 0;
	bool		isnull;
	int			nest;

	InitMaterializedSRF(fcinfo, 0);
	nest = KycSpiConnect();
	snap = RegisterSnapshot(GetLatestSnapshot());
	PushActiveSnapshot(snap);

	KycSpiExec(&last_seal_plan, NULL, NULL, true, 1);
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			last_seal = DatumGetInt64(d);
	}
	if (last_seal > 0)
		sealed = KycLoadSealedHeads(last_seal);
	VerifierInit(&v, fcinfo, snap, sealed);
	v.all_tenants = superuser_arg(KycCallerId());
	if (!v.all_tenants && kyc_tenant != NULL && kyc_tenant[0] != '\0' && KycTenantAuthorized(kyc_tenant))
		v.only_tenant = pstrdup(kyc_tenant);

	if (one_chain)
	{
		VerifyChain c;

		VerifyChainInit(&v, &c, DatumGetUUIDP(PG_GETARG_DATUM(0)));
		VerifyChainByIndex(&v, &c);
		VerifyChainEnd(&v, &c);
	}
	else
		VerifyLedgerScan(&v);

	if (sealed != NULL)
	{
		HASH_SEQ_STATUS status;
		KycSealedHead *s;

		hash_seq_init(&status, sealed);
		while ((s = hash_seq_search(&status)) != NULL)
		{
			if (s->seen || (one_chain && memcmp(s->app.data, DatumGetUUIDP(PG_GETARG_DATUM(0))->data, UUID_LEN) != 0))
				continue;
			VerifierFinding(&v, s->tenant_id, &s->app, s->head_seq, true, "chain_missing", "error",
							psprintf("rows 1.." INT64_FORMAT, s->head_seq), "no rows");
		}
	}
	if (!one_chain)
		CheckDigests(&v);

	KycHasherFree(&v.hasher);
	PopActiveSnapshot();
	UnregisterSnapshot(snap);
	KycSpiFinish(nest);
}

/*
 * kyc_verify_chain
 *		SQL: kyc.verify_chain(app uuid) -> SETOF findings of one chain.
 */
PG_FUNCTION_INFO_V1(kyc_verify_chain);
Datum
kyc_verify_chain(PG_FUNCTION_ARGS)
{
	Verify(fcinfo, true);
	return (Datum) 0;
}

/*
 * kyc_verify_ledger
 *		SQL: kyc.verify_ledger() -> SETOF findings of every chain and seal.
 */
PG_FUNCTION_INFO_V1(kyc_verify_ledger);
Datum
kyc_verify_ledger(PG_FUNCTION_ARGS)
{
	Verify(fcinfo, false);
	return (Datum) 0;
}
