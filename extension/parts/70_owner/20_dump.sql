-- pg_dump: the tables of an extension are not dumped unless the extension says so. Every table
-- that holds the bank's data is; of the catalogs shipped with the extension, only the rows the
-- bank added (its own policies and wording). Restore with triggers disabled (docs/operations.md:
-- the rows are history, not new events). kyc.ledger_identity is not dumped: a restored database
-- draws a new incarnation, and its seals say so. (One call per statement: each call updates the
-- extension's catalog row.)
SELECT pg_catalog.pg_extension_config_dump('kyc.tenant_grant', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.queue_grant', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.queue_grant_log', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.queue_grant_log_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.application', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.application_gate', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.restriction', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.evidence', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.legal_hold', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.signal', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.decision', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.review_task', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.information_request', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.funding', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.account_event', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.early_life_alert', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.retention_rule', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.job_run', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.job_item_failure', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.ledger_digest', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.sealed_head', '');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy', 'WHERE tenant_id OPERATOR(pg_catalog.<>) ''*''');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_rule',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_risk_factor',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_timeout',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.policy_early_life_rule',
    'WHERE policy_id OPERATOR(pg_catalog.<>) ALL (''{00000000-0000-4000-8000-00000000dc01,00000000-0000-4000-8000-0000000005b1}''::uuid[])');
SELECT pg_catalog.pg_extension_config_dump('kyc.customer_message', 'WHERE tenant_id OPERATOR(pg_catalog.<>) ''*''');
