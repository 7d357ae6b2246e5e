-- Nothing is granted to PUBLIC. Group roles get the schema, read access to the catalogs and their
-- own tenant's rows, and EXECUTE on the API functions they need. docs/security.md has the matrix.
REVOKE ALL ON SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA kyc FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA kyc FROM PUBLIC;

GRANT USAGE ON SCHEMA kyc TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin, kyc_jobs;

GRANT SELECT ON kyc.gate_definition, kyc.state_definition, kyc.state_transition, kyc.reason_code,
                kyc.customer_message, kyc.policy, kyc.policy_rule, kyc.policy_risk_factor, kyc.policy_timeout,
                kyc.policy_early_life_rule, kyc.review_queue, kyc.customer_message_key
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
-- An application's state, reason and note, and who imposed or lifted a restriction and why, may
-- be AML or fraud facts: AML selects them; every other role reads them through
-- kyc.application_status and kyc.restriction_status, which put neutral values in place of what it
-- may not read (docs/security.md). A column not listed here is readable by no one but AML.
GRANT SELECT ON kyc.application, kyc.restriction TO kyc_aml;
GRANT SELECT (id, tenant_id, external_ref, applicant_kind, product, jurisdiction, channel, segment, state_version,
              state_changed_at, created_at, updated_at, policy_id, opened_at)
    ON kyc.application TO kyc_app, kyc_reviewer, kyc_fraud, kyc_auditor, kyc_admin;
GRANT SELECT (id, tenant_id, application_id, kind, lift_condition, imposed_at, lifted_at, task_id)
    ON kyc.restriction TO kyc_app, kyc_reviewer, kyc_fraud, kyc_auditor, kyc_admin;
GRANT SELECT ON kyc.application_gate, kyc.state_history,
                kyc.chain_head, kyc.legal_hold, kyc.signal, kyc.decision, kyc.review_task,
                kyc.information_request, kyc.funding, kyc.account_event, kyc.early_life_alert,
                kyc.abandonment_by_step, kyc.queue_health, kyc.application_status, kyc.restriction_status
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
-- Evidence without its payload and salt: payloads are read through kyc.read_evidence, which
-- records the read of restricted ones.
GRANT SELECT (tenant_id, application_id, seq, hash_version, kind, data_class, recorded_at, actor_role,
              actor_role_oid, actor_principal, payload_schema_version, payload_digest, prev_hash, row_hash)
    ON kyc.evidence TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.read_evidence(uuid, text, bigint[])
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT SELECT ON kyc.ledger_identity, kyc.ledger_digest, kyc.sealed_head, kyc.tenant_grant TO kyc_auditor, kyc_admin;
-- who is limited to which review queue, and the record of every change (docs/security.md)
GRANT SELECT ON kyc.queue_grant, kyc.queue_grant_log TO kyc_auditor, kyc_admin;

GRANT EXECUTE ON FUNCTION kyc.current_tenant(), kyc.session_tenant(), kyc.caller(), kyc.readable_classes(),
                          kyc.gate_class(kyc.gate), kyc.reason_class(text), kyc.state_class(kyc.state)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.application_id(text), kyc.next_states(uuid), kyc.state_diagram(text),
                          kyc.state_diagram_nodes(), kyc.state_diagram_is_mesh(text)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.open_application(text, kyc.applicant_kind, text, text, kyc.channel, text),
                          kyc.submit_signal(uuid, jsonb), kyc.capture_consent(uuid, text, text, jsonb),
                          kyc.withdraw_consent(uuid, jsonb), kyc.record_notice(uuid, text, text, jsonb, text)
    TO kyc_app;
GRANT EXECUTE ON FUNCTION kyc.customer_status(uuid, text), kyc.customer_status_by_ref(text, text) TO kyc_cx, kyc_app;
GRANT EXECUTE ON FUNCTION kyc.evaluate(uuid, timestamptz) TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.replay(uuid), kyc.decide(jsonb, jsonb), kyc.policy_document(uuid),
                          kyc.policy_in_force(text, text, text), kyc.canonical_json(jsonb)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_auditor, kyc_admin;
-- administrators write the rules, risk factors and settings of their drafts; triggers keep
-- published policies immutable and other tenants' drafts out of reach
GRANT INSERT, UPDATE, DELETE ON kyc.policy_rule, kyc.policy_risk_factor, kyc.policy_timeout,
                               kyc.policy_early_life_rule TO kyc_admin;
GRANT UPDATE (description, eligible_kinds, eligible_jurisdictions, risk_medium, risk_high, risk_prohibited,
              restrict_when_tier, restriction_kind, restriction_reason, restriction_lift, abandon_after,
              rfi_expire_after, max_rfi_rounds, consent_purpose, disclosure_version, editors) ON kyc.policy TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.draft_policy(uuid, text), kyc.publish_policy(uuid), kyc.retire_policy(uuid)
    TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.draft_customer_message(text, text, text, text, text),
                          kyc.approve_customer_message(text, text, integer)
    TO kyc_admin;
-- each line approves the wording of its own message keys (kyc.customer_message_key)
GRANT EXECUTE ON FUNCTION kyc.approve_customer_message(text, text, integer) TO kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.backtest(uuid) TO kyc_admin, kyc_auditor, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.transition(uuid, kyc.state, text, text),
                          kyc.set_gate(uuid, kyc.gate, kyc.gate_status, text, text),
                          kyc.impose_restriction(uuid, kyc.restriction_kind, text, text)
    TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.canonical_json(jsonb), kyc.payload_digest_v1(bytea, jsonb),
                          kyc.row_hash_v1(text, uuid, bigint, kyc.hash256, text, text, timestamptz, text, oid, text, integer, kyc.hash256),
                          kyc.merkle_leaf_v1(text, uuid, bigint, kyc.hash256), kyc.merkle_root(kyc.hash256[]),
                          kyc.merkle_audit_path(kyc.hash256[], bigint),
                          kyc.seal_digest_v1(bigint, timestamptz, bigint, kyc.hash256, kyc.hash256, bigint, oid, text, uuid),
                          kyc.verify_chain(uuid), kyc.verify_ledger(), kyc.verify_summary(),
                          kyc.export_digest(bigint), kyc.export_chain(uuid)
    TO kyc_auditor, kyc_admin;
-- AML may export the chains it investigates; its export is the only one that carries SAR rows.
GRANT EXECUTE ON FUNCTION kyc.export_chain(uuid) TO kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.redact_evidence(uuid, bigint[], text, text), kyc.seal_ledger(timestamptz)
    TO kyc_admin;

-- kyc.hash256's type support functions are pure and reveal nothing: everyone who can read a hash
-- may compare it.
GRANT EXECUTE ON FUNCTION kyc.hash256_in(cstring), kyc.hash256_out(kyc.hash256), kyc.hash256_recv(internal),
                          kyc.hash256_send(kyc.hash256), kyc.hash256_cmp(kyc.hash256, kyc.hash256),
                          kyc.hash256_eq(kyc.hash256, kyc.hash256), kyc.hash256_ne(kyc.hash256, kyc.hash256),
                          kyc.hash256_lt(kyc.hash256, kyc.hash256), kyc.hash256_le(kyc.hash256, kyc.hash256),
                          kyc.hash256_gt(kyc.hash256, kyc.hash256), kyc.hash256_ge(kyc.hash256, kyc.hash256),
                          kyc.hash256_hash(kyc.hash256), kyc.hash256_hash_extended(kyc.hash256, bigint),
                          kyc.hash256(bytea), kyc.bytea(kyc.hash256)
    TO PUBLIC;

-- Review work: reviewers claim, release and resolve (kyc.review_queue.worker_roles per queue);
-- the service records what the applicant and the core banking system report.
GRANT EXECUTE ON FUNCTION kyc.claim_task(text), kyc.release_task(uuid, text),
                          kyc.resolve_task(uuid, kyc.review_outcome, text, text),
                          kyc.lift_restriction(uuid, text)
    TO kyc_reviewer, kyc_fraud, kyc_aml;
GRANT EXECUTE ON FUNCTION kyc.provide_information(uuid, jsonb),
                          kyc.record_funding(uuid, numeric, text, text, text, kyc.funding_status),
                          kyc.activate(uuid),
                          kyc.record_account_event(uuid, kyc.account_event_kind, numeric, text, timestamptz)
    TO kyc_app;
GRANT EXECUTE ON FUNCTION kyc.close_account(uuid, text, text) TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml;

-- Retention and legal holds: compliance administrators; AML places and releases SAR holds.
GRANT SELECT ON kyc.retention_rule TO kyc_admin, kyc_auditor, kyc_jobs;
GRANT EXECUTE ON FUNCTION kyc.set_retention(kyc.data_class, interval, text) TO kyc_admin;
GRANT EXECUTE ON FUNCTION kyc.place_legal_hold(uuid, text), kyc.release_legal_hold(uuid, text) TO kyc_admin, kyc_aml;

-- Jobs: kyc_jobs runs them (the login pg_cron runs them as); administrators and auditors watch
-- their health. Job definitions are global to every tenant of the database, so no tenant's
-- administrator changes them: the platform's DBA (a superuser) does (docs/operations.md#jobs).
GRANT EXECUTE ON FUNCTION kyc.current_tenant(), kyc.session_tenant(), kyc.caller() TO kyc_jobs;
GRANT EXECUTE ON FUNCTION kyc.sla_sweep(timestamptz, integer), kyc.signal_expiry(timestamptz, integer),
                          kyc.abandonment_sweep(timestamptz, integer), kyc.early_life_monitor(timestamptz, integer),
                          kyc.retention_sweep(timestamptz, integer), kyc.seal_job(timestamptz, integer),
                          kyc.cleanup_job_runs(timestamptz, integer),
                          kyc.schedule_jobs(), kyc.unschedule_jobs(), kyc.assert_caller(text, name[]),
                          kyc.cron_schedule_lines(), kyc.cron_missing(text, text)
    TO kyc_jobs;
GRANT SELECT ON kyc.job_definition, kyc.job_run, kyc.job_health TO kyc_jobs, kyc_admin, kyc_auditor;
GRANT SELECT ON kyc.job_item_failure TO kyc_jobs, kyc_admin, kyc_auditor;
