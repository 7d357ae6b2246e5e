/*-------------------------------------------------------------------------
 *
 * export.h
 *	  Reading the two export formats of docs/ledger-format.md
 *	  (pg_kyc.chain.v1, pg_kyc.digest.v1) from a parsed JSON tree.
 *
 * IDENTIFICATION
 *	  src/verifier/export.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_EXPORT_H
#define KYC_VERIFY_EXPORT_H

#include <stdbool.h>

#include "json.h"
#include "ledger.h"
#include "report.h"

#define FORMAT_CHAIN	"pg_kyc.chain.v1"
#define FORMAT_DIGEST	"pg_kyc.digest.v1"

/* One exported seal digest (pg_kyc.digest.v1). */
typedef struct ExportDigest
{
	LedgerSeal	seal;
	LedgerHash	digest_hash;
} ExportDigest;

/* One chain row: the hashed fields, the payload and salt unless redacted. */
typedef struct ChainRow
{
	LedgerRow	fields;
	const JsonValue *payload;	/* NULL when the export has null */
	bool		has_salt;
	bool		withheld;		/* the exporter may not read this class */
	unsigned char salt[LEDGER_SALT_LEN];
	LedgerHash	row_hash;
} ChainRow;

/* The seal section of a chain export. */
typedef struct ChainSeal
{
	ExportDigest digest;
	uint64_t	leaf_index;
	int64_t		head_seq;
	LedgerHash *audit_path;
	size_t		path_len;
} ChainSeal;

/* One chain export (pg_kyc.chain.v1); strings point into the JSON tree. */
typedef struct ChainExport
{
	LedgerStr	tenant_id;
	LedgerUuid	application_id;
	ChainRow   *rows;
	size_t		nrows;
	bool		sealed;
	ChainSeal	seal;
} ChainExport;

/* Outcome of reading an export. */
typedef enum ExportStatus
{
	EXPORT_OK,					/* read; field findings may have been reported */
	EXPORT_WRONG_FORMAT,		/* another format: reported, nothing more to check */
	EXPORT_ERROR				/* cannot be read: message in err */
} ExportStatus;

extern ExportStatus ExportReadChain(const JsonValue *doc, Report *report,
									ChainExport *chain, char *err);
extern ExportStatus ExportReadDigest(const JsonValue *doc, Report *report,
									 ExportDigest *digest, char *err);
extern void ExportFreeChain(ChainExport *chain);

#endif							/* KYC_VERIFY_EXPORT_H */
