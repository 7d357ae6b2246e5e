/*-------------------------------------------------------------------------
 *
 * verify_digest.c
 *	  Checks on seal digests: each digest_hash, and the chain of digests an
 *	  auditor builds by keeping every digest they receive.
 *
 * IDENTIFICATION
 *	  src/verifier/verify_digest.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "verify.h"

/*
 * ReportHashPair
 *		A finding whose expected and actual values are hashes.
 */
static void
ReportHashPair(Report *report, const char *scope, int64_t number,
			   const char *finding, const LedgerHash expected,
			   const LedgerHash actual)
{
	char		e[LEDGER_HASH_HEX_LEN + 1];
	char		a[LEDGER_HASH_HEX_LEN + 1];

	LedgerHexEncode(expected, LEDGER_HASH_LEN, e);
	LedgerHexEncode(actual, LEDGER_HASH_LEN, a);
	ReportFinding(report, scope, number, finding, e, a);
}

/*
 * ReportNumberPair
 *		A finding whose values are "<name> <number>" pairs.
 */
static void
ReportNumberPair(Report *report, int64_t seal_id, const char *finding,
				 const char *name, unsigned long long expected,
				 unsigned long long actual)
{
	char		e[96];
	char		a[96];

	snprintf(e, sizeof(e), "%s %llu", name, expected);
	snprintf(a, sizeof(a), "%s %llu", name, actual);
	ReportFinding(report, "seal", seal_id, finding, e, a);
}

/*
 * VerifyDigestHash
 *		Recompute digest_hash from the digest's fields; a hash version other
 *		than 1 is a construction this verifier does not know (wrong_format).
 */
void
VerifyDigestHash(const ExportDigest *digest, const char *scope, int64_t number,
				 const char *finding, Report *report)
{
	LedgerHash	computed;
	char		actual[32];

	if (digest->seal.hash_version != LEDGER_HASH_VERSION)
	{
		snprintf(actual, sizeof(actual), "hash_version %u",
				 (unsigned) digest->seal.hash_version);
		ReportFinding(report, scope, number, "wrong_format", "hash_version 1", actual);
		return;
	}
	LedgerDigestHash(&digest->seal, computed);
	if (memcmp(computed, digest->digest_hash, LEDGER_HASH_LEN) != 0)
		ReportHashPair(report, scope, number, finding, computed, digest->digest_hash);
}

/*
 * VerifyDigestGenesis
 *		Seal 1 has no predecessor: its prev_digest_hash must be 32 zero bytes.
 */
void
VerifyDigestGenesis(const ExportDigest *digest, Report *report)
{
	static const LedgerHash zero;

	if (digest->seal.seal_id == 1 && !LedgerIsZeroHash(digest->seal.prev_digest_hash))
		ReportHashPair(report, "seal", 1, "digest_chain_break", zero,
					   digest->seal.prev_digest_hash);
}

/*
 * CheckSealIdFollows
 *		Consecutive digests have consecutive seal_ids: none left out.
 */
static void
CheckSealIdFollows(const ExportDigest *prev, const ExportDigest *next, Report *report)
{
	if (prev->seal.seal_id == INT64_MAX || next->seal.seal_id != prev->seal.seal_id + 1)
		ReportNumberPair(report, next->seal.seal_id, "digest_chain_break", "seal_id",
						 (unsigned long long) prev->seal.seal_id + 1,
						 (unsigned long long) next->seal.seal_id);
}

/*
 * CheckPrevDigestHash
 *		A digest names its predecessor's digest_hash: the link of the chain.
 */
static void
CheckPrevDigestHash(const ExportDigest *prev, const ExportDigest *next, Report *report)
{
	if (memcmp(next->seal.prev_digest_hash, prev->digest_hash, LEDGER_HASH_LEN) != 0)
		ReportHashPair(report, "seal", next->seal.seal_id, "digest_chain_break",
					   prev->digest_hash, next->seal.prev_digest_hash);
}

/*
 * CheckSealedAtOrder
 *		Seals are taken one after another: sealed_at never goes back.
 */
static void
CheckSealedAtOrder(const ExportDigest *prev, const ExportDigest *next, Report *report)
{
	char		e[64];
	char		a[64];

	if (next->seal.sealed_at_us >= prev->seal.sealed_at_us)
		return;
	snprintf(e, sizeof(e), "sealed_at_us >= %lld", (long long) prev->seal.sealed_at_us);
	snprintf(a, sizeof(a), "sealed_at_us %lld", (long long) next->seal.sealed_at_us);
	ReportFinding(report, "seal", next->seal.seal_id, "digest_chain_break", e, a);
}

/*
 * CheckSameIdentity
 *		Every digest of one chain comes from the same database: same
 *		system_identifier, database_oid and incarnation (the name may change).
 */
static void
CheckSameIdentity(const ExportDigest *prev, const ExportDigest *next, Report *report)
{
	const LedgerSeal *p = &prev->seal;
	const LedgerSeal *n = &next->seal;

	if (p->system_identifier != n->system_identifier)
		ReportNumberPair(report, n->seal_id, "identity_changed", "system_identifier",
						 p->system_identifier, n->system_identifier);
	if (p->database_oid != n->database_oid)
		ReportNumberPair(report, n->seal_id, "identity_changed", "database_oid",
						 p->database_oid, n->database_oid);
	if (memcmp(p->incarnation, n->incarnation, LEDGER_UUID_LEN) != 0)
	{
		char		e[LEDGER_UUID_TEXT_LEN + 16];
		char		a[LEDGER_UUID_TEXT_LEN + 16];

		strcpy(e, "incarnation ");
		strcpy(a, "incarnation ");
		LedgerUuidFormat(p->incarnation, e + strlen(e));
		LedgerUuidFormat(n->incarnation, a + strlen(a));
		ReportFinding(report, "seal", n->seal_id, "identity_changed", e, a);
	}
}

/*
 * VerifyDigestLink
 *		Whether next is the digest that follows prev.
 */
void
VerifyDigestLink(const ExportDigest *prev, const ExportDigest *next, Report *report)
{
	CheckSealIdFollows(prev, next, report);
	CheckPrevDigestHash(prev, next, report);
	CheckSameIdentity(prev, next, report);
	CheckSealedAtOrder(prev, next, report);
}
