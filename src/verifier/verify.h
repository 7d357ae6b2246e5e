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

extern bool VerifyChain(const ChainExport *chain, Report *report,
						size_t *redacted, char *err);
extern void VerifyDigestHash(const ExportDigest *digest, const char *scope,
							 int64_t number, const char *finding, Report *report);
extern void VerifyDigestGenesis(const ExportDigest *digest, Report *report);
extern void VerifyDigestLink(const ExportDigest *prev, const ExportDigest *next,
							 Report *report);

#endif							/* KYC_VERIFY_VERIFY_H */
