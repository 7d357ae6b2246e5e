-- The policy document kyc.decide() reads: the policy's settings, rules and risk factors as one
-- JSON object. Its canonical form is what the content digest covers.
CREATE FUNCTION kyc.policy_document(policy_id uuid) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.jsonb_build_object(
        'policy', pg_catalog.jsonb_build_object('tenant_id', p.tenant_id, 'product', p.product,
                                                'jurisdiction', p.jurisdiction, 'version', p.version),
        'eligibility', pg_catalog.jsonb_build_object('applicant_kinds', pg_catalog.to_jsonb(p.eligible_kinds),
                                                     'jurisdictions', pg_catalog.to_jsonb(p.eligible_jurisdictions)),
        'risk', pg_catalog.jsonb_build_object('medium', p.risk_medium, 'high', p.risk_high, 'prohibited', p.risk_prohibited,
            'factors', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('factor', f.factor, 'value', f.value,
                                                                                      'weight', f.weight)
                                                        ORDER BY f.factor, f.value), '[]'::jsonb)
                        FROM kyc.policy_risk_factor f WHERE f.policy_id OPERATOR(pg_catalog.=) p.id)),
        'restricted_approval', pg_catalog.jsonb_build_object('when_tier', pg_catalog.to_jsonb(p.restrict_when_tier),
            'kind', p.restriction_kind, 'reason_code', p.restriction_reason, 'lift_condition', p.restriction_lift),
        'timeouts', pg_catalog.jsonb_build_object('abandon_after', p.abandon_after::text,
            'rfi_expire_after', p.rfi_expire_after::text, 'max_rfi_rounds', p.max_rfi_rounds,
            'by_state', (SELECT COALESCE(pg_catalog.jsonb_object_agg(t.state, t.abandon_after::text), '{}'::jsonb)
                         FROM kyc.policy_timeout t WHERE t.policy_id OPERATOR(pg_catalog.=) p.id)),
        'early_life', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                                           'rule', r.rule, 'monitor_for', r.monitor_for::text, 'within', r.within::text,
                                           'threshold', r.threshold, 'restriction_kind', r.restriction_kind,
                                           'reason_code', r.reason_code, 'queue', r.queue, 'sla', r.sla::text) ORDER BY r.rule), '[]'::jsonb)
                       FROM kyc.policy_early_life_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) p.id),
        'rules', (SELECT COALESCE(pg_catalog.jsonb_agg(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                                      'rule_no', r.rule_no, 'gate', r.gate, 'result', r.result,
                                      'reason_code', r.reason_code, 'min_confidence', r.min_confidence,
                                      'status', r.status, 'decision_reason', r.decision_reason,
                                      'queue', r.queue, 'sla', r.sla::text,
                                      'auto_decline', CASE WHEN r.auto_decline THEN true END)) ORDER BY r.rule_no), '[]'::jsonb)
                  FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) p.id))
        -- members added in 0.3.0 appear only when set, so earlier documents keep their digest
        OPERATOR(pg_catalog.||) pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('review_sla', p.review_sla::text))
    FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) policy_document.policy_id;
END;
COMMENT ON FUNCTION kyc.policy_document(uuid) IS 'a policy''s settings, rules and risk factors as the JSON document kyc.decide() reads';

-- The published policy in force for a product and jurisdiction: the tenant's own before the
-- shipped defaults (tenant "*"), the most specific jurisdiction ("*" is any), the highest version.
-- In C (src/policy_in_force.c), with its statement planned once per backend; it runs with the
-- caller's rights, so row-level security decides which policies it sees.
CREATE FUNCTION kyc.policy_in_force(tenant text, product text, jurisdiction text) RETURNS uuid
    LANGUAGE c STABLE
    AS 'MODULE_PATHNAME', 'kyc_policy_in_force';
COMMENT ON FUNCTION kyc.policy_in_force(text, text, text) IS 'the published policy an application of this product and jurisdiction pins when it opens';

-- A new draft: a copy of a published policy (settings, rules, factors) as the next version.
-- Grant to: kyc_admin.
CREATE FUNCTION kyc.draft_policy(based_on uuid, description text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor name := kyc.assert_caller('draft a policy', 'kyc_admin');
    t     text := kyc.current_tenant();
    b     kyc.policy;
    id    uuid;
BEGIN
    -- the tenant's own policies and the shipped ones: another tenant's is answered as unknown
    SELECT * INTO b FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) draft_policy.based_on
                                        AND p.tenant_id OPERATOR(pg_catalog.=) ANY (ARRAY[t, '*']);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'policy "%" does not exist', draft_policy.based_on USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF draft_policy.description IS NULL OR pg_catalog.btrim(draft_policy.description) OPERATOR(pg_catalog.=) '' THEN
        RAISE EXCEPTION 'field "description" must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO kyc.policy AS p (tenant_id, product, jurisdiction, version, description, eligible_kinds,
        eligible_jurisdictions, risk_medium, risk_high, risk_prohibited, restrict_when_tier, restriction_kind,
        restriction_reason, restriction_lift, abandon_after, rfi_expire_after, max_rfi_rounds, consent_purpose,
        disclosure_version, review_sla, author, author_login, author_principal)
    SELECT t, b.product, b.jurisdiction,
           1 OPERATOR(pg_catalog.+) coalesce((SELECT pg_catalog.max(x.version) FROM kyc.policy x
                                              WHERE x.tenant_id OPERATOR(pg_catalog.=) t AND x.product OPERATOR(pg_catalog.=) b.product
                                                AND x.jurisdiction OPERATOR(pg_catalog.=) b.jurisdiction), 0),
           draft_policy.description, b.eligible_kinds, b.eligible_jurisdictions, b.risk_medium, b.risk_high,
           b.risk_prohibited, b.restrict_when_tier, b.restriction_kind, b.restriction_reason, b.restriction_lift,
           b.abandon_after, b.rfi_expire_after, b.max_rfi_rounds, b.consent_purpose, b.disclosure_version,
           b.review_sla, actor, SESSION_USER, kyc.actor_principal()
    RETURNING p.id INTO id;
    INSERT INTO kyc.policy_rule SELECT id, r.rule_no, r.gate, r.result, r.reason_code, r.min_confidence, r.status,
           r.decision_reason, r.queue, r.sla, r.auto_decline FROM kyc.policy_rule r WHERE r.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_risk_factor SELECT id, f.factor, f.value, f.weight
    FROM kyc.policy_risk_factor f WHERE f.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_timeout SELECT id, x.state, x.abandon_after
    FROM kyc.policy_timeout x WHERE x.policy_id OPERATOR(pg_catalog.=) b.id;
    INSERT INTO kyc.policy_early_life_rule SELECT id, x.rule, x.monitor_for, x.within, x.threshold, x.restriction_kind,
           x.reason_code, x.queue, x.sla
    FROM kyc.policy_early_life_rule x WHERE x.policy_id OPERATOR(pg_catalog.=) b.id;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.draft_policy(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION kyc.draft_policy(uuid, text) IS 'copy a policy into a new draft version of the session tenant''s; grant to kyc_admin';

-- Publishing freezes a draft: validated, digested, and put in force; another admin than its
-- author must publish it (four eyes). Grant to: kyc_admin.
CREATE FUNCTION kyc.publish_policy(policy_id uuid) RETURNS kyc.hash256
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    actor  name := kyc.assert_caller('publish a policy', 'kyc_admin');
    p      kyc.policy;
    bad    text;
    digest kyc.hash256;
BEGIN
    SELECT * INTO p FROM kyc.policy x WHERE x.id OPERATOR(pg_catalog.=) publish_policy.policy_id FOR UPDATE;
    IF NOT FOUND OR p.tenant_id OPERATOR(pg_catalog.<>) kyc.current_tenant() THEN
        RAISE EXCEPTION 'policy "%" does not exist in this tenant', publish_policy.policy_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p.status OPERATOR(pg_catalog.<>) 'draft' THEN
        RAISE EXCEPTION 'version % of policy "%" is already %', p.version, p.product, p.status
            USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Draft a new version with kyc.draft_policy().';
    END IF;
    -- four eyes are two persons: not the author's login, whatever role it has set (11_person.sql),
    -- nor any login that changed the draft since
    IF kyc.same_person(coalesce(p.author_login, p.author), p.author_principal, SESSION_USER, kyc.actor_principal()) THEN
        RAISE EXCEPTION 'the author of a policy cannot publish it'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Another kyc_admin must review and publish it (four eyes).';
    END IF;
    IF SESSION_USER OPERATOR(pg_catalog.=) ANY (p.editors) THEN
        RAISE EXCEPTION 'an editor of a policy cannot publish it'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('%s changed the draft''s settings or rules.', pg_catalog.quote_ident(SESSION_USER)),
                  HINT = 'Another kyc_admin, who wrote none of it, must review and publish it (four eyes).';
    END IF;
    SELECT pg_catalog.format('rule %s', r.rule_no) INTO bad FROM kyc.policy_rule r
    JOIN kyc.reason_code c ON c.code OPERATOR(pg_catalog.=) r.decision_reason
    WHERE r.policy_id OPERATOR(pg_catalog.=) p.id AND r.status OPERATOR(pg_catalog.=) 'failed'
      AND c.outcome_class OPERATOR(pg_catalog.<>) 'decline'
    ORDER BY r.rule_no LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'policy % fails a gate with a reason that is not a decline reason', bad
            USING ERRCODE = 'KY003', HINT = 'A failed gate declines: its reason''s outcome class must be "decline".';
    END IF;
    digest := pg_catalog.sha256(pg_catalog.convert_to(kyc.canonical_json(kyc.policy_document(p.id)), 'UTF8'))::kyc.hash256;
    UPDATE kyc.policy x SET status = 'published', publisher = actor, publisher_login = SESSION_USER,
                            publisher_principal = kyc.actor_principal(), published_at = pg_catalog.now(), content_digest = digest,
                            document = kyc.policy_document(p.id)
    WHERE x.id OPERATOR(pg_catalog.=) p.id;
    RETURN digest;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.publish_policy(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.publish_policy(uuid) IS
    'validate, digest and publish a draft policy; its author may not publish it; grant to kyc_admin';

-- Grant to: kyc_admin.
CREATE FUNCTION kyc.retire_policy(policy_id uuid) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM kyc.assert_caller('retire a policy', 'kyc_admin');
    UPDATE kyc.policy x SET status = 'retired', retired_at = pg_catalog.now()
    WHERE x.id OPERATOR(pg_catalog.=) retire_policy.policy_id AND x.status OPERATOR(pg_catalog.=) 'published'
      AND x.tenant_id OPERATOR(pg_catalog.=) kyc.current_tenant();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the policy is not a published policy of this tenant'
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.retire_policy(uuid) FROM PUBLIC;
COMMENT ON FUNCTION kyc.retire_policy(uuid) IS 'take a published policy out of force (applications that pinned it keep it); grant to kyc_admin';

-- Published policies and their rules never change; only their retirement is recorded.
CREATE FUNCTION kyc.policy_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF (OLD).status OPERATOR(pg_catalog.=) 'draft' THEN
        IF (OLD).tenant_id OPERATOR(pg_catalog.<>) (SELECT kyc.session_tenant())
           AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
            RAISE EXCEPTION 'the policy belongs to another tenant' USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- whoever changes a draft is one of its authors, and may not publish it (four eyes); the
        -- list only grows, whatever an UPDATE says
        IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN
            NEW.editors := (OLD).editors;
            IF (NEW).status OPERATOR(pg_catalog.=) 'draft' AND NOT SESSION_USER OPERATOR(pg_catalog.=) ANY ((OLD).editors)
               AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
                NEW.editors := (OLD).editors OPERATOR(pg_catalog.||) SESSION_USER;
            END IF;
        END IF;
        RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND (OLD).status OPERATOR(pg_catalog.=) 'published'
       AND (NEW).status OPERATOR(pg_catalog.=) 'retired'
       AND (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'status' OPERATOR(pg_catalog.-) 'retired_at')
           OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'status' OPERATOR(pg_catalog.-) 'retired_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a published policy is immutable'
        USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_policy().';
END
$fn$;
COMMENT ON FUNCTION kyc.policy_guard() IS 'trigger: a published policy never changes, but for its retirement';

CREATE FUNCTION kyc.policy_part_guard() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    pids uuid[] := ARRAY[CASE WHEN TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN (OLD).policy_id END,
                         CASE WHEN TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN (NEW).policy_id END];
BEGIN
    -- administrators edit only their own tenant's drafts
    IF EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) ANY (pids)
                                            AND p.tenant_id OPERATOR(pg_catalog.<>) (SELECT kyc.session_tenant()))
       AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole) THEN
        RAISE EXCEPTION 'the policy belongs to another tenant'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Draft your own version with kyc.draft_policy().';
    END IF;
    IF EXISTS (SELECT 1 FROM kyc.policy p WHERE p.id OPERATOR(pg_catalog.=) ANY (pids)
                                            AND p.status OPERATOR(pg_catalog.<>) 'draft') THEN
        RAISE EXCEPTION 'the rules and risk factors of a published policy are immutable'
            USING ERRCODE = 'insufficient_privilege', HINT = 'Draft a new version with kyc.draft_policy().';
    END IF;
    -- the writer of a draft's rules is one of its authors (kyc.policy_guard records it)
    UPDATE kyc.policy p SET editors = p.editors
    WHERE p.id OPERATOR(pg_catalog.=) ANY (pids) AND NOT SESSION_USER OPERATOR(pg_catalog.=) ANY (p.editors)
      AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) kyc.caller()::regrole);
    RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$fn$;
COMMENT ON FUNCTION kyc.policy_part_guard() IS 'trigger: the rules and risk factors of a published policy never change';
