-- Four eyes are two persons, not two roles (docs/security.md#four-eyes): a login that is a
-- member of two reviewer or administrator roles, or that SETs ROLE between them, is one person.
-- The first and the second pair of eyes record the session's login and its kyc.actor principal
-- beside the role they acted as; the checks and these constraints compare the persons. A row
-- written before 0.3.0 has no login: its role name stands for the person.
ALTER TABLE kyc.review_task
    ADD COLUMN claimed_login      name,
    ADD COLUMN proposed_login     name,
    ADD COLUMN proposed_principal text,
    ADD COLUMN resolved_login     name,
    ADD COLUMN resolved_principal text,
    DROP CONSTRAINT review_task_four_eyes,
    ADD CONSTRAINT review_task_four_eyes CHECK
        (proposed_by IS NULL OR resolved_by IS NULL
         OR (coalesce(proposed_login, proposed_by) OPERATOR(pg_catalog.<>) coalesce(resolved_login, resolved_by)
             AND (proposed_principal IS NULL OR resolved_principal IS NULL
                  OR proposed_principal OPERATOR(pg_catalog.<>) resolved_principal)));
COMMENT ON COLUMN kyc.review_task.claimed_login IS
    'the login (session user) that claimed the task: only it resolves or releases it, whatever role another login SETs';
COMMENT ON COLUMN kyc.review_task.proposed_login IS 'the login (session user) that proposed the override: the first person';
COMMENT ON COLUMN kyc.review_task.resolved_login IS 'the login (session user) that resolved the task; never the proposer';

ALTER TABLE kyc.policy
    ADD COLUMN author_login        name,
    ADD COLUMN author_principal    text,
    ADD COLUMN publisher_login     name,
    ADD COLUMN publisher_principal text,
    ADD COLUMN editors             name[] NOT NULL DEFAULT '{}',
    DROP CONSTRAINT policy_four_eyes,
    ADD CONSTRAINT policy_four_eyes CHECK
        (publisher IS NULL
         OR (coalesce(publisher_login, publisher) OPERATOR(pg_catalog.<>) coalesce(author_login, author)
             AND (author_principal IS NULL OR publisher_principal IS NULL
                  OR author_principal OPERATOR(pg_catalog.<>) publisher_principal))),
    ADD CONSTRAINT policy_editor_not_publisher CHECK
        (publisher_login IS NULL OR publisher_login OPERATOR(pg_catalog.<>) ALL (editors));
COMMENT ON COLUMN kyc.policy.author_login IS 'the login (session user) that drafted the policy';
COMMENT ON COLUMN kyc.policy.editors IS
    'the logins that changed the draft (its settings, rules, factors, timeouts): authors too, so none of them may publish it';
COMMENT ON COLUMN kyc.policy.publisher_login IS 'the login (session user) that published it; never its author';

ALTER TABLE kyc.customer_message
    ADD COLUMN drafted_login      name,
    ADD COLUMN drafted_principal  text,
    ADD COLUMN approved_login     name,
    ADD COLUMN approved_principal text,
    DROP CONSTRAINT customer_message_four_eyes,
    ADD CONSTRAINT customer_message_four_eyes CHECK
        (approved_by IS NULL
         OR (coalesce(approved_login, approved_by) OPERATOR(pg_catalog.<>) coalesce(drafted_login, drafted_by)
             AND (drafted_principal IS NULL OR approved_principal IS NULL
                  OR drafted_principal OPERATOR(pg_catalog.<>) approved_principal)));
COMMENT ON COLUMN kyc.customer_message.drafted_login IS 'the login (session user) that drafted the wording';
COMMENT ON COLUMN kyc.customer_message.approved_login IS 'the login (session user) that approved it; never its drafter';
