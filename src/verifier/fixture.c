/*-------------------------------------------------------------------------
 *
 * fixture.c
 *	  `kyc_verify make-fixture DIR`: write the exports that
 *	  tests/scripts/verifier.sh checks (committed in tests/verifier/).
 *
 * One valid five-row chain (row 3 redacted and explained by the retention
 * row 5, sealed at seq 5 as leaf 3 of a five-leaf tree), the three digests
 * of seals 1-3, and the altered copies that need hashes recomputed: the
 * test script makes the other alterations itself with sed.  Everything is
 * deterministic, so the files can be regenerated and compared.
 *
 * IDENTIFICATION
 *	  src/verifier/fixture.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "kyc_verify.h"
#include "sha256.h"

#define NROWS		5
#define NLEAVES		5
#define OUR_LEAF	3
#define TENANT		"bank_a"
#define APPLICATION	"00112233-4455-6677-8899-aabbccddeeff"
#define INCARNATION	"0f0e0d0c-0b0a-0908-0706-050403020100"
#define T0			INT64_C(1795305600000000)	/* 2026-11-22T00:00:00Z */

/* What a fixture row says, before hashing. */
typedef struct RowSpec
{
	const char *kind;
	const char *data_class;
	const char *actor_role;
	uint32_t	actor_role_oid;
	const char *actor_principal;
	const char *payload;		/* JSON text, written as it is */
	bool		redacted;
} RowSpec;

/* A fixture row with its hashes. */
typedef struct FixtureRow
{
	LedgerRow	fields;
	char		payload[512];
	bool		redacted;
	unsigned char salt[LEDGER_SALT_LEN];
	LedgerHash	row_hash;
} FixtureRow;

/* Another chain head of the sealed tree. */
typedef struct OtherHead
{
	const char *tenant;
	const char *application;
	int64_t		head_seq;
	const char *head_preimage;
} OtherHead;

/* Row 5 lists row 3's digest: %s is filled in when row 3 is hashed. */
static const RowSpec valid_rows[NROWS] = {
	{"application_snapshot", "pii", "onboarding_svc", 16390, NULL,
		"{\"product\": \"digital_checking\", \"deposit\": 1.50, "
		"\"applicant\": {\"name\": \"Zo\xc3\xab Example\", \"birth_date\": \"1990-04-01\"}}", false},
	{"state_change", "internal", "onboarding_svc", 16390, "emp-42",
		"{\"from\": \"application_started\", \"to\": \"consent_captured\", \"state_version\": 2}", false},
	{"evidence_validation", "pii", "kyc_analyst", 16391, "emp-7",
		"{\"document\": \"passport\", \"number\": \"X1234567\", \"expires\": \"2031-05-31\"}", true},
	{"state_change", "internal", "kyc_analyst", 16391, "emp-7",
		"{\"from\": \"consent_captured\", \"to\": \"approved\", \"state_version\": 3}", false},
	{"retention_action", "internal", "kyc_retention", 16392, NULL,
		"{\"policy\": \"identity_documents_5y\", "
		"\"redacted\": [{\"seq\": 3, \"payload_digest\": \"%s\"}]}", false},
};

/* A row 3 that was never recorded, for the forged-insert fixture. */
static const RowSpec forged_row = {
	"state_change", "internal", "kyc_analyst", 16391, "emp-7",
	"{\"from\": \"consent_captured\", \"to\": \"approved\", \"state_version\": 3}", false
};

#define EDITED_PAYLOAD \
	"{\"from\": \"application_started\", \"to\": \"rejected\", \"state_version\": 2}"

/* The tree's other leaves, in sort order around ours (OUR_LEAF). */
static const OtherHead other_heads[NLEAVES - 1] = {
	{"alpha_bank", "5a5a5a5a-0000-4000-8000-000000000001", 12, "alpha"},
	{"bank_a", "00000000-0000-4000-8000-000000000001", 3, "one"},
	{"bank_a", "00112233-4455-6677-8899-aabbccddee00", 7, "two"},
	{"bank_b", "00000000-0000-4000-8000-000000000002", 1, "three"},
};

/*
 * DigestPayload
 *		payload_digest of a row from its payload text and salt.
 */
static void
DigestPayload(FixtureRow *row)
{
	char		err[JSON_ERRLEN];
	JsonValue  *v = JsonParse(row->payload, strlen(row->payload), err);
	KvBuf		canon;

	KvBufInit(&canon);
	if (v == NULL || !JsonCanonical(v, &canon, err))
	{
		fprintf(stderr, "kyc_verify: bad fixture payload: %s\n", err);
		exit(2);
	}
	LedgerPayloadDigest(row->salt, canon.data, canon.len, row->fields.payload_digest);
	KvBufFree(&canon);
	JsonFree(v);
}

/*
 * FillRow
 *		The fields of row seq from its spec, and a salt derived from seq (pg_kyc
 *		draws it at random); no hashes yet.
 */
static void
FillRow(FixtureRow *row, const RowSpec *spec, int64_t seq)
{
	char		seed[32];

	memset(row, 0, sizeof(FixtureRow));
	row->fields.hash_version = LEDGER_HASH_VERSION;
	row->fields.tenant_id = LedgerStrFromC(TENANT);
	LedgerUuidFromC(APPLICATION, row->fields.application_id);
	row->fields.seq = seq;
	row->fields.kind = LedgerStrFromC(spec->kind);
	row->fields.data_class = LedgerStrFromC(spec->data_class);
	row->fields.recorded_at_us = T0 + (seq - 1) * INT64_C(60000000);
	row->fields.actor_role = LedgerStrFromC(spec->actor_role);
	row->fields.actor_role_oid = spec->actor_role_oid;
	row->fields.actor_principal = LedgerStrFromC(spec->actor_principal);
	row->fields.payload_schema_version = 1;
	row->redacted = spec->redacted;
	snprintf(seed, sizeof(seed), "fixture salt %lld", (long long) seq);
	Sha256(seed, strlen(seed), row->salt);
	snprintf(row->payload, sizeof(row->payload), "%s", spec->payload);
}

/*
 * ChainRows
 *		Link rows[from..n-1]: prev_hash from the row before, then row_hash.
 */
static void
ChainRows(FixtureRow *rows, size_t n, size_t from)
{
	size_t		i;

	for (i = from; i < n; i++)
	{
		if (i == 0)
			memset(rows[i].fields.prev_hash, 0, LEDGER_HASH_LEN);
		else
			memcpy(rows[i].fields.prev_hash, rows[i - 1].row_hash, LEDGER_HASH_LEN);
		LedgerRowHash(&rows[i].fields, rows[i].row_hash);
	}
}

/*
 * BuildValidChain
 *		The five valid rows; row 5's payload names row 3's digest.
 */
static void
BuildValidChain(FixtureRow *rows)
{
	char		hex[LEDGER_HASH_HEX_LEN + 1];
	size_t		i;

	for (i = 0; i < NROWS; i++)
	{
		FillRow(&rows[i], &valid_rows[i], (int64_t) i + 1);
		if (i == NROWS - 1)
		{
			LedgerHexEncode(rows[2].fields.payload_digest, LEDGER_HASH_LEN, hex);
			snprintf(rows[i].payload, sizeof(rows[i].payload), valid_rows[i].payload, hex);
		}
		DigestPayload(&rows[i]);
	}
	ChainRows(rows, NROWS, 0);
}

/*
 * BuildLeaves
 *		The five leaves of seal 2: the other heads and our head (row 5).
 */
static void
BuildLeaves(const FixtureRow *head, unsigned char *leaves)
{
	size_t		i;
	size_t		o = 0;
	LedgerUuid	app;
	LedgerHash	h;

	for (i = 0; i < NLEAVES; i++)
	{
		unsigned char *leaf = leaves + i * LEDGER_HASH_LEN;

		if (i == OUR_LEAF)
		{
			LedgerLeafHash(head->fields.tenant_id, head->fields.application_id,
						   head->fields.seq, head->row_hash, leaf);
			continue;
		}
		LedgerUuidFromC(other_heads[o].application, app);
		Sha256(other_heads[o].head_preimage, strlen(other_heads[o].head_preimage), h);
		LedgerLeafHash(LedgerStrFromC(other_heads[o].tenant), app, other_heads[o].head_seq, h, leaf);
		o++;
	}
}

/*
 * MakeDigest
 *		A seal of the fixture database over the first tree_size leaves.
 */
static void
MakeDigest(ExportDigest *d, int64_t seal_id, int64_t sealed_at_us,
		   const unsigned char *leaves, int64_t tree_size, const LedgerHash prev)
{
	memset(d, 0, sizeof(ExportDigest));
	d->seal.hash_version = LEDGER_HASH_VERSION;
	d->seal.seal_id = seal_id;
	d->seal.sealed_at_us = sealed_at_us;
	d->seal.tree_size = tree_size;
	LedgerMerkleRoot(leaves, (size_t) tree_size, d->seal.merkle_root);
	memcpy(d->seal.prev_digest_hash, prev, LEDGER_HASH_LEN);
	d->seal.system_identifier = UINT64_C(7391234567890123456);
	d->seal.database_oid = 16384;
	d->seal.database_name = LedgerStrFromC("kyc");
	LedgerUuidFromC(INCARNATION, d->seal.incarnation);
	LedgerDigestHash(&d->seal, d->digest_hash);
}

/*
 * WriteHex
 *		"<hex>" of a hash.
 */
static void
WriteHex(FILE *f, const unsigned char *hash)
{
	char		hex[LEDGER_HASH_HEX_LEN + 1];

	LedgerHexEncode(hash, LEDGER_HASH_LEN, hex);
	fprintf(f, "\"%s\"", hex);
}

/*
 * WriteStr
 *		A JSON string (or null) for a spec `str`.
 */
static void
WriteStr(FILE *f, LedgerStr s)
{
	KvBuf		buf;

	if (s.ptr == NULL)
	{
		fputs("null", f);
		return;
	}
	KvBufInit(&buf);
	JsonCanonicalString(&buf, s.ptr, s.len);
	fwrite(buf.data, 1, buf.len, f);
	KvBufFree(&buf);
}

/*
 * WriteDigest
 *		A digest object in the member order of the export (one line).
 */
static void
WriteDigest(FILE *f, const ExportDigest *d)
{
	char		uuid[LEDGER_UUID_TEXT_LEN + 1];

	LedgerUuidFormat(d->seal.incarnation, uuid);
	fprintf(f, "{\"format\": \"%s\", \"hash_version\": %u, \"seal_id\": %lld, "
			"\"sealed_at_us\": %lld, \"tree_size\": %lld, \"merkle_root\": ",
			FORMAT_DIGEST, (unsigned) d->seal.hash_version, (long long) d->seal.seal_id,
			(long long) d->seal.sealed_at_us, (long long) d->seal.tree_size);
	WriteHex(f, d->seal.merkle_root);
	fputs(", \"prev_digest_hash\": ", f);
	WriteHex(f, d->seal.prev_digest_hash);
	fprintf(f, ", \"system_identifier\": \"%llu\", \"database_oid\": %u, \"database_name\": ",
			(unsigned long long) d->seal.system_identifier, (unsigned) d->seal.database_oid);
	WriteStr(f, d->seal.database_name);
	fprintf(f, ", \"incarnation\": \"%s\", \"digest_hash\": ", uuid);
	WriteHex(f, d->digest_hash);
	fputs("}", f);
}

/*
 * WriteRow
 *		One row object on one line; a redacted row has null payload and salt.
 */
static void
WriteRow(FILE *f, const FixtureRow *row)
{
	const LedgerRow *r = &row->fields;
	char		salt[2 * LEDGER_SALT_LEN + 1];

	fprintf(f, "  {\"seq\": %lld, \"hash_version\": %u, \"kind\": ", (long long) r->seq,
			(unsigned) r->hash_version);
	WriteStr(f, r->kind);
	fputs(", \"data_class\": ", f);
	WriteStr(f, r->data_class);
	fprintf(f, ", \"recorded_at_us\": %lld, \"actor_role\": ", (long long) r->recorded_at_us);
	WriteStr(f, r->actor_role);
	fprintf(f, ", \"actor_role_oid\": %u, \"actor_principal\": ", (unsigned) r->actor_role_oid);
	WriteStr(f, r->actor_principal);
	fprintf(f, ", \"payload_schema_version\": %u, ", (unsigned) r->payload_schema_version);
	LedgerHexEncode(row->salt, LEDGER_SALT_LEN, salt);
	if (row->redacted)
		fputs("\"payload\": null, \"salt\": null", f);
	else
		fprintf(f, "\"payload\": %s, \"salt\": \"%s\"", row->payload, salt);
	fputs(", \"payload_digest\": ", f);
	WriteHex(f, r->payload_digest);
	fputs(", \"prev_hash\": ", f);
	WriteHex(f, r->prev_hash);
	fputs(", \"row_hash\": ", f);
	WriteHex(f, row->row_hash);
	fputs("}", f);
}

/*
 * WriteSeal
 *		The seal member: digest, leaf index, head seq and audit path of our
 *		leaf; null when seal is NULL.
 */
static void
WriteSeal(FILE *f, const ExportDigest *seal, const unsigned char *leaves)
{
	unsigned char path[64 * LEDGER_HASH_LEN];
	size_t		len;
	size_t		i;

	fputs(" \"seal\": ", f);
	if (seal == NULL)
	{
		fputs("null}\n", f);
		return;
	}
	len = LedgerAuditPath(leaves, NLEAVES, OUR_LEAF, path);
	fputs("{\"digest\": ", f);
	WriteDigest(f, seal);
	fprintf(f, ", \"leaf_index\": %d, \"head_seq\": %d, \"audit_path\": [", OUR_LEAF, NROWS);
	for (i = 0; i < len; i++)
	{
		fputs(i ? ", " : "", f);
		WriteHex(f, path + i * LEDGER_HASH_LEN);
	}
	fputs("]}}\n", f);
}

/*
 * OpenOutput
 *		DIR/name for writing; NULL after a message.
 */
static FILE *
OpenOutput(const char *dir, const char *name)
{
	char		path[4096];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		fprintf(stderr, "kyc_verify: could not create file \"%s\"\n", path);
	return f;
}

/*
 * WriteChainFile
 *		A chain export with one row per line, so that tests can edit rows.
 */
static bool
WriteChainFile(const char *dir, const char *name, const FixtureRow *rows, size_t n,
			   const ExportDigest *seal, const unsigned char *leaves)
{
	FILE	   *f = OpenOutput(dir, name);
	size_t		i;

	if (f == NULL)
		return false;
	fprintf(f, "{\"format\": \"%s\", \"tenant_id\": \"%s\", \"application_id\": \"%s\",\n"
			" \"rows\": [\n", FORMAT_CHAIN, TENANT, APPLICATION);
	for (i = 0; i < n; i++)
	{
		WriteRow(f, &rows[i]);
		fputs(i + 1 < n ? ",\n" : "],\n", f);
	}
	WriteSeal(f, seal, leaves);
	return fclose(f) == 0;
}

/*
 * WriteDigestFile
 *		A digest export on one line.
 */
static bool
WriteDigestFile(const char *dir, const char *name, const ExportDigest *d)
{
	FILE	   *f = OpenOutput(dir, name);

	if (f == NULL)
		return false;
	WriteDigest(f, d);
	fputs("\n", f);
	return fclose(f) == 0;
}

/*
 * WriteDigestFiles
 *		Seals 1-3, and seal 2 altered with its hash recomputed: another
 *		database identity, another predecessor, an earlier time.
 */
static bool
WriteDigestFiles(const char *dir, const unsigned char *leaves, ExportDigest *seal2)
{
	static const LedgerHash zero;
	ExportDigest d1;
	ExportDigest d3;
	ExportDigest alt;
	bool		ok;

	MakeDigest(&d1, 1, T0 + INT64_C(30000000), leaves, 3, zero);
	MakeDigest(seal2, 2, T0 + INT64_C(3600000000), leaves, NLEAVES, d1.digest_hash);
	MakeDigest(&d3, 3, T0 + INT64_C(7200000000), leaves, NLEAVES, seal2->digest_hash);
	ok = WriteDigestFile(dir, "digest-1.json", &d1) &&
		WriteDigestFile(dir, "digest-2.json", seal2) &&
		WriteDigestFile(dir, "digest-3.json", &d3);

	alt = *seal2;
	LedgerUuidFromC("0f0e0d0c-0b0a-0908-0706-0504030201ff", alt.seal.incarnation);
	LedgerDigestHash(&alt.seal, alt.digest_hash);
	ok = ok && WriteDigestFile(dir, "digest-2-identity.json", &alt);
	alt = *seal2;
	Sha256("fork", 4, alt.seal.prev_digest_hash);
	LedgerDigestHash(&alt.seal, alt.digest_hash);
	ok = ok && WriteDigestFile(dir, "digest-2-fork.json", &alt);
	alt = *seal2;
	alt.seal.sealed_at_us = T0;
	LedgerDigestHash(&alt.seal, alt.digest_hash);
	return ok && WriteDigestFile(dir, "digest-2-earlier.json", &alt);
}

/*
 * WriteAlteredChains
 *		Alterations that need hashes recomputed to be convincing.
 */
static bool
WriteAlteredChains(const char *dir, const FixtureRow *valid, const ExportDigest *seal,
				   const unsigned char *leaves)
{
	FixtureRow	rows[NROWS + 1];
	char		hex[LEDGER_HASH_HEX_LEN + 1];
	size_t		i;
	bool		ok;

	/* row 2's payload edited and its digest recomputed, row_hash kept */
	memcpy(rows, valid, sizeof(FixtureRow) * NROWS);
	snprintf(rows[1].payload, sizeof(rows[1].payload), "%s", EDITED_PAYLOAD);
	DigestPayload(&rows[1]);
	ok = WriteChainFile(dir, "chain-payload-redigested.json", rows, NROWS, seal, leaves);

	/* the same edit with every later hash recomputed: only the seal can tell */
	ChainRows(rows, NROWS, 1);
	ok = ok && WriteChainFile(dir, "chain-rewritten.json", rows, NROWS, seal, leaves);

	/* a well-hashed row 3 inserted after row 2, the old rows left as they were */
	memcpy(rows, valid, sizeof(FixtureRow) * 2);
	FillRow(&rows[2], &forged_row, 3);
	DigestPayload(&rows[2]);
	ChainRows(rows, 3, 2);
	for (i = 2; i < NROWS; i++)
		rows[i + 1] = valid[i];
	ok = ok && WriteChainFile(dir, "chain-forged-insert.json", rows, NROWS + 1, seal, leaves);

	/* row 3 "explained" by a retention row recorded before it, at seq 2 */
	memcpy(rows, valid, sizeof(FixtureRow) * NROWS);
	FillRow(&rows[1], &valid_rows[NROWS - 1], 2);
	LedgerHexEncode(rows[2].fields.payload_digest, LEDGER_HASH_LEN, hex);
	snprintf(rows[1].payload, sizeof(rows[1].payload), valid_rows[NROWS - 1].payload, hex);
	DigestPayload(&rows[1]);
	ChainRows(rows, NROWS - 1, 1);
	return ok && WriteChainFile(dir, "chain-retention-before.json", rows, NROWS - 1, NULL, leaves);
}

/*
 * MakeFixtures
 *		Write every fixture into dir (which must exist).
 */
int
MakeFixtures(const char *dir)
{
	FixtureRow	rows[NROWS];
	unsigned char leaves[NLEAVES * LEDGER_HASH_LEN];
	ExportDigest seal2;
	bool		ok;

	BuildValidChain(rows);
	BuildLeaves(&rows[NROWS - 1], leaves);
	ok = WriteDigestFiles(dir, leaves, &seal2) &&
		WriteChainFile(dir, "chain-valid.json", rows, NROWS, &seal2, leaves) &&
		WriteChainFile(dir, "chain-unsealed.json", rows, NROWS, NULL, leaves) &&
		WriteAlteredChains(dir, rows, &seal2, leaves);
	return ok ? 0 : 2;
}
