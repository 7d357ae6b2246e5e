/*-------------------------------------------------------------------------
 *
 * application_lock.c
 *	  Locking one application of the session's tenant: the first thing every
 *	  API call about an application does.
 *
 * Writers lock FOR NO KEY UPDATE, which serialises them (an id never
 * changes, so FOR UPDATE would only add conflicts with foreign-key checks);
 * readers lock FOR KEY SHARE, which keeps the row but never waits for, or
 * blocks, a writer.  An application of another tenant, or none, is KY004
 * either way, so that the error says nothing about other tenants.  Every
 * call of the API pays for it, so it reads the primary key and locks the
 * heap row directly instead of running a SELECT ... FOR UPDATE through SPI
 * (in PL/pgSQL the lock cost about 45 us a call; through SPI, in C, 4% of
 * an onboarding's instructions).
 *
 * IDENTIFICATION
 *	  src/application_lock.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/uuid.h"

#include "application_lock.h"
#include "guc.h"
#include "kyc_errors.h"
#include "kyc_relation.h"

/* kyc.application and the columns read here, looked up once per backend and after any DDL on it */
static Oid	application_relid = InvalidOid;
static AttrNumber tenant_att;
static AttrNumber state_att;

static void
ForgetApplication(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == application_relid)
		application_relid = InvalidOid;
}

/*
 * KycApplicationLockInit
 *		Register the invalidation of the cached OID; from _PG_init.
 */
void
KycApplicationLockInit(void)
{
	CacheRegisterRelcacheCallback(ForgetApplication, (Datum) 0);
}

static Relation
OpenApplication(void)
{
	Relation	rel;
	Oid			relid = application_relid;

	if (!OidIsValid(relid))
		relid = KycRelationId("application");
	/* the lock a SELECT ... FOR UPDATE takes on its table */
	rel = table_open(relid, RowShareLock);
	if (!OidIsValid(application_relid))
	{
		tenant_att = KycColumnNumber(rel, "tenant_id");
		state_att = KycColumnNumber(rel, "state");
		application_relid = relid;
	}
	return rel;
}

static bool
IsTerminal(const char *state)
{
	return strcmp(state, "declined") == 0 || strcmp(state, "abandoned") == 0 ||
		strcmp(state, "closed") == 0;
}

static bool
OfTenant(TupleTableSlot *slot, const char *tenant)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, tenant_att, &isnull);

	return !isnull && strcmp(TextDatumGetCString(d), tenant) == 0;
}

/*
 * LockRow
 *		Find the application through the primary key and lock it, as
 *		SELECT ... WHERE id = $1 AND tenant_id = $2 FOR [NO KEY UPDATE | KEY
 *		SHARE] would, without planning and starting an executor at each of
 *		the 13 calls of an onboarding: a snapshot taken now, after this
 *		command's earlier writes; under READ COMMITTED a row updated since is
 *		followed to its latest version, which is checked again; under
 *		REPEATABLE READ and SERIALIZABLE that is a serialization failure.  The
 *		tenant is checked as row-level security would check it (its policy is
 *		the tenant match, here with the tenant KycRequireTenant vouched for).
 *		True with the locked version in slot.
 */
static bool
LockRow(Relation rel, Datum app, const char *tenant, bool shared, TupleTableSlot *slot)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	Relation	idx;
	ScanKeyData key;
	Snapshot	snap;
	IndexScanDesc scan;
	bool		found;
	ItemPointerData tid;
	TM_FailureData tmfd;
	TM_Result	res;

	if (!OidIsValid(pk))
		elog(ERROR, "relation kyc.application has no primary key");
	CommandCounterIncrement();
	snap = RegisterSnapshot(GetTransactionSnapshot());
	idx = index_open(pk, AccessShareLock);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_UUID_EQ, app);
	scan = index_beginscan(rel, idx, snap, 1, 0);
	index_rescan(scan, &key, 1, NULL, 0);
	found = index_getnext_slot(scan, ForwardScanDirection, slot) && OfTenant(slot, tenant);
	index_endscan(scan);
	index_close(idx, AccessShareLock);
	if (!found)
	{
		UnregisterSnapshot(snap);
		return false;
	}

	tid = slot->tts_tid;
	/* as ExecLockRows: only READ COMMITTED moves on to a newer version */
	res = table_tuple_lock(rel, &tid, snap, slot, GetCurrentCommandId(false),
						   shared ? LockTupleKeyShare : LockTupleNoKeyExclusive, LockWaitBlock,
						   IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION, &tmfd);
	UnregisterSnapshot(snap);
	switch (res)
	{
		case TM_Ok:
			/* a version reached through the update chain is checked again */
			return !tmfd.traversed || OfTenant(slot, tenant);
		case TM_SelfModified:
			/* as ExecLockRows: a row this command already changed is not locked again */
			return false;
		case TM_Updated:
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				ereport(ERROR,
						(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
						 errmsg("could not serialize access due to concurrent update")));
			if (res == TM_Deleted)
				return false;
			/* under READ COMMITTED the update chain was followed */
			elog(ERROR, "unexpected table_tuple_lock status: %u", res);
			break;
		case TM_Invisible:
			elog(ERROR, "attempted to lock invisible tuple");
			break;
		default:
			elog(ERROR, "unrecognized table_tuple_lock status: %u", res);
	}
	return false;
}

/*
 * KycLockApplication
 *		Lock the application (app_isnull: none was given) of the session's
 *		tenant, or raise KY004.  With an action, a concluded application is
 *		refused: "cannot <action> an application in terminal state ...".  The
 *		row (a kyc.application datum) and its state are allocated in the
 *		caller's memory context.
 */
void
KycLockApplication(Datum app, bool app_isnull, bool shared, const char *action,
				   KycLockedApplication *out)
{
	const char *tenant = KycRequireTenant();
	bool		found = false;

	out->tenant_id = tenant;
	if (!app_isnull)
	{
		Relation	rel = OpenApplication();
		TupleTableSlot *slot = table_slot_create(rel, NULL);

		found = LockRow(rel, app, tenant, shared, slot);
		if (found)
		{
			bool		isnull;
			Datum		state = slot_getattr(slot, state_att, &isnull);
			bool		should_free;
			HeapTuple	tuple = ExecFetchSlotHeapTuple(slot, false, &should_free);

			out->state = DatumGetCString(DirectFunctionCall1(enum_out, state));
			out->row = heap_copy_tuple_as_datum(tuple, RelationGetDescr(rel));
			if (should_free)
				heap_freetuple(tuple);
		}
		ExecDropSingleTupleTableSlot(slot);
		/* like the executor's, the table lock is kept until the end of the transaction */
		table_close(rel, NoLock);
	}
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_APPLICATION_NOT_FOUND),
				 errmsg("application \"%s\" does not exist",
						app_isnull ? "<NULL>" : DatumGetCString(DirectFunctionCall1(uuid_out, app))),
				 errhint("Check the application id and the setting kyc.tenant.")));
	if (action != NULL && IsTerminal(out->state))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot %s an application in terminal state \"%s\"", action, out->state)));
}

/*
 * kyc_lock_application
 *		SQL: kyc.lock_application(app uuid, shared boolean DEFAULT false) ->
 *		kyc.application.  Internal: granted to nobody.
 */
PG_FUNCTION_INFO_V1(kyc_lock_application);
Datum
kyc_lock_application(PG_FUNCTION_ARGS)
{
	KycLockedApplication a;
	bool		shared = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);

	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), shared, NULL, &a);
	PG_RETURN_DATUM(a.row);
}

/*
 * kyc_lock_open_application
 *		SQL: kyc.lock_open_application(app uuid, action text) -> kyc.application,
 *		locked for writing and not concluded.  Internal: granted to nobody.
 */
PG_FUNCTION_INFO_V1(kyc_lock_open_application);
Datum
kyc_lock_open_application(PG_FUNCTION_ARGS)
{
	KycLockedApplication a;

	KycLockApplication(PG_GETARG_DATUM(0), PG_ARGISNULL(0), false,
					   PG_ARGISNULL(1) ? "<NULL>" : text_to_cstring(PG_GETARG_TEXT_PP(1)), &a);
	PG_RETURN_DATUM(a.row);
}
