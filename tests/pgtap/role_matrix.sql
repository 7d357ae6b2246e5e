-- The role matrix: who may execute which function and read or write which table, for every
-- object of schema kyc, as one list an auditor can read. A new function or table fails the suite
-- until it is given a row here, so no privilege arrives unreviewed. Roles are listed in name
-- order; '-' is nobody (internal functions the API's SECURITY DEFINER functions call). Table
-- privileges: S select, I insert, U update, D delete, T truncate; s select of some columns only
-- (kyc.evidence: all but payload and payload_salt, read through kyc.read_evidence). Row-level security then
-- narrows every SELECT to the granted tenant and the readable data classes (sql/12, sql/13).
\i tests/setup.sql
CREATE TEMP TABLE expected_execute (signature text PRIMARY KEY, roles text NOT NULL);
INSERT INTO expected_execute VALUES
    ('kyc.abandonment_sweep(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.activate(uuid)', 'kyc_app'),
    ('kyc.append_evidence(uuid,kyc.evidence_kind,kyc.data_class,jsonb)', '-'),
    ('kyc.application_concluded()', '-'),
    ('kyc.application_guard()', '-'),
    ('kyc.application_id(text)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.application_record()', '-'),
    ('kyc.assert_caller(text,name[])', 'kyc_jobs'),
    ('kyc.backtest(uuid)', 'kyc_admin,kyc_aml,kyc_auditor'),
    ('kyc.bytea(kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.caller()', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.cancel_settled_tasks(uuid,text)', '-'),
    ('kyc.canonical_json(jsonb)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.capture_consent(uuid,text,text,jsonb)', 'kyc_app'),
    ('kyc.claim_task(text)', 'kyc_aml,kyc_fraud,kyc_reviewer'),
    ('kyc.cleanup_job_runs(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.close_account(uuid,text,text)', 'kyc_aml,kyc_app,kyc_fraud,kyc_reviewer'),
    ('kyc.close_account_internal(uuid,text,text,name)', '-'),
    ('kyc.cron_missing(text,text)', 'kyc_jobs'),
    ('kyc.cron_schedule_lines()', 'kyc_jobs'),
    ('kyc.current_tenant()', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.customer_status(uuid,text)', 'kyc_app,kyc_cx'),
    ('kyc.customer_status_by_ref(text,text)', 'kyc_app,kyc_cx'),
    ('kyc.decide(jsonb,jsonb)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.decision_inputs(uuid,timestamp with time zone)', '-'),
    ('kyc.draft_policy(uuid,text)', 'kyc_admin'),
    ('kyc.early_life_monitor(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.early_life_observed(uuid,kyc.early_life_rule_kind,interval,timestamp with time zone,timestamp with time zone)', '-'),
    ('kyc.evaluate(uuid,timestamp with time zone)', 'kyc_aml,kyc_app,kyc_fraud,kyc_reviewer'),
    ('kyc.evidence_guard()', '-'),
    ('kyc.export_chain(uuid)', 'kyc_admin,kyc_aml,kyc_auditor'),
    ('kyc.export_digest(bigint)', 'kyc_admin,kyc_auditor'),
    ('kyc.gate_class(kyc.gate)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_reviewer'),
    ('kyc.grant_tenant(text,name)', '-'),
    ('kyc.hash256(bytea)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_cmp(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_eq(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_ge(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_gt(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_hash(kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_hash_extended(kyc.hash256,bigint)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_in(cstring)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_le(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_lt(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_ne(kyc.hash256,kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_out(kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_recv(internal)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.hash256_send(kyc.hash256)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.impose_restriction(uuid,kyc.restriction_kind,text,text)', 'kyc_aml,kyc_app,kyc_fraud,kyc_reviewer'),
    ('kyc.is_override(uuid,kyc.gate,timestamp with time zone)', '-'),
    ('kyc.job_abandonment(timestamp with time zone,integer)', '-'),
    ('kyc.job_cleanup(timestamp with time zone,integer)', '-'),
    ('kyc.job_early_life(timestamp with time zone,integer)', '-'),
    ('kyc.job_retention(timestamp with time zone,integer)', '-'),
    ('kyc.job_signal_expiry(timestamp with time zone,integer)', '-'),
    ('kyc.job_sla_sweep(timestamp with time zone,integer)', '-'),
    ('kyc.job_tenants()', '-'),
    ('kyc.legal_hold_class()', '-'),
    ('kyc.lift_restriction(uuid,text)', 'kyc_aml,kyc_fraud,kyc_reviewer'),
    ('kyc.lift_restriction_internal(uuid,name,text)', '-'),
    ('kyc.lock_application(uuid,boolean)', '-'),
    ('kyc.lock_open_application(uuid,text)', '-'),
    ('kyc.lock_task(uuid,text)', '-'),
    ('kyc.merkle_audit_path(kyc.hash256[],bigint)', 'kyc_admin,kyc_auditor'),
    ('kyc.merkle_leaf_v1(text,uuid,bigint,kyc.hash256)', 'kyc_admin,kyc_auditor'),
    ('kyc.merkle_root(kyc.hash256[])', 'kyc_admin,kyc_auditor'),
    ('kyc.move_toward(uuid,kyc.state,text,text)', '-'),
    ('kyc.next_states(uuid)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.open_application(text,kyc.applicant_kind,text,text,kyc.channel,text)', 'kyc_app'),
    ('kyc.open_review_task(uuid,kyc.gate,text,text[],interval,text,uuid,timestamp with time zone)', '-'),
    ('kyc.payload_digest_v1(bytea,jsonb)', 'kyc_admin,kyc_auditor'),
    ('kyc.place_legal_hold(uuid,text)', 'kyc_admin,kyc_aml'),
    ('kyc.policy_document(uuid)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.policy_guard()', '-'),
    ('kyc.policy_in_force(text,text,text)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.policy_part_guard()', '-'),
    ('kyc.provide_information(uuid,jsonb)', 'kyc_app'),
    ('kyc.publish_policy(uuid)', 'kyc_admin'),
    ('kyc.raise_invalid_parameter(text,text)', '-'),
    ('kyc.read_evidence(uuid,text,bigint[])', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.readable_classes()', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_reviewer'),
    ('kyc.record_account_event(uuid,kyc.account_event_kind,numeric,text,timestamp with time zone)', 'kyc_app'),
    ('kyc.record_funding(uuid,numeric,text,text,text,kyc.funding_status)', 'kyc_app'),
    ('kyc.record_gate(uuid,kyc.gate,kyc.gate_status,text,text,name,text)', '-'),
    ('kyc.record_notice(uuid,text,text,jsonb,text)', 'kyc_app'),
    ('kyc.redact_evidence(uuid,bigint[],text,text)', 'kyc_admin'),
    ('kyc.release_legal_hold(uuid,text)', 'kyc_admin,kyc_aml'),
    ('kyc.release_task(uuid,text)', 'kyc_aml,kyc_fraud,kyc_reviewer'),
    ('kyc.replay(uuid)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.request_information_internal(kyc.application,kyc.review_task,text,name)', '-'),
    ('kyc.resolve_task(uuid,kyc.review_outcome,text,text)', 'kyc_aml,kyc_fraud,kyc_reviewer'),
    ('kyc.retention_sweep(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.retire_policy(uuid)', 'kyc_admin'),
    ('kyc.review_task_guard()', '-'),
    ('kyc.revoke_tenant(text,name)', '-'),
    ('kyc.row_hash_v1(text,uuid,bigint,kyc.hash256,text,text,timestamp with time zone,text,oid,text,integer,kyc.hash256)', 'kyc_admin,kyc_auditor'),
    ('kyc.run_job(text,timestamp with time zone,integer)', '-'),
    ('kyc.schedule_jobs()', 'kyc_jobs'),
    ('kyc.seal_digest_v1(bigint,timestamp with time zone,bigint,kyc.hash256,kyc.hash256,bigint,oid,text,uuid)', 'kyc_admin,kyc_auditor'),
    ('kyc.seal_job(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.seal_ledger(timestamp with time zone)', 'kyc_admin'),
    ('kyc.session_tenant()', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_cx,kyc_fraud,kyc_jobs,kyc_reviewer'),
    ('kyc.set_gate(uuid,kyc.gate,kyc.gate_status,text,text)', 'kyc_aml,kyc_app,kyc_fraud,kyc_reviewer'),
    ('kyc.set_retention(kyc.data_class,interval,text)', 'kyc_admin'),
    ('kyc.signal_expiry(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.signal_field_error(text,text,text)', '-'),
    ('kyc.signal_label(jsonb,text,text[])', '-'),
    ('kyc.signal_strings(jsonb,text,boolean,integer)', '-'),
    ('kyc.signal_text(jsonb,text,boolean,integer,text)', '-'),
    ('kyc.sla_sweep(timestamp with time zone,integer)', 'kyc_jobs'),
    ('kyc.state_diagram(text)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.state_diagram_is_mesh(text)', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.state_diagram_nodes()', 'kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer'),
    ('kyc.submit_signal(uuid,jsonb)', 'kyc_app'),
    ('kyc.transition(uuid,kyc.state,text,text)', 'kyc_aml,kyc_app,kyc_fraud,kyc_reviewer'),
    ('kyc.try_lock_application(uuid)', '-'),
    ('kyc.unschedule_jobs()', 'kyc_jobs'),
    ('kyc.verify_chain(uuid)', 'kyc_admin,kyc_auditor'),
    ('kyc.verify_ledger()', 'kyc_admin,kyc_auditor'),
    ('kyc.verify_summary()', 'kyc_admin,kyc_auditor'),
    ('kyc.withdraw_consent(uuid,jsonb)', 'kyc_app');

CREATE TEMP TABLE expected_table (relname name PRIMARY KEY, privileges text NOT NULL);
INSERT INTO expected_table VALUES
    ('abandonment_by_step', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('account_event', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('application', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('application_gate', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('chain_head', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('customer_message', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('decision', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('early_life_alert', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('evidence', 'kyc_admin:s,kyc_aml:s,kyc_app:s,kyc_auditor:s,kyc_fraud:s,kyc_reviewer:s'),
    ('funding', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('gate_definition', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('information_request', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('job_definition', 'kyc_admin:S,kyc_auditor:S,kyc_jobs:S'),
    ('job_health', 'kyc_admin:S,kyc_auditor:S,kyc_jobs:S'),
    ('job_run', 'kyc_admin:S,kyc_auditor:S,kyc_jobs:S'),
    ('ledger_digest', 'kyc_admin:S,kyc_auditor:S'),
    ('ledger_identity', 'kyc_admin:S,kyc_auditor:S'),
    ('legal_hold', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('policy', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('policy_early_life_rule', 'kyc_admin:DISU,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('policy_risk_factor', 'kyc_admin:DISU,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('policy_rule', 'kyc_admin:DISU,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('policy_timeout', 'kyc_admin:DISU,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('queue_health', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('reason_code', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('restriction', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('retention_rule', 'kyc_admin:S,kyc_auditor:S,kyc_jobs:S'),
    ('review_queue', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('review_task', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('sealed_head', 'kyc_admin:S,kyc_auditor:S'),
    ('signal', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('state_definition', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('state_history', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('state_transition', 'kyc_admin:S,kyc_aml:S,kyc_app:S,kyc_auditor:S,kyc_fraud:S,kyc_reviewer:S'),
    ('tenant_grant', 'kyc_admin:S,kyc_auditor:S');

-- Actual privileges in the same form, through has_*_privilege: membership and PUBLIC included.
CREATE FUNCTION pg_temp.kyc_roles() RETURNS name[] LANGUAGE sql AS
$$ SELECT ARRAY['kyc_admin', 'kyc_aml', 'kyc_app', 'kyc_auditor', 'kyc_cx', 'kyc_fraud', 'kyc_jobs', 'kyc_reviewer']::name[] $$;
CREATE FUNCTION pg_temp.executors(f oid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(r, ',' ORDER BY r), '-')
    FROM unnest(pg_temp.kyc_roles()) r WHERE has_function_privilege(r, f, 'EXECUTE') $$;
CREATE FUNCTION pg_temp.table_privileges(t oid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(r || ':' || p, ',' ORDER BY r), '-')
    FROM unnest(pg_temp.kyc_roles() || 'public'::name) r,
         LATERAL (SELECT string_agg(CASE WHEN has_table_privilege(r, t, pv) THEN left(pv, 1) ELSE 's' END, '' ORDER BY pv) AS p
                  FROM unnest(ARRAY['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE']) pv
                  WHERE has_table_privilege(r, t, pv) OR (pv = 'SELECT' AND has_any_column_privilege(r, t, 'SELECT'))) x
    WHERE x.p IS NOT NULL $$;

SELECT plan((SELECT count(*)::int FROM expected_execute) + (SELECT count(*)::int FROM expected_table) + 11);

SELECT is(pg_temp.executors(x.signature::regprocedure), x.roles, 'EXECUTE on ' || x.signature)
FROM expected_execute x ORDER BY x.signature;
SELECT is(pg_temp.table_privileges(('kyc.' || x.relname)::regclass), x.privileges, 'privileges on kyc.' || x.relname)
FROM expected_table x ORDER BY x.relname;

SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'kyc'::regnamespace
                  AND p.oid::regprocedure::text NOT IN (SELECT signature FROM expected_execute) ORDER BY 1),
          '{}'::text[], 'every function of schema kyc has a row in the matrix');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND c.relname NOT IN (SELECT relname FROM expected_table) ORDER BY 1),
          '{}'::text[], 'every table and view of schema kyc has a row in the matrix');
-- PUBLIC may call only what a value of type kyc.hash256 needs to be read, compared and cast.
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'kyc'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE')
                  AND NOT (p.proname LIKE 'hash256%' OR p.proname = 'bytea') ORDER BY 1),
          '{}'::text[], 'PUBLIC executes only the hash256 type''s support functions');
SELECT is(ARRAY(SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = 'kyc'::regnamespace AND p.prosecdef
                  AND p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp'] ORDER BY 1),
          '{}'::text[], 'every SECURITY DEFINER function pins search_path to pg_catalog, pg_temp');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'p')
                  AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1),
          '{}'::text[], 'every table has row-level security enabled and forced');
SELECT is(ARRAY(SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind = 'v'
                  AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false) ORDER BY 1),
          '{state_history}'::text[],
          'every view runs with the caller''s rights, so row-level security applies through it, but state_history');
SELECT ok((SELECT 'security_barrier=true' = ANY (c.reloptions) FROM pg_class c WHERE c.oid = 'kyc.state_history'::regclass)
          AND pg_get_viewdef('kyc.state_history'::regclass) LIKE '%session_tenant()%'
          AND pg_get_viewdef('kyc.state_history'::regclass) LIKE '%readable_classes()%',
          'state_history, which reads payloads with its owner''s rights, is a security barrier filtering by tenant and data class');
SELECT is(ARRAY(SELECT format('%s:%s:%s', r, c.relname, p) FROM unnest(pg_temp.kyc_roles() || 'public'::name) r,
                     pg_class c, unnest('{REFERENCES,TRIGGER}'::text[]) p
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'v')
                  AND has_table_privilege(r, c.oid, p) ORDER BY 1),
          '{}'::text[], 'no role may reference or add triggers to a kyc table');
-- Evidence payloads are read only through kyc.read_evidence, which records restricted reads.
SELECT is(ARRAY(SELECT format('%s:%s', r, col) FROM unnest(pg_temp.kyc_roles()) r, unnest('{payload,payload_salt}'::name[]) col
                WHERE has_column_privilege(r, 'kyc.evidence', col, 'SELECT') ORDER BY 1),
          '{}'::text[], 'no role may select evidence payloads or salts directly');
SELECT is(ARRAY(SELECT r FROM unnest(pg_temp.kyc_roles()) r
                WHERE (SELECT bool_and(has_column_privilege(r, 'kyc.evidence', a.attname, 'SELECT'))
                       FROM pg_attribute a WHERE a.attrelid = 'kyc.evidence'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                         AND a.attname NOT IN ('payload', 'payload_salt')) ORDER BY 1),
          '{kyc_admin,kyc_aml,kyc_app,kyc_auditor,kyc_fraud,kyc_reviewer}'::name[],
          'every role but customer service selects every other evidence column');
-- Column grants: kyc_admin edits a draft policy's settings, never its identity or status (the
-- policy guard trigger refuses edits to published policies on top of this).
SELECT is(ARRAY(SELECT format('%s.%s %s:%s', c.relname, a.attname, x.grantee::regrole, x.privilege_type)
                FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid, aclexplode(a.attacl) x
                WHERE c.relnamespace = 'kyc'::regnamespace AND c.relname <> 'evidence' ORDER BY 1),
          ARRAY['job_definition.batch_size kyc_admin:UPDATE',
            'job_definition.expected_every kyc_admin:UPDATE',
            'job_definition.schedule kyc_admin:UPDATE',
            'policy.abandon_after kyc_admin:UPDATE',
            'policy.description kyc_admin:UPDATE',
            'policy.eligible_jurisdictions kyc_admin:UPDATE',
            'policy.eligible_kinds kyc_admin:UPDATE',
            'policy.max_rfi_rounds kyc_admin:UPDATE',
            'policy.restrict_when_tier kyc_admin:UPDATE',
            'policy.restriction_kind kyc_admin:UPDATE',
            'policy.restriction_lift kyc_admin:UPDATE',
            'policy.restriction_reason kyc_admin:UPDATE',
            'policy.rfi_expire_after kyc_admin:UPDATE',
            'policy.risk_high kyc_admin:UPDATE',
            'policy.risk_medium kyc_admin:UPDATE',
            'policy.risk_prohibited kyc_admin:UPDATE'],
          'column grants: kyc_admin may update only the settings of a policy and the schedules of the jobs');

SELECT * FROM finish();
ROLLBACK;
