/*-------------------------------------------------------------------------
 *
 * tenant_grant.c
 *	  The one rule of tenancy (docs/security.md): a role works in a tenant
 *	  when it is a member of a role the tenant was granted to, and that
 *	  grant's role still has the OID and the name it was granted under.
 *
 * After a restore into another cluster, or a rename, OID and name disagree
 * and the grant gives nothing until kyc.rebind_tenant_grants().  Every API
 * call asks this once per transaction (guc.c), and kyc.job_tenants through
 * kyc.tenant_granted(), so it reads kyc.tenant_grant's primary key directly
 * and the roles from the syscache: as a query it cost about 20 us a call,
 * most of it executor start-up.  It reads what the query read: the caller's
 * snapshot, with the caller's SELECT privilege checked (every role may see
 * every row of this catalog table under its row-level security policy).
 *
 * IDENTIFICATION
 *	  src/tenant_grant.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_authid.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "kyc_relation.h"
#include "tenant_grant.h"

/*
 * RoleStillNamed
 *		Whether the role with this OID exists and still has the name.
 */
static bool
RoleStillNamed(Oid role, const char *name)
{
	HeapTuple	tuple = SearchSysCache1(AUTHOID, ObjectIdGetDatum(role));
	bool		same;

	if (!HeapTupleIsValid(tuple))
		return false;
	same = strncmp(NameStr(((Form_pg_authid) GETSTRUCT(tuple))->rolname), name, NAMEDATALEN) == 0;
	ReleaseSysCache(tuple);
	return same;
}

/*
 * KycTenantGranted
 *		Whether member works in tenant under the rule; superusers are let in by
 *		the callers (and by is_member_of_role, as pg_has_role lets them in).
 */
bool
KycTenantGranted(const char *tenant, Oid member)
{
	Oid			relid = KycRelationId("tenant_grant");
	Relation	rel;
	Relation	idx;
	Oid			pk;
	AttrNumber	oid_att;
	AttrNumber	name_att;
	ScanKeyData key;
	Snapshot	snap;
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bool		granted = false;

	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, "tenant_grant");

	rel = table_open(relid, AccessShareLock);
	pk = RelationGetPrimaryKeyIndex(rel);
	oid_att = get_attnum(relid, "role_oid");
	name_att = get_attnum(relid, "role_name");
	if (!OidIsValid(pk) || oid_att == InvalidAttrNumber || name_att == InvalidAttrNumber)
		elog(ERROR, "kyc.tenant_grant does not have the layout pg_kyc expects");
	idx = index_open(pk, AccessShareLock);

	/* the primary key is (tenant_id, role_oid): every grant of the tenant */
	ScanKeyEntryInitialize(&key, 0, 1, BTEqualStrategyNumber, InvalidOid, idx->rd_indcollation[0],
						   F_TEXTEQ, CStringGetTextDatum(tenant));
	snap = RegisterSnapshot(ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot());
	scan = index_beginscan(rel, idx, snap, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	slot = table_slot_create(rel, NULL);
	while (!granted && index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Oid			role = DatumGetObjectId(slot_getattr(slot, oid_att, &isnull));
		Name		name = DatumGetName(slot_getattr(slot, name_att, &isnull));

		granted = RoleStillNamed(role, NameStr(*name)) && is_member_of_role(member, role);
	}
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	UnregisterSnapshot(snap);
	/* keep the locks until the end of the transaction, as the query did */
	index_close(idx, NoLock);
	table_close(rel, NoLock);
	return granted;
}

/*
 * kyc_tenant_granted
 *		SQL: kyc.tenant_granted(tenant text, member oid) -> boolean; false for
 *		NULLs, as the EXISTS it replaces.
 */
PG_FUNCTION_INFO_V1(kyc_tenant_granted);
Datum
kyc_tenant_granted(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(KycTenantGranted(text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_OID(1)));
}
