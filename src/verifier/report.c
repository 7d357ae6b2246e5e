/*-------------------------------------------------------------------------
 *
 * report.c
 *	  How kyc_verify prints findings and counts them.
 *
 * One line per finding on stdout:
 *		<scope> <number>: <finding>: expected <x>, actual <y>
 * e.g. "seq 3: row_hash_mismatch: expected 33bf..., actual 0a1b...".  The
 * expected value is what verification derives, the actual value is what the
 * export says.  Text taken from the file is quoted so that it cannot break
 * the one-line-per-finding layout or drive the terminal.
 *
 * IDENTIFICATION
 *	  src/verifier/report.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>

#include "report.h"

/*
 * ReportFinding
 *		Print one finding and count it; expected and actual may both be NULL
 *		when a finding has no values to compare.
 */
void
ReportFinding(Report *report, const char *scope, int64_t number,
			  const char *finding, const char *expected, const char *actual)
{
	if (number == REPORT_NO_NUMBER)
		printf("%s: %s", scope, finding);
	else
		printf("%s %lld: %s", scope, (long long) number, finding);
	if (expected != NULL || actual != NULL)
		printf(": expected %s, actual %s",
			   expected ? expected : "(none)", actual ? actual : "(none)");
	printf("\n");
	report->findings++;
}

/*
 * ReportQuote
 *		Copy bytes from the file for printing: printable ASCII and UTF-8 as
 *		they are, control bytes as \xHH, cut with "..." to fit outsize.
 */
void
ReportQuote(const char *bytes, size_t len, char *out, size_t outsize)
{
	size_t		o = 0;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) bytes[i];

		if (o + 8 >= outsize)
		{
			snprintf(out + o, outsize - o, "...");
			return;
		}
		if (c < 0x20 || c == 0x7F)
			o += (size_t) snprintf(out + o, outsize - o, "\\x%02x", c);
		else
			out[o++] = (char) c;
	}
	out[o] = '\0';
}
