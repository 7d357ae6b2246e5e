"""The model's world: tenants, logins, catalogs, the applications it drives and the virtual clock.

The clock is virtual: jobs and evaluations are told the time (their `now` / `as_of`), which starts
an hour ahead of the server's clock and only moves forward, except in the steps that play a late
pg_cron run. What the model believes about each application is refreshed from the database after
every step (the database is the truth; the model checks what it did against what was allowed).
"""
import datetime

TENANTS = ["bank_a", "bank_b"]
LOGINS = {                       # login -> group role
    "model_app": "kyc_app",
    "model_kyc1": "kyc_reviewer", "model_kyc2": "kyc_reviewer",
    "model_fraud1": "kyc_fraud", "model_fraud2": "kyc_fraud",
    "model_aml1": "kyc_aml", "model_aml2": "kyc_aml",
    "model_admin1": "kyc_admin", "model_admin2": "kyc_admin",
    "model_auditor": "kyc_auditor", "model_cx": "kyc_cx",
    "model_jobs1": "kyc_jobs", "model_jobs2": "kyc_jobs",
}
REVIEWERS = {"kyc_reviewer": ["model_kyc1", "model_kyc2"], "kyc_fraud": ["model_fraud1", "model_fraud2"],
             "kyc_aml": ["model_aml1", "model_aml2"]}
OPENED = {"approved_restricted", "opened_not_funded", "active"}
TERMINAL = {"declined", "abandoned", "closed"}
SIGNAL_SOURCE = {"identity_proofing": ("idv_vendor", "evidence_validation"), "cip": ("cip_bureau", "non_documentary_match"),
                 "cdd": ("cdd_questionnaire", "risk_profile"), "kyb_ubo": ("kyb_vendor", "registry_match"),
                 "fraud": ("device_intel", "device_risk"), "aml": ("watchlist_screening", "sanctions_pep"),
                 "eligibility": ("age_check", "eligibility"), "funding": ("payments", "funding_check"),
                 "consent": ("consent_vendor", "consent_check"), "communication": ("notifier", "delivery")}


class App:
    """One application the model drives, and every call made on it (its trace)."""

    def __init__(self, tenant, ref, kind, product):
        self.tenant, self.ref, self.kind, self.product = tenant, ref, kind, product
        self.id = None
        self.state = None
        self.cleared = 0            # cleared funding and outflows, for outflows near the threshold
        self.outflow = 0
        self.risk_proposers = set()  # who proposed closing it under the risk policy
        self.trace = []             # (step, login, call, outcome)

    def __repr__(self):
        return "%s/%s" % (self.tenant, self.ref)


class World:
    def __init__(self, sessions, rng, seed):
        self.s = sessions
        self.rng = rng
        self.seed = seed
        self.apps = []              # in the order opened: the model never iterates a hash order
        self.by_id = {}
        self.steps = []             # (step, login, call, outcome, app) of every step, for traces
        self.step = 0
        self.offset = datetime.timedelta(0)
        self.base = None
        self.schedule_races = 0
        self.load_catalogs()

    # ---- catalogs ------------------------------------------------------------------------
    def load_catalogs(self):
        q = self.s.query
        self.base = q("SELECT now() + interval '1 hour'")[0][0]
        self.gate_owner = dict(q("SELECT gate::text, owner::text FROM kyc.gate_definition"))
        self.deciders = {g: list(r) for g, r in q("SELECT gate::text, decider_roles::text[] FROM kyc.gate_definition")}
        self.reasons = q("SELECT code, gate::text, outcome_class::text, customer_message_key FROM kyc.reason_code ORDER BY code")
        self.queues = {qn: list(w) for qn, w in q("SELECT queue, worker_roles::text[] FROM kyc.review_queue ORDER BY queue")}

    def codes(self, gate, *classes):
        return [r[0] for r in self.reasons if r[1] == gate and (not classes or r[2] in classes)]

    def message_key(self, code):
        return next((r[3] for r in self.reasons if r[0] == code), "under_review")

    # ---- time ----------------------------------------------------------------------------
    @property
    def now(self):
        return self.base + self.offset

    def advance(self, delta):
        self.offset += delta

    # ---- what the database says ----------------------------------------------------------
    def refresh(self):
        for app_id, state in self.s.query("SELECT id, state::text FROM kyc.application"):
            a = self.by_id.get(app_id)
            if a is not None:
                a.state = state

    def record(self, login, call, outcome, app=None):
        entry = (self.step, login, call, outcome)
        self.steps.append(entry + (app,))
        if app is not None:
            app.trace.append(entry)

    def pick_app(self, live=0.9, where=None):
        pool = [a for a in self.apps if a.id is not None and (where is None or where(a))]
        if not pool:
            return None
        alive = [a for a in pool if a.state not in TERMINAL]
        if alive and self.rng.random() < live:
            pool = alive
        return self.rng.choice(pool)
