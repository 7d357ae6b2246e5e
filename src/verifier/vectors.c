/*-------------------------------------------------------------------------
 *
 * vectors.c
 *	  `kyc_verify vectors`: recompute the test vectors of
 *	  docs/ledger-format.md from their inputs and compare each with the
 *	  value the document gives.
 *
 * The inputs and the expected values are copied from the document by hand;
 * when the document changes, this file must change with it.  Two checks of
 * this implementation's own are added: the FIPS 180-4 "abc" example, and
 * that audit paths built for every leaf of trees of 1 to 17 leaves verify,
 * and stop verifying when shortened or lengthened.
 *
 * IDENTIFICATION
 *	  src/verifier/vectors.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "kyc_verify.h"
#include "ledger.h"
#include "sha256.h"

#define APP_1		"00112233-4455-6677-8899-aabbccddeeff"
#define APP_2		"ffffffff-0000-0000-0000-000000000001"
#define APP_3		"00000000-0000-0000-0000-000000000002"
#define INCARNATION	"0f0e0d0c-0b0a-0908-0706-050403020100"

/* Row 1's payload as the document writes it, and its canonical form. */
#define PAYLOAD_1	"{\"b\": [1.50, true, null, \"\xc3\xa9\\n\"], \"a\": -0.0, " \
					"\"c\": {\"z\": 1e3, \"y\": \"x\\u0001\"}, \"ab\": 2.5E-3}"
#define CANON_1		"{\"a\":0,\"ab\":0.0025,\"b\":[1.5,true,null,\"\xc3\xa9\\n\"]," \
					"\"c\":{\"y\":\"x\\u0001\",\"z\":1000}}"
#define PAYLOAD_2	"{\"to\": \"consent_captured\", \"from\": \"application_started\", " \
					"\"state_version\": 2}"
#define CANON_2		"{\"from\":\"application_started\",\"state_version\":2," \
					"\"to\":\"consent_captured\"}"

#define DIGEST_1	"47e5103be39618eee3cae148169056bf99bd91ebd26cb3cb25233021441f586e"
#define ROW_HASH_1	"33bfb3efa8983c55fbf015dd4a0085a2249a5d4e06a61b92a2b7a46cbfe3221a"
#define DIGEST_2	"669966b43841d8066aa6ec521002802ce02df0f770b7d82e1cff464473229715"
#define ROW_HASH_2	"3b7c400079b0e872fc6ccb7920263ae24c4741caef67c36742dc5a9f3c8b42c5"
#define LEAF_1		"9f4b7b782d3ae24ba1803c9d09905b8a67f3755ccba2a467526b03b1528ec546"
#define ROOT_EMPTY	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define ROOT_3		"b5970ca6e4752d4838c88a6dd5626f8d8024acffa550f34a447267c116755640"
#define DIGEST_HASH	"f915ad76a3c2823b88c7fd22ec843c8c189baa342506f39281010b74ecfabcfa"
#define SHA_ABC		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

/* Running tally of the vectors checked. */
typedef struct Tally
{
	int			passed;
	int			failed;
} Tally;

/*
 * Expect
 *		Print one computed value and whether it is the documented one.
 */
static void
Expect(Tally *tally, const char *name, const char *computed, const char *expected)
{
	bool		ok = strcmp(computed, expected) == 0;

	printf("%s: %s %s\n", name, computed, ok ? "ok" : "MISMATCH");
	if (!ok)
		printf("  documented: %s\n", expected);
	ok ? tally->passed++ : tally->failed++;
}

/*
 * ExpectHash
 *		Expect for a hash, shown as hex.
 */
static void
ExpectHash(Tally *tally, const char *name, const LedgerHash hash, const char *expected)
{
	char		hex[LEDGER_HASH_HEX_LEN + 1];

	LedgerHexEncode(hash, LEDGER_HASH_LEN, hex);
	Expect(tally, name, hex, expected);
}

/*
 * PayloadDigest
 *		Canonicalise payload text, check it, and digest it with salt bytes
 *		first, first + 1, ... first + 31.
 */
static void
PayloadDigest(Tally *tally, const char *name, const char *payload,
			  const char *canon_expected, unsigned char first, LedgerHash out)
{
	char		err[JSON_ERRLEN];
	char		label[64];
	unsigned char salt[LEDGER_SALT_LEN];
	JsonValue  *v = JsonParse(payload, strlen(payload), err);
	KvBuf		canon;
	int			i;

	KvBufInit(&canon);
	if (v == NULL || !JsonCanonical(v, &canon, err))
		KvBufAppendStr(&canon, err);
	snprintf(label, sizeof(label), "%s canonical payload", name);
	Expect(tally, label, (const char *) canon.data, canon_expected);
	for (i = 0; i < LEDGER_SALT_LEN; i++)
		salt[i] = (unsigned char) (first + i);
	LedgerPayloadDigest(salt, canon.data, canon.len, out);
	KvBufFree(&canon);
	JsonFree(v);
}

/*
 * RowVectors
 *		Rows 1 and 2 of the document; leaves row 2's hash in head.
 */
static void
RowVectors(Tally *tally, LedgerHash head)
{
	LedgerRow	row;

	memset(&row, 0, sizeof(row));
	row.hash_version = 1;
	row.tenant_id = LedgerStrFromC("bank_a");
	LedgerUuidFromC(APP_1, row.application_id);
	row.seq = 1;
	row.kind = LedgerStrFromC("application_snapshot");
	row.data_class = LedgerStrFromC("pii");
	row.recorded_at_us = INT64_C(1795305600000000);
	row.actor_role = LedgerStrFromC("onboarding_svc");
	row.actor_role_oid = 16390;
	row.actor_principal = LedgerStrFromC(NULL);
	row.payload_schema_version = 1;
	PayloadDigest(tally, "row 1", PAYLOAD_1, CANON_1, 0x00, row.payload_digest);
	ExpectHash(tally, "row 1 payload_digest", row.payload_digest, DIGEST_1);
	LedgerRowHash(&row, head);
	ExpectHash(tally, "row 1 row_hash", head, ROW_HASH_1);

	row.seq = 2;
	memcpy(row.prev_hash, head, LEDGER_HASH_LEN);
	row.kind = LedgerStrFromC("state_change");
	row.data_class = LedgerStrFromC("internal");
	row.recorded_at_us = INT64_C(1795305601000000);
	row.actor_principal = LedgerStrFromC("emp-42");
	PayloadDigest(tally, "row 2", PAYLOAD_2, CANON_2, 0x20, row.payload_digest);
	ExpectHash(tally, "row 2 payload_digest", row.payload_digest, DIGEST_2);
	LedgerRowHash(&row, head);
	ExpectHash(tally, "row 2 row_hash", head, ROW_HASH_2);
}

/*
 * MerkleVectors
 *		The three leaves of the document and the roots over them; leaves the
 *		root of all three in root.
 */
static void
MerkleVectors(Tally *tally, const LedgerHash head, LedgerHash root)
{
	LedgerHash	leaves[3];
	LedgerHash	h;
	LedgerUuid	app;

	LedgerUuidFromC(APP_1, app);
	LedgerLeafHash(LedgerStrFromC("bank_a"), app, 2, head, leaves[0]);
	LedgerUuidFromC(APP_2, app);
	Sha256("x", 1, h);
	LedgerLeafHash(LedgerStrFromC("bank_a"), app, 1, h, leaves[1]);
	LedgerUuidFromC(APP_3, app);
	Sha256("y", 1, h);
	LedgerLeafHash(LedgerStrFromC("bank_b"), app, 5, h, leaves[2]);
	ExpectHash(tally, "leaf 1 leaf_hash", leaves[0], LEAF_1);

	LedgerMerkleRoot((const unsigned char *) leaves, 0, h);
	ExpectHash(tally, "root of the empty tree", h, ROOT_EMPTY);
	LedgerMerkleRoot((const unsigned char *) leaves, 1, h);
	ExpectHash(tally, "root of leaf 1 alone", h, LEAF_1);
	LedgerMerkleRoot((const unsigned char *) leaves, 3, root);
	ExpectHash(tally, "root of leaves 1-3", root, ROOT_3);
}

/*
 * SealVector
 *		The seal of the document over the three leaves.
 */
static void
SealVector(Tally *tally, const LedgerHash root)
{
	LedgerSeal	seal;
	LedgerHash	h;

	memset(&seal, 0, sizeof(seal));
	seal.hash_version = 1;
	seal.seal_id = 1;
	seal.sealed_at_us = INT64_C(1795305660000000);
	seal.tree_size = 3;
	memcpy(seal.merkle_root, root, LEDGER_HASH_LEN);
	seal.system_identifier = UINT64_C(7391234567890123456);
	seal.database_oid = 16384;
	seal.database_name = LedgerStrFromC("kyc");
	LedgerUuidFromC(INCARNATION, seal.incarnation);
	LedgerDigestHash(&seal, h);
	ExpectHash(tally, "seal digest_hash", h, DIGEST_HASH);
}

/*
 * PathVerifies
 *		Whether an audit path of pathlen hashes leads leaf index to root.
 */
static bool
PathVerifies(size_t index, size_t n, LedgerHash *leaves, LedgerHash *path,
			 size_t pathlen, const LedgerHash root)
{
	LedgerHash	got;
	const char *why;

	return LedgerRootFromAuditPath(index, n, leaves[index], (const unsigned char *) path,
								   pathlen, got, &why) &&
		memcmp(got, root, LEDGER_HASH_LEN) == 0;
}

/*
 * AuditPathSelfCheck
 *		Build the audit path of every leaf of trees of 1 to 17 leaves: each
 *		must verify as built and fail with one hash dropped or added.
 */
static void
AuditPathSelfCheck(Tally *tally)
{
	LedgerHash	leaves[17];
	LedgerHash	path[65];
	LedgerHash	root;
	size_t		n;
	size_t		m;
	int			bad = 0;

	for (n = 0; n < 17; n++)
		Sha256(&n, sizeof(n), leaves[n]);
	for (n = 1; n <= 17; n++)
	{
		LedgerMerkleRoot((const unsigned char *) leaves, n, root);
		for (m = 0; m < n; m++)
		{
			size_t		len = LedgerAuditPath((const unsigned char *) leaves, n, m,
										 (unsigned char *) path);

			memcpy(path[len], root, LEDGER_HASH_LEN);
			bad += !PathVerifies(m, n, leaves, path, len, root);
			bad += len > 0 && PathVerifies(m, n, leaves, path, len - 1, root);
			bad += PathVerifies(m, n, leaves, path, len + 1, root);
		}
		bad += PathVerifies(n, n, leaves, path, 0, root);
	}
	Expect(tally, "audit paths of trees of 1-17 leaves", bad ? "broken" : "verify", "verify");
}

/*
 * RunVectors
 *		All vectors; exit status 1 when any value differs from the document.
 */
int
RunVectors(void)
{
	Tally		tally = {0, 0};
	LedgerHash	head;
	LedgerHash	root;

	Sha256("abc", 3, head);
	ExpectHash(&tally, "sha256(\"abc\") (FIPS 180-4 example)", head, SHA_ABC);
	RowVectors(&tally, head);
	MerkleVectors(&tally, head, root);
	SealVector(&tally, root);
	AuditPathSelfCheck(&tally);
	printf("vectors: %d passed, %d failed\n", tally.passed, tally.failed);
	return tally.failed ? 1 : 0;
}
