/*-------------------------------------------------------------------------
 *
 * state_machine.c
 *	  The onboarding state machine, enforced by triggers on kyc.application
 *	  for every writer, direct SQL included.
 *
 * kyc_application_guard (BEFORE INSERT OR UPDATE) refuses what the design's
 * invariants forbid: moves that are not in kyc.state_transition, moves out of
 * a terminal state, consent_captured before consent passed, opening while a
 * critical gate is unresolved, activation
 * before funding, restricted approval without a restriction, declines without
 * a decline reason owned by the failed gate, edits of columns fixed at open.
 * When an account opens, a gate a signal passed counts only until that signal
 * expires, checked here at the moment of the move (application_gate.valid_until).
 * It numbers the states (state_version) under the row lock the UPDATE holds.
 *
 * kyc_application_record (AFTER INSERT OR UPDATE OF state) appends the one
 * evidence row of each state to the application's chain in the same
 * transaction (kyc.state_history reads them back).
 *
 * IDENTIFICATION
 *	  src/state_machine.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "nodes/bitmapset.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "caller.h"
#include "data_class.h"
#include "jsonbuild.h"
#include "kyc_errors.h"
#include "kyc_relation.h"
#include "ledger.h"
#include "spi_safe.h"

/* Columns fixed when the application is opened. */
static const char *const fixed_columns[] = {
	"id", "tenant_id", "external_ref", "applicant_kind", "product",
	"jurisdiction", "channel", "created_at", "policy_id"
};

/* Columns that describe the current state and change only with it. */
static const char *const state_columns[] = {
	"state_version", "state_reason", "state_note", "state_changed_at", "opened_at"
};

/* ... and the class of what the state reveals, from 0.3.0 on (set by the guard, never by a writer) */
static const char *const class_column[] = {"state_class"};

static KycPlan edge_plan = {
	"SELECT 1 FROM kyc.state_transition"
	" WHERE from_state = $1::kyc.state AND to_state = $2::kyc.state",
	2, {TEXTOID, TEXTOID}
};

static KycPlan next_states_plan = {
	"SELECT pg_catalog.string_agg(to_state::text, ', ' ORDER BY to_state)"
	" FROM kyc.state_transition WHERE from_state = $1::kyc.state",
	1, {TEXTOID}
};

static KycPlan reason_plan = {
	"SELECT r.outcome_class::text, r.gate::text, g.status::text"
	" FROM kyc.reason_code r"
	" LEFT JOIN kyc.application_gate g ON g.application_id = $2 AND g.gate = r.gate"
	" WHERE r.code = $1",
	2, {TEXTOID, UUIDOID}
};

/*
 * when an account opens ($3), a gate a signal passed counts only while that
 * signal lives (valid_until); once open, its gates are kept (docs/activation.md)
 */
static KycPlan unresolved_gates_plan = {
	"SELECT d.gate::text,"
	"       CASE WHEN $3 AND g.valid_until <= pg_catalog.now() THEN g.status::text || ' on expired evidence'"
	"            ELSE coalesce(g.status::text, 'missing') END"
	" FROM kyc.gate_definition d"
	" LEFT JOIN kyc.application_gate g ON g.application_id = $1 AND g.gate = d.gate"
	" WHERE d.critical AND (NOT d.business_only OR $2 = 'business')"
	"   AND (g.status IS NULL OR g.status NOT IN ('passed', 'waived') OR ($3 AND g.valid_until <= pg_catalog.now()))"
	" ORDER BY d.gate",
	3, {UUIDOID, TEXTOID, BOOLOID}
};

/* the same, for a database not yet updated to 0.3.0 (no valid_until) */
static KycPlan unresolved_gates_plan_0_2 = {
	"SELECT d.gate::text, coalesce(g.status::text, 'missing')"
	" FROM kyc.gate_definition d"
	" LEFT JOIN kyc.application_gate g ON g.application_id = $1 AND g.gate = d.gate"
	" WHERE d.critical AND (NOT d.business_only OR $2 = 'business')"
	"   AND (g.status IS NULL OR g.status NOT IN ('passed', 'waived'))"
	" ORDER BY d.gate",
	3, {UUIDOID, TEXTOID, BOOLOID}
};

static KycPlan funding_plan = {
	"SELECT status::text FROM kyc.application_gate"
	" WHERE application_id = $1 AND gate = 'funding'",
	1, {UUIDOID}
};

static KycPlan consent_plan = {
	"SELECT status::text FROM kyc.application_gate"
	" WHERE application_id = $1 AND gate = 'consent'",
	1, {UUIDOID}
};

static KycPlan restriction_plan = {
	"SELECT 1 FROM kyc.restriction WHERE application_id = $1 AND lifted_at IS NULL LIMIT 1",
	1, {UUIDOID}
};

/* What the guard knows about the row it checks. */
typedef struct Move
{
	Datum		app_id;			/* uuid datum */
	char	   *app;			/* external_ref: the caller's own id, for messages */
	char	   *kind;			/* applicant_kind */
	char	   *from;
	char	   *to;
	char	   *reason;			/* NULL when the writer gave none */
} Move;

static bool
StateIn(const char *state, const char *const *set, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(state, set[i]) == 0)
			return true;
	return false;
}

static bool
IsTerminal(const char *state)
{
	static const char *const terminal[] = {"declined", "abandoned", "closed"};

	return StateIn(state, terminal, lengthof(terminal));
}

static bool
IsOpened(const char *state)
{
	static const char *const opened[] = {"approved_restricted", "opened_not_funded", "active"};

	return StateIn(state, opened, lengthof(opened));
}

/*
 * AttNum
 *		Attribute number of a column the guard relies on; its absence means the
 *		trigger was attached to the wrong table.
 */
static int
AttNum(TupleDesc desc, const char *column)
{
	int			attnum = SPI_fnumber(desc, column);

	if (attnum <= 0)
		elog(ERROR, "pg_kyc trigger: table has no column \"%s\"", column);
	return attnum;
}

static char *
ColumnText(HeapTuple tuple, TupleDesc desc, const char *column)
{
	return SPI_getvalue(tuple, desc, AttNum(desc, column));
}

static Datum
ColumnDatum(HeapTuple tuple, TupleDesc desc, const char *column, bool *isnull)
{
	return heap_getattr(tuple, AttNum(desc, column), desc, isnull);
}

/*
 * CheckTriggerProtocol
 *		Refuse to run outside the trigger protocol this function was written for.
 */
static TriggerData *
CheckTriggerProtocol(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager", name)));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		(before ? !TRIGGER_FIRED_BEFORE(td->tg_event) : !TRIGGER_FIRED_AFTER(td->tg_event)) ||
		TRIGGER_FIRED_BY_DELETE(td->tg_event) || TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired %s INSERT or UPDATE for each row",
						name, before ? "BEFORE" : "AFTER")));
	return td;
}

/*
 * CheckColumnsUnchanged
 *		Refuse an UPDATE that changes any of the given columns.
 */
static void
CheckColumnsUnchanged(HeapTuple oldt, HeapTuple newt, TupleDesc desc,
					  const char *const *columns, int ncolumns, const char *why)
{
	for (int i = 0; i < ncolumns; i++)
	{
		int			attnum = AttNum(desc, columns[i]);
		Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
		bool		oldnull,
					newnull;
		Datum		oldv = heap_getattr(oldt, attnum, desc, &oldnull);
		Datum		newv = heap_getattr(newt, attnum, desc, &newnull);

		if (oldnull != newnull ||
			(!oldnull && !datum_image_eq(oldv, newv, att->attbyval, att->attlen)))
			ereport(ERROR,
					(errcode(ERRCODE_KYC_IMMUTABLE),
					 errmsg("cannot change column \"%s\" of an application", columns[i]),
					 errdetail("Column \"%s\" %s.", columns[i], why),
					 errhint("Use kyc.transition() to move an application to another state.")));
	}
}

/*
 * CheckEdge
 *		The move must leave a non-terminal state along a catalog edge.
 */
static void
CheckEdge(const Move *m)
{
	Datum		args[2] = {CStringGetTextDatum(m->from), CStringGetTextDatum(m->to)};
	char	   *next;

	if (IsTerminal(m->from))
		ereport(ERROR,
				(errcode(ERRCODE_KYC_TRANSITION_NOT_ALLOWED),
				 errmsg("invalid transition from \"%s\" to \"%s\"", m->from, m->to),
				 errdetail("Application \"%s\" is in terminal state \"%s\".", m->app, m->from),
				 errhint("A declined, abandoned or closed application cannot move; open a new application instead.")));

	if (KycSpiExec(&edge_plan, args, NULL, true, 1) > 0)
		return;

	/* a state the caller may not read is named as docs/security.md says, its exits not at all */
	if (!KycCallerMayRead(KycStateClass(m->from)))
		ereport(ERROR,
				(errcode(ERRCODE_KYC_TRANSITION_NOT_ALLOWED),
				 errmsg("invalid transition from \"%s\" to \"%s\"", KYC_NEUTRAL_STATE, m->to),
				 errdetail("Application \"%s\" is under review.", m->app),
				 errhint("Allowed transitions are listed in kyc.state_transition.")));
	KycSpiExec(&next_states_plan, args, NULL, true, 1);
	next = KycSpiGetText(0, 1);
	ereport(ERROR,
			(errcode(ERRCODE_KYC_TRANSITION_NOT_ALLOWED),
			 errmsg("invalid transition from \"%s\" to \"%s\"", m->from, m->to),
			 errdetail("Application \"%s\" is in state \"%s\"; its allowed next states are: %s.",
					   m->app, m->from, next ? next : "none"),
			 errhint("Allowed transitions are listed in kyc.state_transition.")));
}

/*
 * CheckReason
 *		Declining needs a decline reason owned by a gate that failed; closing
 *		needs an exit reason; abandoning takes an abandon reason if any; any
 *		other reason must at least be in the catalog.
 */
static void
CheckReason(const Move *m)
{
	Datum		args[2];
	const char *needed_class = NULL;
	char	   *outcome_class;
	char	   *gate;
	char	   *gate_status;

	if (strcmp(m->to, "declined") == 0)
		needed_class = "decline";
	else if (strcmp(m->to, "closed") == 0)
		needed_class = "exit";
	else if (strcmp(m->to, "abandoned") == 0)
		needed_class = "abandon";

	if (m->reason == NULL)
	{
		if (strcmp(m->to, "declined") == 0 || strcmp(m->to, "closed") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_KYC_REASON_INVALID),
					 errmsg("a reason code is required to move an application to \"%s\"", m->to),
					 errhint("Pass a reason code from kyc.reason_code whose outcome class is \"%s\".",
							 needed_class)));
		return;
	}

	args[0] = CStringGetTextDatum(m->reason);
	args[1] = m->app_id;
	if (KycSpiExec(&reason_plan, args, NULL, true, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_REASON_INVALID),
				 errmsg("reason code \"%s\" does not exist", m->reason),
				 errhint("Reason codes are listed in kyc.reason_code.")));
	outcome_class = KycSpiGetText(0, 1);
	gate = KycSpiGetText(0, 2);
	gate_status = KycSpiGetText(0, 3);

	if (needed_class != NULL && strcmp(outcome_class, needed_class) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_REASON_INVALID),
				 errmsg("reason code \"%s\" cannot be used to move an application to \"%s\"",
						m->reason, m->to),
				 errdetail("Its outcome class is \"%s\"; \"%s\" needs \"%s\".",
						   outcome_class, m->to, needed_class)));

	if (strcmp(m->to, "declined") == 0 &&
		(gate_status == NULL || strcmp(gate_status, "failed") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_KYC_REASON_INVALID),
				 errmsg("cannot decline for reason \"%s\": gate \"%s\" has not failed",
						m->reason, gate),
				 KycCallerMayRead(KycGateClass(gate)) ?
				 errdetail("Gate \"%s\" of application \"%s\" is \"%s\".",
						   gate, m->app, gate_status ? gate_status : "missing") : 0,
				 errhint("A decline reason must be owned by a gate whose status is \"failed\".")));
}

/*
 * CheckConsent
 *		consent_captured means the consent gate has passed.
 */
static void
CheckConsent(const Move *m)
{
	Datum		args[1] = {m->app_id};
	char	   *consent = NULL;

	if (strcmp(m->to, "consent_captured") != 0)
		return;
	if (KycSpiExec(&consent_plan, args, NULL, true, 1) > 0)
		consent = KycSpiGetText(0, 1);
	if (consent == NULL || strcmp(consent, "passed") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_GATES_UNRESOLVED),
				 errmsg("cannot move application to \"consent_captured\" before consent has passed"),
				 errdetail("Gate \"consent\" of application \"%s\" is \"%s\".",
						   m->app, consent ? consent : "missing"),
				 errhint("Record the applicant's consent first.")));
}

/*
 * UnresolvedGates
 *		"gate (status), ..." of the critical gates not passed or waived, or
 *		NULL when there are none.  A gate whose class the caller may not read
 *		(AML for all but AML, fraud for the service and KYC reviewers) is not
 *		named: the list ends with one "review (unresolved)" for all of them, so
 *		an error cannot tell which review holds the application.
 */
static char *
UnresolvedGates(Datum *args)
{
	StringInfoData s;
	bool		withheld = false;
	int			n = KycSpiExec(KycLiveEvidenceSchema() ? &unresolved_gates_plan : &unresolved_gates_plan_0_2,
								   args, NULL, true, 0);

	if (n == 0)
		return NULL;
	initStringInfo(&s);
	for (int i = 0; i < n; i++)
	{
		char	   *gate = KycSpiGetText(i, 1);

		if (!KycCallerMayRead(KycGateClass(gate)))
		{
			withheld = true;
			continue;
		}
		appendStringInfo(&s, "%s%s (%s)", s.len > 0 ? ", " : "", gate, KycSpiGetText(i, 2));
	}
	if (withheld)
		appendStringInfo(&s, "%s%s", s.len > 0 ? ", " : "", "review (unresolved)");
	return s.data;
}

/*
 * CheckOpeningPrerequisites
 *		Invariant 2: an opened state needs every critical gate passed or
 *		waived; active also needs funding; approved_restricted a restriction.
 */
static void
CheckOpeningPrerequisites(const Move *m)
{
	Datum		args[3] = {m->app_id, CStringGetTextDatum(m->kind), BoolGetDatum(!IsOpened(m->from))};
	char	   *unresolved;

	if (!IsOpened(m->to))
		return;

	unresolved = UnresolvedGates(args);
	if (unresolved != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_GATES_UNRESOLVED),
				 errmsg("cannot move application to \"%s\" while critical gates are unresolved", m->to),
				 errdetail("Application \"%s\" has unresolved gates: %s.", m->app, unresolved),
				 errhint("Every critical gate must be passed or waived before an account is opened.")));

	if (strcmp(m->to, "active") == 0)
	{
		char	   *funding = NULL;

		if (KycSpiExec(&funding_plan, args, NULL, true, 1) > 0)
			funding = KycSpiGetText(0, 1);
		if (funding == NULL || strcmp(funding, "passed") != 0)
			ereport(ERROR,
					(errcode(ERRCODE_KYC_GATES_UNRESOLVED),
					 errmsg("cannot activate application before funding has passed"),
					 errdetail("Gate \"funding\" of application \"%s\" is \"%s\".",
							   m->app, funding ? funding : "missing"),
					 errhint("Record the funding result first.")));
	}

	if (strcmp(m->to, "approved_restricted") == 0 &&
		KycSpiExec(&restriction_plan, args, NULL, true, 1) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_GATES_UNRESOLVED),
				 errmsg("cannot approve application with restrictions: it has no active restriction"),
				 errdetail("Application \"%s\" has no restriction that has not been lifted.", m->app),
				 errhint("Impose a restriction with kyc.impose_restriction() first.")));
}

/*
 * MoveClass
 *		The class of what a move reveals: the most sensitive of the states it
 *		joins (AML review is SAR-restricted) and of its reason's catalog
 *		class.  The guard stores it on the row (state_class), the state change
 *		evidence row carries it.
 */
static const char *
MoveClass(const char *from, const char *to, const char *reason)
{
	return KycMaxClass(KycMaxClass(KycStateClass(from), KycStateClass(to)), KycReasonClass(reason));
}

/*
 * GuardInsert
 *		A new application starts at the beginning, at state version 1.
 */
static HeapTuple
GuardInsert(TriggerData *td)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	HeapTuple	newt = td->tg_trigtuple;
	char	   *state = ColumnText(newt, desc, "state");
	bool		isnull;
	Datum		version = ColumnDatum(newt, desc, "state_version", &isnull);

	if (strcmp(state, "application_started") != 0 || isnull || DatumGetInt32(version) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_KYC_TRANSITION_NOT_ALLOWED),
				 errmsg("a new application must start in state \"application_started\""),
				 errhint("Open applications with kyc.open_application().")));
	return newt;
}

/*
 * GuardUpdate
 *		Check the update; on a state change, number the new state and stamp it.
 */
static HeapTuple
GuardUpdate(TriggerData *td)
{
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	HeapTuple	oldt = td->tg_trigtuple;
	HeapTuple	newt = td->tg_newtuple;
	TimestampTz now = GetCurrentTransactionStartTimestamp();
	Move		m;
	int			cols[7];
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	int			ncols = 0;
	bool		isnull;

	CheckColumnsUnchanged(oldt, newt, desc, fixed_columns, lengthof(fixed_columns),
						  "is fixed when the application is opened");

	m.from = ColumnText(oldt, desc, "state");
	m.to = ColumnText(newt, desc, "state");

	cols[ncols] = AttNum(desc, "updated_at");
	values[ncols++] = TimestampTzGetDatum(now);

	if (strcmp(m.from, m.to) == 0)
	{
		CheckColumnsUnchanged(oldt, newt, desc, state_columns, lengthof(state_columns),
							  "changes only with a state transition");
		if (SPI_fnumber(desc, class_column[0]) > 0)
			CheckColumnsUnchanged(oldt, newt, desc, class_column, lengthof(class_column),
								  "changes only with a state transition");
	}
	else
	{
		int			reason_att = AttNum(desc, "state_reason");
		int			note_att = AttNum(desc, "state_note");
		bool		reason_given = bms_is_member(reason_att - FirstLowInvalidHeapAttributeNumber,
												 td->tg_updatedcols);
		int			nest;

		m.app_id = ColumnDatum(newt, desc, "id", &isnull);
		m.app = ColumnText(newt, desc, "external_ref");
		m.kind = ColumnText(newt, desc, "applicant_kind");
		/* a reason not named in this UPDATE belongs to the previous state */
		m.reason = reason_given ? ColumnText(newt, desc, "state_reason") : NULL;

		nest = KycSpiConnect();
		CheckEdge(&m);
		CheckReason(&m);
		CheckConsent(&m);
		CheckOpeningPrerequisites(&m);
		KycSpiFinish(nest);

		cols[ncols] = AttNum(desc, "state_version");
		values[ncols++] = Int32GetDatum(DatumGetInt32(ColumnDatum(oldt, desc, "state_version", &isnull)) + 1);
		cols[ncols] = AttNum(desc, "state_changed_at");
		values[ncols++] = TimestampTzGetDatum(now);
		/* the first opening starts early-life monitoring */
		(void) ColumnDatum(oldt, desc, "opened_at", &isnull);
		if (isnull && (strcmp(m.to, "opened_not_funded") == 0 || strcmp(m.to, "approved_restricted") == 0))
		{
			cols[ncols] = AttNum(desc, "opened_at");
			values[ncols++] = TimestampTzGetDatum(now);
		}
		/*
		 * What the move reveals (docs/security.md).  A schema older than
		 * 0.3.0 (the new library before ALTER EXTENSION UPDATE) has no
		 * state_class column.
		 */
		{
			int			class_att = SPI_fnumber(desc, "state_class");

			if (class_att > 0)
			{
				cols[ncols] = class_att;
				values[ncols++] = DirectFunctionCall2(enum_in, CStringGetDatum(MoveClass(m.from, m.to, m.reason)),
													  ObjectIdGetDatum(TupleDescAttr(desc, class_att - 1)->atttypid));
			}
		}
		if (!reason_given)
		{
			cols[ncols] = reason_att;
			nulls[ncols] = true;
			values[ncols++] = (Datum) 0;
		}
		if (!bms_is_member(note_att - FirstLowInvalidHeapAttributeNumber, td->tg_updatedcols))
		{
			cols[ncols] = note_att;
			nulls[ncols] = true;
			values[ncols++] = (Datum) 0;
		}
	}

	return heap_modify_tuple_by_cols(newt, desc, ncols, cols, values, nulls);
}

/*
 * kyc_application_guard
 *		BEFORE INSERT OR UPDATE FOR EACH ROW trigger on kyc.application.
 */
PG_FUNCTION_INFO_V1(kyc_application_guard);
Datum
kyc_application_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td = CheckTriggerProtocol(fcinfo, "kyc_application_guard", true);

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		return PointerGetDatum(GuardInsert(td));
	return PointerGetDatum(GuardUpdate(td));
}

/*
 * kyc_application_record
 *		AFTER INSERT OR UPDATE OF state trigger on kyc.application: one evidence
 *		row per state entered, in the same transaction: the application
 *		snapshot at open, a state_change for every transition.
 */
PG_FUNCTION_INFO_V1(kyc_application_record);
Datum
kyc_application_record(PG_FUNCTION_ARGS)
{
	TriggerData *td = CheckTriggerProtocol(fcinfo, "kyc_application_record", false);
	TupleDesc	desc = RelationGetDescr(td->tg_relation);
	bool		is_update = TRIGGER_FIRED_BY_UPDATE(td->tg_event);
	HeapTuple	newt = is_update ? td->tg_newtuple : td->tg_trigtuple;
	bool		isnull;
	char	   *from = NULL;
	char	   *to = ColumnText(newt, desc, "state");
	KycJson		j;

	if (is_update)
	{
		from = ColumnText(td->tg_trigtuple, desc, "state");
		if (strcmp(from, to) == 0)
			return PointerGetDatum(NULL);
	}

	KycJsonBegin(&j);
	KycJsonInt(&j, "state_version", DatumGetInt32(ColumnDatum(newt, desc, "state_version", &isnull)));
	KycJsonString(&j, "from_state", from);
	KycJsonString(&j, "to_state", to);
	KycJsonString(&j, "reason_code", ColumnText(newt, desc, "state_reason"));
	KycJsonString(&j, "note", ColumnText(newt, desc, "state_note"));
	if (!is_update)
	{
		static const char *const snapshot[] = {
			"external_ref", "applicant_kind", "product", "jurisdiction", "channel", "segment"
		};

		for (int i = 0; i < (int) lengthof(snapshot); i++)
			KycJsonString(&j, snapshot[i], ColumnText(newt, desc, snapshot[i]));
	}

	KycAppendEvidence(ColumnText(newt, desc, "tenant_id"), ColumnDatum(newt, desc, "id", &isnull),
					  is_update ? "state_change" : "application_snapshot",
					  is_update ? MoveClass(from, to, ColumnText(newt, desc, "state_reason")) : "pii",
					  KycJsonEnd(&j));
	return PointerGetDatum(NULL);
}
