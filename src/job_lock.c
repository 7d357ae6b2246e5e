/*-------------------------------------------------------------------------
 *
 * job_lock.c
 *	  The lock that keeps two runs of one job apart, out of reach of SQL.
 *
 * A run of a job takes its job's lock for the transaction and a second run
 * meanwhile records itself as skipped.  Were it an advisory lock of SQL
 * (pg_advisory_lock), any login could take it and make every run of every
 * tenant skip.  The tag below is an advisory tag with a locktag_field4 that
 * the SQL-level advisory lock functions never use (they use 1 and 2), as the
 * chain and seal locks do (ledger.c, seal.c): no SQL can take, wait for or
 * release it.
 *
 * IDENTIFICATION
 *	  src/job_lock.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"

/* locktag_field4 of the job lock (chain 0x4B59, seal 0x4B5A; SQL advisory locks use 1 and 2) */
#define KYC_LOCKTAG_JOB 0x4B5B

/*
 * kyc_try_job_lock
 *		SQL: kyc.try_job_lock(job text) -> boolean.  Take the job's lock until
 *		the end of the transaction without waiting; false when another
 *		transaction holds it.
 */
PG_FUNCTION_INFO_V1(kyc_try_job_lock);
Datum
kyc_try_job_lock(PG_FUNCTION_ARGS)
{
	text	   *job = PG_GETARG_TEXT_PP(0);
	LOCKTAG		tag;
	uint32		key = hash_bytes((const unsigned char *) VARDATA_ANY(job), VARSIZE_ANY_EXHDR(job));

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, key, 0, KYC_LOCKTAG_JOB);
	PG_RETURN_BOOL(LockAcquire(&tag, ExclusiveLock, false, true) != LOCKACQUIRE_NOT_AVAIL);
}
