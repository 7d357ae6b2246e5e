"""The random steps: API calls of every role, each checked against what the model allows.

Each action makes one or a few calls and records them; `expect` notes what the model forbids:
what a call must have refused (a write on a concluded application, an account event on an account
that is not open, an application opened with no policy in force) and what no single person may do
alone. The database's own invariants (kyc.invariant_violations) are checked by the runner after
every step.
"""
import datetime
import json
from decimal import ROUND_DOWN, Decimal

from world import App, OPENED, REVIEWERS, SIGNAL_SOURCE, TERMINAL

SIGNAL_GATES = ["identity_proofing"] * 4 + ["cip"] * 4 + ["cdd"] * 3 + ["fraud"] * 4 + ["aml"] * 4 + \
               ["kyb_ubo"] * 2 + ["eligibility", "funding", "consent"]
RESULTS = ["pass"] * 10 + ["fail"] * 3 + ["inconclusive"] * 3 + ["refer"] * 3 + ["error"] * 2
CONFIDENCE = ["high"] * 6 + ["medium"] * 3 + ["low"]


class Actions:
    def __init__(self, world):
        self.w = world
        self.rng = world.rng
        self.findings = []          # (kind, app, detail) the model itself found in this step
        self.opened = 0

    # ---- helpers -------------------------------------------------------------------------
    def call(self, login, app, text, params=(), tenant=None, label=None):
        out = self.w.s.call(login, tenant or (app.tenant if app else None), text, params)
        self.w.record(login, label or self.render(text, params), out, app)
        return out

    @staticmethod
    def render(text, params):
        args = []
        for p in params:
            if isinstance(p, datetime.datetime):
                args.append("T+%s" % p.isoformat(timespec="seconds"))
            elif isinstance(p, str) and len(p) > 60:
                args.append(repr(p[:57] + "..."))
            else:
                args.append(repr(p) if isinstance(p, str) else str(p))
        name = text.split("(")[0].replace("SELECT * FROM ", "").replace("SELECT ", "")
        return "%s(%s)" % (name, ", ".join(args))

    def expect(self, kind, app, detail):
        self.findings.append((kind, app, detail))

    def forbid_on_concluded(self, app, before, out, what):
        if out.ok and before in TERMINAL:
            self.expect("accepted_on_concluded", app, "%s accepted on a %s application" % (what, before))

    # ---- the service (kyc_app) -----------------------------------------------------------
    def open(self):
        r = self.rng.random()
        tenant = self.rng.choice(self.w.tenants)
        kind, product = ("business", "small_business_checking") if r < 0.2 else ("individual", "digital_checking")
        if r > 0.97:
            product = "retail_savings"           # no policy is in force for it
        elif r > 0.94:
            kind = "business"                    # a business on the individuals' product
        app = App(tenant, "m%s-%d" % (self.w.seed, len(self.w.apps) + 1), kind, product)
        juris = self.rng.choice(["US", "US-CA", "US-NY", "US-TX", "US-DE"] * 6 + ["CA"])
        channel = self.rng.choice(["digital"] * 5 + ["branch", "contact_center", "partner"])
        segment = self.rng.choice([None] * 4 + ["new_to_bank", "cash_intensive", "high_risk_geography"])
        out = self.call("model_app", app, "SELECT kyc.open_application(%s, %s, %s, %s, %s, %s)",
                        (app.ref, kind, product, juris, channel, segment))
        if out.ok:
            app.id = out.first()
            self.w.apps.append(app)
            self.w.by_id[app.id] = app
            if product == "retail_savings":
                self.expect("opened_without_policy", app, "open_application accepted product %s, which has no policy in force" % product)
        return app

    def consent(self, app=None):
        app = app or self.w.pick_app()
        if app is None:
            return
        before = app.state
        if self.rng.random() < 0.8:
            purpose = self.rng.choice(["account_opening"] * 6 + ["marketing"])
            out = self.call("model_app", app, "SELECT kyc.capture_consent(%s, %s, %s, %s)",
                            (app.id, purpose, "disclosures-2026-10", json.dumps({"channel": "app", "session": "s-%d" % self.w.step})),
                            label="capture_consent(%s, %r)" % (app.ref, purpose))
            self.forbid_on_concluded(app, before, out, "capture_consent")
        else:
            out = self.call("model_app", app, "SELECT kyc.withdraw_consent(%s, %s)",
                            (app.id, json.dumps({"channel": "call_center"})), label="withdraw_consent(%s)" % app.ref)
            self.forbid_on_concluded(app, before, out, "withdraw_consent")

    def signal(self):
        app = self.w.pick_app()
        if app is None:
            return
        gate = self.rng.choice(SIGNAL_GATES)
        result = self.rng.choice(RESULTS)
        confidence = self.rng.choice(CONFIDENCE)
        if self.rng.random() < 0.5:
            # move the application along: a clean signal for a gate that still waits for one
            gates = self.w.s.query("SELECT gate::text, status::text FROM kyc.application_gate WHERE application_id = %s ORDER BY gate",
                                   (app.id,))
            if any(g == "consent" and st != "passed" for g, st in gates) and app.state not in TERMINAL:
                return self.consent(app)
            waiting = [g for g, st in gates
                       if st == "pending" and g not in ("consent", "funding", "communication", "eligibility")]
            if waiting:
                gate, result, confidence = self.rng.choice(waiting), "pass", "high"
        if result == "pass":
            pool = []
        elif result == "fail":
            pool = self.w.codes(gate, "decline", "hold_for_review")
        elif result == "refer":
            pool = self.w.codes(gate, "hold_for_review")
        elif result == "inconclusive":
            pool = self.w.codes(gate, "request_information", "hold_for_review")
        else:
            pool = []
        codes = [self.rng.choice(pool)] if pool and self.rng.random() < 0.85 else []
        source, kind = SIGNAL_SOURCE[gate]
        sig = {"source": source, "signal_type": kind, "gate": gate, "result": result, "confidence": confidence,
               "reason_codes": codes, "customer_safe_reason": self.w.message_key(codes[0]) if codes else "under_review",
               "owner": self.w.gate_owner[gate], "evidence_refs": ["ref-%d" % self.w.step]}
        expiry = ""
        if self.rng.random() < 0.3:
            hours = self.rng.choice([1, 2, 6, 20, 30, 50, 100, 240])
            sig["expires_at"] = (self.w.now + datetime.timedelta(hours=hours)).isoformat()
            expiry = ", expires T+%dh" % hours
        before = app.state
        out = self.call("model_app", app, "SELECT kyc.submit_signal(%s, %s)", (app.id, json.dumps(sig)),
                        label="submit_signal(%s, %s %s %s %s%s)" % (app.ref, gate, result, confidence, codes, expiry))
        self.forbid_on_concluded(app, before, out, "submit_signal")
        if out.ok and self.rng.random() < 0.6:
            self.evaluate(app)

    def evaluate(self, app=None, login="model_app"):
        app = app or self.w.pick_app()
        if app is None:
            return None
        before = app.state
        out = self.call(login, app, "SELECT outcome::text, state::text FROM kyc.evaluate(%s, %s)", (app.id, self.w.now),
                        label="evaluate(%s, T)" % app.ref)
        self.forbid_on_concluded(app, before, out, "evaluate")
        return out

    def funding(self):
        app = self.w.pick_app(where=lambda a: a.state in OPENED or self.rng.random() < 0.1)
        if app is None:
            return
        status = self.rng.choice(["cleared"] * 6 + ["pending", "returned", "returned"])
        amount = self.rng.choice([100, 250, 1000, 5000])
        before = app.state
        out = self.call("model_app", app, "SELECT kyc.record_funding(%s, %s, 'USD', %s, %s, %s)",
                        (app.id, amount, self.rng.choice(["ach", "wire", "card"]), "ref-%d" % self.w.step, status),
                        label="record_funding(%s, %s, %s)" % (app.ref, amount, status))
        self.forbid_on_concluded(app, before, out, "record_funding")
        if out.ok and status == "cleared":
            app.cleared += amount
        if out.ok and self.rng.random() < 0.6:
            out = self.call("model_app", app, "SELECT kyc.activate(%s)", (app.id,), label="activate(%s)" % app.ref)

    def account_event(self):
        app = self.w.pick_app(where=lambda a: a.state in OPENED or a.state == "closed" or self.rng.random() < 0.05)
        if app is None:
            return
        kind = self.rng.choice(["deposit", "outbound_transfer", "outbound_transfer", "device_change", "funding_returned"])
        amount, device = None, None
        if kind == "device_change":
            device = "dev-%d" % self.rng.randrange(6)
        else:
            base = Decimal(app.cleared or 100)
            # outflows that bring the total out to a share of the cleared funding near the
            # rapid-outflow threshold (80%): just under it, at it, over it
            share = Decimal(self.rng.choice(["0.5", "0.79999", "0.79999", "0.79999", "0.8", "0.95"])) if kind == "outbound_transfer" else Decimal("0.3")
            amount = max((base * share - (app.outflow if kind == "outbound_transfer" else 0)).quantize(Decimal("0.01"), ROUND_DOWN),
                         Decimal("0.01"))
        before = app.state
        out = self.call("model_app", app, "SELECT kyc.record_account_event(%s, %s, %s, %s)", (app.id, kind, amount, device),
                        label="record_account_event(%s, %s, %s, %s)" % (app.ref, kind, amount, device))
        self.forbid_on_concluded(app, before, out, "record_account_event")
        if out.ok and kind == "outbound_transfer":
            app.outflow += amount
        if out.ok and before not in OPENED and before not in TERMINAL:
            self.expect("event_on_unopened", app, "record_account_event accepted in state %s" % before)

    def provide_information(self):
        app = self.w.pick_app(where=lambda a: a.state == "information_requested" or self.rng.random() < 0.1)
        if app is None:
            return
        before = app.state
        out = self.call("model_app", app, "SELECT request_id, state::text FROM kyc.provide_information(%s, %s)",
                        (app.id, json.dumps({"document_ref": "doc-%d" % self.w.step})), label="provide_information(%s)" % app.ref)
        self.forbid_on_concluded(app, before, out, "provide_information")
        if out.sqlstate == "55000" and before == "information_requested":
            self.expect("request_unanswerable", app, "the applicant was asked for information and cannot answer: %s" % out.short())

    def app_by_hand(self):
        """The service tries what it should not be able to: set consent or funding itself, move
        the state, close the account; or opens an account whose gates all read passed."""
        if self.rng.random() < 0.3:
            ready = [r[0] for r in self.w.s.query(
                "SELECT a.id FROM kyc.application a WHERE a.state NOT IN ('approved_restricted', 'opened_not_funded', 'active',"
                " 'declined', 'abandoned', 'closed') AND NOT EXISTS (SELECT 1 FROM kyc.application_gate g JOIN kyc.gate_definition d"
                " USING (gate) WHERE g.application_id = a.id AND d.critical AND g.status NOT IN ('passed', 'waived', 'not_applicable'))"
                " ORDER BY a.created_at")]
            ready = [self.w.by_id[i] for i in ready if i in self.w.by_id]
            if ready:
                app = self.rng.choice(ready)
                self.call("model_app", app, "SELECT kyc.transition(%s, 'opened_not_funded')", (app.id,),
                          label="transition(%s, opened_not_funded)" % app.ref)
                return
        app = self.w.pick_app()
        if app is None:
            return
        before = app.state
        r = self.rng.random()
        if r < 0.4:
            gate = self.rng.choice(["consent", "funding"])
            out = self.call("model_app", app, "SELECT kyc.set_gate(%s, %s, 'passed')", (app.id, gate),
                            label="set_gate(%s, %s, passed)" % (app.ref, gate))
        elif r < 0.8:
            target = self.rng.choice(["consent_captured", "opened_not_funded", "opened_not_funded", "opened_not_funded", "active",
                                      "approved_restricted", "abandoned", "declined"])
            reason = {"abandoned": "ABANDON.CUSTOMER_LEFT", "declined": "CIP.UNABLE_TO_VERIFY"}.get(target)
            out = self.call("model_app", app, "SELECT kyc.transition(%s, %s, %s)", (app.id, target, reason),
                            label="transition(%s, %s, %s)" % (app.ref, target, reason))
        else:
            out = self.call("model_app", app, "SELECT kyc.close_account(%s, 'EXIT.CUSTOMER_REQUEST')", (app.id,),
                            label="close_account(%s, EXIT.CUSTOMER_REQUEST)" % app.ref)
        self.forbid_on_concluded(app, before, out, "a state or gate change")

    def customer_status(self):
        app = self.w.pick_app(live=0.5)
        if app is not None:
            self.call("model_cx", app, "SELECT message_key FROM kyc.customer_status(%s)", (app.id,),
                      label="customer_status(%s)" % app.ref)

    # ---- reviewers -----------------------------------------------------------------------
    def review(self):
        queue = self.rng.choice(sorted(self.w.queues))
        role = self.rng.choice(self.w.queues[queue])
        login = self.rng.choice(REVIEWERS[role])
        tenant = self.rng.choice(self.w.tenants)
        out = self.w.s.call(login, tenant, "SELECT id, application_id, gate::text, origin, status::text, proposed_outcome::text"
                                           " FROM kyc.claim_task(%s)", (queue,))
        task = out.rows[0] if out.ok and out.rows and out.rows[0][0] is not None else None
        app = self.w.by_id.get(task[1]) if task else None
        self.w.record(login, "claim_task(%s) in %s" % (queue, tenant), out, app)
        if task is None:
            return
        self.resolve(login, tenant, app, task)

    def resolve(self, login, tenant, app, task):
        task_id, _, gate, origin, status, proposed = task
        r = self.rng.random()
        if status == "awaiting_second_review" and r < 0.7:
            outcome = proposed                   # the second reviewer confirms
        elif r < 0.1:
            self.call(login, app, "SELECT kyc.release_task(%s)", (task_id,), label="release_task(%s %s)" % (app.ref, gate))
            return
        elif origin == "early_life":
            outcome = self.rng.choice(["clear", "clear", "decline", "waive"])
        else:
            outcome = self.rng.choice(["clear"] * 4 + ["waive", "decline", "decline", "request_information", "request_information"])
        cls = {"clear": "approve", "waive": "approve", "decline": "decline", "request_information": "request_information"}[outcome]
        pool = self.w.codes(gate, cls)
        if not pool or self.rng.random() < 0.05:
            pool = [self.rng.choice(self.w.reasons)[0]]      # a wrong reason: refused with KY003
        code = self.rng.choice(pool)
        note = "model step %d" % self.w.step if outcome == "waive" or self.rng.random() < 0.5 else None
        self.call(login, app, "SELECT task_status::text, state::text, decision_outcome::text FROM kyc.resolve_task(%s, %s, %s, %s)",
                  (task_id, outcome, code, note), label="resolve_task(%s %s %s, %s, %s)" % (app.ref, gate, origin, outcome, code))

    def reviewer_gate(self):
        """A reviewer decides a gate directly (no task): a waiver or a pass."""
        app = self.w.pick_app()
        if app is None:
            return
        gate = self.rng.choice(["identity_proofing", "cip", "cdd", "fraud", "aml", "kyb_ubo"])
        role = self.rng.choice(self.w.deciders[gate])
        if role not in REVIEWERS:
            return
        login = self.rng.choice(REVIEWERS[role])
        status = self.rng.choice(["waived", "passed"])
        before = app.state
        out = self.call(login, app, "SELECT kyc.set_gate(%s, %s, %s, NULL, %s)", (app.id, gate, status, "model step %d" % self.w.step),
                        label="set_gate(%s, %s, %s) by %s" % (app.ref, gate, status, role))
        self.forbid_on_concluded(app, before, out, "set_gate")
        if out.ok and self.rng.random() < 0.7:
            self.evaluate(app, login)

    def lift(self):
        rows = self.w.s.query("SELECT r.id, r.application_id, c.gate::text FROM kyc.restriction r"
                              " JOIN kyc.reason_code c ON c.code = r.reason_code WHERE r.lifted_at IS NULL ORDER BY r.imposed_at, r.id")
        rows = [x for x in rows if x[1] in self.w.by_id]
        if not rows:
            return
        rid, app_id, gate = self.rng.choice(rows)
        app = self.w.by_id[app_id]
        role = self.rng.choice(sorted(REVIEWERS))
        login = self.rng.choice(REVIEWERS[role])
        live = self.w.s.query("SELECT count(*) FROM kyc.review_task WHERE application_id = %s AND gate::text = %s"
                              " AND status IN ('open', 'claimed', 'awaiting_second_review')", (app_id, gate))[0][0]
        out = self.call(login, app, "SELECT kyc.lift_restriction(%s, %s)", (rid, "condition met (model step %d)" % self.w.step),
                        label="lift_restriction(%s, %s restriction) by %s" % (app.ref, gate, role))
        if out.ok and gate and live and role not in self.w.deciders.get(gate, []):
            self.expect("restriction_lifted_by_other_owner", app,
                        "%s lifted a %s restriction while its %s review task was live" % (role, gate, gate))

    # the classes each role reads (docs/security.md, src/data_class.c)
    READS = {"kyc_app": {"customer_safe", "internal", "pii"},
             "kyc_reviewer": {"customer_safe", "internal", "pii"},
             "kyc_fraud": {"customer_safe", "internal", "pii", "fraud_sensitive"},
             "kyc_aml": {"customer_safe", "internal", "pii", "fraud_sensitive", "sar_restricted"}}

    def restrict(self):
        """The service or a reviewer restricts an opened account, citing a reason of any line: a
        reason of a class the caller may not read must be refused."""
        app = self.w.pick_app(where=lambda a: a.state in OPENED)
        if app is None:
            return
        role = self.rng.choice(["kyc_app"] + sorted(REVIEWERS))
        login = "model_app" if role == "kyc_app" else self.rng.choice(REVIEWERS[role])
        reason = self.rng.choice(["CDD.HIGH_RISK_PROFILE", "FUND.RETURNED", "FRAUD.EARLY_LIFE_ACTIVITY",
                                  "AML.SANCTIONS_POTENTIAL_MATCH"])
        out = self.call(login, app, "SELECT kyc.impose_restriction(%s, 'deposit_hold', %s, %s)",
                        (app.id, reason, "model step %d" % self.w.step),
                        label="impose_restriction(%s, %s) by %s" % (app.ref, reason, role))
        cls = self.w.s.query("SELECT data_class::text FROM kyc.reason_code WHERE code = %s", (reason,))[0][0]
        if out.ok and cls not in self.READS[role]:
            self.expect("restricted_with_unreadable_reason", app,
                        "%s restricted the account citing %s, of class %s it may not read" % (role, reason, cls))

    def risk_closure(self):
        app = self.w.pick_app(where=lambda a: a.state in OPENED)
        if app is None:
            return
        role = self.rng.choice(sorted(REVIEWERS))
        login = self.rng.choice(REVIEWERS[role])
        out = self.call(login, app, "SELECT kyc.close_account(%s, 'EXIT.RISK_POLICY', %s)", (app.id, "model"),
                        label="close_account(%s, EXIT.RISK_POLICY) by %s" % (app.ref, role))
        if out.ok and out.first() != "closed":
            app.risk_proposers.add(login)        # a proposal, waiting for a second person
        elif out.ok and not (app.risk_proposers - {login}):
            self.expect("risk_closure_by_one_person", app, "%s closed the account under the risk policy alone" % login)

    # ---- administrators, auditors ----------------------------------------------------------
    def admin(self):
        tenant = self.rng.choice(self.w.tenants)
        r = self.rng.random()
        if r < 0.4:
            self.w.record("model_admin1", "seal_ledger(T)", self.w.s.call("model_admin1", tenant, "SELECT kyc.seal_ledger(%s)", (self.w.now,)))
        elif r < 0.6:
            app = self.w.pick_app(live=0.3)
            if app is not None:
                out = self.call("model_admin1", app, "SELECT kyc.place_legal_hold(%s, 'model hold')", (app.id,),
                                label="place_legal_hold(%s)" % app.ref)
                if out.ok and self.rng.random() < 0.5:
                    self.call("model_admin2", app, "SELECT kyc.release_legal_hold(%s, 'released')", (out.first(),),
                              label="release_legal_hold(%s)" % app.ref)
        elif r < 0.8:
            out = self.w.s.call("model_admin1", tenant, "SELECT kyc.draft_customer_message('under_review', 'en-US', %s, %s, %s)",
                                ("Under review", "We are reviewing your application (%d)." % self.w.step, "No action needed."))
            self.w.record("model_admin1", "draft_customer_message(under_review) in %s" % tenant, out)
            if out.ok:
                out = self.w.s.call("model_admin2", tenant, "SELECT kyc.approve_customer_message('under_review', 'en-US', %s)",
                                    (out.first(),))
                self.w.record("model_admin2", "approve_customer_message(under_review) in %s" % tenant, out)
        else:
            out = self.w.s.call("model_auditor", tenant, "SELECT errors FROM kyc.verify_summary()")
            self.w.record("model_auditor", "verify_summary() in %s" % tenant, out)

    # ---- jobs and time ---------------------------------------------------------------------
    def tick(self):
        delta = self.rng.choices([datetime.timedelta(minutes=10), datetime.timedelta(hours=2), datetime.timedelta(hours=7),
                                  datetime.timedelta(days=1), datetime.timedelta(days=3), datetime.timedelta(days=8),
                                  datetime.timedelta(days=15)], [6, 6, 4, 3, 1, 0.4, 0.2])[0]
        self.w.advance(delta)
        self.w.record("clock", "advance %s to T=%s" % (delta, self.w.now.isoformat(timespec="seconds")), None)

    JOBS = [("sla_sweep", 3), ("signal_expiry", 4), ("abandonment_sweep", 3), ("early_life_monitor", 4), ("retention_sweep", 1),
            ("seal_job", 2), ("cleanup_job_runs", 1)]

    def job(self):
        name = self.rng.choices([j for j, _ in self.JOBS], [w for _, w in self.JOBS])[0]
        now = self.w.now
        late = self.rng.random() < 0.1
        if late:                                  # a late pg_cron run: a now earlier than the last run's
            now = now - datetime.timedelta(hours=self.rng.choice([1, 5, 30]))
        login = self.rng.choice(["model_jobs1", "model_jobs2"])
        out = self.w.s.call(login, None, "SELECT status, processed, detail::text FROM kyc.%s(%%s)" % name, (now,))
        self.w.record(login, "%s(%s)" % (name, "T-late" if late else "T"), out)
        if out.ok and out.rows and out.rows[0][0] == "failed":
            self.w.record(login, "  job run failed: %s" % out.rows[0][2][:300], None)

    # ---- two sessions at once --------------------------------------------------------------
    def concurrent(self):
        r = self.rng.random()
        s = self.w.s
        if r < 0.25 and self.w.schedule_races < 2:
            # with the jobs already scheduled, two sessions schedule them again at once (each
            # unschedules the other's rows); at most twice a run, as pg_cron may start a job
            self.w.schedule_races += 1
            self.w.record("model_jobs1", "schedule_jobs()", s.call("model_jobs1", None, "SELECT count(*) FROM kyc.schedule_jobs()"))
            a, b = s.race(("model_jobs1", None, "SELECT count(*) FROM kyc.schedule_jobs()", None),
                          ("model_jobs1#2", None, "SELECT count(*) FROM kyc.schedule_jobs()", None))
            self.w.record("model_jobs1|model_jobs1", "schedule_jobs() in two sessions of one login at once", _pair(a, b))
            self.w.record("model_jobs1", "unschedule_jobs()", s.call("model_jobs1", None, "SELECT kyc.unschedule_jobs()"))
            return
        if r < 0.5:
            queue = self.rng.choice(sorted(self.w.queues))
            role = self.w.queues[queue][0]
            tenant = self.rng.choice(self.w.tenants)
            la, lb = REVIEWERS[role]
            q = "SELECT id, application_id, gate::text, origin, status::text, proposed_outcome::text FROM kyc.claim_task(%s)"
            a, b = s.race((la, tenant, q, (queue,)), (lb, tenant, q, (queue,)))
            self.w.record("%s|%s" % (la, lb), "claim_task(%s) in two sessions at once in %s" % (queue, tenant), _pair(a, b))
            ta = a.rows[0] if a.ok and a.rows and a.rows[0][0] else None
            tb = b.rows[0] if b.ok and b.rows and b.rows[0][0] else None
            if ta and tb and ta[0] == tb[0]:
                self.expect("same_task_twice", self.w.by_id.get(ta[1]), "two reviewers claimed task %s" % ta[0])
            for login, t in ((la, ta), (lb, tb)):
                if t and t[1] in self.w.by_id:
                    self.resolve(login, tenant, self.w.by_id[t[1]], t)
            return
        app = self.w.pick_app()
        if app is None:
            return
        ev = ("model_app", app.tenant, "SELECT outcome::text, state::text FROM kyc.evaluate(%s, %s)", (app.id, self.w.now))
        if r < 0.75:
            other = ("model_jobs1", None, "SELECT status FROM kyc.signal_expiry(%s)", (self.w.now,))
            label = "evaluate(%s, T) while signal_expiry(T) runs" % app.ref
        else:
            other = ("model_jobs2", None, "SELECT status FROM kyc.abandonment_sweep(%s)", (self.w.now,))
            label = "evaluate(%s, T) while abandonment_sweep(T) runs" % app.ref
        a, b = s.race(ev, other)
        self.w.record("model_app|model_jobs", label, _pair(a, b), app)


class _Pair:
    """Two outcomes recorded as one step."""

    def __init__(self, a, b):
        self.parts = (a, b)

    @property
    def ok(self):
        return all(p.ok for p in self.parts)

    @property
    def bad(self):
        return next((p.bad for p in self.parts if p.bad), None)

    @property
    def sqlstate(self):
        return next((p.sqlstate for p in self.parts if p.sqlstate), None)

    def short(self):
        return " | ".join(p.short() for p in self.parts)


def _pair(a, b):
    return _Pair(a, b)

