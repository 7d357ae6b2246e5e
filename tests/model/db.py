"""Sessions of the model test: one connection per login, one transaction per API call.

Every call runs as users call it: a login of a group role, the tenant set per transaction with
set_config('kyc.tenant', ..., true). A call ends in a result or a refusal with its SQLSTATE; an
internal error (class XX or 58), a lost connection, a deadlock or a lock timeout is a finding.
"""
import threading

import psycopg

PASSWORD = "model"
BAD_CLASSES = ("XX", "58")          # internal and system errors: never an expected refusal
BAD_STATES = {"40P01": "deadlock", "55P03": "lock timeout", "57014": "statement timeout",
              "P0001": "a RAISE without its own SQLSTATE"}


class Outcome:
    """What one call did: rows, or the SQLSTATE and message of its refusal."""

    def __init__(self, rows=None, sqlstate=None, message=None, lost=False):
        self.rows = rows or []
        self.sqlstate = sqlstate
        self.message = message
        self.lost = lost

    @property
    def ok(self):
        return self.sqlstate is None and not self.lost

    @property
    def bad(self):
        """Why this outcome is a finding in itself, or None."""
        first = (self.message or "").split("\n")[0]
        if self.lost:
            return "the connection was lost (server crash?): %s" % first
        if self.sqlstate and self.sqlstate[:2] in BAD_CLASSES:
            return "internal error %s: %s" % (self.sqlstate, first)
        if self.sqlstate in BAD_STATES:
            return "%s (%s): %s" % (BAD_STATES[self.sqlstate], self.sqlstate, first)
        return None

    def first(self, default=None):
        return self.rows[0][0] if self.rows and self.rows[0] else default

    def short(self):
        if self.lost:
            return "LOST " + (self.message or "")
        if self.sqlstate:
            return "%s %s" % (self.sqlstate, (self.message or "").split("\n")[0][:120])
        if not self.rows:
            return "ok"
        return "ok " + ", ".join(str(v) for v in self.rows[0])[:120]


class Sessions:
    """Connections by login, made lazily; a lost connection is made again on next use."""

    def __init__(self, dsn, superuser_dsn):
        self.dsn = dsn
        self.superuser_dsn = superuser_dsn
        self.conns = {}
        self.su = self._connect(superuser_dsn)

    @staticmethod
    def _connect(dsn):
        conn = psycopg.connect(dsn, autocommit=True)
        conn.execute("SET statement_timeout = '60s'")
        conn.execute("SET lock_timeout = '30s'")
        return conn

    def conn(self, login):
        """The connection of a login; "login#2" is a second session of the same login."""
        c = self.conns.get(login)
        if c is None or c.closed or c.broken:
            c = self._connect("%s user=%s password=%s" % (self.dsn, login.split("#")[0], PASSWORD))
            self.conns[login] = c
        return c

    def query(self, text, params=None):
        """Superuser read (no row-level security): what the model needs to know."""
        try:
            return self.su.execute(text, params).fetchall()
        except psycopg.OperationalError:
            self.su = self._connect(self.superuser_dsn)
            return self.su.execute(text, params).fetchall()

    def call(self, login, tenant, text, params=None):
        """One API call in its own transaction, as login, in tenant."""
        try:
            conn = self.conn(login)
        except psycopg.OperationalError as e:
            return Outcome(lost=True, message=str(e))
        try:
            with conn.transaction():
                if tenant is not None:
                    conn.execute("SELECT set_config('kyc.tenant', %s, true)", (tenant,))
                cur = conn.execute(text, params)
                rows = cur.fetchall() if cur.description else []
            return Outcome(rows=rows)
        except psycopg.OperationalError as e:
            if conn.broken or conn.closed:
                return Outcome(lost=True, message=str(e))
            return Outcome(sqlstate=e.sqlstate, message=str(e))
        except psycopg.Error as e:
            return Outcome(sqlstate=e.sqlstate, message=str(e))

    def race(self, first, second):
        """Two calls from two sessions at once: the first runs and holds its transaction open
        while the second starts (and may wait for its locks); then the first commits. Each of
        first and second is (login, tenant, text, params). Returns their two outcomes."""
        (la, ta, qa, pa), (lb, tb, qb, pb) = first, second
        out = [None, None]
        try:
            ca, cb = self.conn(la), self.conn(lb)
        except psycopg.OperationalError as e:
            return Outcome(lost=True, message=str(e)), Outcome(lost=True, message=str(e))
        tx = None
        try:
            tx = ca.transaction()
            tx.__enter__()
            if ta is not None:
                ca.execute("SELECT set_config('kyc.tenant', %s, true)", (ta,))
            cur = ca.execute(qa, pa)
            out[0] = Outcome(rows=cur.fetchall() if cur.description else [])
        except psycopg.Error as e:
            out[0] = Outcome(sqlstate=e.sqlstate, message=str(e), lost=ca.broken or ca.closed)
            if tx is not None:
                try:
                    tx.__exit__(type(e), e, None)
                except psycopg.Error:
                    pass
                tx = None

        def run_second():
            try:
                with cb.transaction():
                    if tb is not None:
                        cb.execute("SELECT set_config('kyc.tenant', %s, true)", (tb,))
                    c = cb.execute(qb, pb)
                    rows = c.fetchall() if c.description else []
                out[1] = Outcome(rows=rows)
            except psycopg.Error as e:
                out[1] = Outcome(sqlstate=e.sqlstate, message=str(e), lost=cb.broken or cb.closed)

        t = threading.Thread(target=run_second)
        t.start()
        t.join(0.3)                 # let the second reach its lock wait, if it has one
        if tx is not None:
            try:
                tx.__exit__(None, None, None)
            except psycopg.Error as e:
                out[0] = Outcome(sqlstate=e.sqlstate, message=str(e), lost=ca.broken or ca.closed)
        t.join(90)
        if out[1] is None:
            out[1] = Outcome(lost=True, message="the second session did not finish in 90 s")
        return out[0], out[1]
