#!/usr/bin/env python3
"""The randomized model-based test of pg_kyc (docs/testing.md).

Many applications in two tenants are driven by random sequences of API calls from every role,
and after every step: kyc.invariant_violations() is empty, nothing failed with an internal error,
and nothing happened that the model forbids (actions.py). At the end the ledger verifies and every
decision replays. Deterministic for a seed (printed first as seed=N; MODEL_SEED=N replays it).

Environment: MODEL_SEED (default 13), MODEL_STEPS (step budget, default 2500), MODEL_SECONDS (time
budget, default 60), MODEL_REPORT_ONLY=1 (run the whole budget, print every finding by kind, exit
0), MODEL_DB (default: the database pg_cron lives in, so that scheduling is exercised too), and
libpq's PGHOST/PGPORT/PGUSER for the superuser that sets up and checks.

Exit status: 0 when nothing was found (or in report-only mode), 1 on a finding, 2 on a set-up error.
"""
import os
import random
import re
import sys
import time

sys.dont_write_bytecode = True          # nothing written beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import psycopg                                  # noqa: E402

from db import PASSWORD, Sessions               # noqa: E402
from world import LOGINS, TENANTS, TERMINAL, World  # noqa: E402
from actions import Actions                     # noqa: E402

# calls that decide the application again (kyc.evaluate inside): its own move must never be refused
EVALUATING = {"evaluate", "resolve_task", "provide_information"}
WEIGHTS = [("open", 5), ("consent", 7), ("signal", 30), ("evaluate", 6), ("funding", 6), ("account_event", 5),
           ("provide_information", 4), ("app_by_hand", 4), ("customer_status", 1), ("review", 18), ("reviewer_gate", 2),
           ("lift", 2), ("restrict", 1), ("risk_closure", 1), ("admin", 2), ("tick", 2), ("job", 10), ("concurrent", 2)]


def setup(db):
    """A fresh pg_kyc in db, logins of every role granted both tenants. Returns the DSNs."""
    su = psycopg.connect(dbname=db, autocommit=True)
    cron_db = su.execute("SELECT current_setting('cron.database_name', true)").fetchone()[0]
    if cron_db == db:
        su.execute("CREATE EXTENSION IF NOT EXISTS pg_cron")
        su.execute("SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname LIKE 'kyc\\_%'")
    su.execute("DROP EXTENSION IF EXISTS pg_kyc CASCADE")
    su.execute("CREATE EXTENSION pg_kyc")
    for login, role in LOGINS.items():
        if not su.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
            su.execute('CREATE ROLE "%s" LOGIN PASSWORD \'%s\' IN ROLE "%s"' % (login, PASSWORD, role))
        for tenant in TENANTS:
            su.execute("SELECT kyc.grant_tenant(%s, %s)", (tenant, login))
        if cron_db == db and role == "kyc_jobs":
            su.execute('GRANT USAGE ON SCHEMA cron TO "%s"' % login)
    info = su.info
    host = "host=%s port=%s dbname=%s" % (info.host, info.port, db)
    superuser = "%s user=%s" % (host, info.user) + (" password=%s" % info.password if info.password else "")
    su.close()
    return host, superuser


def violations(s):
    return s.query("SELECT tenant_id, application_id, invariant, detail FROM kyc.invariant_violations()")


def trace(world, app, limit=80):
    """The calls of one application, with the clock and job steps between its first and last."""
    if app is None:
        return ["  (no application: the last %d steps)" % limit] + \
               ["  step %5d  %-22s %s -> %s" % (st, lg, c, o.short() if o else "") for st, lg, c, o, _ in world.steps[-limit:]]
    first = app.trace[0][0] if app.trace else 0
    lines = []
    for st, login, call, out, who in world.steps:
        if st < first:
            continue
        # the clock, and the job runs that did something (processed any, or failed)
        rows = getattr(out, "rows", None)
        busy = out is not None and out.ok and rows and len(rows[0]) > 1 and (rows[0][0] == "failed" or rows[0][1])
        if who is app or (who is None and (login == "clock" or (login.startswith("model_jobs") and busy))):
            lines.append("  step %5d  %-22s %s -> %s" % (st, login, call, out.short() if out else ""))
    if len(lines) > limit:
        lines = lines[:10] + ["  ... %d lines ..." % (len(lines) - limit)] + lines[-(limit - 10):]
    return lines


def final_checks(s):
    """The ledger verifies; every decision replays to its recorded result."""
    found = []
    print("final checks: %s evidence rows verified, %s decisions replayed" % (
        s.query("SELECT count(*) FROM kyc.evidence")[0][0], s.query("SELECT count(*) FROM kyc.decision")[0][0]))
    for tenant_id, app_id, seq, finding, expected, actual in s.query(
            "SELECT tenant_id, application_id, seq, finding, expected, actual FROM kyc.verify_ledger() WHERE severity = 'error'"):
        found.append(("ledger_error", app_id, "%s at seq %s: expected %s, got %s" % (finding, seq, expected, actual)))
    for decision_id, app_id, differences in s.query(
            "SELECT d.id, d.application_id, r.differences::text FROM kyc.decision d CROSS JOIN LATERAL kyc.replay(d.id) r"
            " WHERE NOT r.matches ORDER BY d.decided_at"):
        found.append(("replay_mismatch", app_id, "decision %s does not replay: %s" % (decision_id, differences)))
    return found


def main():
    seed = int(os.environ.get("MODEL_SEED", "13"))
    budget = int(os.environ.get("MODEL_STEPS", "2500"))
    seconds = float(os.environ.get("MODEL_SECONDS", "60"))
    report_only = os.environ.get("MODEL_REPORT_ONLY", "") not in ("", "0")
    db = os.environ.get("MODEL_DB") or os.environ.get("PGDATABASE") or "kyc"
    print("seed=%d steps=%d seconds=%g db=%s%s" % (seed, budget, seconds, db, " report-only" if report_only else ""), flush=True)
    try:
        dsn, su_dsn = setup(db)
    except psycopg.Error as e:
        print("set-up failed: %s" % e)
        return 2

    rng = random.Random(seed)
    s = Sessions(dsn, su_dsn)
    world = World(s, rng, seed)
    world.tenants = TENANTS
    names = [n for n, _ in WEIGHTS]
    weights = [w for _, w in WEIGHTS]
    seen = set()
    findings = []               # (kind, step, app, detail)
    refusals = {}
    checked_alerts = []
    check_time = 0.0
    checks = 0
    # the SQLSTATEs a caller may meet, as docs/errors.md lists them
    errors_md = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "errors.md")
    documented = set(re.findall(r"^\| `([0-9A-Z]{5})`", open(errors_md).read(), re.M))
    show = os.environ.get("MODEL_TRACE", "")
    started = time.monotonic()
    for _ in range(4):          # a few applications to start with
        world.step += 1
        Actions(world).open()

    show_done = []

    def report(kind, app, detail):
        findings.append((kind, world.step, app, detail))
        if report_only and (kind != show or kind in show_done):
            return
        if report_only:
            show_done.append(kind)
        print("%s seed=%d step=%d: %s on %s: %s" % ("FOUND" if report_only else "FAIL", seed, world.step, kind, app or "(no application)", detail))
        print("trace (calls of %s, with the clock and jobs in between):" % (app or "the last steps"))
        print("\n".join(trace(world, app)))
        print("replay: MODEL_SEED=%d MODEL_STEPS=%d tests/scripts/model_random.sh" % (seed, world.step))

    while world.step < budget and time.monotonic() - started < seconds:
        world.step += 1
        mark = len(world.steps)
        acts = Actions(world)
        name = rng.choices(names, weights)[0]
        if name == "open" and sum(1 for a in world.apps if a.state not in TERMINAL) > 20:
            name = "signal"
        getattr(acts, name)()
        # calls that failed as no call may
        for st, login, call, out, app in world.steps[mark:]:
            if out is None:
                continue
            if out.bad:
                acts.expect("internal_error", app, "%s by %s: %s" % (call, login, out.bad))
            elif out.sqlstate and out.sqlstate not in documented:
                acts.expect("undocumented_sqlstate", app, "%s by %s: %s" % (call, login, out.short()))
            elif out.sqlstate and out.sqlstate.startswith("23") and not call.startswith("kyc.open_application"):
                # a constraint the API should have checked first, with its own message
                acts.expect("constraint_violation_leaked", app, "%s by %s: %s" % (call, login, out.short()))
            elif out.sqlstate in ("KY001", "KY002") and call.split("(")[0] in EVALUATING:
                # the decision chose a move the state machine refuses: evaluation cannot go on
                acts.expect("evaluation_refused_own_move", app, "%s by %s: %s" % (call, login, out.short()))
            if out.sqlstate and not out.bad:
                key = "%s %s" % (call.split("(")[0], out.sqlstate)
                refusals[key] = refusals.get(key, 0) + 1
        before = {a.id: a.state for a in world.apps}
        world.refresh()
        # declines with no person in the loop (the service's or a job's evaluation)
        actors = {lg for _, lg, _, _, _ in world.steps[mark:]}
        if not any(LOGINS.get(lg.split("|")[0]) in ("kyc_reviewer", "kyc_fraud", "kyc_aml") for lg in actors):
            for a in world.apps:
                if a.state == "declined" and before.get(a.id) not in (None, "declined"):
                    # a person's decline may take effect later, at the next evaluation (a reviewer
                    # declined a gate before consent was captured, say): a resolved task counts
                    reason = s.query("SELECT a.state_reason, r.gate::text, EXISTS (SELECT 1 FROM kyc.review_task t"
                                     "  WHERE t.application_id = a.id AND t.gate = r.gate AND t.resolution = 'decline')"
                                     " FROM kyc.application a LEFT JOIN kyc.reason_code r"
                                     " ON r.code = a.state_reason WHERE a.id = %s", (a.id,))[0]
                    if reason[1] != "eligibility" and not reason[2]:
                        acts.expect("decline_without_person", a, "declined with %s by %s, no reviewer confirmed it"
                                    % (reason[0], ", ".join(sorted(actors))))
        if name == "job":
            # a new rapid-outflow alert: its share, computed exactly, reaches the threshold
            for app_id, observed, exact in s.query(
                    "SELECT l.application_id, l.observed, sum(e.amount) / nullif(f.total, 0) FROM kyc.early_life_alert l"
                    " JOIN LATERAL (SELECT min(x.recorded_at) AS first_at, sum(x.amount) AS total FROM kyc.funding x"
                    "   WHERE x.application_id = l.application_id AND x.status = 'cleared') f ON true"
                    " JOIN kyc.account_event e ON e.application_id = l.application_id AND e.kind = 'outbound_transfer'"
                    "   AND e.occurred_at >= f.first_at AND e.occurred_at <= f.first_at + interval '48 hours'"
                    " WHERE l.rule = 'rapid_outflow' AND l.id <> ALL (%s::uuid[]) GROUP BY l.application_id, l.observed, l.threshold, f.total"
                    " HAVING sum(e.amount) / nullif(f.total, 0) < l.threshold", (checked_alerts,)):
                acts.expect("rapid_outflow_below_threshold", world.by_id.get(app_id),
                            "rapid-outflow alert with an exact share of %s (recorded as %s) below the threshold" % (exact, observed))
            checked_alerts = [r[0] for r in s.query("SELECT id FROM kyc.early_life_alert")]
        for kind, app, detail in acts.findings:
            key = (kind, app.id if app else detail)
            if key not in seen:
                seen.add(key)
                report(kind, app, detail)
        t0 = time.monotonic()
        found = violations(s)
        check_time += time.monotonic() - t0
        checks += 1
        for tenant, app_id, invariant, detail in found:
            # a job's failures are one finding per job and error, whatever the run's time
            key = (invariant, app_id if app_id else (tenant, re.sub(r"as of [^ ]+ [^ ]+ ", "", detail)))
            if key not in seen:
                seen.add(key)
                report(invariant, world.by_id.get(app_id), detail)
        if findings and not report_only:
            return 1

    steps_run = world.step
    for kind, app_id, detail in final_checks(s):
        key = (kind, app_id, detail)
        if key not in seen:
            seen.add(key)
            report(kind, world.by_id.get(app_id), detail)
    elapsed = time.monotonic() - started
    states = {}
    for a in world.apps:
        states[a.state] = states.get(a.state, 0) + 1
    print("ran %d steps in %.1f s: %d applications (%s)" % (
        steps_run, elapsed, len(world.apps), ", ".join("%s %d" % kv for kv in sorted(states.items(), key=lambda kv: str(kv[0])))))
    print("kyc.invariant_violations(): %d calls, %.1f ms each on average" % (checks, 1000 * check_time / max(checks, 1)))
    print("refusals (expected, each with its SQLSTATE): %s" % ", ".join("%s %d" % kv for kv in sorted(refusals.items())))
    if report_only:
        kinds = {}
        for kind, step, app, detail in findings:
            kinds.setdefault(kind, []).append((step, app, detail))
        print("findings by kind (seed=%d): %d" % (seed, len(findings)))
        for kind in sorted(kinds):
            step, app, detail = kinds[kind][0]
            print("  %-38s %4d  first at step %d on %s: %s" % (kind, len(kinds[kind]), step, app or "-", detail[:200]))
        return 0
    if findings:
        return 1
    print("ok: no invariant broken, no internal error, the ledger verifies, every decision replays")
    return 0


if __name__ == "__main__":
    sys.exit(main())
