/*-------------------------------------------------------------------------
 *
 * spi_safe.h
 *	  SPI under a pinned search_path, with plans prepared once per backend.
 *
 * IDENTIFICATION
 *	  src/spi_safe.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_SPI_SAFE_H
#define KYC_SPI_SAFE_H

#include "executor/spi.h"

/* A statement prepared on first use and kept for the backend's life. */
typedef struct KycPlan
{
	const char *sql;
	int			nargs;
	Oid			argtypes[16];
	int			cursor_options; /* CURSOR_OPT_GENERIC_PLAN where a custom plan
								 * would be planned again at every call */
	SPIPlanPtr	plan;
} KycPlan;

extern int	KycSpiConnect(void);
extern void KycSpiFinish(int guc_nest);
extern SPIPlanPtr KycSpiPlan(KycPlan *plan);
extern int	KycSpiExec(KycPlan *plan, Datum *values, const char *nulls, bool read_only, long count);
extern char *KycSpiGetText(int row, int col);

#endif							/* KYC_SPI_SAFE_H */
