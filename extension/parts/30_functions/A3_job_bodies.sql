-- What each job does in one tenant (kyc.tenant is set by kyc.run_job): at most one batch, as of
-- the run's now, returning how many items it handled. Applications another session is working on
-- right now are skipped (SKIP LOCKED), never waited for; the next run takes them. Internal.

-- Takes the application's row lock without waiting; false when another session holds it.
CREATE FUNCTION kyc.try_lock_application(app uuid) RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $fn$
#variable_conflict use_column
BEGIN
    PERFORM 1 FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) try_lock_application.app
    FOR NO KEY UPDATE SKIP LOCKED;
    RETURN FOUND;
END
$fn$;
COMMENT ON FUNCTION kyc.try_lock_application(uuid) IS 'internal: lock an application row unless another session holds it';

-- Records that a job could not handle one application (its subtransaction was rolled back; the
-- job goes on with the others): kyc.run_job lists it in the run's detail. Internal.
CREATE FUNCTION kyc.job_item_failed(job text, app uuid, as_of timestamptz, sqlstate text, error text) RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    INSERT INTO kyc.job_item_failure (job, tenant_id, application_id, as_of, sqlstate, error)
    VALUES (job_item_failed.job, kyc.current_tenant(), job_item_failed.app, job_item_failed.as_of,
            job_item_failed.sqlstate, job_item_failed.error);
    RAISE WARNING 'pg_kyc job "%" failed for application "%" in tenant "%": %', job_item_failed.job,
        (SELECT a.external_ref FROM kyc.application a WHERE a.id OPERATOR(pg_catalog.=) job_item_failed.app),
        kyc.current_tenant(), job_item_failed.error;
END
$fn$;
COMMENT ON FUNCTION kyc.job_item_failed(text, uuid, timestamptz, text, text) IS
    'internal: record that a job run could not handle one application, which does not stop the run';

-- SLA: every live task past its due time is escalated once: priority up by 30 (at most 100).
CREATE FUNCTION kyc.job_sla_sweep(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    c record;
    t kyc.review_task;
    n integer := 0;
BEGIN
    FOR c IN SELECT x.id, x.application_id FROM kyc.review_task x
             WHERE x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
               AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
               AND x.escalated_at IS NULL AND x.sla_due_at OPERATOR(pg_catalog.<=) job_sla_sweep.now
             ORDER BY x.sla_due_at LIMIT job_sla_sweep.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.application_id);
        BEGIN
            UPDATE kyc.review_task x
               SET priority = LEAST(100, x.priority OPERATOR(pg_catalog.+) 30), escalated_at = job_sla_sweep.now
             WHERE x.id OPERATOR(pg_catalog.=) c.id AND x.escalated_at IS NULL
               AND x.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[])
            RETURNING x.* INTO t;
            CONTINUE WHEN NOT FOUND;
            PERFORM kyc.append_evidence(t.application_id, 'reviewer_action', kyc.gate_class(t.gate),
                pg_catalog.jsonb_build_object('action', 'escalate', 'task_id', t.id, 'queue', t.queue, 'gate', t.gate,
                                              'sla_due_at', t.sla_due_at, 'as_of', job_sla_sweep.now, 'priority', t.priority,
                                              'assignee', t.assignee));
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('sla_sweep', c.application_id, job_sla_sweep.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_sla_sweep(timestamptz, integer) IS 'internal: the SLA sweep in the session tenant';

-- Expiry: an application whose signal expired after its last decision is decided again as of
-- now (an expired signal stops counting). Signals that expired before the last complete run
-- (less a day) were handled then: the scan starts there.
CREATE FUNCTION kyc.job_signal_expiry(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    since timestamptz := coalesce((SELECT pg_catalog.max(r.as_of) FROM kyc.job_run r
                                   WHERE r.job OPERATOR(pg_catalog.=) 'signal_expiry' AND r.status OPERATOR(pg_catalog.=) 'succeeded'
                                     AND NOT r.more_due) OPERATOR(pg_catalog.-) '1 day'::interval, '-infinity');
    app   uuid;
    n     integer := 0;
BEGIN
    FOR app IN SELECT s.application_id
               FROM kyc.signal s JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) s.application_id
               WHERE s.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
                 AND s.expires_at OPERATOR(pg_catalog.<=) job_signal_expiry.now AND s.expires_at OPERATOR(pg_catalog.>) since
                 AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed', 'approved_restricted',
                                                              'opened_not_funded', 'active']::kyc.state[])
                 AND s.expires_at OPERATOR(pg_catalog.>) coalesce((SELECT pg_catalog.max(d.decided_as_of) FROM kyc.decision d
                                                                   WHERE d.application_id OPERATOR(pg_catalog.=) s.application_id),
                                                                  '-infinity')
               GROUP BY s.application_id
               ORDER BY pg_catalog.min(s.expires_at)
               LIMIT job_signal_expiry.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(app);
        -- one application that cannot be decided must not keep the rest of its tenant undecided
        BEGIN
            PERFORM kyc.evaluate(app, job_signal_expiry.now);
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('signal_expiry', app, job_signal_expiry.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_signal_expiry(timestamptz, integer) IS 'internal: signal expiry re-evaluation in the session tenant';

-- Abandonment: an open RFI past its due time expires and abandons its application; an
-- application waiting on the applicant (not on the bank: no review state, no live review task)
-- past its policy's timeout for that state is abandoned. Counted as friction (kyc.abandonment_by_step), never as success.
CREATE FUNCTION kyc.job_abandonment(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    c      record;
    n      integer := 0;
BEGIN
    FOR c IN SELECT r.id, r.application_id, r.round, r.due_at FROM kyc.information_request r
             WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status
               AND r.due_at OPERATOR(pg_catalog.<=) job_abandonment.now
               -- nor while a review waits on the bank: an analyst sees the hit first
               AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) r.application_id
                                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))
               -- nor on an opened account (a funding request, say): it cannot be abandoned, and an
               -- expired request would leave its gate waiting for an answer nobody is asked for;
               -- the request stays open until answered or the account closes
               AND NOT EXISTS (SELECT 1 FROM kyc.application a JOIN kyc.state_definition sd ON sd.state OPERATOR(pg_catalog.=) a.state
                               WHERE a.id OPERATOR(pg_catalog.=) r.application_id AND sd.phase OPERATOR(pg_catalog.=) 'opened')
             ORDER BY r.due_at LIMIT job_abandonment.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.application_id);
        UPDATE kyc.information_request r SET status = 'expired', closed_at = pg_catalog.now()
        WHERE r.id OPERATOR(pg_catalog.=) c.id AND r.status OPERATOR(pg_catalog.=) 'open'::kyc.rfi_status;
        CONTINUE WHEN NOT FOUND;
        PERFORM kyc.append_evidence(c.application_id, 'information_request', 'customer_safe',
            pg_catalog.jsonb_build_object('action', 'expire', 'request_id', c.id, 'round', c.round, 'due_at', c.due_at,
                                          'as_of', job_abandonment.now));
        UPDATE kyc.application a SET state = 'abandoned', state_reason = 'ABANDON.RFI_EXPIRED',
                                     state_note = pg_catalog.format('request for information (round %s) not answered by %s', c.round, c.due_at)
        WHERE a.id OPERATOR(pg_catalog.=) c.application_id
          AND a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['declined', 'abandoned', 'closed', 'approved_restricted',
                                                       'opened_not_funded', 'active']::kyc.state[]);
        n := n OPERATOR(pg_catalog.+) 1;
    END LOOP;

    FOR c IN SELECT a.id, a.state, a.state_changed_at, w.timeout
             FROM kyc.application a
             JOIN kyc.policy p ON p.id OPERATOR(pg_catalog.=) a.policy_id
             LEFT JOIN kyc.policy_timeout pt ON pt.policy_id OPERATOR(pg_catalog.=) a.policy_id AND pt.state OPERATOR(pg_catalog.=) a.state
             CROSS JOIN LATERAL (SELECT CASE WHEN a.state OPERATOR(pg_catalog.=) 'information_requested' THEN p.rfi_expire_after
                                             ELSE coalesce(pt.abandon_after, p.abandon_after) END AS timeout) w
             WHERE a.tenant_id OPERATOR(pg_catalog.=) tenant
               AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['application_started', 'consent_captured', 'identity_proofing_pending',
                                                            'cip_verification_pending', 'information_requested']::kyc.state[])
               AND a.state_changed_at OPERATOR(pg_catalog.+) w.timeout OPERATOR(pg_catalog.<=) job_abandonment.now
               -- a pending state with live review work waits on the bank, not the applicant
               AND NOT EXISTS (SELECT 1 FROM kyc.review_task t WHERE t.application_id OPERATOR(pg_catalog.=) a.id
                                 AND t.status OPERATOR(pg_catalog.=) ANY (ARRAY['open', 'claimed', 'awaiting_second_review']::kyc.task_status[]))
             ORDER BY a.state_changed_at LIMIT job_abandonment.batch OPERATOR(pg_catalog.-) n
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.id);
        UPDATE kyc.application a
           SET state = 'abandoned',
               state_reason = CASE WHEN c.state OPERATOR(pg_catalog.=) 'information_requested' THEN 'ABANDON.RFI_EXPIRED'
                                   ELSE 'ABANDON.TIMEOUT' END,
               state_note = pg_catalog.format('no progress in state %s for %s (policy timeout)', c.state, c.timeout)
         WHERE a.id OPERATOR(pg_catalog.=) c.id AND a.state OPERATOR(pg_catalog.=) c.state
           AND a.state_changed_at OPERATOR(pg_catalog.=) c.state_changed_at;
        IF FOUND THEN
            n := n OPERATOR(pg_catalog.+) 1;
        END IF;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_abandonment(timestamptz, integer) IS 'internal: abandonment in the session tenant';

-- What an early-life rule observes on an account as of now. Internal.
CREATE FUNCTION kyc.early_life_observed(app uuid, rule kyc.early_life_rule_kind, within interval, opened_at timestamptz,
                                        now timestamptz)
RETURNS numeric
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE early_life_observed.rule
        WHEN 'funding_returned' THEN
            (SELECT pg_catalog.count(*)::numeric FROM kyc.account_event e
             WHERE e.application_id OPERATOR(pg_catalog.=) early_life_observed.app
               AND e.kind OPERATOR(pg_catalog.=) 'funding_returned'::kyc.account_event_kind
               AND e.occurred_at OPERATOR(pg_catalog.<=) early_life_observed.now)
        WHEN 'rapid_outflow' THEN
            -- the share truncated at 30 decimals, never rounded up: 79.999% stays below an 80% threshold
            (SELECT pg_catalog.trim_scale(pg_catalog.div(coalesce(pg_catalog.sum(e.amount), 0) OPERATOR(pg_catalog.*) 1e30, f.total)
                                          OPERATOR(pg_catalog.*) 1e-30)
             FROM (SELECT pg_catalog.min(x.recorded_at) AS first_at, pg_catalog.sum(x.amount) AS total FROM kyc.funding x
                   WHERE x.application_id OPERATOR(pg_catalog.=) early_life_observed.app
                     AND x.status OPERATOR(pg_catalog.=) 'cleared'::kyc.funding_status) f
             JOIN kyc.account_event e ON e.application_id OPERATOR(pg_catalog.=) early_life_observed.app
                  AND e.kind OPERATOR(pg_catalog.=) 'outbound_transfer'::kyc.account_event_kind
                  AND e.occurred_at OPERATOR(pg_catalog.>=) f.first_at
                  AND e.occurred_at OPERATOR(pg_catalog.<=) (f.first_at OPERATOR(pg_catalog.+) early_life_observed.within)
                  AND e.occurred_at OPERATOR(pg_catalog.<=) early_life_observed.now
             GROUP BY f.total)
        ELSE
            (SELECT pg_catalog.count(DISTINCT e.device_id)::numeric FROM kyc.account_event e
             WHERE e.application_id OPERATOR(pg_catalog.=) early_life_observed.app
               AND e.kind OPERATOR(pg_catalog.=) 'device_change'::kyc.account_event_kind
               AND e.occurred_at OPERATOR(pg_catalog.>) (early_life_observed.now OPERATOR(pg_catalog.-) early_life_observed.within)
               AND e.occurred_at OPERATOR(pg_catalog.<=) early_life_observed.now
               AND e.occurred_at OPERATOR(pg_catalog.>=) early_life_observed.opened_at)
    END;
END;
COMMENT ON FUNCTION kyc.early_life_observed(uuid, kyc.early_life_rule_kind, interval, timestamptz, timestamptz) IS
    'internal: what an early-life rule observes on an account as of now (count, outflow share of funding, distinct devices)';

-- Early life: an account opened within its policy's monitoring period (plus a week, so a late run
-- still sees the period's end) whose activity reaches a rule's threshold is restricted, moved to
-- approved_restricted, and sent to the rule's queue; once per account and rule.
CREATE FUNCTION kyc.job_early_life(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    c    record;
    a    kyc.application;
    rid  uuid;
    tid  uuid;
    seq  bigint;
    n    integer := 0;
BEGIN
    FOR c IN SELECT x.id, r.rule, r.within, r.threshold, r.restriction_kind, r.reason_code, r.queue, r.sla, r.monitor_for, o.observed
             FROM kyc.application x
             JOIN kyc.policy_early_life_rule r ON r.policy_id OPERATOR(pg_catalog.=) x.policy_id
             CROSS JOIN LATERAL (SELECT kyc.early_life_observed(x.id, r.rule, r.within, x.opened_at, job_early_life.now) AS observed) o
             WHERE x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant()
               AND x.opened_at OPERATOR(pg_catalog.>=) (job_early_life.now OPERATOR(pg_catalog.-) r.monitor_for OPERATOR(pg_catalog.-) '7 days'::interval)
               AND x.state OPERATOR(pg_catalog.=) ANY (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[])
               AND EXISTS (SELECT 1 FROM kyc.account_event e WHERE e.application_id OPERATOR(pg_catalog.=) x.id)
               AND NOT EXISTS (SELECT 1 FROM kyc.early_life_alert al
                               WHERE al.application_id OPERATOR(pg_catalog.=) x.id AND al.rule OPERATOR(pg_catalog.=) r.rule)
               AND o.observed OPERATOR(pg_catalog.>=) r.threshold
             ORDER BY x.opened_at, r.rule LIMIT job_early_life.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(c.id);
        SELECT * INTO a FROM kyc.application x WHERE x.id OPERATOR(pg_catalog.=) c.id;
        CONTINUE WHEN a.state OPERATOR(pg_catalog.<>) ALL (ARRAY['approved_restricted', 'opened_not_funded', 'active']::kyc.state[]);
        BEGIN
            rid := kyc.impose_restriction(a.id, c.restriction_kind, c.reason_code,
                                          pg_catalog.format('fraud review of the early-life alert (%s) clears it', c.rule));
            IF a.state OPERATOR(pg_catalog.<>) 'approved_restricted' THEN
                UPDATE kyc.application x SET state = 'approved_restricted', state_reason = c.reason_code,
                                             state_note = pg_catalog.format('early-life rule %s', c.rule)
                WHERE x.id OPERATOR(pg_catalog.=) a.id;
            END IF;
            tid := kyc.open_review_task(a.id, 'fraud', c.queue, ARRAY[c.reason_code], c.sla, 'early_life', NULL, job_early_life.now);
            seq := kyc.append_evidence(a.id, 'fraud_signal', 'fraud_sensitive',
                pg_catalog.jsonb_build_object('source', 'early_life_monitoring', 'rule', c.rule, 'observed', c.observed::text,
                                              'threshold', c.threshold::text, 'within', c.within::text, 'as_of', job_early_life.now,
                                              'restriction_id', rid, 'task_id', tid));
            INSERT INTO kyc.early_life_alert (tenant_id, application_id, rule, observed, threshold, detected_at, restriction_id, task_id, evidence_seq)
            VALUES (a.tenant_id, a.id, c.rule, c.observed, c.threshold, job_early_life.now, rid, tid, seq);
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('early_life', a.id, job_early_life.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_early_life(timestamptz, integer) IS 'internal: early-life monitoring in the session tenant';

-- Retention: for each data class with a rule, payloads of concluded applications older (since
-- conclusion) than the rule keeps them are redacted through kyc.redact_evidence, which itself
-- refuses applications under legal hold or not concluded.
CREATE FUNCTION kyc.job_retention(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    tenant text := kyc.current_tenant();
    app    uuid;
    rr     record;
    n      integer := 0;
BEGIN
    FOR app IN SELECT a.id FROM kyc.application a
               WHERE a.tenant_id OPERATOR(pg_catalog.=) tenant
                 AND a.state OPERATOR(pg_catalog.=) ANY (ARRAY['declined', 'abandoned', 'closed']::kyc.state[])
                 AND NOT EXISTS (SELECT 1 FROM kyc.legal_hold h
                                 WHERE h.application_id OPERATOR(pg_catalog.=) a.id AND h.released_at IS NULL)
                 AND EXISTS (SELECT 1 FROM kyc.retention_rule r JOIN kyc.evidence e
                                 ON e.application_id OPERATOR(pg_catalog.=) a.id AND e.data_class OPERATOR(pg_catalog.=) r.data_class
                             WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant
                               AND a.state_changed_at OPERATOR(pg_catalog.+) r.keep_for OPERATOR(pg_catalog.<=) job_retention.now
                               AND e.payload IS NOT NULL AND e.kind OPERATOR(pg_catalog.<>) 'retention_action'::kyc.evidence_kind)
               ORDER BY a.state_changed_at LIMIT job_retention.batch
    LOOP
        CONTINUE WHEN NOT kyc.try_lock_application(app);
        BEGIN
            FOR rr IN SELECT r.data_class, r.keep_for, r.legal_basis,
                             ARRAY(SELECT e.seq FROM kyc.evidence e
                                   WHERE e.application_id OPERATOR(pg_catalog.=) app AND e.data_class OPERATOR(pg_catalog.=) r.data_class
                                     AND e.payload IS NOT NULL AND e.kind OPERATOR(pg_catalog.<>) 'retention_action'::kyc.evidence_kind
                                   ORDER BY e.seq) AS seqs
                      FROM kyc.retention_rule r JOIN kyc.application a ON a.id OPERATOR(pg_catalog.=) app
                      WHERE r.tenant_id OPERATOR(pg_catalog.=) tenant
                        AND a.state_changed_at OPERATOR(pg_catalog.+) r.keep_for OPERATOR(pg_catalog.<=) job_retention.now
                      ORDER BY r.data_class
            LOOP
                CONTINUE WHEN pg_catalog.cardinality(rr.seqs) OPERATOR(pg_catalog.=) 0;
                PERFORM kyc.redact_evidence_as_of(app, rr.seqs,
                    pg_catalog.format('retention: %s payloads are kept %s after the application concluded', rr.data_class, rr.keep_for),
                    rr.legal_basis, job_retention.now);
            END LOOP;
            n := n OPERATOR(pg_catalog.+) 1;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.job_item_failed('retention', app, job_retention.now, SQLSTATE, SQLERRM);
        END;
    END LOOP;
    RETURN n;
END
$fn$;
COMMENT ON FUNCTION kyc.job_retention(timestamptz, integer) IS 'internal: retention in the session tenant';

-- Job records (runs and the applications they could not handle) older than 90 days go, here and
-- in pg_cron's run details of the kyc_ jobs (which
-- otherwise grow forever). Internal.
CREATE FUNCTION kyc.job_cleanup(now timestamptz, batch integer) RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    n integer;
    m integer := 0;
BEGIN
    DELETE FROM kyc.job_item_failure f
    WHERE f.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT x.id FROM kyc.job_item_failure x
                                                 WHERE x.failed_at OPERATOR(pg_catalog.<) (job_cleanup.now OPERATOR(pg_catalog.-) '90 days'::interval)
                                                 ORDER BY x.failed_at LIMIT job_cleanup.batch));
    DELETE FROM kyc.job_run r
    WHERE r.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT x.id FROM kyc.job_run x
                                                 WHERE x.started_at OPERATOR(pg_catalog.<) (job_cleanup.now OPERATOR(pg_catalog.-) '90 days'::interval)
                                                 ORDER BY x.started_at LIMIT job_cleanup.batch));
    GET DIAGNOSTICS n = ROW_COUNT;
    IF pg_catalog.to_regclass('cron.job_run_details') IS NOT NULL THEN
        EXECUTE 'DELETE FROM cron.job_run_details d USING cron.job j'
                ' WHERE d.jobid OPERATOR(pg_catalog.=) j.jobid AND j.jobname OPERATOR(pg_catalog.~~) ''kyc\_%'''
                ' AND d.start_time OPERATOR(pg_catalog.<) ($1 OPERATOR(pg_catalog.-) ''90 days''::interval)'
            USING job_cleanup.now;
        GET DIAGNOSTICS m = ROW_COUNT;
    END IF;
    RETURN n OPERATOR(pg_catalog.+) m;
END
$fn$;
COMMENT ON FUNCTION kyc.job_cleanup(timestamptz, integer) IS 'internal: delete job-run records older than 90 days';
