-- Separation of duties against an insider (docs/security.md#threat-model). Four eyes are two
-- persons: a login that is a member of two reviewer or administrator roles, or that SETs ROLE
-- between them, or that claims another kyc.actor, is still one person. Each person below is a
-- login taken with SET SESSION AUTHORIZATION, so that it is the session user as when it logs in.
\set SHOW_CONTEXT never
CREATE ROLE regress_sod_aml_team NOLOGIN IN ROLE kyc_aml;
CREATE ROLE regress_sod_amy LOGIN IN ROLE kyc_aml, regress_sod_aml_team;
CREATE ROLE regress_sod_ann LOGIN IN ROLE kyc_aml;
CREATE ROLE regress_sod_admin_team NOLOGIN IN ROLE kyc_admin;
CREATE ROLE regress_sod_ada LOGIN IN ROLE kyc_admin, regress_sod_admin_team;
CREATE ROLE regress_sod_abe LOGIN IN ROLE kyc_admin;
SELECT count(kyc.grant_tenant('sod_bank', r)) AS grants
FROM unnest(ARRAY['regress_app', 'regress_sod_aml_team', 'regress_sod_amy', 'regress_sod_ann', 'regress_sod_admin_team',
                  'regress_sod_ada', 'regress_sod_abe', 'regress_admin', 'regress_auditor']::name[]) r;
SELECT kyc.grant_tenant('bank_b', 'regress_sod_abe') IS NOT NULL AS granted;
SET kyc.tenant = 'sod_bank';
SET ROLE regress_app;
\i tests/regress/applicant.sql
\set task_state 'SELECT t.status, t.assignee, t.proposed_by, t.proposed_login, t.resolved_by, t.resolved_login, (SELECT count(*) FROM kyc.evidence e WHERE e.application_id = t.application_id) AS evidence_rows FROM kyc.review_task t WHERE t.id = :''task'';'

-- 1. An AML hold: clearing it is an override, which takes two persons
SELECT pg_temp.applicant('sod-1', except_gates => '{aml}') AS app \gset
SELECT pg_temp.sig(:'app', 'aml', 'bsa_aml', 'refer', 'medium', '{AML.PEP_MATCH}') IS NOT NULL AS signal;
SELECT outcome, state FROM kyc.evaluate(:'app');
RESET ROLE;

-- amy, as herself and as employee emp-amy, claims the task and proposes to clear it
SET SESSION AUTHORIZATION regress_sod_amy;
SET kyc.actor = 'emp-amy';
SELECT c.queue, c.gate, c.status FROM kyc.claim_task('aml_ops') c;
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'namesake: other date of birth');
:task_state
-- then acts as her team's role: the queue hands her nothing, and she cannot confirm
SET ROLE regress_sod_aml_team;
SELECT current_user AS acting_as, session_user AS login;
SELECT kyc.claim_task('aml_ops') IS NULL AS nothing_for_the_proposer;
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'confirmed');
:task_state
-- nor by claiming to be another employee
SET kyc.actor = 'emp-other';
SELECT kyc.claim_task('aml_ops') IS NULL AS nothing_for_the_proposer;
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'confirmed');
RESET ROLE;
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'confirmed');
:task_state
RESET kyc.actor;
RESET SESSION AUTHORIZATION;

-- another login claiming to be the same employee is the same person
SET SESSION AUTHORIZATION regress_sod_ann;
SET kyc.actor = 'emp-amy';
SELECT kyc.claim_task('aml_ops') IS NULL AS nothing_for_the_same_employee;
:task_state
-- ann, as herself, is the second person: she claims and confirms
SET kyc.actor = 'emp-ann';
SELECT c.status, c.proposed_by FROM kyc.claim_task('aml_ops') c;
SELECT task_status, state FROM kyc.resolve_task(:'task', 'clear', 'AML.CLEARED_BY_REVIEW', 'agreed: false positive');
:task_state
SELECT proposed_principal, resolved_principal FROM kyc.review_task WHERE id = :'task';
RESET kyc.actor;
RESET SESSION AUTHORIZATION;

-- 2. Policies: the author may not publish, whatever role she acts as
SET SESSION AUTHORIZATION regress_sod_ada;
SELECT kyc.draft_policy('00000000-0000-4000-8000-00000000dc01', 'sod_bank: stricter device rules') AS draft \gset
SET ROLE regress_sod_admin_team;
SELECT current_user AS acting_as, session_user AS login;
SELECT kyc.publish_policy(:'draft');
SELECT status, author, author_login, publisher FROM kyc.policy WHERE id = :'draft';
RESET ROLE;
SET kyc.actor = 'emp-abe';
SELECT kyc.publish_policy(:'draft');
RESET kyc.actor;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_sod_abe;
SELECT kyc.publish_policy(:'draft') IS NOT NULL AS published;
SELECT status, author, author_login, publisher, publisher_login FROM kyc.policy WHERE id = :'draft';
RESET SESSION AUTHORIZATION;
-- whoever changes a draft is one of its authors: abe rewrites a rule of ada's next draft and
-- cannot publish it himself; a third administrator, who wrote none of it, can
SET SESSION AUTHORIZATION regress_sod_ada;
SELECT kyc.draft_policy('00000000-0000-4000-8000-00000000dc01', 'sod_bank: device rules, take two') AS draft2 \gset
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_sod_abe;
UPDATE kyc.policy_rule SET min_confidence = 'low' WHERE policy_id = :'draft2' AND rule_no = (SELECT min(rule_no) FROM kyc.policy_rule WHERE policy_id = :'draft2');
UPDATE kyc.policy SET editors = '{}' WHERE id = :'draft2';
SELECT author_login, editors FROM kyc.policy WHERE id = :'draft2';
SELECT kyc.publish_policy(:'draft2');
SELECT status FROM kyc.policy WHERE id = :'draft2';
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_admin;
SELECT kyc.publish_policy(:'draft2') IS NOT NULL AS published;
SELECT status, author_login, editors, publisher_login FROM kyc.policy WHERE id = :'draft2';
RESET SESSION AUTHORIZATION;

-- 3. Customer wording: the drafter may not approve, whatever role she acts as
SET SESSION AUTHORIZATION regress_sod_ada;
SELECT kyc.draft_customer_message('application_expired', 'en-US', 'Closed', 'We closed your application.', 'Start again.') AS version \gset
SET ROLE regress_sod_admin_team;
SELECT kyc.approve_customer_message('application_expired', 'en-US', :version);
SELECT drafted_by, drafted_login, approved_by FROM kyc.customer_message WHERE tenant_id = 'sod_bank';
RESET ROLE;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_sod_abe;
SELECT kyc.approve_customer_message('application_expired', 'en-US', :version);
SELECT drafted_by, drafted_login, approved_by, approved_login FROM kyc.customer_message WHERE tenant_id = 'sod_bank';
RESET SESSION AUTHORIZATION;


-- 4. Reading through any door is evidence: an export of payloads appends an evidence_access row
--    (the class of the most restricted row it reveals), which the export itself then contains
\set last_row 'SELECT seq, kind, data_class, actor_role, payload->>''purpose'' AS purpose, jsonb_array_length(payload->''seqs'') AS rows_named FROM kyc.evidence WHERE application_id = :''app'' ORDER BY seq DESC LIMIT 1;'
:last_row
SET ROLE regress_auditor;
SELECT jsonb_array_length(kyc.export_chain(:'app')->'rows') AS exported;
RESET ROLE;
:last_row
SET SESSION AUTHORIZATION regress_sod_ann;
SELECT jsonb_array_length(kyc.export_chain(:'app')->'rows') AS exported_by_aml;
RESET SESSION AUTHORIZATION;
:last_row
-- an export that fails writes nothing
SET ROLE regress_auditor;
SELECT kyc.export_chain('00000000-0000-0000-0000-000000000000');
RESET ROLE;
:last_row

-- 5. Another tenant's policy is answered as an unknown one: nothing of its rules is copied
CREATE FUNCTION pg_temp.refusal(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || regexp_replace(SQLERRM, '[0-9a-f]{8}-[0-9a-f-]{27}', '<id>');
END $$;
SET SESSION AUTHORIZATION regress_sod_abe;
SET kyc.tenant = 'bank_b';
SELECT pg_temp.refusal(format('SELECT kyc.draft_policy(%L, %L)', :'draft', 'copy another bank''s rules')) AS another_banks;
SELECT pg_temp.refusal(format('SELECT kyc.draft_policy(%L, %L)', gen_random_uuid(), 'copy an unknown policy')) AS unknown;
RESET SESSION AUTHORIZATION;
SELECT count(*) AS copies FROM kyc.policy WHERE description LIKE 'copy %';
SET kyc.tenant = 'sod_bank';

-- 6. Queue grants: a team of one bank limited to one queue, without editing kyc.review_queue
CREATE ROLE regress_sod_kyc_team NOLOGIN IN ROLE kyc_reviewer;
CREATE ROLE regress_sod_kim LOGIN IN ROLE regress_sod_kyc_team;
SELECT kyc.grant_tenant('sod_bank', 'regress_sod_kyc_team') IS NOT NULL AS tenant_granted;
-- only a superuser grants queues, only queues the role's group role works, only queues that exist
SET ROLE regress_admin;
SELECT kyc.grant_queue('kyc_ops', 'regress_sod_kyc_team');
RESET ROLE;
SELECT kyc.grant_queue('fraud_ops', 'regress_sod_kyc_team');
SELECT kyc.grant_queue('no_such_queue', 'regress_sod_kyc_team');
SELECT count(*) AS grants FROM kyc.queue_grant;
SELECT kyc.grant_queue('kyc_ops', 'regress_sod_kyc_team');
SELECT queue, role_name FROM kyc.queue_grant ORDER BY 1, 2;
-- two applications waiting on KYC operations and on KYB operations
SET ROLE regress_app;
SELECT pg_temp.applicant('sod-kyc', except_gates => '{identity_proofing}') AS kyc_app \gset
SELECT pg_temp.sig(:'kyc_app', 'identity_proofing', 'identity_platform', 'inconclusive', 'low') IS NOT NULL AS signal;
SELECT pg_temp.applicant('sod-kyb', 'business', product => 'small_business_checking', except_gates => '{kyb_ubo}') AS kyb_app \gset
SELECT pg_temp.sig(:'kyb_app', 'kyb_ubo', 'kyb_ops', 'refer', 'medium', '{KYB.AUTHORITY_UNVERIFIED}') IS NOT NULL AS signal;
SELECT (SELECT state FROM kyc.evaluate(:'kyc_app')) AS kyc_state, (SELECT state FROM kyc.evaluate(:'kyb_app')) AS kyb_state;
SELECT id AS kyb_task FROM kyc.review_task WHERE application_id = :'kyb_app' \gset
RESET ROLE;
-- kim works KYC operations, not KYB operations: a KYB task is unknown to her
SET SESSION AUTHORIZATION regress_sod_kim;
SELECT c.queue, c.gate FROM kyc.claim_task('kyc_ops') c;
SELECT kyc.claim_task('kyb_ops');
SELECT pg_temp.refusal(format('SELECT kyc.resolve_task(%L, %L, %L)', :'kyb_task', 'clear', 'KYB.CLEARED_BY_REVIEW')) AS kyb_task;
SELECT pg_temp.refusal(format('SELECT kyc.resolve_task(%L, %L, %L)', gen_random_uuid(), 'clear', 'KYB.CLEARED_BY_REVIEW')) AS unknown_task;
RESET SESSION AUTHORIZATION;
SELECT status FROM kyc.review_task WHERE id = :'kyb_task';
-- revoked, the team works every queue of kyc_reviewer again
SELECT kyc.revoke_queue('kyc_ops', 'regress_sod_kyc_team');
SET SESSION AUTHORIZATION regress_sod_kim;
SELECT c.queue, c.gate FROM kyc.claim_task('kyb_ops') c;
RESET SESSION AUTHORIZATION;
-- every change is recorded, and the record cannot be changed
SELECT action, queue, role_name, by_login = session_user AS by_the_dba, at IS NOT NULL AS dated FROM kyc.queue_grant_log ORDER BY id;
UPDATE kyc.queue_grant_log SET role_name = 'someone';
DELETE FROM kyc.queue_grant_log;
TRUNCATE kyc.queue_grant_log;
SELECT count(*) AS log_rows FROM kyc.queue_grant_log;

-- 7. Who claimed a task is a person too: two logins SET to one team role are two persons
CREATE ROLE regress_sod_kit LOGIN IN ROLE regress_sod_kyc_team;
SET ROLE regress_app;
SELECT pg_temp.applicant('sod-kyc-2', except_gates => '{identity_proofing}') AS app \gset
SELECT pg_temp.sig(:'app', 'identity_proofing', 'identity_platform', 'inconclusive', 'low') IS NOT NULL AS signal;
SELECT state FROM kyc.evaluate(:'app');
SELECT id AS task FROM kyc.review_task WHERE application_id = :'app' \gset
RESET ROLE;
SET SESSION AUTHORIZATION regress_sod_kim;
SET ROLE regress_sod_kyc_team;
SELECT c.queue, c.assignee FROM kyc.claim_task('kyc_ops') c WHERE c.id = :'task';
RESET ROLE;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION regress_sod_kit;
SET ROLE regress_sod_kyc_team;
SELECT task_status FROM kyc.resolve_task(:'task', 'clear', 'IDV.CLEARED_BY_REVIEW', 'looks fine');
SELECT kyc.release_task(:'task');
RESET ROLE;
RESET SESSION AUTHORIZATION;
:task_state
SELECT claimed_login FROM kyc.review_task WHERE id = :'task';
SET SESSION AUTHORIZATION regress_sod_kim;
SET ROLE regress_sod_kyc_team;
SELECT kyc.release_task(:'task');
RESET ROLE;
RESET SESSION AUTHORIZATION;
SELECT status, assignee, claimed_login FROM kyc.review_task WHERE id = :'task';
