-- Writes docs/reasons.md from the reason catalog (run by gen-docs.sh; checked by docs_current.sh).
\pset format unaligned
\pset tuples_only on
SELECT '# Reason catalog' || E'\n\n' ||
       'Generated from `kyc.reason_code` by `make docs`; a test fails when it is stale. Every reason belongs to one' || E'\n' ||
       'gate and its owner (lifecycle reasons of exits and abandonment stand without a gate). The customer only ever' || E'\n' ||
       'sees the wording of the message key ([signals.md](signals.md)): a key of the reason''s owner, or a neutral' || E'\n' ||
       'key of cx ([customer-messages.md](customer-messages.md)). Every hold and every AML reason use the neutral' || E'\n' ||
       'keys, so an AML review or decline reads exactly like any other.' || E'\n\n' ||
       '| code | gate | owner | data class | outcome class | customer message key | meaning |' || E'\n' ||
       '|---|---|---|---|---|---|---|' || E'\n' ||
       string_agg(format('| `%s` | %s | %s | %s | %s | `%s` | %s |', code, coalesce(gate::text, '—'), owner, data_class,
                         outcome_class, customer_message_key, description), E'\n'
                  ORDER BY gate NULLS LAST, outcome_class, code)
FROM kyc.reason_code;
