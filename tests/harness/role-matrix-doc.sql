-- Writes docs/role-matrix.md from the catalogs (run by gen-docs.sh; checked by docs_current.sh).
\pset format unaligned
\pset tuples_only on
WITH roles(n, r) AS (
    VALUES (1, 'kyc_app'), (2, 'kyc_reviewer'), (3, 'kyc_fraud'), (4, 'kyc_aml'), (5, 'kyc_cx'), (6, 'kyc_auditor'), (7, 'kyc_admin'), (8, 'kyc_jobs')
), header AS (
    SELECT '| ' || string_agg('`' || r || '`', ' | ' ORDER BY n) || ' |' AS names, repeat('---|', 8) AS rule FROM roles
), functions AS (
    SELECT format('| `%s` | %s |', p.oid::regprocedure,
                  (SELECT string_agg(CASE WHEN has_function_privilege(r, p.oid, 'EXECUTE') THEN '✓' ELSE ' ' END, ' | ' ORDER BY n) FROM roles)) AS line,
           p.oid::regprocedure::text AS sig
    FROM pg_proc p
    WHERE p.pronamespace = 'kyc'::regnamespace
      AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
      AND EXISTS (SELECT 1 FROM roles WHERE has_function_privilege(r, p.oid, 'EXECUTE'))
), tables AS (
    SELECT format('| `kyc.%s` | %s |', c.relname,
                  (SELECT string_agg(coalesce(nullif(concat_ws('', CASE WHEN has_table_privilege(r, c.oid, 'SELECT') THEN 'S'
                                                                        WHEN has_any_column_privilege(r, c.oid, 'SELECT') THEN 's' END,
                                                                   CASE WHEN has_table_privilege(r, c.oid, 'INSERT') THEN 'I' END,
                                                                   CASE WHEN has_table_privilege(r, c.oid, 'UPDATE') THEN 'U' END,
                                                                   CASE WHEN has_table_privilege(r, c.oid, 'DELETE') THEN 'D' END,
                                                                   CASE WHEN has_table_privilege(r, c.oid, 'TRUNCATE') THEN 'T' END), ''), ' '),
                                     ' | ' ORDER BY n) FROM roles)) AS line,
           c.relname AS name
    FROM pg_class c WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind IN ('r', 'v')
), queues AS (
    SELECT format('| `%s` | %s | %s | %s |', q.queue, q.owner,
                  (SELECT string_agg('`' || w || '`', ', ' ORDER BY w) FROM unnest(q.worker_roles) w),
                  coalesce((SELECT string_agg('`' || g.role_name || '`', ', ' ORDER BY g.role_name)
                            FROM kyc.queue_grant g WHERE g.queue = q.queue), '-')) AS line,
           q.queue AS name
    FROM kyc.review_queue q
)
SELECT '# Role matrix' || E'\n\n' ||
       'Generated from the catalogs by `make docs`; a test fails when it is stale, and' || E'\n' ||
       '`tests/pgtap/role_matrix.sql` asserts the same privileges. What each role may do, before' || E'\n' ||
       'row-level security narrows every read to the granted tenant and the readable data classes' || E'\n' ||
       '([security.md](security.md)). The `kyc.hash256` type''s support functions, which PUBLIC may' || E'\n' ||
       'execute, and internal helpers nobody may call are left out.' || E'\n\n' ||
       '## Functions (EXECUTE)' || E'\n\n' ||
       '| function ' || h.names || E'\n' || '|---|' || h.rule || E'\n' ||
       (SELECT string_agg(line, E'\n' ORDER BY sig) FROM functions) || E'\n\n' ||
       '## Tables and views' || E'\n\n' ||
       'S select, I insert, U update, D delete, T truncate; s select of some columns: of `kyc.evidence`,' || E'\n' ||
       'every column but `payload` and `payload_salt`, which are read through `kyc.read_evidence` (the' || E'\n' ||
       'read of a restricted payload is itself recorded as evidence); of `kyc.application` and' || E'\n' ||
       '`kyc.restriction`, every column but those that may hold AML or fraud facts (state, reason, note,' || E'\n' ||
       'who imposed or lifted), read through `kyc.application_status` and `kyc.restriction_status`' || E'\n' ||
       '([security.md](security.md#what-each-role-sees-of-aml-and-fraud-facts)). `kyc_admin`''s writes to the policy tables' || E'\n' ||
       'are limited by row-level security to its own tenant''s drafts, and on `kyc.policy` to the' || E'\n' ||
       'settings columns (column grants, in `tests/pgtap/role_matrix.sql`).' || E'\n\n' ||
       '| table or view ' || h.names || E'\n' || '|---|' || h.rule || E'\n' ||
       (SELECT string_agg(line, E'\n' ORDER BY name) FROM tables) || E'\n\n' ||
       '## Review queues' || E'\n\n' ||
       'Who claims and resolves each queue''s tasks: members of its worker roles, except that a role' || E'\n' ||
       'with queue grants (`kyc.grant_queue`, recorded in `kyc.queue_grant_log`), and every login in it,' || E'\n' ||
       'works only the queues granted to it ([security.md](security.md#queue-grants)). Run' || E'\n' ||
       '`psql -f tests/harness/role-matrix-doc.sql` on a bank''s database to see its own grants.' || E'\n\n' ||
       '| queue | owner | worker roles | limited to the roles granted it |' || E'\n' || '|---|---|---|---|' || E'\n' ||
       (SELECT string_agg(line, E'\n' ORDER BY name) FROM queues)
FROM header h;
