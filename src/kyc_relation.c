/*-------------------------------------------------------------------------
 *
 * kyc_relation.c
 *	  Finding the extension's tables and their columns by name, for the C
 *	  paths that read or write them without SPI: a table or column that is
 *	  not there means the schema is not the one this library was built for.
 *
 * IDENTIFICATION
 *	  src/kyc_relation.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "parser/parse_relation.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "kyc_relation.h"

/*
 * KycRelationId
 *		The OID of table kyc.<name>.
 */
Oid
KycRelationId(const char *name)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid("kyc", false));

	if (!OidIsValid(relid))
		elog(ERROR, "relation kyc.%s does not exist", name);
	return relid;
}

/*
 * KycColumnNumber
 *		The attribute number of a column of one of the extension's tables.
 */
AttrNumber
KycColumnNumber(Relation rel, const char *column)
{
	AttrNumber	att = attnameAttNum(rel, column, false);

	if (att <= 0)
		elog(ERROR, "relation kyc.%s has no column \"%s\"", RelationGetRelationName(rel), column);
	return att;
}

/*
 * KycLiveEvidenceSchema
 *		Whether the database's pg_kyc objects are those of 0.3.0 or later
 *		(kyc.application_gate.valid_until and the catalog columns that come
 *		with it).  A database not yet updated runs on the new library: its
 *		paths then behave as 0.2.0's did.  Not cached: ALTER EXTENSION UPDATE
 *		may happen in the middle of a session.
 */
bool
KycLiveEvidenceSchema(void)
{
	Oid			nsp = get_namespace_oid("kyc", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("application_gate", nsp) : InvalidOid;

	return OidIsValid(relid) && get_attnum(relid, "valid_until") != InvalidAttrNumber;
}
