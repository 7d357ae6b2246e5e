/*-------------------------------------------------------------------------
 *
 * verify_chain.c
 *	  Checks on one exported evidence chain (pg_kyc.chain.v1).
 *
 * Each row is checked against its own fields and against the row before it
 * as exported, so one edited row yields findings at that row only; a row
 * whose payload was removed must be explained by a later retention_action
 * row; and the seal, when there is one, must prove the chain's head.  The
 * chain's hashes need no secret, so a chain rewritten from some row on is
 * consistent in itself: only the seal (and the digests an auditor keeps)
 * can reveal it.
 *
 * IDENTIFICATION
 *	  src/verifier/verify_chain.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "verify.h"

#define KIND_RETENTION	"retention_action"

/*
 * ReportHashes
 *		A finding at a seq whose expected and actual values are hashes.
 */
static void
ReportHashes(Report *report, int64_t seq, const char *finding,
			 const LedgerHash expected, const LedgerHash actual)
{
	char		e[LEDGER_HASH_HEX_LEN + 1];
	char		a[LEDGER_HASH_HEX_LEN + 1];

	LedgerHexEncode(expected, LEDGER_HASH_LEN, e);
	LedgerHexEncode(actual, LEDGER_HASH_LEN, a);
	ReportFinding(report, "seq", seq, finding, e, a);
}

/*
 * CheckSeq
 *		Rows are numbered 1, 2, 3, ... without gaps.  After a gap the count
 *		resumes from the row found, so one missing row is one finding.
 */
static void
CheckSeq(const ChainRow *row, int64_t *expected, Report *report)
{
	int64_t		seq = row->fields.seq;
	char		e[32];
	char		a[32];

	if (seq != *expected)
	{
		snprintf(e, sizeof(e), "%lld", (long long) *expected);
		snprintf(a, sizeof(a), "%lld", (long long) seq);
		ReportFinding(report, "seq", seq, "seq_gap", e, a);
	}
	*expected = (seq == INT64_MAX) ? seq : seq + 1;
}

/*
 * CheckPrevHash
 *		prev_hash is the previous row's row_hash as exported (32 zero bytes
 *		for the first row).
 */
static void
CheckPrevHash(const ChainRow *row, const ChainRow *prev, Report *report)
{
	static const LedgerHash zero;
	const unsigned char *want = prev ? prev->row_hash : zero;

	if (memcmp(row->fields.prev_hash, want, LEDGER_HASH_LEN) != 0)
		ReportHashes(report, row->fields.seq, "prev_hash_mismatch", want,
					 row->fields.prev_hash);
}

/*
 * CheckHashVersion
 *		Only hash version 1 is known; another version's row hash cannot be
 *		recomputed here (wrong_format).  Returns whether it is known.
 */
static bool
CheckHashVersion(const ChainRow *row, Report *report)
{
	char		actual[32];

	if (row->fields.hash_version == LEDGER_HASH_VERSION)
		return true;
	snprintf(actual, sizeof(actual), "hash_version %u", (unsigned) row->fields.hash_version);
	ReportFinding(report, "seq", row->fields.seq, "wrong_format", "hash_version 1", actual);
	return false;
}

/*
 * CheckPayloadSaltPair
 *		Redaction removes payload and salt together; one without the other
 *		is a redaction_mismatch.
 */
static void
CheckPayloadSaltPair(const ChainRow *row, Report *report)
{
	if ((row->payload != NULL) == row->has_salt)
		return;
	ReportFinding(report, "seq", row->fields.seq, "redaction_mismatch",
				  "payload and salt both present or both null",
				  row->payload ? "payload present, salt null" : "payload null, salt present");
}

/*
 * CheckPayloadDigest
 *		payload_digest = H("kyc.payload.v1" || salt || canonical(payload)).
 *		False only when the payload cannot be serialised (err is filled).
 */
static bool
CheckPayloadDigest(const ChainRow *row, Report *report, char *err)
{
	KvBuf		canon;
	LedgerHash	computed;

	if (row->payload == NULL || !row->has_salt)
		return true;
	KvBufInit(&canon);
	if (!JsonCanonical(row->payload, &canon, err))
		return KvBufFree(&canon), false;
	LedgerPayloadDigest(row->salt, canon.data, canon.len, computed);
	KvBufFree(&canon);
	if (memcmp(computed, row->fields.payload_digest, LEDGER_HASH_LEN) != 0)
		ReportHashes(report, row->fields.seq, "payload_digest_mismatch", computed,
					 row->fields.payload_digest);
	return true;
}

/*
 * CheckRowHash
 *		row_hash recomputed from the row's fields equals the exported one.
 */
static void
CheckRowHash(const ChainRow *row, Report *report)
{
	LedgerHash	computed;

	LedgerRowHash(&row->fields, computed);
	if (memcmp(computed, row->row_hash, LEDGER_HASH_LEN) != 0)
		ReportHashes(report, row->fields.seq, "row_hash_mismatch", computed, row->row_hash);
}

/*
 * IsRetentionRow
 *		Whether a row is a retention_action whose payload is still there.
 */
static bool
IsRetentionRow(const ChainRow *row)
{
	return row->payload != NULL &&
		row->fields.kind.len == strlen(KIND_RETENTION) &&
		memcmp(row->fields.kind.ptr, KIND_RETENTION, row->fields.kind.len) == 0;
}

/*
 * EntryNamesSeq
 *		Whether a "redacted" entry's seq is the number seq (compared in
 *		canonical form, so 3 and 3.0 are the same number).
 */
static bool
EntryNamesSeq(const JsonValue *entry, int64_t seq)
{
	const JsonValue *v = JsonGet(entry, "seq");
	char		want[32];
	char		err[JSON_ERRLEN];
	KvBuf		canon;
	bool		same;

	if (v == NULL || v->kind != JSON_NUMBER)
		return false;
	snprintf(want, sizeof(want), "%lld", (long long) seq);
	KvBufInit(&canon);
	same = JsonCanonicalNumber(v->text, v->len, &canon, err) &&
		strcmp((const char *) canon.data, want) == 0;
	KvBufFree(&canon);
	return same;
}

/*
 * FindListedDigest
 *		The payload_digest that a retention row lists for seq, if it lists
 *		that seq with a readable digest.
 */
static bool
FindListedDigest(const ChainRow *retention, int64_t seq, LedgerHash listed)
{
	const JsonValue *arr = JsonGet(retention->payload, "redacted");
	size_t		i;

	if (arr == NULL || arr->kind != JSON_ARRAY)
		return false;
	for (i = 0; i < arr->nitems; i++)
	{
		const JsonValue *entry = arr->items[i];
		const JsonValue *digest = JsonGet(entry, "payload_digest");
		bool		canonical;

		if (!EntryNamesSeq(entry, seq) || digest == NULL || digest->kind != JSON_STRING)
			continue;
		if (LedgerHexDecode(digest->text, digest->len, listed, LEDGER_HASH_LEN, &canonical))
			return true;
	}
	return false;
}

/*
 * CheckRedaction
 *		A redacted row (payload and salt null) must be listed, with its own
 *		payload_digest, by a later retention_action row of the chain:
 *		redaction_mismatch when listed with another digest, else
 *		unexplained_redaction.
 */
static void
CheckRedaction(const ChainExport *chain, size_t pos, Report *report)
{
	const ChainRow *row = &chain->rows[pos];
	bool		mislisted = false;
	LedgerHash	listed;
	LedgerHash	wrong;
	size_t		j;

	for (j = pos + 1; j < chain->nrows; j++)
	{
		if (!IsRetentionRow(&chain->rows[j]) ||
			!FindListedDigest(&chain->rows[j], row->fields.seq, listed))
			continue;
		if (memcmp(listed, row->fields.payload_digest, LEDGER_HASH_LEN) == 0)
			return;
		mislisted = true;
		memcpy(wrong, listed, LEDGER_HASH_LEN);
	}
	if (mislisted)
		ReportHashes(report, row->fields.seq, "redaction_mismatch",
					 row->fields.payload_digest, wrong);
	else
		ReportFinding(report, "seq", row->fields.seq, "unexplained_redaction", NULL, NULL);
}

/*
 * FindRowBySeq
 *		The first row carrying seq, or NULL.
 */
static const ChainRow *
FindRowBySeq(const ChainExport *chain, int64_t seq)
{
	size_t		i;

	for (i = 0; i < chain->nrows; i++)
		if (chain->rows[i].fields.seq == seq)
			return &chain->rows[i];
	return NULL;
}

/*
 * CheckSealInclusion
 *		The leaf for (tenant, application, head_seq, that row's row_hash)
 *		must lead, by the audit path, to the sealed merkle_root.
 */
static void
CheckSealInclusion(const ChainExport *chain, const ChainRow *head, Report *report)
{
	const ChainSeal *seal = &chain->seal;
	const LedgerSeal *digest = &seal->digest.seal;
	LedgerHash	leaf;
	LedgerHash	root;
	const char *why;
	char		expected[LEDGER_HASH_HEX_LEN + 1];

	LedgerLeafHash(chain->tenant_id, chain->application_id, seal->head_seq,
				   head->row_hash, leaf);
	if (!LedgerRootFromAuditPath(seal->leaf_index, (uint64_t) digest->tree_size, leaf,
								 (const unsigned char *) seal->audit_path, seal->path_len,
								 root, &why))
	{
		LedgerHexEncode(digest->merkle_root, LEDGER_HASH_LEN, expected);
		ReportFinding(report, "seq", seal->head_seq, "seal_inclusion_mismatch",
					  expected, why);
		return;
	}
	if (memcmp(root, digest->merkle_root, LEDGER_HASH_LEN) != 0)
		ReportHashes(report, seal->head_seq, "seal_inclusion_mismatch",
					 digest->merkle_root, root);
}

/*
 * CheckSeal
 *		The embedded digest's own digest_hash, then the head's inclusion.
 */
static void
CheckSeal(const ChainExport *chain, Report *report)
{
	const ChainRow *head;

	if (!chain->sealed)
		return;
	VerifyDigestHash(&chain->seal.digest, "seq", chain->seal.head_seq,
					 "seal_digest_hash_mismatch", report);
	head = FindRowBySeq(chain, chain->seal.head_seq);
	if (head == NULL)
	{
		ReportFinding(report, "seq", chain->seal.head_seq, "sealed_row_missing", NULL, NULL);
		return;
	}
	CheckSealInclusion(chain, head, report);
}

/*
 * VerifyChain
 *		Every check on one chain; counts says how many rows had no payload
 *		to check.  A withheld row still has its row hash and linkage checked.
 *		False only when a payload cannot be serialised (err is filled).
 */
bool
VerifyChain(const ChainExport *chain, Report *report, ChainCounts *counts, char *err)
{
	int64_t		expected_seq = 1;
	size_t		i;

	counts->redacted = 0;
	counts->withheld = 0;
	for (i = 0; i < chain->nrows; i++)
	{
		const ChainRow *row = &chain->rows[i];

		CheckSeq(row, &expected_seq, report);
		CheckPrevHash(row, i > 0 ? &chain->rows[i - 1] : NULL, report);
		if (CheckHashVersion(row, report))
			CheckRowHash(row, report);
		if (row->withheld)
		{
			counts->withheld++;
			continue;
		}
		CheckPayloadSaltPair(row, report);
		if (!CheckPayloadDigest(row, report, err))
			return false;
		if (row->payload == NULL && !row->has_salt)
		{
			counts->redacted++;
			CheckRedaction(chain, i, report);
		}
	}
	CheckSeal(chain, report);
	return true;
}
