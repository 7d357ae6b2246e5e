/*-------------------------------------------------------------------------
 *
 * decide.c
 *	  The decision core: from an application's recorded inputs and a policy
 *	  document to every gate's status, the CDD risk tier and one outcome.
 *
 * kyc.decide(inputs jsonb, policy jsonb) is a pure function of its two
 * arguments: kyc.evaluate() gathers the inputs (application attributes, gate
 * statuses, live signals, the time), records them in the decision, and
 * kyc.replay() calls it again on the recorded inputs and the pinned policy to
 * show the decision can be reproduced.  docs/decisioning.md describes the
 * inputs, the policy document and the outcome precedence implemented here.
 *
 * Inputs recorded since 0.3.0 carry the gate catalog's facts ("catalog") and
 * the requests for information asked so far ("requests"); with them every
 * review is owned, a failure is triaged unless it may decline at once, a gate
 * without live evidence is pending, requests are bounded and nothing is
 * decided without consent.  Inputs without them (decisions of 0.2.0) are
 * decided as 0.2.0 did, so that their replay stays exact.
 *
 * IDENTIFICATION
 *	  src/decide.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "decide.h"
#include "jsonbuild.h"

#define NGATES 10

static const char *const gate_names[NGATES] = {
	"consent", "eligibility", "identity_proofing", "cip", "cdd", "kyb_ubo", "fraud", "aml",
	"funding", "communication"
};

/*
 * The catalog facts 0.2.0 decided with, which its decisions did not record:
 * only for recomputing them.  Since 0.3.0 the facts come from the recorded
 * inputs ("catalog"), read from kyc.gate_definition (src/catalog_cache.c).
 */

/* the state that means "this gate is pending"; NULL for gates that hold nothing up */
static const char *const legacy_pending_states[NGATES] = {
	"application_started", "consent_captured", "identity_proofing_pending", "cip_verification_pending",
	"cdd_review_pending", "kyb_review_pending", "fraud_review_pending", "aml_review_pending", NULL, NULL
};

/* which review queue wins when several gates are in review: higher is more sensitive */
static const int legacy_review_rank[NGATES] = {0, 1, 2, 3, 4, 5, 6, 7, -1, -1};

#define GATE_CONSENT 0
#define GATE_ELIGIBILITY 1
#define GATE_CDD 4
#define GATE_KYB 5
#define GATE_FUNDING 8
#define GATE_COMMUNICATION 9
#define LEGACY_NCRITICAL 8		/* consent .. aml */

/* gate statuses, in increasing severity where that matters */
typedef enum GateStatus
{
	GS_PENDING,
	GS_PASSED,
	GS_INFO_NEEDED,
	GS_REVIEW,
	GS_FAILED,
	GS_WAIVED,
	GS_NOT_APPLICABLE
} GateStatus;

static const char *const status_names[] = {
	"pending", "passed", "info_needed", "review", "failed", "waived", "not_applicable"
};

typedef struct GateResult
{
	GateStatus	status;
	const char *reason;			/* reason code, or NULL */
	const char *queue;			/* review queue, or NULL */
	const char *sla;			/* review SLA as an interval literal, or NULL */
	const char *basis;			/* "signals", "manual", "policy", "consent",
								 * "funding", "none" */
	int			nsignals;		/* live signals that counted */
	/* since 0.3.0 (inputs with a "catalog"): */
	bool		recommend_decline;	/* a failure waiting for its owner to confirm it */
	int64		expires;		/* earliest expiry of the signals that counted; 0: none */
	int			rfi_round;		/* the round of a request this decision asks; 0: none */
	bool		rfi_limit;		/* info needed again past the policy's bound: a review */
} GateResult;

/*
 * What the catalog says of a gate (inputs' "catalog"): its owner's queue for
 * reviews no rule routes, their SLAs and reason, and whether a failure may
 * decline without a person.
 */
typedef struct GateCatalog
{
	bool		critical;		/* counts in the outcome's precedence */
	bool		business_only;	/* not applicable to individuals */
	const char *pending_state;	/* the state while it is pending, or NULL */
	int			review_rank;	/* which review decides a hold; -1: never */
	const char *review_queue;
	const char *review_sla;
	const char *confirm_sla;
	const char *review_reason;
	bool		auto_decline;
} GateCatalog;

/* ---- reading jsonb ---------------------------------------------------- */

static JsonbContainer *
Container(JsonbValue *v)
{
	return (v != NULL && v->type == jbvBinary) ? v->val.binary.data : NULL;
}

/* a string member, or NULL when absent, null or not a string */
static const char *
Text(JsonbContainer *c, const char *key)
{
	JsonbValue *v = KycJsonbMember(c, key);

	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

static int64
Int(JsonbContainer *c, const char *key, int64 otherwise)
{
	JsonbValue *v = KycJsonbMember(c, key);

	if (v == NULL || v->type != jbvNumeric)
		return otherwise;
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(v->val.numeric)));
}

static bool
Bool(JsonbContainer *c, const char *key)
{
	JsonbValue *v = KycJsonbMember(c, key);

	return v != NULL && v->type == jbvBool && v->val.boolean;
}

static int
ArrayLength(JsonbContainer *c)
{
	return (c != NULL && JsonContainerIsArray(c)) ? (int) JsonContainerSize(c) : 0;
}

static JsonbValue *
Element(JsonbContainer *c, int i)
{
	return getIthJsonbValueFromContainer(c, i);
}

static bool
ArrayHasString(JsonbContainer *arr, const char *s)
{
	for (int i = 0; i < ArrayLength(arr); i++)
	{
		JsonbValue *v = Element(arr, i);

		if (v->type == jbvString && (int) strlen(s) == v->val.string.len &&
			memcmp(s, v->val.string.val, v->val.string.len) == 0)
			return true;
	}
	return false;
}

static int
GateIndex(const char *name)
{
	for (int i = 0; name != NULL && i < NGATES; i++)
		if (strcmp(name, gate_names[i]) == 0)
			return i;
	return -1;
}

static GateStatus
StatusFromName(const char *name)
{
	for (int i = 0; name != NULL && i < (int) lengthof(status_names); i++)
		if (strcmp(name, status_names[i]) == 0)
			return (GateStatus) i;
	return GS_PENDING;
}

static int
ConfidenceRank(const char *c)
{
	if (c == NULL)
		return 0;
	if (strcmp(c, "low") == 0)
		return 1;
	if (strcmp(c, "medium") == 0)
		return 2;
	if (strcmp(c, "high") == 0)
		return 3;
	return 0;
}

/* ---- signals ---------------------------------------------------------- */

/* One input signal, parsed once per call. */
typedef struct Signal
{
	JsonbContainer *obj;
	int			gate;
	const char *source;
	const char *type;
	int64		received_at;
	bool		live;			/* not expired as of the decision */
	bool		counts;			/* live and not superseded by a later one */
} Signal;

/*
 * ParseSignals
 *		The signals in arrival order, with liveness and supersession worked out
 *		once: a later live signal from the same source, of the same type and
 *		gate, replaces an earlier one.
 */
static Signal *
ParseSignals(JsonbContainer *signals, int64 as_of, int *n)
{
	Signal	   *out;

	*n = ArrayLength(signals);
	out = palloc0(sizeof(Signal) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		JsonbContainer *s = Container(Element(signals, i));

		out[i].obj = s;
		out[i].gate = GateIndex(Text(s, "gate"));
		out[i].source = Text(s, "source");
		out[i].type = Text(s, "signal_type");
		out[i].received_at = Int(s, "received_at_us", 0);
		out[i].live = Int(s, "expires_at_us", PG_INT64_MAX) > as_of;
		out[i].counts = out[i].live && out[i].source != NULL && out[i].type != NULL;
	}
	for (int i = 0; i < *n; i++)
		for (int j = i + 1; j < *n && out[i].counts; j++)
			if (out[j].live && out[j].gate == out[i].gate &&
				out[j].source != NULL && strcmp(out[j].source, out[i].source) == 0 &&
				out[j].type != NULL && strcmp(out[j].type, out[i].type) == 0)
				out[i].counts = false;
	return out;
}

/*
 * MatchRule
 *		The first policy rule that matches the signal, or NULL: same gate and
 *		result, the rule's reason code among the signal's (if it names one),
 *		confidence at least the rule's minimum (if it names one).
 */
static JsonbContainer *
MatchRule(JsonbContainer *rules, JsonbContainer *sig)
{
	const char *gate = Text(sig, "gate");
	const char *result = Text(sig, "result");
	int			confidence = ConfidenceRank(Text(sig, "confidence"));

	for (int i = 0; i < ArrayLength(rules); i++)
	{
		JsonbContainer *r = Container(Element(rules, i));
		const char *reason = Text(r, "reason_code");
		const char *min_conf = Text(r, "min_confidence");

		if (strcmp(Text(r, "gate"), gate) != 0 || strcmp(Text(r, "result"), result) != 0)
			continue;
		if (reason != NULL && !ArrayHasString(Container(KycJsonbMember(sig, "reason_codes")), reason))
			continue;
		if (min_conf != NULL && confidence < ConfidenceRank(min_conf))
			continue;
		return r;
	}
	return NULL;
}

/*
 * GateFromSignals
 *		The gate's status from its live, unsuperseded signals: the most severe
 *		status any of them maps to under the policy (failed > review >
 *		info_needed > passed); a signal no rule matches goes to review.
 */
static void
GateFromSignals(int g, Signal *signals, int nsignals, JsonbContainer *rules, GateResult *out)
{
	out->status = GS_PENDING;
	out->reason = NULL;
	out->queue = NULL;
	out->sla = NULL;
	out->basis = "none";
	out->nsignals = 0;
	out->recommend_decline = false;
	out->expires = 0;
	out->rfi_round = 0;
	out->rfi_limit = false;

	for (int i = 0; i < nsignals; i++)
	{
		JsonbContainer *rule;
		GateStatus	st;

		if (signals[i].gate != g || !signals[i].counts)
			continue;
		out->nsignals++;
		rule = MatchRule(rules, signals[i].obj);
		st = rule ? StatusFromName(Text(rule, "status")) : GS_REVIEW;
		if (out->basis[0] == 'n' || st > out->status)
		{
			out->status = st;
			out->reason = rule ? Text(rule, "decision_reason") : NULL;
			out->queue = rule ? Text(rule, "queue") : NULL;
			out->sla = rule ? Text(rule, "sla") : NULL;
		}
		out->basis = "signals";
	}
}

/*
 * GateFromSignalsOwned
 *		Since 0.3.0: the same, with every review owned and every failure
 *		triaged.  A signal no rule maps goes to the gate owner's queue with
 *		the policy's default SLA (the catalog's when it has none) and the
 *		catalog's reason; a failure declines at once only where its rule says
 *		auto_decline or the catalog says the gate's failures are facts
 *		(eligibility), otherwise it is a review recommending the decline, in
 *		the owner's queue with a short SLA.  With no live signal the gate is
 *		pending whatever an expired signal once made it.  The earliest expiry
 *		among the counting signals bounds how long the status holds.
 */
static void
GateFromSignalsOwned(int g, Signal *signals, int nsignals, JsonbContainer *rules, const GateCatalog *cat,
					 const char *policy_sla, GateResult *out)
{
	memset(out, 0, sizeof(GateResult));
	out->status = GS_PENDING;
	out->basis = "signals";

	for (int i = 0; i < nsignals; i++)
	{
		JsonbContainer *rule;
		GateStatus	st;
		bool		recommend = false;
		const char *reason;
		const char *queue;
		const char *sla;
		int64		expires;

		if (signals[i].gate != g || !signals[i].counts)
			continue;
		expires = Int(signals[i].obj, "expires_at_us", 0);
		if (expires != 0 && (out->expires == 0 || expires < out->expires))
			out->expires = expires;
		rule = MatchRule(rules, signals[i].obj);
		if (rule == NULL)
		{
			st = GS_REVIEW;
			reason = cat->review_reason;
			queue = cat->review_queue;
			sla = policy_sla ? policy_sla : cat->review_sla;
		}
		else
		{
			st = StatusFromName(Text(rule, "status"));
			reason = Text(rule, "decision_reason");
			queue = Text(rule, "queue");
			sla = Text(rule, "sla");
			if (st == GS_FAILED && !Bool(rule, "auto_decline") && !cat->auto_decline)
			{
				st = GS_REVIEW;
				recommend = true;
				queue = queue ? queue : cat->review_queue;
				sla = sla ? sla : cat->confirm_sla;
			}
		}
		/* the most severe wins; among reviews, a recommended decline */
		if (out->nsignals == 0 || st > out->status ||
			(st == out->status && recommend && !out->recommend_decline))
		{
			out->status = st;
			out->reason = reason;
			out->queue = queue;
			out->sla = sla;
			out->recommend_decline = recommend;
		}
		out->nsignals++;
	}
}

/*
 * BoundRequests
 *		Since 0.3.0: a gate needing information from the applicant asks a new
 *		round when nothing was asked yet or a signal arrived since the last
 *		round (it answered that one: still not enough); past the policy's
 *		max_rfi_rounds, or when the answer to the last round is all there is,
 *		it goes to its owner's queue instead (seed 004 §7: no endless
 *		evidence loop).
 */
static void
BoundRequests(int g, GateResult *res, JsonbContainer *requests, Signal *signals, int nsignals,
			  int64 max_rounds, const GateCatalog *cat, const char *policy_sla)
{
	JsonbContainer *r = Container(KycJsonbMember(requests, gate_names[g]));
	int64		rounds = Int(r, "rounds", 0);
	int64		last = Int(r, "last_requested_at_us", 0);
	bool		newer = false;

	if (res->status != GS_INFO_NEEDED || strcmp(res->basis, "signals") != 0)
		return;
	for (int i = 0; i < nsignals; i++)
		if (signals[i].gate == g && signals[i].counts && signals[i].received_at > last)
			newer = true;
	if (rounds > 0 && !newer)
	{
		/*
		 * The applicant answered about these very signals and nothing newer
		 * came (a reviewer's decision since was superseded by a signal that
		 * no longer counts, say): asking nothing while saying information is
		 * needed would strand the applicant, asking the same again is the
		 * endless loop; the answer goes to the gate owner's queue.
		 */
		if (!Bool(r, "open"))
		{
			res->status = GS_REVIEW;
			res->queue = cat->review_queue;
			res->sla = policy_sla ? policy_sla : cat->review_sla;
		}
		return;
	}
	if (rounds >= max_rounds)
	{
		res->status = GS_REVIEW;
		res->queue = cat->review_queue;
		res->sla = policy_sla ? policy_sla : cat->review_sla;
		res->rfi_limit = true;
	}
	else
		res->rfi_round = (int) rounds + 1;
}

/* ---- policy checks ---------------------------------------------------- */

static bool
JurisdictionAllowed(JsonbContainer *allowed, const char *jurisdiction)
{
	for (int i = 0; i < ArrayLength(allowed); i++)
	{
		JsonbValue *v = Element(allowed, i);
		int			len;

		if (v->type != jbvString)
			continue;
		len = v->val.string.len;
		if (strncmp(jurisdiction, v->val.string.val, len) == 0 &&
			(jurisdiction[len] == '\0' || jurisdiction[len] == '-'))
			return true;
	}
	return false;
}

/*
 * RiskScore
 *		Sum of the policy's factor weights that match the application's
 *		attributes or the reason codes of its live CDD signals.
 */
static int64
RiskScore(JsonbContainer *risk, JsonbContainer *app, Signal *signals, int nsignals)
{
	JsonbContainer *factors = Container(KycJsonbMember(risk, "factors"));
	int64		score = 0;

	for (int i = 0; i < ArrayLength(factors); i++)
	{
		JsonbContainer *f = Container(Element(factors, i));
		const char *factor = Text(f, "factor");
		const char *value = Text(f, "value");
		bool		match = false;

		if (factor == NULL || value == NULL)
			continue;
		if (strcmp(factor, "cdd_reason") == 0)
		{
			for (int j = 0; j < nsignals && !match; j++)
				match = signals[j].gate == GATE_CDD && signals[j].counts &&
					ArrayHasString(Container(KycJsonbMember(signals[j].obj, "reason_codes")), value);
		}
		else
		{
			const char *attr = Text(app, factor);

			match = attr != NULL && strcmp(attr, value) == 0;
		}
		if (match)
			score += Int(f, "weight", 0);
	}
	return score;
}

static const char *
RiskTier(JsonbContainer *risk, int64 score)
{
	if (score >= Int(risk, "prohibited", PG_INT64_MAX))
		return "prohibited";
	if (score >= Int(risk, "high", PG_INT64_MAX))
		return "high";
	if (score >= Int(risk, "medium", PG_INT64_MAX))
		return "medium";
	return "low";
}

/* ---- output ----------------------------------------------------------- */

static void
Str(StringInfo out, const char *key, const char *value, bool comma)
{
	if (comma)
		appendStringInfoChar(out, ',');
	escape_json(out, key);
	appendStringInfoChar(out, ':');
	if (value == NULL)
		appendStringInfoString(out, "null");
	else
		escape_json(out, value);
}

/* the catalog 0.2.0 decided with (its rule semantics are those of GateFromSignals) */
static void
LegacyCatalog(GateCatalog *cat)
{
	for (int g = 0; g < NGATES; g++)
	{
		memset(&cat[g], 0, sizeof(GateCatalog));
		cat[g].critical = g < LEGACY_NCRITICAL;
		cat[g].business_only = g == GATE_KYB;
		cat[g].pending_state = legacy_pending_states[g];
		cat[g].review_rank = legacy_review_rank[g];
	}
}

static void
ReadCatalog(JsonbContainer *gates, GateCatalog *cat)
{
	for (int g = 0; g < NGATES; g++)
	{
		JsonbContainer *c = Container(KycJsonbMember(gates, gate_names[g]));

		cat[g].critical = Bool(c, "critical");
		cat[g].business_only = Bool(c, "business_only");
		cat[g].pending_state = Text(c, "pending_state");
		cat[g].review_rank = (int) Int(c, "review_rank", -1);
		cat[g].review_queue = Text(c, "review_queue");
		cat[g].review_sla = Text(c, "review_sla");
		cat[g].confirm_sla = Text(c, "confirm_sla");
		cat[g].review_reason = Text(c, "review_reason");
		cat[g].auto_decline = Bool(c, "auto_decline");
	}
}

/*
 * kyc_decide
 *		SQL: kyc.decide(inputs jsonb, policy jsonb) -> jsonb.
 */
PG_FUNCTION_INFO_V1(kyc_decide);
Datum
kyc_decide(PG_FUNCTION_ARGS)
{
	Jsonb	   *inputs = PG_GETARG_JSONB_P(0);
	Jsonb	   *policy = PG_GETARG_JSONB_P(1);
	JsonbContainer *in = &inputs->root;
	JsonbContainer *pol = &policy->root;
	JsonbContainer *app = Container(KycJsonbMember(in, "application"));
	JsonbContainer *gates_in = Container(KycJsonbMember(in, "gates"));
	Signal	   *signals;
	int			nsignals;
	JsonbContainer *rules = Container(KycJsonbMember(pol, "rules"));
	JsonbContainer *risk = Container(KycJsonbMember(pol, "risk"));
	JsonbContainer *elig = Container(KycJsonbMember(pol, "eligibility"));
	JsonbContainer *restricted = Container(KycJsonbMember(pol, "restricted_approval"));
	int64		as_of = Int(in, "as_of_us", 0);
	const char *kind = Text(app, "applicant_kind");
	JsonbContainer *catalog = Container(KycJsonbMember(in, "catalog"));
	bool		owned = catalog != NULL;	/* decided by 0.3.0 or later */
	GateCatalog cat[NGATES];
	const char *policy_sla = Text(pol, "review_sla");
	JsonbContainer *requests = Container(KycJsonbMember(in, "requests"));
	int64		max_rounds = Int(Container(KycJsonbMember(pol, "timeouts")), "max_rfi_rounds", 3);
	GateResult	res[NGATES];
	bool		business;
	int64		score;
	const char *tier;
	const char *outcome = NULL;
	const char *target = NULL;
	int			focus = -1;		/* the gate that decided the outcome */
	StringInfoData out;
	StringInfoData reasons;

	if (app == NULL || gates_in == NULL || kind == NULL || !JB_ROOT_IS_OBJECT(policy) || rules == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decision inputs or policy document are incomplete"),
				 errdetail("Inputs need \"application\" and \"gates\"; a policy needs \"rules\".")));

	if (owned)
		ReadCatalog(Container(KycJsonbMember(catalog, "gates")), cat);
	else
		LegacyCatalog(cat);
	business = strcmp(kind, "business") == 0;
	signals = ParseSignals(Container(KycJsonbMember(in, "signals")), as_of, &nsignals);
	score = RiskScore(risk, app, signals, nsignals);
	tier = RiskTier(risk, score);

	for (int g = 0; g < NGATES; g++)
	{
		JsonbContainer *gin = Container(KycJsonbMember(gates_in, gate_names[g]));
		GateStatus	current = StatusFromName(Text(gin, "status"));
		bool		manual = Bool(gin, "manual");
		int64		decided_at = Int(gin, "decided_at_us", 0);
		bool		newer_signal = false;

		if (owned)
			GateFromSignalsOwned(g, signals, nsignals, rules, &cat[g], policy_sla, &res[g]);
		else
			GateFromSignals(g, signals, nsignals, rules, &res[g]);
		for (int i = 0; i < nsignals; i++)
			if (signals[i].gate == g && signals[i].live && signals[i].received_at > decided_at)
				newer_signal = true;

		/*
		 * consent is set by the consent API, kyb_ubo does not apply to
		 * individuals; since 0.3.0 funding is set by funding records only (a
		 * vendor's funding-risk "pass" is not money received)
		 */
		if (g == GATE_CONSENT || g == GATE_COMMUNICATION || (owned && g == GATE_FUNDING) ||
			(cat[g].business_only && !business) ||
			(manual && !newer_signal))
		{
			res[g].status = current;
			res[g].reason = Text(gin, "reason_code");
			res[g].queue = NULL;
			res[g].sla = NULL;
			res[g].basis = g == GATE_CONSENT ? "consent" :
				(g == GATE_FUNDING ? "funding" : (manual ? "manual" : "none"));
			res[g].recommend_decline = false;
			res[g].expires = 0;
			/* since 0.3.0 a review decided by hand has its owner's queue too */
			if (owned && res[g].status == GS_REVIEW)
			{
				res[g].queue = cat[g].review_queue;
				res[g].sla = policy_sla ? policy_sla : cat[g].review_sla;
			}
			continue;
		}
		if (g == GATE_ELIGIBILITY && res[g].nsignals == 0 && elig != NULL)
		{
			bool		kind_ok = ArrayHasString(Container(KycJsonbMember(elig, "applicant_kinds")), kind);
			bool		place_ok = JurisdictionAllowed(Container(KycJsonbMember(elig, "jurisdictions")),
													   Text(app, "jurisdiction"));

			res[g].status = (kind_ok && place_ok) ? GS_PASSED : GS_FAILED;
			res[g].reason = !kind_ok ? "ELIG.BUSINESS_TYPE_NOT_SUPPORTED" :
				(!place_ok ? "ELIG.PRODUCT_NOT_AVAILABLE" : NULL);
			res[g].basis = "policy";
		}
		if (g == GATE_CDD && strcmp(tier, "prohibited") == 0)
		{
			res[g].status = GS_FAILED;
			res[g].reason = "CDD.PROHIBITED_PROFILE";
			res[g].basis = "policy";
			if (owned && !cat[g].auto_decline)
			{
				res[g].status = GS_REVIEW;
				res[g].recommend_decline = true;
				res[g].queue = cat[g].review_queue;
				res[g].sla = cat[g].confirm_sla;
			}
		}
		if (owned && cat[g].critical)
			BoundRequests(g, &res[g], requests, signals, nsignals, max_rounds, &cat[g], policy_sla);
	}

	/* since 0.3.0: without consent nothing is decided; the application waits for it */
	if (owned && res[GATE_CONSENT].status != GS_PASSED && res[GATE_CONSENT].status != GS_WAIVED &&
		res[GATE_CONSENT].status != GS_FAILED)
	{
		focus = GATE_CONSENT;
		target = cat[GATE_CONSENT].pending_state;
	}

	/* outcome precedence over the critical gates (docs/decisioning.md) */
	for (int g = 0; g < NGATES && outcome == NULL && target == NULL; g++)
		if (cat[g].critical && res[g].status == GS_FAILED)
		{
			outcome = "decline";
			target = "declined";
			focus = g;
		}
	/* since 0.3.0 the request already open goes first: one at a time is asked */
	for (int g = 0; owned && g < NGATES && outcome == NULL && target == NULL; g++)
		if (cat[g].critical && res[g].status == GS_INFO_NEEDED &&
			Bool(Container(KycJsonbMember(requests, gate_names[g])), "open"))
		{
			outcome = "request_information";
			target = "information_requested";
			focus = g;
		}
	for (int g = 0; g < NGATES && outcome == NULL && target == NULL; g++)
		if (cat[g].critical && res[g].status == GS_INFO_NEEDED)
		{
			outcome = "request_information";
			target = "information_requested";
			focus = g;
		}
	for (int g = 0; g < NGATES; g++)
		if (g != focus || outcome == NULL || strcmp(outcome, "request_information") != 0)
			res[g].rfi_round = 0;	/* only the request asked counts a round */
	if (outcome == NULL && target == NULL)
	{
		for (int g = 0; g < NGATES; g++)
			if (cat[g].critical && res[g].status == GS_REVIEW &&
				(focus < 0 || cat[g].review_rank > cat[focus].review_rank))
				focus = g;
		if (focus >= 0)
		{
			outcome = "hold_for_review";
			target = cat[focus].pending_state;
		}
	}
	if (outcome == NULL && target == NULL)
	{
		for (int g = 0; g < NGATES && focus < 0; g++)
			if (cat[g].critical && (res[g].status == GS_PENDING ||
									(cat[g].business_only && business && res[g].status == GS_NOT_APPLICABLE)))
				focus = g;
		if (focus >= 0)
			target = cat[focus].pending_state;	/* still in progress: no outcome yet */
		else if (restricted != NULL &&
				 ArrayHasString(Container(KycJsonbMember(restricted, "when_tier")), tier))
		{
			outcome = "approve_restricted";
			target = "approved_restricted";
		}
		else
		{
			outcome = "approve";
			target = res[GATE_FUNDING].status == GS_PASSED ? "active" : "opened_not_funded";
		}
	}

	initStringInfo(&reasons);
	appendStringInfoChar(&reasons, '[');
	for (int g = 0; g < NGATES; g++)
	{
		/* the reasons of the critical gates in the deciding gate's status */
		if (!cat[g].critical || res[g].reason == NULL || (focus >= 0 && res[g].status != res[focus].status))
			continue;
		if (reasons.len > 1)
			appendStringInfoChar(&reasons, ',');
		escape_json(&reasons, res[g].reason);
	}
	appendStringInfoChar(&reasons, ']');

	initStringInfo(&out);
	appendStringInfoString(&out, "{\"gates\":{");
	for (int g = 0; g < NGATES; g++)
	{
		if (g > 0)
			appendStringInfoChar(&out, ',');
		escape_json(&out, gate_names[g]);
		appendStringInfoString(&out, ":{");
		Str(&out, "status", status_names[res[g].status], false);
		Str(&out, "reason_code", res[g].reason, true);
		Str(&out, "queue", res[g].queue, true);
		Str(&out, "sla", res[g].sla, true);
		Str(&out, "basis", res[g].basis, true);
		appendStringInfo(&out, ",\"signals\":%d", res[g].nsignals);
		if (owned)
		{
			if (res[g].expires != 0)
				appendStringInfo(&out, ",\"expires_at_us\":" INT64_FORMAT, res[g].expires);
			if (res[g].recommend_decline)
				appendStringInfoString(&out, ",\"recommendation\":\"decline\"");
			if (res[g].rfi_round > 0)
				appendStringInfo(&out, ",\"rfi_round\":%d", res[g].rfi_round);
			if (res[g].rfi_limit)
				appendStringInfoString(&out, ",\"rfi_limit\":true");
		}
		appendStringInfoChar(&out, '}');
	}
	appendStringInfo(&out, "},\"risk_score\":" INT64_FORMAT, score);
	Str(&out, "risk_tier", tier, true);
	Str(&out, "outcome", outcome, true);
	Str(&out, "target_state", target, true);
	Str(&out, "focus_gate", focus >= 0 ? gate_names[focus] : NULL, true);
	Str(&out, "queue", focus >= 0 ? res[focus].queue : NULL, true);
	Str(&out, "sla", focus >= 0 ? res[focus].sla : NULL, true);
	appendStringInfo(&out, ",\"reason_codes\":%s", reasons.data);
	if (outcome != NULL && strcmp(outcome, "approve_restricted") == 0)
	{
		appendStringInfoString(&out, ",\"restriction\":{");
		Str(&out, "kind", Text(restricted, "kind"), false);
		Str(&out, "reason_code", Text(restricted, "reason_code"), true);
		Str(&out, "lift_condition", Text(restricted, "lift_condition"), true);
		appendStringInfoChar(&out, '}');
	}
	appendStringInfoChar(&out, '}');

	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(out.data)));
}
