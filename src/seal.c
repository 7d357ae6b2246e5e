/*-------------------------------------------------------------------------
 *
 * seal.c
 *	  Sealing the ledger: a kyc.ledger_digest row whose Merkle root commits to
 *	  the head of every chain, linked to the previous seal.
 *
 * A seal reads all heads in one snapshot (only committed rows), refuses to
 * seal a chain that no longer extends its sealed head (sealing would launder
 * tampering), skips when no head changed, and records the heads that changed
 * in kyc.sealed_head so that verification can check every later head
 * against them.  Export the digest and keep it outside the database: only an
 * outside anchor defeats someone who can rewrite the database.
 *
 * IDENTIFICATION
 *	  src/seal.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "caller.h"
#include "hashing.h"
#include "kyc_errors.h"
#include "sealed_heads.h"
#include "spi_safe.h"

#define KYC_LOCKTAG_SEAL 0x4B5A

static KycPlan heads_plan = {
	"SELECT h.tenant_id, h.application_id, h.seq, h.row_hash::bytea"
	" FROM (SELECT DISTINCT ON (application_id) tenant_id, application_id, seq, row_hash"
	"       FROM kyc.evidence ORDER BY application_id, seq DESC) h"
	" ORDER BY h.tenant_id COLLATE \"C\", h.application_id",
	0, {InvalidOid}
};

static KycPlan last_seal_plan = {
	"SELECT seal_id, digest_hash::bytea, sealed_at FROM kyc.ledger_digest ORDER BY seal_id DESC LIMIT 1",
	0, {InvalidOid}
};

static KycPlan row_at_plan = {
	"SELECT row_hash::bytea FROM kyc.evidence WHERE application_id = $1 AND seq = $2",
	2, {UUIDOID, INT8OID}
};

static KycPlan identity_plan = {
	"SELECT (SELECT system_identifier FROM pg_catalog.pg_control_system()), i.incarnation"
	" FROM kyc.ledger_identity i",
	0, {InvalidOid}
};

static KycPlan insert_digest_plan = {
	"INSERT INTO kyc.ledger_digest (seal_id, hash_version, sealed_at, tree_size, merkle_root,"
	"   prev_digest_hash, system_identifier, database_oid, database_name, incarnation, digest_hash)"
	" VALUES ($1, $2, $3, $4, $5::kyc.hash256, $6::kyc.hash256, $7, $8, $9, $10, $11::kyc.hash256)",
	11, {INT8OID, INT2OID, TIMESTAMPTZOID, INT8OID, BYTEAOID, BYTEAOID, INT8OID, OIDOID, TEXTOID, UUIDOID, BYTEAOID}
};

static KycPlan insert_heads_plan = {
	"INSERT INTO kyc.sealed_head (seal_id, tenant_id, application_id, head_seq, head_hash)"
	" SELECT $1, u.t, u.a, u.s, u.h::kyc.hash256"
	" FROM ROWS FROM (pg_catalog.unnest($2::text[]), pg_catalog.unnest($3::uuid[]),"
	"                pg_catalog.unnest($4::int8[]), pg_catalog.unnest($5::bytea[])) AS u (t, a, s, h)",
	5, {INT8OID, TEXTARRAYOID, UUIDARRAYOID, INT8ARRAYOID, BYTEAARRAYOID}
};

/*
 * CheckExtends
 *		A chain whose head moved must still hold its sealed head row unchanged.
 */
static void
CheckExtends(const char *tenant, pg_uuid_t *app, const KycSealedHead *sealed)
{
	Datum		args[2] = {UUIDPGetDatum(app), Int64GetDatum(sealed->head_seq)};
	bool		isnull;
	bytea	   *h = NULL;

	if (KycSpiExec(&row_at_plan, args, NULL, true, 1) > 0)
		h = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (h == NULL || memcmp(VARDATA_ANY(h), sealed->head_hash, KYC_HASH_LEN) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_LEDGER_INCONSISTENT),
				 errmsg("cannot seal the ledger: a chain does not extend its sealed head"),
				 errdetail("Application %s of tenant \"%s\" %s row " INT64_FORMAT " it had when last sealed.",
						   DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(app))), tenant,
						   h == NULL ? "no longer has" : "has a different", sealed->head_seq),
				 errhint("Run kyc.verify_ledger() and investigate before sealing again.")));
}

/*
 * kyc_seal_ledger
 *		SQL: kyc.seal_ledger(now timestamptz) -> seal_id, or NULL when no chain
 *		head changed since the last seal.
 */
PG_FUNCTION_INFO_V1(kyc_seal_ledger);
Datum
kyc_seal_ledger(PG_FUNCTION_ARGS)
{
	static const char *const roles[] = {"kyc_admin", "kyc_jobs"};
	TimestampTz now = PG_ARGISNULL(0) ? GetCurrentTransactionStartTimestamp() : PG_GETARG_TIMESTAMPTZ(0);
	LOCKTAG		tag;
	Snapshot	snap;
	HTAB	   *sealed;
	int			nest;
	uint64		nheads;
	uint8	   *leaves;
	uint8		root[KYC_HASH_LEN];
	uint8		prev[KYC_HASH_LEN] = {0};
	uint8		digest[KYC_HASH_LEN];
	int64		seal_id = 1;
	int64		nchanged = 0;
	int64		nsealed_seen = 0;
	Datum	   *ch_tenant,
			   *ch_app,
			   *ch_seq,
			   *ch_hash;
	KycHasher	h;
	KycSealFields f;
	uint64		system_identifier;
	pg_uuid_t  *incarnation;
	bool		isnull;

	KycAssertCaller("seal the ledger", roles, lengthof(roles));

	/* one sealer at a time; appends go on */
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, 0, 0, KYC_LOCKTAG_SEAL);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);

	nest = KycSpiConnect();
	snap = RegisterSnapshot(GetLatestSnapshot());
	PushActiveSnapshot(snap);

	if (KycSpiExec(&last_seal_plan, NULL, NULL, true, 1) > 0)
	{
		bytea	   *d;
		TimestampTz last_at;

		seal_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) + 1;
		d = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		memcpy(prev, VARDATA_ANY(d), KYC_HASH_LEN);
		last_at = DatumGetTimestampTz(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
		if (now < last_at)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot seal at a time before the last seal"),
					 errdetail("Seal " INT64_FORMAT " was made at %s.", seal_id - 1, timestamptz_to_str(last_at))));
	}

	sealed = KycLoadSealedHeads(seal_id - 1);

	KycSpiExec(&heads_plan, NULL, NULL, true, 0);
	nheads = SPI_processed;
	leaves = palloc(Max(nheads, 1) * KYC_HASH_LEN);
	ch_tenant = palloc(sizeof(Datum) * Max(nheads, 1));
	ch_app = palloc(sizeof(Datum) * Max(nheads, 1));
	ch_seq = palloc(sizeof(Datum) * Max(nheads, 1));
	ch_hash = palloc(sizeof(Datum) * Max(nheads, 1));

	KycHasherInit(&h);
	{
		SPITupleTable *heads = SPI_tuptable;

		for (uint64 i = 0; i < nheads; i++)
		{
			HeapTuple	tup = heads->vals[i];
			char	   *tenant = TextDatumGetCString(SPI_getbinval(tup, heads->tupdesc, 1, &isnull));
			pg_uuid_t  *app = DatumGetUUIDP(SPI_getbinval(tup, heads->tupdesc, 2, &isnull));
			int64		seq = DatumGetInt64(SPI_getbinval(tup, heads->tupdesc, 3, &isnull));
			bytea	   *hash = DatumGetByteaPP(SPI_getbinval(tup, heads->tupdesc, 4, &isnull));
			KycSealedHead *s = hash_search(sealed, app, HASH_FIND, NULL);

			KycLeafHash(&h, tenant, app, seq, (const uint8 *) VARDATA_ANY(hash), leaves + i * KYC_HASH_LEN);
			if (s != NULL)
			{
				nsealed_seen++;
				if (s->head_seq == seq && memcmp(s->head_hash, VARDATA_ANY(hash), KYC_HASH_LEN) == 0)
					continue;
				CheckExtends(tenant, app, s);
				SPI_tuptable = heads;	/* CheckExtends ran a query */
			}
			ch_tenant[nchanged] = CStringGetTextDatum(tenant);
			ch_app[nchanged] = UUIDPGetDatum(app);
			ch_seq[nchanged] = Int64GetDatum(seq);
			ch_hash[nchanged] = PointerGetDatum(KycBytesToBytea((const uint8 *) VARDATA_ANY(hash), KYC_HASH_LEN));
			nchanged++;
		}
	}

	if (nsealed_seen != hash_get_num_entries(sealed))
		ereport(ERROR,
				(errcode(ERRCODE_KYC_LEDGER_INCONSISTENT),
				 errmsg("cannot seal the ledger: a sealed chain has disappeared"),
				 errdetail("%ld chains were sealed, " INT64_FORMAT " of them still have rows.",
						   hash_get_num_entries(sealed), nsealed_seen),
				 errhint("Run kyc.verify_ledger() and investigate before sealing again.")));

	if (nchanged == 0)
	{
		KycHasherFree(&h);
		PopActiveSnapshot();
		UnregisterSnapshot(snap);
		KycSpiFinish(nest);
		PG_RETURN_NULL();
	}

	KycMerkleRoot(&h, leaves, (int64) nheads, root);

	KycSpiExec(&identity_plan, NULL, NULL, true, 1);
	system_identifier = (uint64) DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	incarnation = DatumGetUUIDP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));

	f.hash_version = KYC_HASH_VERSION;
	f.seal_id = seal_id;
	f.sealed_at = now;
	f.tree_size = (int64) nheads;
	f.merkle_root = root;
	f.prev_digest_hash = prev;
	f.system_identifier = system_identifier;
	f.database_oid = MyDatabaseId;
	f.database_name = get_database_name(MyDatabaseId);
	f.incarnation = incarnation;
	KycSealDigest(&h, &f, digest);
	KycHasherFree(&h);

	PopActiveSnapshot();
	UnregisterSnapshot(snap);

	{
		Datum		v[11] = {
			Int64GetDatum(seal_id), Int16GetDatum(KYC_HASH_VERSION), TimestampTzGetDatum(now),
			Int64GetDatum((int64) nheads), PointerGetDatum(KycBytesToBytea(root, KYC_HASH_LEN)), PointerGetDatum(KycBytesToBytea(prev, KYC_HASH_LEN)),
			Int64GetDatum((int64) system_identifier), ObjectIdGetDatum(MyDatabaseId),
			CStringGetTextDatum(f.database_name), UUIDPGetDatum(incarnation), PointerGetDatum(KycBytesToBytea(digest, KYC_HASH_LEN))
		};
		Datum		hv[5] = {
			Int64GetDatum(seal_id),
			PointerGetDatum(construct_array(ch_tenant, nchanged, TEXTOID, -1, false, TYPALIGN_INT)),
			PointerGetDatum(construct_array(ch_app, nchanged, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR)),
			PointerGetDatum(construct_array(ch_seq, nchanged, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE)),
			PointerGetDatum(construct_array(ch_hash, nchanged, BYTEAOID, -1, false, TYPALIGN_INT))
		};

		KycSpiExec(&insert_digest_plan, v, NULL, false, 0);
		KycSpiExec(&insert_heads_plan, hv, NULL, false, 0);
	}
	KycSpiFinish(nest);
	PG_RETURN_INT64(seal_id);
}
