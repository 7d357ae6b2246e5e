/*-------------------------------------------------------------------------
 *
 * verify.h
 *	  The checks kyc_verify makes on exported chains and seal digests.
 *
 * IDENTIFICATION
 *	  src/verifier/verify.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_VERIFY_H
#define KYC_VERIFY_VERIFY_H

#include <stdbool.h>

#include "export.h"
#include "report.h"

/* Rows of a chain whose payload could not be checked, and why. */
typedef struct ChainCounts
{
	size_t		redacted;		/* removed under retention */
	size_t		withheld;		/* of a class the exporter may not read */
} ChainCounts;

extern bool VerifyChain(const ChainExport *chain, Report *report,
						ChainCounts *counts, char *err);
extern void VerifyDigestHash(const ExportDigest *digest, const char *scope,
							 int64_t number, const char *finding, Report *report);
extern void VerifyDigestGenesis(const ExportDigest *digest, Report *report);
extern void VerifyDigestLink(const ExportDigest *prev, const ExportDigest *next,
							 Report *report);

#endif							/* KYC_VERIFY_VERIFY_H */
