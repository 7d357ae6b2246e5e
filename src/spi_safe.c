/*-------------------------------------------------------------------------
 *
 * spi_safe.c
 *	  SPI with a pinned search_path and kept plans.
 *
 * Triggers run with the caller's search_path, which a hostile caller can
 * point at a schema holding look-alike operators.  Every SPI call in pg_kyc
 * therefore runs with search_path = pg_catalog, pg_temp (the amcheck pattern:
 * a new GUC nest level, undone on the way out or by transaction abort), and
 * every statement names its tables with the kyc schema.  Inside the API's
 * SECURITY DEFINER functions the path is pinned already and left as it is.
 *
 * IDENTIFICATION
 *	  src/spi_safe.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/spi.h"
#include "utils/guc.h"

#include "spi_safe.h"

/* the search_path every SPI statement of pg_kyc runs under */
#define KYC_SEARCH_PATH "pg_catalog, pg_temp"

/*
 * KycSpiConnect
 *		SPI_connect under a pinned search_path; returns the GUC nest level for
 *		KycSpiFinish, or -1 when the path was already pinned (inside the API's
 *		SECURITY DEFINER functions, which set it): setting it again would only
 *		cost a GUC save and restore and a recomputation of the path.
 */
int
KycSpiConnect(void)
{
	int			nest = -1;

	if (namespace_search_path == NULL || strcmp(namespace_search_path, KYC_SEARCH_PATH) != 0)
	{
		nest = NewGUCNestLevel();
		(void) set_config_option("search_path", KYC_SEARCH_PATH,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	return nest;
}

/*
 * KycSpiFinish
 *		SPI_finish and restore the caller's search_path if it was changed.
 */
void
KycSpiFinish(int guc_nest)
{
	SPI_finish();
	if (guc_nest >= 0)
		AtEOXact_GUC(true, guc_nest);
}

/*
 * KycSpiPlan
 *		The kept plan of a statement, prepared on first use.
 */
SPIPlanPtr
KycSpiPlan(KycPlan *plan)
{
	if (plan->plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare_cursor(plan->sql, plan->nargs, plan->argtypes, plan->cursor_options);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", plan->sql, SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		plan->plan = p;
	}
	return plan->plan;
}

/*
 * KycSpiExec
 *		Run a kept plan, preparing it on first use; returns SPI_processed.
 */
int
KycSpiExec(KycPlan *plan, Datum *values, const char *nulls, bool read_only, long count)
{
	int			rc;

	rc = SPI_execute_plan(KycSpiPlan(plan), values, nulls, read_only, count);
	if (rc < 0)
		elog(ERROR, "SPI_execute_plan failed for \"%s\": %s", plan->sql, SPI_result_code_string(rc));
	return (int) SPI_processed;
}

/*
 * KycSpiGetText
 *		Column col (1-based) of result row as a cstring, or NULL; copied into
 *		the caller's (upper) memory context so it survives SPI_finish.
 */
char *
KycSpiGetText(int row, int col)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
	char	   *copy;
	size_t		len;

	if (v == NULL)
		return NULL;
	len = strlen(v) + 1;
	copy = SPI_palloc(len);
	memcpy(copy, v, len);
	return copy;
}
