/*-------------------------------------------------------------------------
 *
 * kyc_verify.c
 *	  The offline verifier of pg_kyc's evidence ledger: checks exported
 *	  chains and seal digests without a database (docs/ledger-format.md).
 *
 *	  kyc_verify chain FILE              a pg_kyc.chain.v1 export
 *	  kyc_verify digest FILE             one pg_kyc.digest.v1 export
 *	  kyc_verify digests FILE1 FILE2...  digests that must form a chain
 *	  kyc_verify vectors                 the document's test vectors
 *
 * Exit status: 0 no findings, 1 findings (one line each on stdout), 2 the
 * input could not be read or checked (message on stderr).  The undocumented
 * `make-fixture DIR` writes the test fixtures of tests/verifier/.
 *
 * IDENTIFICATION
 *	  src/verifier/kyc_verify.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "kyc_verify.h"
#include "verify.h"

#define EXIT_CLEAN		0
#define EXIT_FINDINGS	1
#define EXIT_TROUBLE	2

/* A parsed input file. */
typedef struct InputFile
{
	const char *path;
	JsonValue  *doc;
} InputFile;

/*
 * Usage
 *		How to call the program; exit status 2 unless help was asked for.
 */
static int
Usage(FILE *to, int status)
{
	fprintf(to,
			"usage: kyc_verify chain FILE\n"
			"       kyc_verify digest FILE\n"
			"       kyc_verify digests FILE1 FILE2 ...\n"
			"       kyc_verify vectors\n"
			"Checks pg_kyc evidence exports offline.  Exit status: 0 no findings,\n"
			"1 findings (printed one per line), 2 unreadable input or usage error.\n");
	return status;
}

/*
 * ReadWholeFile
 *		The bytes of a file, or NULL with a message on stderr.
 */
static char *
ReadWholeFile(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	KvBuf		buf;
	char		chunk[65536];
	size_t		n;

	if (f == NULL)
	{
		fprintf(stderr, "kyc_verify: could not open file \"%s\": %s\n", path, strerror(errno));
		return NULL;
	}
	KvBufInit(&buf);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		KvBufAppend(&buf, chunk, n);
	if (ferror(f))
	{
		fprintf(stderr, "kyc_verify: could not read file \"%s\": %s\n", path, strerror(errno));
		fclose(f);
		KvBufFree(&buf);
		return NULL;
	}
	fclose(f);
	*len = buf.len;
	return (char *) buf.data;
}

/*
 * LoadInput
 *		Read and parse one file; false with a message on stderr.
 */
static bool
LoadInput(const char *path, InputFile *in)
{
	size_t		len;
	char	   *text = ReadWholeFile(path, &len);
	char		err[JSON_ERRLEN];

	in->path = path;
	in->doc = NULL;
	if (text == NULL)
		return false;
	in->doc = JsonParse(text, len, err);
	free(text);
	if (in->doc == NULL)
		fprintf(stderr, "kyc_verify: file \"%s\": %s\n", path, err);
	return in->doc != NULL;
}

/*
 * Trouble
 *		Report why a file could not be checked; returns exit status 2.
 */
static int
Trouble(const char *path, const char *err)
{
	fprintf(stderr, "kyc_verify: file \"%s\": %s\n", path, err);
	return EXIT_TROUBLE;
}

/*
 * Verdict
 *		Exit status from the findings counted.
 */
static int
Verdict(const Report *report)
{
	return report->findings ? EXIT_FINDINGS : EXIT_CLEAN;
}

/*
 * PrintChainSummary
 *		chain <application_id>: <rows> rows, <r> redacted[, <w> withheld],
 *		<f> findings, sealed up to seq <k> | not sealed
 */
static void
PrintChainSummary(const ChainExport *chain, const ChainCounts *counts, const Report *report)
{
	char		app[LEDGER_UUID_TEXT_LEN + 1];

	LedgerUuidFormat(chain->application_id, app);
	printf("chain %s: %zu rows, %zu redacted, ", app, chain->nrows, counts->redacted);
	if (counts->withheld > 0)
		printf("%zu withheld, ", counts->withheld);
	printf("%ld findings, ", report->findings);
	if (chain->sealed)
		printf("sealed up to seq %lld\n", (long long) chain->seal.head_seq);
	else
		printf("not sealed\n");
}

/*
 * CmdChain
 *		kyc_verify chain FILE
 */
static int
CmdChain(const char *path)
{
	InputFile	in;
	ChainExport chain;
	Report		report = {0};
	char		err[JSON_ERRLEN];
	ChainCounts counts;
	ExportStatus status;
	int			rc;

	if (!LoadInput(path, &in))
		return EXIT_TROUBLE;
	status = ExportReadChain(in.doc, &report, &chain, err);
	if (status == EXPORT_ERROR)
		rc = Trouble(path, err);
	else if (status == EXPORT_WRONG_FORMAT)
		rc = EXIT_FINDINGS;
	else if (!VerifyChain(&chain, &report, &counts, err))
		rc = Trouble(path, err);
	else
	{
		PrintChainSummary(&chain, &counts, &report);
		rc = Verdict(&report);
	}
	ExportFreeChain(&chain);
	JsonFree(in.doc);
	return rc;
}

/*
 * ReadDigestFile
 *		Load one digest export and check its own digest_hash (and, for seal
 *		1, its empty predecessor).  Returns EXPORT_ERROR after a message.
 */
static ExportStatus
ReadDigestFile(InputFile *in, const char *path, ExportDigest *digest, Report *report)
{
	char		err[JSON_ERRLEN];
	ExportStatus status;

	if (!LoadInput(path, in))
		return EXPORT_ERROR;
	status = ExportReadDigest(in->doc, report, digest, err);
	if (status == EXPORT_ERROR)
		Trouble(path, err);
	if (status != EXPORT_OK)
		return status;
	VerifyDigestHash(digest, "seal", digest->seal.seal_id, "digest_hash_mismatch", report);
	VerifyDigestGenesis(digest, report);
	return EXPORT_OK;
}

/*
 * CmdDigest
 *		kyc_verify digest FILE
 */
static int
CmdDigest(const char *path)
{
	InputFile	in;
	ExportDigest digest;
	Report		report = {0};
	ExportStatus status = ReadDigestFile(&in, path, &digest, &report);
	char		hex[LEDGER_HASH_HEX_LEN + 1];

	if (status == EXPORT_OK)
	{
		LedgerHexEncode(digest.digest_hash, LEDGER_HASH_LEN, hex);
		printf("digest seal %lld: tree_size %lld, digest_hash %s, %ld findings\n",
			   (long long) digest.seal.seal_id, (long long) digest.seal.tree_size,
			   hex, report.findings);
	}
	JsonFree(in.doc);
	if (status == EXPORT_ERROR)
		return EXIT_TROUBLE;
	return Verdict(&report);
}

/*
 * CmdDigests
 *		kyc_verify digests FILE1 FILE2 ...: each digest, then each link.  A
 *		file of another format is reported and breaks the run of links.
 */
static int
CmdDigests(int nfiles, char **paths)
{
	InputFile  *in = KvAllocArray((size_t) nfiles, sizeof(InputFile));
	ExportDigest *digests = KvAllocArray((size_t) nfiles, sizeof(ExportDigest));
	Report		report = {0};
	int			prev = -1;
	int			checked = 0;
	int			rc = EXIT_CLEAN;
	int			i;

	for (i = 0; i < nfiles && rc != EXIT_TROUBLE; i++)
	{
		ExportStatus status = ReadDigestFile(&in[i], paths[i], &digests[i], &report);

		checked = i + 1;
		if (status == EXPORT_ERROR)
			rc = EXIT_TROUBLE;
		else if (status == EXPORT_WRONG_FORMAT)
			prev = -1;
		else
		{
			if (prev >= 0)
				VerifyDigestLink(&digests[prev], &digests[i], &report);
			prev = i;
		}
	}
	if (rc != EXIT_TROUBLE)
	{
		printf("digests: %d files, %ld findings\n", nfiles, report.findings);
		rc = Verdict(&report);
	}
	for (i = 0; i < checked; i++)
		JsonFree(in[i].doc);
	free(in);
	free(digests);
	return rc;
}

/*
 * main
 *		Dispatch on the subcommand.
 */
int
main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "chain") == 0 && argc == 3)
		return CmdChain(argv[2]);
	if (strcmp(cmd, "digest") == 0 && argc == 3)
		return CmdDigest(argv[2]);
	if (strcmp(cmd, "digests") == 0 && argc >= 3)
		return CmdDigests(argc - 2, argv + 2);
	if (strcmp(cmd, "vectors") == 0 && argc == 2)
		return RunVectors();
	if (strcmp(cmd, "make-fixture") == 0 && argc == 3)
		return MakeFixtures(argv[2]);
	if ((strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) && argc == 2)
		return Usage(stdout, EXIT_CLEAN);
	return Usage(stderr, EXIT_TROUBLE);
}
