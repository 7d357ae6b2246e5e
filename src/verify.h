/*-------------------------------------------------------------------------
 *
 * verify.h
 *	  The state of one verification call: the chains being walked, their
 *	  findings, and the checks every evidence row goes through.
 *
 * A row is checked in two parts.  Its contents (salt, payload digest, row
 * hash, hash version, redaction) need nothing but the row itself; its link
 * (seq continues the chain, prev_hash is the previous row's hash, same
 * tenant, the sealed head) needs the rows of its chain in seq order.  The
 * one-chain walk (verify_chain) reads a chain in index order and does both at
 * once; the whole-ledger scan (verify_scan.c) reads the heap in physical
 * order, checks contents on the way and links rows as soon as their
 * predecessor has been linked.  Findings are kept per chain and written out
 * when the chain is finished, with the tenant of its first row.
 *
 * IDENTIFICATION
 *	  src/verify.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_H
#define KYC_VERIFY_H

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "storage/itemptr.h"
#include "utils/hsearch.h"
#include "utils/snapshot.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"

#include "hash256.h"
#include "hashing.h"
#include "sealed_heads.h"

/* A row read before its predecessor was linked (whole-ledger scan only). */
typedef struct VerifyPendingRow
{
	int64		seq;
	int			tenant;
	uint8		prev_hash[KYC_HASH_LEN];
	uint8		row_hash[KYC_HASH_LEN];
} VerifyPendingRow;

/* What most chains never need: allocated at a chain's first use of it. */
typedef struct VerifyChainExtra
{
	List	   *findings;		/* of VerifyFinding, in the order found */
	List	   *redactions;		/* of VerifyRedaction: payload removed */
	List	   *explained;		/* of VerifyRedaction: named by a retention_action */
	VerifyPendingRow **pending; /* min-heap by seq */
	int			npending;
	int			maxpending;
	bool		disordered;		/* a seq seen twice, or below 1: walked again */
	List	   *rows;			/* of HeapTuple: a disordered chain's rows */
} VerifyChainExtra;

/* One chain; hash key app in the whole-ledger scan. */
typedef struct VerifyChain
{
	pg_uuid_t	app;
	int			tenant;			/* interned tenant of its first row, -1 before */
	bool		sealed_row_seen;	/* the row at the sealed seq was linked */
	bool		sealed_row_ok;	/* ... and its hash is the sealed one */
	int64		next_seq;
	uint8		last_hash[KYC_HASH_LEN];
	KycSealedHead *sealed;		/* NULL when never sealed */
	VerifyChainExtra *extra;	/* NULL until needed */
} VerifyChain;

/* One verification call. */
typedef struct Verifier
{
	Tuplestorestate *store;
	TupleDesc	desc;
	Snapshot	snapshot;
	HTAB	   *sealed;			/* sealed heads of the last seal, or NULL */
	KycHasher	hasher;
	StringInfoData canonical;	/* reused for every payload */
	MemoryContext cxt;			/* chains and findings: the whole call */
	MemoryContext rowcxt;		/* reset after every row */
	Oid			label_oids[256];	/* enum labels, direct-mapped by OID */
	const char *labels[256];
	char	  **tenants;		/* interned tenant ids */
	int		   *tenant_lens;
	int			ntenants;
	int			maxtenants;
	int			last_tenant;
	bool		all_tenants;	/* a superuser: every finding */
	const char *only_tenant;	/* else the findings of this tenant's chains (NULL: none) */
} Verifier;

extern void VerifierInit(Verifier *v, FunctionCallInfo fcinfo, Snapshot snapshot, HTAB *sealed);
extern void VerifierFinding(Verifier *v, const char *tenant, const pg_uuid_t *app, int64 seq, bool has_seq,
							const char *finding, const char *severity, const char *expected, const char *actual);
extern char *VerifyHex(const uint8 *bytes);
extern char *VerifyInt64Text(int64 value);
extern void VerifyChainInit(Verifier *v, VerifyChain *c, const pg_uuid_t *app);
extern VerifyChainExtra *VerifyChainExtraOf(Verifier *v, VerifyChain *c);
extern int	VerifyTenant(Verifier *v, const text *tenant);
extern void VerifyContents(Verifier *v, VerifyChain *c, Datum *values, bool *nulls, int tenant);
extern void VerifyLinkBegin(Verifier *v, VerifyChain *c, int64 seq, const uint8 *prev_hash);
extern void VerifyLinkEnd(Verifier *v, VerifyChain *c, int64 seq, const uint8 *row_hash, int tenant);
extern void VerifyOrderedRow(Verifier *v, VerifyChain *c, Datum *values, bool *nulls);
extern void VerifyChainByIndex(Verifier *v, VerifyChain *c);
extern void VerifyChainEnd(Verifier *v, VerifyChain *c);
extern void VerifyLedgerScan(Verifier *v);

#endif							/* KYC_VERIFY_H */
