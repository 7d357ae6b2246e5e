-- A tenant's own customer wording (docs/customer-messages.md): an administrator drafts a new
-- version of a message key's text for a locale, a second person of the line that owns the key
-- (kyc.customer_message_key.approver_roles: fraud wording by fraud analysts, product wording by
-- administrators) approves it, and from then on customer_status and notices use it for that tenant. The shipped wording (tenant
-- "*") stays for every other tenant. Keys are the shipped ones: reasons map to keys, and a key is
-- what keeps an AML hold indistinguishable from any other review.

-- Drafts the next version of a message for the session's tenant; returns its version.
-- Grant to: kyc_admin.
CREATE FUNCTION kyc.draft_customer_message(message_key text, locale text, label text, message text, next_step text)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor   name := kyc.assert_caller('draft customer wording', 'kyc_admin');
    tenant  text := kyc.current_tenant();
    f       record;
    version integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM kyc.customer_message_key k
                   WHERE k.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key) THEN
        RAISE EXCEPTION 'message key "%" does not exist', draft_customer_message.message_key
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A tenant rewords the shipped keys (SELECT message_key FROM kyc.customer_message_key); it does not add keys.';
    END IF;
    IF draft_customer_message.locale IS NULL OR draft_customer_message.locale OPERATOR(pg_catalog.!~) '^[a-z]{2}-[A-Z]{2}$' THEN
        RAISE EXCEPTION 'field "locale" must be a language and region such as "en-US"' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR f IN SELECT * FROM (VALUES ('label', draft_customer_message.label, 80),
                                   ('message', draft_customer_message.message, 500),
                                   ('next_step', draft_customer_message.next_step, 200)) AS v (field, value, max_length)
    LOOP
        IF f.value IS NULL OR pg_catalog.btrim(f.value) OPERATOR(pg_catalog.=) '' OR pg_catalog.length(f.value) OPERATOR(pg_catalog.>) f.max_length THEN
            RAISE EXCEPTION 'field "%" must be 1 to % characters', f.field, f.max_length USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    -- one version sequence per key and locale across the shipped wording and the tenant's; the
    -- advisory lock serialises two drafts of the same key
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pg_kyc wording'),
                                             pg_catalog.hashtext(tenant OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) draft_customer_message.message_key
                                                                 OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) draft_customer_message.locale));
    version := 1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(m.version) FROM kyc.customer_message m
                                                  WHERE m.tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY['*', tenant])
                                                    AND m.message_key OPERATOR(pg_catalog.=) draft_customer_message.message_key
                                                    AND m.locale OPERATOR(pg_catalog.=) draft_customer_message.locale), 0);
    INSERT INTO kyc.customer_message (tenant_id, message_key, locale, version, label, message, next_step, drafted_by,
                                      drafted_login, drafted_principal)
    VALUES (tenant, draft_customer_message.message_key, draft_customer_message.locale, version,
            pg_catalog.btrim(draft_customer_message.label), pg_catalog.btrim(draft_customer_message.message),
            pg_catalog.btrim(draft_customer_message.next_step), actor, SESSION_USER, kyc.actor_principal());
    RETURN version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.draft_customer_message(text, text, text, text, text) IS
    'draft the next version of a customer message for the session''s tenant; a second administrator approves it; grant to kyc_admin';

-- Puts a drafted version in force: only a member of the roles of the line that owns the key
-- (kyc.customer_message_key.approver_roles), and never its drafter. Grant to: kyc_admin,
-- kyc_reviewer, kyc_fraud, kyc_aml.
CREATE FUNCTION kyc.approve_customer_message(message_key text, locale text, version integer) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
#variable_conflict use_column
DECLARE
    actor  name := kyc.assert_caller('approve customer wording', 'kyc_admin', 'kyc_reviewer', 'kyc_fraud', 'kyc_aml');
    tenant text := kyc.current_tenant();
    m      kyc.customer_message;
    k      kyc.customer_message_key;
BEGIN
    -- each line approves its own wording: fraud's by fraud, identity's by KYC operations
    SELECT * INTO k FROM kyc.customer_message_key x WHERE x.message_key OPERATOR(pg_catalog.=) approve_customer_message.message_key;
    IF FOUND THEN
        PERFORM kyc.assert_caller(pg_catalog.format('approve wording owned by %s', k.owner), VARIADIC k.approver_roles);
    END IF;
    SELECT * INTO m FROM kyc.customer_message x
    WHERE x.tenant_id OPERATOR(pg_catalog.=) tenant AND x.message_key OPERATOR(pg_catalog.=) approve_customer_message.message_key
      AND x.locale OPERATOR(pg_catalog.=) approve_customer_message.locale AND x.version OPERATOR(pg_catalog.=) approve_customer_message.version
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the tenant has no draft of message "%" (%) version %', approve_customer_message.message_key,
                        approve_customer_message.locale, approve_customer_message.version
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Drafts are made with kyc.draft_customer_message().';
    END IF;
    IF m.approved_by IS NOT NULL THEN
        RAISE EXCEPTION 'message "%" (%) version % is already approved', m.message_key, m.locale, m.version
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- four eyes are two persons: not the drafter's login, whatever role it has set (11_person.sql)
    IF kyc.same_person(coalesce(m.drafted_login, m.drafted_by), m.drafted_principal, SESSION_USER, kyc.actor_principal()) THEN
        RAISE EXCEPTION 'customer wording needs a second, different administrator'
            USING ERRCODE = 'KY008',
                  DETAIL = pg_catalog.format('%s drafted version %s of "%s" (%s).', pg_catalog.quote_ident(m.drafted_by),
                                             m.version, m.message_key, m.locale),
                  HINT = 'Another administrator of the tenant approves it.';
    END IF;
    UPDATE kyc.customer_message x SET approved_by = actor, approved_at = pg_catalog.now(),
                                      approved_login = SESSION_USER, approved_principal = kyc.actor_principal()
    WHERE x.tenant_id OPERATOR(pg_catalog.=) m.tenant_id AND x.message_key OPERATOR(pg_catalog.=) m.message_key
      AND x.locale OPERATOR(pg_catalog.=) m.locale AND x.version OPERATOR(pg_catalog.=) m.version;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.approve_customer_message(text, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION kyc.approve_customer_message(text, text, integer) IS
    'put a drafted customer message in force for the tenant, as a role of the line that owns the key (four eyes: not its drafter); grant to kyc_admin and reviewer roles';

-- Approved wording never changes and is never deleted; a draft changes only by its approval.
CREATE FUNCTION kyc.customer_message_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND (OLD).approved_by IS NULL AND (NEW).approved_by IS NOT NULL
       AND (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) ARRAY['approved_by', 'approved_at', 'approved_login', 'approved_principal'])
           OPERATOR(pg_catalog.=)
           (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) ARRAY['approved_by', 'approved_at', 'approved_login', 'approved_principal']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'customer wording is immutable once written'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_customer_message().';
END
$fn$;
COMMENT ON FUNCTION kyc.customer_message_guard() IS 'trigger: customer wording changes only by approving a draft';
