-- kyc.invariant_violations() and its internal parts: the invariants checked by the database (docs/concepts.md#invariants).
-- The invariants of pg_kyc, stated once and checked by the database (docs/concepts.md#invariants):
-- every row kyc.invariant_violations() returns is a broken promise. It holds the rules of the
-- state trigger and the ledger as facts to re-check, and the promises no trigger can keep alone
-- (live evidence behind an opening, an owner for every review, a bound on requests to the
-- customer). The randomized model test (tests/model/) calls it after every step.
--
-- Three internal SQL functions find the violations of one concern each, in the applications of
-- one tenant (NULL: every tenant), with the gate a finding is about; kyc.invariant_violations()
-- checks the caller, chooses the tenant and withholds what the caller may not read.

-- Internal: the evidence behind an opened account. Its critical gates are resolved and, where the
-- policy passed them on signals, were live when it opened; consent and funding stand behind their
-- gates; an active account is funded and consented; adverse evidence after opening restricts it
-- and puts it before its owner.
CREATE FUNCTION kyc.invariants_of_opening(tenant text)
RETURNS TABLE (tenant_id text, application_id uuid, gate kyc.gate, invariant text, detail text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH app AS (
        SELECT a.*, sd.phase, p.max_rfi_rounds
        FROM kyc.application a
        JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) a.state
        LEFT JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) a.policy_id
        WHERE invariants_of_opening.tenant IS NULL OR a.tenant_id OPERATOR(pg_catalog.=) invariants_of_opening.tenant
    ),
    gate AS (
        SELECT g.*, d.critical, d.business_only, d.decider_roles, a.phase, a.applicant_kind, a.state
        FROM kyc.application_gate g
        JOIN app a ON a.id OPERATOR(pg_catalog.=) g.application_id
        JOIN kyc.gate_definition d ON d.gate OPERATOR(pg_catalog.=) g.gate
    ),
    live_task AS (
        SELECT t.* FROM kyc.review_task t JOIN app a ON a.id OPERATOR(pg_catalog.=) t.application_id
        WHERE t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
    ),
    -- the state changes of the ledger (redacted rows say nothing and are skipped)
    moves AS (
        SELECT e.application_id, e.seq, e.recorded_at,
               (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state AS from_state,
               (e.payload OPERATOR(pg_catalog.->>) 'to_state')::kyc.state AS to_state
        FROM kyc.evidence e JOIN app a ON a.id OPERATOR(pg_catalog.=) e.application_id
        WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[])
    ),
    -- the moment an opened application first opened: its state change into an opened state, no
    -- earlier than the time its last decision before that was made as of (an application's
    -- decisions never run backwards in time, so a job's expiry decision counts)
    opening AS (
        SELECT o.application_id, o.seq,
               greatest(o.recorded_at, (SELECT d.decided_as_of FROM kyc.decision d
                                        WHERE d.application_id OPERATOR(pg_catalog.=) o.application_id
                                          AND d.evidence_seq OPERATOR(pg_catalog.<) o.seq
                                        ORDER BY d.evidence_seq DESC LIMIT 1)) AS at
        FROM (SELECT DISTINCT ON (m.application_id) m.application_id, m.seq, m.recorded_at
              FROM moves m JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) m.to_state
              WHERE sd.phase OPERATOR(pg_catalog.=) 'opened'
              ORDER BY m.application_id, m.seq) o
    ),
    latest_consent AS (
        SELECT DISTINCT ON (e.application_id) e.application_id, e.payload
        FROM kyc.evidence e JOIN app a ON a.id OPERATOR(pg_catalog.=) e.application_id
        WHERE e.kind OPERATOR(pg_catalog.=) 'consent'::kyc.evidence_kind
        ORDER BY e.application_id, e.seq DESC
    ),
    latest_decision AS (
        SELECT DISTINCT ON (d.application_id) d.*
        FROM kyc.decision d JOIN app a ON a.id OPERATOR(pg_catalog.=) d.application_id
        ORDER BY d.application_id, d.evidence_seq DESC
    ),
    found (tenant_id, application_id, gate, invariant, detail) AS (
        -- 1. an opened application has every critical gate passed or waived
        SELECT g.tenant_id, g.application_id, g.gate, 'opened_gate_unresolved',
               pg_catalog.format('state %s, gate %s is %s', g.state, g.gate, g.status)
        FROM gate g
        WHERE g.phase OPERATOR(pg_catalog.=) 'opened' AND g.critical
          AND (NOT g.business_only OR g.applicant_kind OPERATOR(pg_catalog.=) 'business'::kyc.applicant_kind)
          AND g.status OPERATOR(pg_catalog.<>) ALL (ARRAY['passed', 'waived']::kyc.gate_status[])
        UNION ALL
        -- 2. ... and a gate the policy passed on signals had a live passing signal when it opened
        SELECT g.tenant_id, g.application_id, g.gate, 'opened_without_live_evidence',
               pg_catalog.format('gate %s passed by policy, but no pass signal received before opening (evidence %s) was live at %s',
                                 g.gate, o.seq, o.at)
        FROM gate g JOIN opening o ON o.application_id OPERATOR(pg_catalog.=) g.application_id
        WHERE g.phase OPERATOR(pg_catalog.=) 'opened' AND g.critical
          AND g.gate OPERATOR(pg_catalog.<>) ALL (ARRAY['consent', 'eligibility']::kyc.gate[])
          AND g.status OPERATOR(pg_catalog.=) 'passed'::kyc.gate_status AND g.decided_via OPERATOR(pg_catalog.=) 'policy'
          AND NOT EXISTS (SELECT 1 FROM kyc.signal s
                          WHERE s.application_id OPERATOR(pg_catalog.=) g.application_id AND s.gate OPERATOR(pg_catalog.=) g.gate
                            AND s.result OPERATOR(pg_catalog.=) 'pass'::kyc.signal_result
                            AND s.evidence_seq OPERATOR(pg_catalog.<) o.seq
                            AND (s.expires_at IS NULL OR s.expires_at OPERATOR(pg_catalog.>) o.at))
        UNION ALL
        -- 3. a passed consent gate rests on consent evidence for account opening, not withdrawn
        SELECT g.tenant_id, g.application_id, g.gate, 'consent_unsupported',
               pg_catalog.format('consent gate %s (%s), latest consent evidence: %s', g.status, coalesce(g.decided_via, 'unknown'),
                                 CASE WHEN c.application_id IS NULL THEN 'none'
                                      ELSE coalesce(c.payload OPERATOR(pg_catalog.->>) 'action', '?') OPERATOR(pg_catalog.||) ' '
                                           OPERATOR(pg_catalog.||) coalesce(c.payload OPERATOR(pg_catalog.->>) 'purpose', '') END)
        FROM gate g LEFT JOIN latest_consent c ON c.application_id OPERATOR(pg_catalog.=) g.application_id
        WHERE g.gate OPERATOR(pg_catalog.=) 'consent'::kyc.gate AND g.status OPERATOR(pg_catalog.=) 'passed'::kyc.gate_status
          AND g.phase OPERATOR(pg_catalog.<>) 'terminal'
          AND (c.application_id IS NULL
               OR (c.payload IS NOT NULL
                   AND (c.payload OPERATOR(pg_catalog.->>) 'action' IS DISTINCT FROM 'given'
                        OR c.payload OPERATOR(pg_catalog.->>) 'purpose' IS DISTINCT FROM 'account_opening')))
        UNION ALL
        -- 4. a passed funding gate rests on cleared funding (or deposit operations' clearance)
        SELECT g.tenant_id, g.application_id, g.gate, 'funding_unsupported',
               pg_catalog.format('funding gate passed (%s by %s) without cleared funding', coalesce(g.decided_via, 'unknown'),
                                 coalesce(g.decided_by::text, 'unknown'))
        FROM gate g
        WHERE g.gate OPERATOR(pg_catalog.=) 'funding'::kyc.gate AND g.status OPERATOR(pg_catalog.=) 'passed'::kyc.gate_status
          AND g.phase OPERATOR(pg_catalog.<>) 'terminal'
          AND NOT EXISTS (SELECT 1 FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) g.application_id
                            AND f.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status)
          AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) g.application_id
                            AND t.gate OPERATOR(pg_catalog.=) 'funding'::kyc.gate AND t.resolution OPERATOR(pg_catalog.=) 'clear'::kyc.review_outcome)
        UNION ALL
        -- 5. an active account has cleared funding and live consent for account opening
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'active_without_funding_or_consent',
               pg_catalog.format('active with %s', pg_catalog.concat_ws(' and ',
                   CASE WHEN NOT EXISTS (SELECT 1 FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) a.id
                                           AND f.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status)
                        THEN 'no cleared funding' END,
                   CASE WHEN c.application_id IS NULL OR c.payload OPERATOR(pg_catalog.->>) 'action' IS DISTINCT FROM 'given'
                             OR c.payload OPERATOR(pg_catalog.->>) 'purpose' IS DISTINCT FROM 'account_opening'
                        THEN 'no live account-opening consent' END))
        FROM app a LEFT JOIN latest_consent c ON c.application_id OPERATOR(pg_catalog.=) a.id
        WHERE a.state OPERATOR(pg_catalog.=) 'active'::kyc.state
          AND (NOT EXISTS (SELECT 1 FROM kyc.funding f WHERE f.application_id OPERATOR(pg_catalog.=) a.id
                             AND f.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status)
               OR c.application_id IS NULL
               OR (c.payload IS NOT NULL
                   AND (c.payload OPERATOR(pg_catalog.->>) 'action' IS DISTINCT FROM 'given'
                        OR c.payload OPERATOR(pg_catalog.->>) 'purpose' IS DISTINCT FROM 'account_opening')))
        UNION ALL
        -- 11. adverse evidence on an opened account restricts it and puts it before its owner
        SELECT a.tenant_id, a.id, (x.key)::kyc.gate, 'adverse_after_opening_unhandled',
               pg_catalog.format('state %s, its latest decision has gate %s %s (%s) but %s', a.state, x.key,
                                 x.value OPERATOR(pg_catalog.->>) 'status', coalesce(x.value OPERATOR(pg_catalog.->>) 'reason_code', 'no reason'),
                                 pg_catalog.concat_ws(' and ',
                                     CASE WHEN NOT EXISTS (SELECT 1 FROM kyc.restriction r WHERE r.application_id OPERATOR(pg_catalog.=) a.id
                                                             AND r.lifted_at IS NULL) THEN 'no restriction is in force' END,
                                     CASE WHEN NOT EXISTS (SELECT 1 FROM live_task t WHERE t.application_id OPERATOR(pg_catalog.=) a.id
                                                             AND t.gate OPERATOR(pg_catalog.=) (x.key)::kyc.gate) THEN 'no review task is live' END))
        FROM app a
        JOIN opening o ON o.application_id OPERATOR(pg_catalog.=) a.id
        JOIN latest_decision d ON d.application_id OPERATOR(pg_catalog.=) a.id AND d.evidence_seq OPERATOR(pg_catalog.>) o.seq
        CROSS JOIN LATERAL pg_catalog.jsonb_each(d.result OPERATOR(pg_catalog.->) 'gates') x
        JOIN kyc.gate_definition gd ON gd.gate OPERATOR(pg_catalog.=) (x.key)::kyc.gate
        WHERE a.phase OPERATOR(pg_catalog.=) 'opened' AND gd.critical
          AND x.value OPERATOR(pg_catalog.->>) 'basis' OPERATOR(pg_catalog.=) 'signals'
          -- a finding: a failure, or a review a policy rule asked for (it names its reason)
          AND (x.value OPERATOR(pg_catalog.->>) 'status' OPERATOR(pg_catalog.=) 'failed'
               OR (x.value OPERATOR(pg_catalog.->>) 'status' OPERATOR(pg_catalog.=) 'review'
                   AND x.value OPERATOR(pg_catalog.->>) 'reason_code' IS NOT NULL))
          AND (NOT EXISTS (SELECT 1 FROM kyc.restriction r WHERE r.application_id OPERATOR(pg_catalog.=) a.id AND r.lifted_at IS NULL)
               OR NOT EXISTS (SELECT 1 FROM live_task t WHERE t.application_id OPERATOR(pg_catalog.=) a.id
                                AND t.gate OPERATOR(pg_catalog.=) (x.key)::kyc.gate))
          -- a reviewer who resolved that gate's review since the decision has handled it
          AND NOT EXISTS (SELECT 1 FROM kyc.review_task t JOIN kyc.evidence e
                                 ON e.application_id OPERATOR(pg_catalog.=) d.application_id
                                AND e.seq OPERATOR(pg_catalog.=) d.evidence_seq
                          WHERE t.application_id OPERATOR(pg_catalog.=) a.id AND t.gate OPERATOR(pg_catalog.=) (x.key)::kyc.gate
                            AND t.status OPERATOR(pg_catalog.=) 'resolved'::kyc.task_status
                            AND t.resolved_at OPERATOR(pg_catalog.>=) e.recorded_at)
    )
    SELECT f.tenant_id, f.application_id, f.gate, f.invariant, f.detail FROM found f;
END;
REVOKE ALL ON FUNCTION kyc.invariants_of_opening(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.invariants_of_opening(text) IS
    'internal: broken invariants of the evidence behind an opened account, in one tenant or (NULL) every tenant';

-- Internal: the work the bank owes and what it asks of the customer. One live task in the owner's
-- queue for every gate in review and none for a gate that is not; every request for information
-- counted, and open while its gate waits; a policy behind every application; no abandonment of a
-- review nobody saw.
CREATE FUNCTION kyc.invariants_of_work(tenant text)
RETURNS TABLE (tenant_id text, application_id uuid, gate kyc.gate, invariant text, detail text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH app AS (
        SELECT a.*, sd.phase, p.max_rfi_rounds
        FROM kyc.application a
        JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) a.state
        LEFT JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) a.policy_id
        WHERE invariants_of_work.tenant IS NULL OR a.tenant_id OPERATOR(pg_catalog.=) invariants_of_work.tenant
    ),
    gate AS (
        SELECT g.*, d.critical, d.business_only, d.decider_roles, a.phase, a.applicant_kind, a.state
        FROM kyc.application_gate g
        JOIN app a ON a.id OPERATOR(pg_catalog.=) g.application_id
        JOIN kyc.gate_definition d ON d.gate OPERATOR(pg_catalog.=) g.gate
    ),
    live_task AS (
        SELECT t.* FROM kyc.review_task t JOIN app a ON a.id OPERATOR(pg_catalog.=) t.application_id
        WHERE t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
    ),
    found (tenant_id, application_id, gate, invariant, detail) AS (
        -- 6. every gate in review has exactly one live task, in a queue of its owner or its deciders
        SELECT g.tenant_id, g.application_id, g.gate, 'review_without_owner',
               CASE WHEN t.id IS NULL THEN pg_catalog.format('gate %s in review (%s) with no live review task, state %s',
                                                             g.gate, coalesce(g.reason_code, 'no reason'), g.state)
                    ELSE pg_catalog.format('gate %s in review, its task is in queue %s, not its owner''s', g.gate, t.queue) END
        FROM gate g
        LEFT JOIN live_task t ON t.application_id OPERATOR(pg_catalog.=) g.application_id AND t.gate OPERATOR(pg_catalog.=) g.gate
        LEFT JOIN kyc.review_queue q ON q.queue OPERATOR(pg_catalog.=) t.queue
        WHERE g.status OPERATOR(pg_catalog.=) 'review'::kyc.gate_status AND g.phase OPERATOR(pg_catalog.<>) 'terminal'
          AND (t.id IS NULL OR NOT (q.owner OPERATOR(pg_catalog.=) g.owner OR q.worker_roles OPERATOR(pg_catalog.&&) g.decider_roles))
        UNION ALL
        -- 7. ... and no live task waits on a gate that is not in review (before opening)
        SELECT a.tenant_id, a.id, t.gate, 'task_without_review',
               pg_catalog.format('live %s task in queue %s, but gate %s is %s, state %s', t.origin, t.queue, t.gate,
                                 coalesce(g.status::text, 'missing'), a.state)
        FROM live_task t JOIN app a ON a.id OPERATOR(pg_catalog.=) t.application_id
        LEFT JOIN kyc.application_gate g ON g.application_id OPERATOR(pg_catalog.=) t.application_id AND g.gate OPERATOR(pg_catalog.=) t.gate
        WHERE a.phase OPERATOR(pg_catalog.=) 'terminal'
           OR (a.phase OPERATOR(pg_catalog.<>) 'opened' AND t.origin OPERATOR(pg_catalog.<>) 'early_life'
               AND g.status IS DISTINCT FROM 'review'::kyc.gate_status)
        UNION ALL
        -- 8. every request to the customer counts toward the policy's bound
        SELECT a.tenant_id, a.id, r.gate, 'rfi_rounds_exceeded',
               pg_catalog.format('%s requests for information on gate %s, the policy allows %s', pg_catalog.count(*), r.gate,
                                 a.max_rfi_rounds)
        FROM kyc.information_request r JOIN app a ON a.id OPERATOR(pg_catalog.=) r.application_id
        GROUP BY a.tenant_id, a.id, r.gate, a.max_rfi_rounds
        HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) a.max_rfi_rounds
        UNION ALL
        -- 9. ... so a gate that needs information from the customer has an open request (consent
        -- is asked again by its own API; while the application waits for consent, its latest
        -- decision focused on consent, nothing else is asked: no request before consent)
        SELECT g.tenant_id, g.application_id, g.gate, 'info_needed_without_request',
               pg_catalog.format('gate %s needs information (%s), state %s, but no request for it is open', g.gate,
                                 coalesce(g.reason_code, 'no reason'), g.state)
        FROM gate g
        WHERE g.status OPERATOR(pg_catalog.=) 'info_needed'::kyc.gate_status AND g.gate OPERATOR(pg_catalog.<>) 'consent'::kyc.gate
          AND g.phase OPERATOR(pg_catalog.<>) 'terminal'
          AND NOT EXISTS (SELECT 1 FROM kyc.information_request r
                          WHERE r.application_id OPERATOR(pg_catalog.=) g.application_id AND r.gate OPERATOR(pg_catalog.=) g.gate
                            AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status)
          AND (SELECT d.result OPERATOR(pg_catalog.->>) 'focus_gate' FROM kyc.decision d
               WHERE d.application_id OPERATOR(pg_catalog.=) g.application_id
               ORDER BY d.evidence_seq DESC LIMIT 1) IS DISTINCT FROM 'consent'
        UNION ALL
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'information_requested_without_request',
               'state information_requested without an open request for information or withdrawn consent'
        FROM app a
        WHERE a.state OPERATOR(pg_catalog.=) 'information_requested'::kyc.state
          AND NOT EXISTS (SELECT 1 FROM kyc.information_request r WHERE r.application_id OPERATOR(pg_catalog.=) a.id
                            AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status)
          AND NOT EXISTS (SELECT 1 FROM kyc.application_gate g WHERE g.application_id OPERATOR(pg_catalog.=) a.id
                            AND g.gate OPERATOR(pg_catalog.=) 'consent'::kyc.gate AND g.status OPERATOR(pg_catalog.=) 'info_needed'::kyc.gate_status)
        UNION ALL
        -- 12. an application is decided under a policy, and nobody abandons a review no one saw
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'no_policy',
               pg_catalog.format('state %s, no policy pinned for product %s in %s', a.state, a.product, a.jurisdiction)
        FROM app a
        WHERE a.policy_id IS NULL AND a.phase OPERATOR(pg_catalog.<>) 'terminal'
        UNION ALL
        SELECT g.tenant_id, g.application_id, g.gate, 'abandoned_unseen_review',
               pg_catalog.format('abandoned (%s) while gate %s was in review (%s) and no task for it ever existed',
                                 coalesce(a.state_reason, 'no reason'), g.gate, coalesce(g.reason_code, 'no reason'))
        FROM gate g JOIN app a ON a.id OPERATOR(pg_catalog.=) g.application_id
        WHERE a.state OPERATOR(pg_catalog.=) 'abandoned'::kyc.state AND g.status OPERATOR(pg_catalog.=) 'review'::kyc.gate_status
          AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) g.application_id
                            AND t.gate OPERATOR(pg_catalog.=) g.gate)
    )
    SELECT f.tenant_id, f.application_id, f.gate, f.invariant, f.detail FROM found f;
END;
REVOKE ALL ON FUNCTION kyc.invariants_of_work(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.invariants_of_work(text) IS
    'internal: broken invariants of the work owed and the requests to the customer, in one tenant or (NULL) every tenant';

-- Internal: the state trigger's rules and the ledger's facts. Terminal stays terminal; a concluded
-- application has a reason of its kind; approved_restricted has a restriction; every state,
-- decision and signal has its evidence row.
CREATE FUNCTION kyc.invariants_of_states(tenant text)
RETURNS TABLE (tenant_id text, application_id uuid, gate kyc.gate, invariant text, detail text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH app AS (
        SELECT a.*, sd.phase, p.max_rfi_rounds
        FROM kyc.application a
        JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) a.state
        LEFT JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) a.policy_id
        WHERE invariants_of_states.tenant IS NULL OR a.tenant_id OPERATOR(pg_catalog.=) invariants_of_states.tenant
    ),
    -- the state changes of the ledger (redacted rows say nothing and are skipped)
    moves AS (
        SELECT e.application_id, e.seq, e.recorded_at,
               (e.payload OPERATOR(pg_catalog.->>) 'from_state')::kyc.state AS from_state,
               (e.payload OPERATOR(pg_catalog.->>) 'to_state')::kyc.state AS to_state
        FROM kyc.evidence e JOIN app a ON a.id OPERATOR(pg_catalog.=) e.application_id
        WHERE e.kind OPERATOR(pg_catalog.=) ANY (ARRAY['application_snapshot', 'state_change']::kyc.evidence_kind[])
    ),
    found (tenant_id, application_id, gate, invariant, detail) AS (
        -- 10. the state trigger's rules, as facts: terminal stays terminal
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'terminal_left',
               pg_catalog.format('evidence %s moves from terminal state %s to %s', m.seq, m.from_state, m.to_state)
        FROM moves m JOIN app a ON a.id OPERATOR(pg_catalog.=) m.application_id
        JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) m.from_state
        WHERE sd.phase OPERATOR(pg_catalog.=) 'terminal'
        UNION ALL
        -- ... a concluded application has a reason of its kind: a decline one owned by the failed gate
        SELECT a.tenant_id, a.id, r.gate, 'terminal_without_reason',
               pg_catalog.format('state %s with reason %s (class %s, gate %s: %s)', a.state, coalesce(a.state_reason, 'none'),
                                 coalesce(r.outcome_class::text, 'none'), coalesce(r.gate::text, 'none'),
                                 coalesce(g.status::text, 'none'))
        FROM app a
        LEFT JOIN kyc.reason_code r ON r.code OPERATOR(pg_catalog.=) a.state_reason
        LEFT JOIN kyc.application_gate g ON g.application_id OPERATOR(pg_catalog.=) a.id AND g.gate OPERATOR(pg_catalog.=) r.gate
        WHERE a.phase OPERATOR(pg_catalog.=) 'terminal'
          AND (r.code IS NULL
               OR r.outcome_class OPERATOR(pg_catalog.<>) CASE a.state WHEN 'declined' THEN 'decline'::kyc.outcome
                                                                        WHEN 'abandoned' THEN 'abandon'::kyc.outcome
                                                                        ELSE 'exit'::kyc.outcome END
               OR (a.state OPERATOR(pg_catalog.=) 'declined'::kyc.state AND g.status IS DISTINCT FROM 'failed'::kyc.gate_status))
        UNION ALL
        -- ... approved_restricted has a restriction in force
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'restricted_without_restriction',
               'state approved_restricted with no restriction in force'
        FROM app a
        WHERE a.state OPERATOR(pg_catalog.=) 'approved_restricted'::kyc.state
          AND NOT EXISTS (SELECT 1 FROM kyc.restriction x WHERE x.application_id OPERATOR(pg_catalog.=) a.id AND x.lifted_at IS NULL)
        UNION ALL
        -- 13. ledger facts: every state the application entered, decision and signal is an evidence row
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'state_change_without_evidence',
               pg_catalog.format('state %s, version %s; the ledger holds %s state rows, the last to %s', a.state, a.state_version,
                                 coalesce(h.n, 0), coalesce(h.last_to::text, 'none'))
        FROM app a
        LEFT JOIN LATERAL (SELECT pg_catalog.count(*) AS n,
                                  (pg_catalog.array_agg(m.to_state ORDER BY m.seq DESC))[1] AS last_to,
                                  pg_catalog.bool_or(m.to_state IS NULL) AS redacted
                           FROM moves m WHERE m.application_id OPERATOR(pg_catalog.=) a.id) h ON true
        WHERE coalesce(h.n, 0) OPERATOR(pg_catalog.<>) a.state_version
           OR (NOT coalesce(h.redacted, false) AND h.last_to IS DISTINCT FROM a.state)
        UNION ALL
        SELECT a.tenant_id, a.id, NULL::kyc.gate, 'decision_without_evidence',
               pg_catalog.format('decision %s names evidence %s, which is not a decision row', d.id, d.evidence_seq)
        FROM kyc.decision d JOIN app a ON a.id OPERATOR(pg_catalog.=) d.application_id
        WHERE NOT EXISTS (SELECT 1 FROM kyc.evidence e WHERE e.application_id OPERATOR(pg_catalog.=) d.application_id
                            AND e.seq OPERATOR(pg_catalog.=) d.evidence_seq AND e.kind OPERATOR(pg_catalog.=) 'decision'::kyc.evidence_kind)
        UNION ALL
        SELECT a.tenant_id, a.id, s.gate, 'signal_without_evidence',
               pg_catalog.format('signal %s names evidence %s, which does not exist', s.id, s.evidence_seq)
        FROM kyc.signal s JOIN app a ON a.id OPERATOR(pg_catalog.=) s.application_id
        WHERE NOT EXISTS (SELECT 1 FROM kyc.evidence e WHERE e.application_id OPERATOR(pg_catalog.=) s.application_id
                            AND e.seq OPERATOR(pg_catalog.=) s.evidence_seq)
    )
    SELECT f.tenant_id, f.application_id, f.gate, f.invariant, f.detail FROM found f;
END;
REVOKE ALL ON FUNCTION kyc.invariants_of_states(text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.invariants_of_states(text) IS
    'internal: broken invariants of the state rules and the ledger facts, in one tenant or (NULL) every tenant';

-- Every broken invariant the caller may see (docs/concepts.md#invariants). SECURITY DEFINER (its
-- owner, the installing superuser, reads every tenant and the payloads of state changes and
-- consent) and checks the caller itself: a superuser sees every tenant, an auditor or
-- administrator only the session's tenant, and the detail of a finding about a gate whose data
-- class the caller may not read is withheld (an AML review is SAR-sensitive).
-- Grant to: kyc_auditor, kyc_admin.
CREATE FUNCTION kyc.invariant_violations()
RETURNS TABLE (tenant_id text, application_id uuid, invariant text, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    caller  name := kyc.assert_caller('check the invariants', 'kyc_auditor', 'kyc_admin');  -- refuses everyone else
    su      boolean := (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole);
    tenant  text := CASE WHEN su THEN NULL ELSE kyc.current_tenant() END;
    classes kyc.data_class[] := kyc.readable_classes();
BEGIN
    RETURN QUERY
    WITH found AS (
        SELECT * FROM kyc.invariants_of_opening(tenant)
        UNION ALL
        SELECT * FROM kyc.invariants_of_work(tenant)
        UNION ALL
        SELECT * FROM kyc.invariants_of_states(tenant)
        UNION ALL
        -- no job stops for a whole tenant: a run that failed in a tenant is a finding
        SELECT x.key, NULL::uuid, NULL::kyc.gate, 'job_failed',
               pg_catalog.format('job %s as of %s failed: %s %s', r.job, r.as_of, x.value OPERATOR(pg_catalog.->>) 'sqlstate',
                                 x.value OPERATOR(pg_catalog.->>) 'error')
        FROM kyc.job_run r CROSS JOIN LATERAL pg_catalog.jsonb_each(r.detail) x
        WHERE r.status OPERATOR(pg_catalog.=) 'failed' AND pg_catalog.jsonb_typeof(x.value) OPERATOR(pg_catalog.=) 'object'
          AND (tenant IS NULL OR x.key OPERATOR(pg_catalog.=) tenant)
        UNION ALL
        SELECT NULL::text, NULL::uuid, NULL::kyc.gate, 'job_failed',
               pg_catalog.format('job %s as of %s failed: %s %s', r.job, r.as_of, r.detail OPERATOR(pg_catalog.->>) 'sqlstate',
                                 r.detail OPERATOR(pg_catalog.->>) 'error')
        FROM kyc.job_run r
        WHERE r.status OPERATOR(pg_catalog.=) 'failed' AND r.detail OPERATOR(pg_catalog.?) 'sqlstate'
    )
    SELECT f.tenant_id, f.application_id, f.invariant,
           CASE WHEN f.gate IS NULL OR kyc.gate_class(f.gate) OPERATOR(pg_catalog.=) ANY (classes) THEN f.detail
                ELSE pg_catalog.format('withheld: a gate of class %s', kyc.gate_class(f.gate)) END
    FROM found f
    ORDER BY f.tenant_id, f.application_id, f.invariant, 4;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.invariant_violations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kyc.invariant_violations() TO kyc_auditor, kyc_admin;
COMMENT ON FUNCTION kyc.invariant_violations() IS
    'every broken invariant (docs/concepts.md#invariants): tenant, application, invariant, detail; empty when all hold; grant to kyc_auditor, kyc_admin';
