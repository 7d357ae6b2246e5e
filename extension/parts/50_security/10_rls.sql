-- Row-level security, FORCE'd so that the owner is subject to it too. Tenant isolation is a
-- RESTRICTIVE policy (ANDed with everything else) on kyc.session_tenant(): the kyc.tenant setting
-- when the session's role was granted that tenant, else NULL, which matches no row. The
-- (SELECT ...) makes it an initPlan, evaluated once per query. Who may
-- write is decided by table privileges (only the owner has any) and the SECURITY DEFINER API.
DO $rls$
DECLARE
    t text;
BEGIN
    -- every table, whichever policies it gets below (no policy at all would mean no rows)
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) 'kyc'::pg_catalog.regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'r'
    LOOP
        EXECUTE pg_catalog.format('ALTER TABLE kyc.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE pg_catalog.format('ALTER TABLE kyc.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;

    FOREACH t IN ARRAY ARRAY['application', 'application_gate', 'restriction', 'evidence', 'legal_hold', 'signal',
                             'decision', 'review_task', 'information_request', 'funding', 'account_event',
                             'early_life_alert', 'retention_rule', 'tenant_grant', 'sealed_head', 'job_item_failure']
    LOOP
        EXECUTE pg_catalog.format(
            'CREATE POLICY tenant_isolation ON kyc.%I AS RESTRICTIVE'
            ' USING (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))'
            ' WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()))', t);
        EXECUTE pg_catalog.format('CREATE POLICY tenant_rows ON kyc.%I USING (true) WITH CHECK (true)', t);
    END LOOP;

    -- Catalogs are shared reference data, and seals cover every tenant: readable by the roles
    -- granted SELECT, written only by the owner. A seal's heads and the tenant grants name
    -- tenants and applications, so they are tenant rows (above): a role reads its tenant's only.
    FOREACH t IN ARRAY ARRAY['gate_definition', 'state_definition', 'state_transition', 'reason_code',
                             'customer_message_key',
                             'ledger_identity', 'ledger_digest', 'review_queue', 'job_definition', 'job_run',
                             'queue_grant', 'queue_grant_log']
    LOOP
        EXECUTE pg_catalog.format('CREATE POLICY catalog_rows ON kyc.%I USING (true) WITH CHECK (true)', t);
    END LOOP;

    -- Data classes (docs/security.md): a role sees only the classes it may read, whatever other
    -- policy says (RESTRICTIVE). Rows of the AML and fraud gates reveal as much as their evidence.
    -- Evidence is filtered for every role but the owner: kyc.state_history reads state changes with
    -- its owner's rights and puts neutral values in place of what the caller may not read.
    CREATE POLICY data_class ON kyc.evidence AS RESTRICTIVE
        TO kyc_app, kyc_reviewer, kyc_fraud, kyc_aml, kyc_cx, kyc_auditor, kyc_admin, kyc_jobs
        USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    -- A legal hold AML placed is SAR-restricted. (An application's or a restriction's reason is
    -- not hidden by row, since a missing row would itself tell: their AML and fraud columns are
    -- granted to AML alone and read through kyc.application_status and kyc.restriction_status.)
    CREATE POLICY data_class ON kyc.legal_hold AS RESTRICTIVE
        USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.decision AS RESTRICTIVE
        USING (data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.signal AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.review_task AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.information_request AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    -- early-life alerts are fraud indicators
    CREATE POLICY data_class ON kyc.early_life_alert AS RESTRICTIVE
        USING ('fraud_sensitive'::kyc.data_class OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));
    CREATE POLICY data_class ON kyc.application_gate AS RESTRICTIVE
        USING (kyc.gate_class(gate) OPERATOR(pg_catalog.=) ANY ((SELECT kyc.readable_classes())::kyc.data_class[]));

    -- policies: the tenant's own and the shipped defaults (tenant "*"), which it may read, not write
    CREATE POLICY tenant_isolation ON kyc.policy AS RESTRICTIVE
        USING (tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY[(SELECT kyc.session_tenant()), '*']))
        WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
    CREATE POLICY policy_rows ON kyc.policy USING (true) WITH CHECK (true);

    -- customer wording: the shipped texts and the tenant's own, drafts included
    CREATE POLICY tenant_isolation ON kyc.customer_message AS RESTRICTIVE
        USING (tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY[(SELECT kyc.session_tenant()), '*']))
        WITH CHECK (tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant()));
    CREATE POLICY wording_rows ON kyc.customer_message USING (true) WITH CHECK (true);

    -- A policy's rules and risk factors are as confidential as the policy (a bank's fraud rules
    -- are not another bank's business): visible when the policy is, which the subquery inherits
    -- from kyc.policy's own row-level security; written only into the session tenant's policies.
    -- Without this an administrator could add rules to another tenant's draft (the foreign key
    -- check does not see row-level security).
    FOREACH t IN ARRAY ARRAY['policy_rule', 'policy_risk_factor', 'policy_timeout', 'policy_early_life_rule']
    LOOP
        EXECUTE pg_catalog.format(
            'CREATE POLICY policy_parts ON kyc.%I'
            ' USING (EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_id))'
            ' WITH CHECK (EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_id'
            ' AND p.tenant_id OPERATOR(pg_catalog.=) (SELECT kyc.session_tenant())))', t);
    END LOOP;
END
$rls$;
