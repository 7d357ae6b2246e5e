/*-------------------------------------------------------------------------
 *
 * data_class.c
 *	  Which data classes the calling role may read (docs/security.md), and
 *	  which class a gate's rows are.
 *
 * Row-level security calls kyc.readable_classes() once per query as an
 * initPlan, so its cost is paid by every read of evidence, decisions,
 * signals, gates and review tasks.  In SQL it cost about 0.3 ms a query
 * (two thirds of reading one application's evidence); here it is a few
 * role-membership lookups, which PostgreSQL caches.
 *
 * IDENTIFICATION
 *	  src/data_class.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "caller.h"
#include "data_class.h"

/* A data class and the roles whose members may read it; NULL-terminated. */
typedef struct ClassReaders
{
	const char *label;
	bool		everyone;
	const char *roles[7];
} ClassReaders;

/* In kyc.data_class's order, so that the result is sorted like enum_range. */
static const ClassReaders class_readers[] = {
	{"customer_safe", true, {NULL}},
	{"internal", false, {"kyc_app", "kyc_reviewer", "kyc_fraud", "kyc_aml", "kyc_auditor", "kyc_admin", NULL}},
	{"pii", false, {"kyc_app", "kyc_reviewer", "kyc_fraud", "kyc_aml", "kyc_auditor", NULL}},
	{"fraud_sensitive", false, {"kyc_fraud", "kyc_aml", "kyc_auditor", NULL}},
	{"sar_restricted", false, {"kyc_aml", NULL}},
};

/*
 * MayRead
 *		Whether the role has the privileges of a role that reads the class,
 *		or is a superuser (who reads everything).
 */
static bool
MayRead(Oid role, const ClassReaders *class)
{
	if (class->everyone || superuser_arg(role))
		return true;
	for (const char *const *r = class->roles; *r != NULL; r++)
	{
		Oid			reader = get_role_oid(*r, true);

		if (OidIsValid(reader) && has_privs_of_role(role, reader))
			return true;
	}
	return false;
}

/*
 * kyc_readable_classes
 *		SQL: kyc.readable_classes() -> kyc.data_class[], the classes the
 *		calling role (the outer user, seen through SECURITY DEFINER) may read.
 */
PG_FUNCTION_INFO_V1(kyc_readable_classes);
Datum
kyc_readable_classes(PG_FUNCTION_ARGS)
{
	Oid			enum_type = get_element_type(get_fn_expr_rettype(fcinfo->flinfo));
	Oid			caller = KycCallerId();
	Datum		labels[lengthof(class_readers)];
	int			n = 0;

	if (!OidIsValid(enum_type))
		elog(ERROR, "kyc.readable_classes() must be declared to return an array");
	for (int i = 0; i < (int) lengthof(class_readers); i++)
		if (MayRead(caller, &class_readers[i]))
			labels[n++] = DirectFunctionCall2(enum_in, CStringGetDatum(class_readers[i].label),
											  ObjectIdGetDatum(enum_type));
	PG_RETURN_ARRAYTYPE_P(construct_array(labels, n, enum_type, sizeof(Oid), true, TYPALIGN_INT));
}

/*
 * KycGateClass
 *		The data class of what a gate's rows reveal, as kyc.gate_class() says:
 *		an AML gate's are SAR-restricted, a fraud gate's fraud-sensitive,
 *		proofing and CIP carry personal data.
 */
const char *
KycGateClass(const char *gate)
{
	if (strcmp(gate, "aml") == 0)
		return "sar_restricted";
	if (strcmp(gate, "fraud") == 0)
		return "fraud_sensitive";
	if (strcmp(gate, "identity_proofing") == 0 || strcmp(gate, "cip") == 0)
		return "pii";
	return "internal";
}

/*
 * KycDataClassRank
 *		Position of a data class in kyc.data_class's order (more sensitive is
 *		higher), for max() over classes.
 */
int
KycDataClassRank(const char *label)
{
	for (int i = 0; i < (int) lengthof(class_readers); i++)
		if (strcmp(label, class_readers[i].label) == 0)
			return i;
	elog(ERROR, "unrecognized data class \"%s\"", label);
	return -1;					/* keep compiler quiet */
}
