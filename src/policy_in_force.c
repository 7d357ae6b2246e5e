/*-------------------------------------------------------------------------
 *
 * policy_in_force.c
 *	  The published policy an application pins when it opens: the tenant's
 *	  own before the shipped defaults (tenant "*"), the most specific
 *	  jurisdiction (US-CA before US before "*"), then the latest version.
 *
 * Every opening asks it.  As a SQL function it was parsed and planned at
 * every call (about 0.1 ms); here its statement is planned once per backend.
 * It runs with the caller's rights, so row-level security decides which
 * policies it sees, as before.
 *
 * IDENTIFICATION
 *	  src/policy_in_force.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/uuid.h"

#include "spi_safe.h"

static KycPlan in_force_plan = {
	"SELECT p.id FROM kyc.policy p"
	" WHERE p.status = 'published'"
	"   AND p.tenant_id = ANY (ARRAY[$1, '*'])"
	"   AND p.product = $2"
	"   AND ($3 = p.jurisdiction OR pg_catalog.starts_with($3, p.jurisdiction || '-') OR p.jurisdiction = '*')"
	" ORDER BY (p.tenant_id = $1) DESC, (p.jurisdiction <> '*') DESC, pg_catalog.length(p.jurisdiction) DESC,"
	"          p.version DESC"
	" LIMIT 1",
	3, {TEXTOID, TEXTOID, TEXTOID}
};

/*
 * kyc_policy_in_force
 *		SQL: kyc.policy_in_force(tenant text, product text, jurisdiction text)
 *		-> uuid, or NULL when no published policy applies.
 */
PG_FUNCTION_INFO_V1(kyc_policy_in_force);
Datum
kyc_policy_in_force(PG_FUNCTION_ARGS)
{
	Datum		args[3];
	char		nulls[4] = "   ";
	Datum		id = (Datum) 0;
	bool		isnull = true;
	int			nest;

	for (int i = 0; i < 3; i++)
	{
		args[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
	}
	nest = KycSpiConnect();
	if (KycSpiExec(&in_force_plan, args, nulls, true, 1) > 0)
	{
		id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		if (!isnull)
			id = SPI_datumTransfer(id, false, UUID_LEN);
	}
	KycSpiFinish(nest);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(id);
}
