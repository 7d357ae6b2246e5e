/*-------------------------------------------------------------------------
 *
 * report.h
 *	  How kyc_verify prints findings and counts them.
 *
 * IDENTIFICATION
 *	  src/verifier/report.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_REPORT_H
#define KYC_VERIFY_REPORT_H

#include <stddef.h>
#include <stdint.h>

#define REPORT_NO_NUMBER	INT64_MIN	/* scope without a number, e.g. "chain" */
#define REPORT_VALUE_LEN	160			/* longest value printed in a finding */

/* Findings printed so far by one command. */
typedef struct Report
{
	long		findings;
} Report;

extern void ReportFinding(Report *report, const char *scope, int64_t number,
						  const char *finding, const char *expected,
						  const char *actual);
extern void ReportQuote(const char *bytes, size_t len, char *out, size_t outsize);

#endif							/* KYC_VERIFY_REPORT_H */
