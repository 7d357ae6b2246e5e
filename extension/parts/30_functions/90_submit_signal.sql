-- Validation helpers of kyc.submit_signal: each names the field it refuses.
CREATE FUNCTION kyc.signal_field_error(field text, problem text, hint text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $fn$
BEGIN
    RAISE EXCEPTION 'signal field "%" %', field, problem
        USING ERRCODE = 'invalid_parameter_value', HINT = coalesce(hint, 'The signal format is in docs/signals.md.');
END
$fn$;
COMMENT ON FUNCTION kyc.signal_field_error(text, text, text) IS 'internal: refuse a signal, naming the field';

-- A required or optional string member: present (when required), a JSON string, not empty, not too long.
CREATE FUNCTION kyc.signal_text(signal jsonb, field text, required boolean, max_len integer DEFAULT 200,
                                label text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    v    jsonb := signal OPERATOR(pg_catalog.->) field;
    name text := coalesce(label, field);
BEGIN
    IF v IS NULL OR pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.=) 'null' THEN
        IF required THEN
            PERFORM kyc.signal_field_error(name, 'is missing');
        END IF;
        RETURN NULL;
    END IF;
    IF pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.<>) 'string' THEN
        PERFORM kyc.signal_field_error(name, 'must be a string', pg_catalog.format('It is a JSON %s.', pg_catalog.jsonb_typeof(v)));
    END IF;
    IF pg_catalog.length(signal OPERATOR(pg_catalog.->>) field) OPERATOR(pg_catalog.=) 0 THEN
        PERFORM kyc.signal_field_error(name, 'must not be empty');
    END IF;
    IF pg_catalog.length(signal OPERATOR(pg_catalog.->>) field) OPERATOR(pg_catalog.>) max_len THEN
        PERFORM kyc.signal_field_error(name, pg_catalog.format('is longer than %s characters', max_len));
    END IF;
    RETURN signal OPERATOR(pg_catalog.->>) field;
END
$fn$;
COMMENT ON FUNCTION kyc.signal_text(jsonb, text, boolean, integer, text) IS 'internal: one string member of a signal, validated';

-- A member that must be one of an enum's labels.
CREATE FUNCTION kyc.signal_label(signal jsonb, field text, labels text[]) RETURNS text
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    v text := kyc.signal_text(signal, field, true, 64);
BEGIN
    IF NOT v OPERATOR(pg_catalog.=) ANY (labels) THEN
        PERFORM kyc.signal_field_error(field, 'has an unrecognized value',
            pg_catalog.format('Use one of: %s.', pg_catalog.array_to_string(labels, ', ')));
    END IF;
    RETURN v;
END
$fn$;
COMMENT ON FUNCTION kyc.signal_label(jsonb, text, text[]) IS 'internal: one enum-valued member of a signal, validated';

-- An array of strings, at most max_items, each at most 200 characters.
CREATE FUNCTION kyc.signal_strings(signal jsonb, field text, required boolean, max_items integer) RETURNS text[]
LANGUAGE plpgsql VOLATILE
AS $fn$
DECLARE
    v jsonb := signal OPERATOR(pg_catalog.->) field;
BEGIN
    IF v IS NULL OR pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.=) 'null' THEN
        IF required THEN
            PERFORM kyc.signal_field_error(field, 'is missing');
        END IF;
        RETURN '{}'::text[];
    END IF;
    IF pg_catalog.jsonb_typeof(v) OPERATOR(pg_catalog.<>) 'array' THEN
        PERFORM kyc.signal_field_error(field, 'must be an array of strings', pg_catalog.format('It is a JSON %s.', pg_catalog.jsonb_typeof(v)));
    END IF;
    IF pg_catalog.jsonb_array_length(v) OPERATOR(pg_catalog.>) max_items THEN
        PERFORM kyc.signal_field_error(field, pg_catalog.format('has more than %s items', max_items));
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.jsonb_array_elements(v) e
               WHERE pg_catalog.jsonb_typeof(e) OPERATOR(pg_catalog.<>) 'string'
                  OR pg_catalog.length(e OPERATOR(pg_catalog.#>>) '{}') NOT BETWEEN 1 AND 200) THEN
        PERFORM kyc.signal_field_error(field, 'must contain only non-empty strings of at most 200 characters');
    END IF;
    RETURN ARRAY(SELECT e FROM pg_catalog.jsonb_array_elements_text(v) AS e);
END
$fn$;
COMMENT ON FUNCTION kyc.signal_strings(jsonb, text, boolean, integer) IS 'internal: one string-array member of a signal, validated';

-- Accepts one decision signal from a model or vendor (docs/signals.md). Refuses, naming the field,
-- anything malformed, and writes nothing then. Appends the signal as evidence. It does not decide:
-- kyc.evaluate() does. Grant to: kyc_app.
CREATE FUNCTION kyc.submit_signal(app uuid, signal jsonb) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    known    CONSTANT text[] := ARRAY['source', 'signal_type', 'gate', 'result', 'confidence', 'reason_codes',
                                      'customer_safe_reason', 'evidence_refs', 'owner', 'model', 'score', 'expires_at'];
    a        kyc.application;
    d        kyc.gate_definition;
    g        kyc.gate;
    owner    kyc.owner;
    reasons  text[];
    refs     text[];
    safe     text;
    model_id text;
    model_v  text;
    score    numeric;
    expires  timestamptz;
    cls      kyc.data_class;
    bad      text;
    seq      bigint;
    id       uuid;
BEGIN
    PERFORM kyc.assert_caller('submit a signal', 'kyc_app');
    IF submit_signal.signal IS NULL OR pg_catalog.jsonb_typeof(submit_signal.signal) OPERATOR(pg_catalog.<>) 'object' THEN
        RAISE EXCEPTION 'a signal must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'The signal format is in docs/signals.md.';
    END IF;
    SELECT k INTO bad FROM pg_catalog.jsonb_object_keys(submit_signal.signal) AS k
    WHERE NOT k OPERATOR(pg_catalog.=) ANY (known) ORDER BY k LIMIT 1;
    IF bad IS NOT NULL THEN
        PERFORM kyc.signal_field_error(pg_catalog.left(bad, 64), 'is not a signal field',
            pg_catalog.format('Signal fields are: %s.', pg_catalog.array_to_string(known, ', ')));
    END IF;

    PERFORM kyc.signal_text(submit_signal.signal, 'source', true, 100);
    PERFORM kyc.signal_text(submit_signal.signal, 'signal_type', true, 100);
    g := kyc.signal_label(submit_signal.signal, 'gate', pg_catalog.enum_range(NULL::kyc.gate)::text[]);
    PERFORM kyc.signal_label(submit_signal.signal, 'result', pg_catalog.enum_range(NULL::kyc.signal_result)::text[]);
    PERFORM kyc.signal_label(submit_signal.signal, 'confidence', pg_catalog.enum_range(NULL::kyc.confidence)::text[]);
    owner := kyc.signal_label(submit_signal.signal, 'owner', pg_catalog.enum_range(NULL::kyc.owner)::text[]);
    SELECT * INTO d FROM kyc.gate_definition x WHERE x.gate OPERATOR(pg_catalog.=) g;
    IF d.owner OPERATOR(pg_catalog.<>) owner THEN
        PERFORM kyc.signal_field_error('owner', pg_catalog.format('does not name the owner of gate "%s"', g),
            pg_catalog.format('Gate "%s" is owned by "%s".', g, d.owner));
    END IF;

    reasons := kyc.signal_strings(submit_signal.signal, 'reason_codes', true, 20);
    SELECT r INTO bad FROM pg_catalog.unnest(reasons) AS r
    WHERE NOT EXISTS (SELECT 1 FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) r) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'signal field "reason_codes" holds a code that is not in the reason catalog'
            USING ERRCODE = 'KY003', HINT = 'Reason codes are listed in kyc.reason_code.';
    END IF;
    SELECT r INTO bad FROM pg_catalog.unnest(reasons) AS r
    JOIN kyc.reason_code c ON c.code OPERATOR(pg_catalog.=) r
    WHERE c.gate IS DISTINCT FROM g LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'signal field "reason_codes" holds code "%" of another gate than "%"', bad, g
            USING ERRCODE = 'KY003', HINT = 'A signal carries only reason codes of its own gate.';
    END IF;

    safe := kyc.signal_text(submit_signal.signal, 'customer_safe_reason', true, 64);
    IF NOT EXISTS (SELECT 1 FROM kyc.customer_message m WHERE m.message_key OPERATOR(pg_catalog.=) safe) THEN
        PERFORM kyc.signal_field_error('customer_safe_reason', 'is not a customer message key',
            'Customer-safe reasons are the keys of kyc.customer_message; free text never reaches a customer.');
    END IF;
    refs := kyc.signal_strings(submit_signal.signal, 'evidence_refs', false, 50);

    IF submit_signal.signal ? 'model' AND pg_catalog.jsonb_typeof(submit_signal.signal OPERATOR(pg_catalog.->) 'model') OPERATOR(pg_catalog.<>) 'null' THEN
        IF pg_catalog.jsonb_typeof(submit_signal.signal OPERATOR(pg_catalog.->) 'model') OPERATOR(pg_catalog.<>) 'object' THEN
            PERFORM kyc.signal_field_error('model', 'must be an object with "id" and "version"');
        END IF;
        model_id := kyc.signal_text(submit_signal.signal OPERATOR(pg_catalog.->) 'model', 'id', true, 100, 'model.id');
        model_v := kyc.signal_text(submit_signal.signal OPERATOR(pg_catalog.->) 'model', 'version', true, 100, 'model.version');
    END IF;

    IF submit_signal.signal ? 'score' AND pg_catalog.jsonb_typeof(submit_signal.signal OPERATOR(pg_catalog.->) 'score') OPERATOR(pg_catalog.<>) 'null' THEN
        IF pg_catalog.jsonb_typeof(submit_signal.signal OPERATOR(pg_catalog.->) 'score') OPERATOR(pg_catalog.<>) 'number' THEN
            PERFORM kyc.signal_field_error('score', 'must be a number');
        END IF;
        score := (submit_signal.signal OPERATOR(pg_catalog.->>) 'score')::numeric;
        IF score OPERATOR(pg_catalog.<) 0 OR score OPERATOR(pg_catalog.>) 1 THEN
            PERFORM kyc.signal_field_error('score', 'must be between 0 and 1');
        END IF;
    END IF;

    IF kyc.signal_text(submit_signal.signal, 'expires_at', false, 40) IS NOT NULL THEN
        BEGIN
            expires := (submit_signal.signal OPERATOR(pg_catalog.->>) 'expires_at')::timestamptz;
        EXCEPTION WHEN OTHERS THEN
            PERFORM kyc.signal_field_error('expires_at', 'is not a timestamp', 'Use ISO 8601 with a time zone, for example "2026-07-15T00:00:00Z".');
        END;
        IF expires OPERATOR(pg_catalog.<=) pg_catalog.now() THEN
            PERFORM kyc.signal_field_error('expires_at', 'is already past', 'An expired signal cannot settle a gate.');
        END IF;
    END IF;

    a := kyc.lock_open_application(submit_signal.app, 'accept a signal for');

    -- the most sensitive class among the gate's and the reasons' decides who may read the evidence
    cls := (SELECT pg_catalog.max(x) FROM (
                SELECT CASE g WHEN 'aml' THEN 'sar_restricted'::kyc.data_class
                              WHEN 'fraud' THEN 'fraud_sensitive'::kyc.data_class
                              WHEN 'identity_proofing' THEN 'pii'::kyc.data_class
                              WHEN 'cip' THEN 'pii'::kyc.data_class
                              ELSE 'internal'::kyc.data_class END
                UNION ALL
                SELECT c.data_class FROM kyc.reason_code c WHERE c.code OPERATOR(pg_catalog.=) ANY (reasons)) AS t (x));
    seq := kyc.append_evidence(a.id,
        CASE WHEN g OPERATOR(pg_catalog.=) 'aml' THEN 'aml_referral'
             WHEN g OPERATOR(pg_catalog.=) 'fraud' THEN 'fraud_signal'
             WHEN g OPERATOR(pg_catalog.=) 'cip' THEN 'cip_verification'
             WHEN g OPERATOR(pg_catalog.=) 'cdd' THEN 'cdd_profile'
             WHEN g OPERATOR(pg_catalog.=) 'kyb_ubo' THEN 'ubo_package'
             WHEN submit_signal.signal OPERATOR(pg_catalog.->>) 'signal_type' OPERATOR(pg_catalog.=) 'evidence_validation' THEN 'evidence_validation'
             WHEN submit_signal.signal OPERATOR(pg_catalog.->>) 'signal_type' OPERATOR(pg_catalog.=) 'identity_verification' THEN 'identity_verification'
             ELSE 'signal' END::kyc.evidence_kind,
        cls, submit_signal.signal);

    INSERT INTO kyc.signal AS s (tenant_id, application_id, evidence_seq, source, signal_type, gate, owner, result,
                                 confidence, reason_codes, customer_safe_reason, evidence_refs, model_id,
                                 model_version, score, expires_at, received_at)
    VALUES (a.tenant_id, a.id, seq, submit_signal.signal OPERATOR(pg_catalog.->>) 'source',
            submit_signal.signal OPERATOR(pg_catalog.->>) 'signal_type', g, owner,
            (submit_signal.signal OPERATOR(pg_catalog.->>) 'result')::kyc.signal_result,
            (submit_signal.signal OPERATOR(pg_catalog.->>) 'confidence')::kyc.confidence,
            reasons, safe, refs, model_id, model_v, score, expires, pg_catalog.now())
    RETURNING s.id INTO id;
    RETURN id;
END
$fn$;
REVOKE ALL ON FUNCTION kyc.submit_signal(uuid, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION kyc.submit_signal(uuid, jsonb) IS
    'accept one decision signal (docs/signals.md), as evidence; refuses malformed signals naming the field; grant to kyc_app';
