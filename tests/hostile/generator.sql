-- The hostile-input generator (tests/scripts/hostile_input.sh): deterministic (setseed) SQL that
-- writes a psql script of malformed and adversarial API calls, each as one of the logins, with a
-- row-count snapshot before it and a check after it. Installed in schema "hostile" of the test
-- database only.
CREATE SCHEMA hostile;

CREATE TABLE hostile.outcome (id integer PRIMARY KEY, login text, call text, sqlstate text, changed_on_error boolean);

-- Row counts of every kyc table, as one value (the caller is a superuser: no row-level security).
CREATE FUNCTION hostile.snapshot() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    t   text;
    n   bigint;
    out text := '';
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'kyc'::regnamespace AND c.relkind = 'r' ORDER BY 1 LOOP
        EXECUTE format('SELECT count(*) FROM kyc.%I', t) INTO n;
        out := out || t || '=' || n || ' ';
    END LOOP;
    RETURN out;
END $$;

CREATE FUNCTION hostile.record(id integer, login text, call text, state text, before text) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO hostile.outcome VALUES (id, login, left(call, 300), state,
        state <> '00000' AND before IS DISTINCT FROM hostile.snapshot())
$$;

-- Values that should never get through: each a SQL literal of some type.
CREATE FUNCTION hostile.nasty_text() RETURNS SETOF text LANGUAGE sql AS $$
    VALUES ('NULL'), (quote_literal('')), (quote_literal(' ')), (quote_literal(repeat('x', 20000))),
           (quote_literal('''; DROP TABLE kyc.evidence; --')), (quote_literal('" OR 1=1 --')),
           (quote_literal('Robert''); DELETE FROM kyc.application; --')), (quote_literal(E'tab\there\nnewline')),
           (quote_literal('über-ünïcödé ✓ 🙂')), (quote_literal('%s %n %x')), (quote_literal('kyc.tenant')),
           (quote_literal('*')), (quote_literal('IDV.DOCUMENT_GLARE')), (quote_literal('AML.PEP_MATCH')),
           (quote_literal('EXIT.CUSTOMER_REQUEST')), (quote_literal('under_review')), (quote_literal(repeat('A.', 5000)))
$$;
CREATE FUNCTION hostile.nasty_json() RETURNS SETOF text LANGUAGE sql AS $$
    VALUES ('NULL'), ($j$'{}'$j$), ($j$'[]'$j$), ($j$'null'$j$), ($j$'42'$j$), ($j$'"text"'$j$),
           (quote_literal(repeat('[', 3000) || repeat(']', 3000))), (quote_literal(repeat('{"a":', 2000) || '1' || repeat('}', 2000))),
           (quote_literal(jsonb_build_object('big', repeat('y', 50000))::text)),
           (quote_literal((SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, 5000) i)::text)),
           ($j$'{"a": "\ud800"}'$j$), ($j$'{"a": "\u0000"}'$j$), ($j$'{"a": 1e400}'$j$), ($j$'{bad json'$j$),
           ($j$'{"document_ref": "doc_1"}'$j$)
$$;
CREATE FUNCTION hostile.nasty_time() RETURNS SETOF text LANGUAGE sql AS $$
    VALUES ('NULL'), ($t$'infinity'$t$), ($t$'-infinity'$t$), ($t$'294276-12-31 23:59:59+00'$t$), ($t$'4713-01-01 BC'$t$),
           ($t$'2026-02-30'$t$), ($t$'not a time'$t$), ('now()'), ($t$now() - interval '10 years'$t$), ($t$now() + interval '1 hour'$t$)
$$;
CREATE FUNCTION hostile.nasty_number() RETURNS SETOF text LANGUAGE sql AS $$
    VALUES ('NULL'), ('0'), ('-1'), ($n$'NaN'$n$), ($n$'Infinity'$n$), ('1e-30'), ('99999999999999999999999'), ('-0'), ('100'), ('2147483648')
$$;

-- pick(n) from a set, deterministically after setseed
CREATE FUNCTION hostile.pick(vals text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT vals[1 + floor(random() * cardinality(vals))::int]
$$;

-- A signal that passes validation, then one field mutated to something hostile (or dropped).
CREATE FUNCTION hostile.signal() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    base jsonb := '{"source": "idv_vendor", "signal_type": "evidence_validation", "gate": "identity_proofing",
                    "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review",
                    "owner": "identity_platform", "score": 0.9}';
    key  text := hostile.pick(ARRAY['source', 'signal_type', 'gate', 'result', 'confidence', 'reason_codes',
                                    'customer_safe_reason', 'owner', 'score', 'expires_at', 'model', 'evidence_refs', 'extra']);
    val  jsonb := hostile.pick(ARRAY['null', '1', '-1e308', '"x"', '[]', '{}', 'true', '"identity_proofing"', '"aml"',
                                     '"''; DROP TABLE kyc.evidence; --"', to_jsonb(repeat('z', 50000))::text,
                                     (SELECT jsonb_agg('IDV.DOCUMENT_GLARE'::text) FROM generate_series(1, 5000))::text,
                                     '["IDV.DOCUMENT_GLARE", 7]', '["NOT.A_CODE"]', '"294276-12-31T23:59:59Z"',
                                     '"2020-01-01T00:00:00Z"', '"infinity"', '"2026-02-30T00:00:00Z"',
                                     repeat('[', 500) || repeat(']', 500), '{"id": "m", "version": 1}', '["a", null]'])::jsonb;
BEGIN
    IF random() < 0.15 THEN
        RETURN quote_literal((base - key)::text);
    END IF;
    RETURN quote_literal(jsonb_set(base, ARRAY[key], val, true)::text);
END $$;

-- The script: n calls spread over the API, each as one login in turn.
CREATE FUNCTION hostile.script(n integer, seed double precision) RETURNS SETOF text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    logins text[] := ARRAY['h_app', 'h_reviewer', 'h_fraud', 'h_aml', 'h_cx', 'h_auditor', 'h_admin', 'h_jobs'];
    apps   text[] := ARRAY(SELECT quote_literal(id) || '::uuid' FROM kyc.application ORDER BY external_ref)
                     || ARRAY['NULL::uuid', $u$'00000000-0000-4000-8000-000000000000'::uuid$u$, $u$'not-a-uuid'::uuid$u$];
    tasks  text[] := ARRAY(SELECT quote_literal(id) || '::uuid' FROM kyc.review_task ORDER BY created_at)
                     || ARRAY['NULL::uuid', 'gen_random_uuid()'];
    texts  text[] := ARRAY(SELECT hostile.nasty_text());
    jsons  text[] := ARRAY(SELECT hostile.nasty_json());
    times  text[] := ARRAY(SELECT hostile.nasty_time());
    nums   text[] := ARRAY(SELECT hostile.nasty_number());
    states text[] := ARRAY(SELECT quote_literal(s) FROM unnest(enum_range(NULL::kyc.state)) s) || ARRAY[$s$'limbo'$s$, 'NULL'];
    gates  text[] := ARRAY(SELECT quote_literal(g) FROM unnest(enum_range(NULL::kyc.gate)) g) || ARRAY[$s$'vibes'$s$, 'NULL'];
    stats  text[] := ARRAY(SELECT quote_literal(g) FROM unnest(enum_range(NULL::kyc.gate_status)) g) || ARRAY['NULL'];
    call   text;
    login  text;
BEGIN
    PERFORM setseed(seed);
    FOR i IN 1 .. n LOOP
        login := logins[1 + (i % cardinality(logins))];
        call := CASE (i % 20)
            WHEN 0 THEN format('SELECT kyc.submit_signal(%s, %s::jsonb)', hostile.pick(apps), hostile.signal())
            WHEN 1 THEN format('SELECT kyc.submit_signal(%s, %s::jsonb)', hostile.pick(apps), hostile.pick(jsons))
            WHEN 2 THEN format('SELECT kyc.open_application(%s, %s::kyc.applicant_kind, %s, %s, %s::kyc.channel, %s)',
                               hostile.pick(texts), hostile.pick(ARRAY[$v$'individual'$v$, $v$'business'$v$, $v$'robot'$v$, 'NULL']),
                               hostile.pick(texts || $v$'digital_checking'$v$::text), hostile.pick(texts || $v$'US-NY'$v$::text),
                               hostile.pick(ARRAY[$v$'digital'$v$, $v$'branch'$v$, $v$'telepathy'$v$, 'NULL']), hostile.pick(texts))
            WHEN 3 THEN format('SELECT kyc.transition(%s, %s::kyc.state, %s, %s)', hostile.pick(apps), hostile.pick(states),
                               hostile.pick(texts), hostile.pick(texts))
            WHEN 4 THEN format('SELECT kyc.set_gate(%s, %s::kyc.gate, %s::kyc.gate_status, %s, %s)', hostile.pick(apps),
                               hostile.pick(gates), hostile.pick(stats), hostile.pick(texts), hostile.pick(texts))
            WHEN 5 THEN format('SELECT * FROM kyc.evaluate(%s, %s)', hostile.pick(apps), hostile.pick(times))
            WHEN 6 THEN format('SELECT kyc.record_funding(%s, %s, %s, %s, %s, %s::kyc.funding_status)', hostile.pick(apps),
                               hostile.pick(nums), hostile.pick(texts || $v$'USD'$v$::text), hostile.pick(texts || $v$'ach'$v$::text),
                               hostile.pick(texts), hostile.pick(ARRAY[$v$'cleared'$v$, $v$'returned'$v$, $v$'maybe'$v$, 'NULL']))
            WHEN 7 THEN format('SELECT kyc.record_account_event(%s, %s::kyc.account_event_kind, %s, %s, %s)', hostile.pick(apps),
                               hostile.pick(ARRAY[$v$'deposit'$v$, $v$'device_change'$v$, $v$'outbound_transfer'$v$, $v$'heist'$v$, 'NULL']),
                               hostile.pick(nums), hostile.pick(texts), hostile.pick(times))
            WHEN 8 THEN format('SELECT kyc.activate(%s)', hostile.pick(apps))
            WHEN 9 THEN format('SELECT kyc.close_account(%s, %s, %s)', hostile.pick(apps), hostile.pick(texts), hostile.pick(texts))
            WHEN 10 THEN format('SELECT * FROM kyc.claim_task(%s)', hostile.pick(texts || ARRAY[$v$'kyc_ops'$v$, $v$'aml_ops'$v$]))
            WHEN 11 THEN format('SELECT * FROM kyc.resolve_task(%s, %s::kyc.review_outcome, %s, %s)', hostile.pick(tasks),
                                hostile.pick(ARRAY[$v$'clear'$v$, $v$'waive'$v$, $v$'decline'$v$, $v$'request_information'$v$, $v$'shrug'$v$, 'NULL']),
                                hostile.pick(texts), hostile.pick(texts))
            WHEN 12 THEN format('SELECT * FROM kyc.provide_information(%s, %s::jsonb)', hostile.pick(apps), hostile.pick(jsons))
            WHEN 13 THEN format('SELECT count(*) FROM kyc.read_evidence(%s, %s, %s)', hostile.pick(apps), hostile.pick(texts),
                                hostile.pick(ARRAY['NULL', $v$'{1,2,-5,9223372036854775807}'$v$, $v$'{}'$v$]))
            WHEN 14 THEN format('SELECT kyc.capture_consent(%s, %s, %s, %s::jsonb)', hostile.pick(apps), hostile.pick(texts),
                                hostile.pick(texts), hostile.pick(jsons))
            WHEN 15 THEN format('SELECT * FROM kyc.customer_status(%s, %s)', hostile.pick(apps), hostile.pick(texts || $v$'es-US'$v$::text))
            WHEN 16 THEN format('SELECT kyc.record_notice(%s, %s, %s, %s::jsonb, %s)', hostile.pick(apps), hostile.pick(texts),
                                hostile.pick(texts || $v$'email'$v$::text), hostile.pick(jsons), hostile.pick(texts))
            WHEN 17 THEN format('SELECT kyc.draft_customer_message(%s, %s, %s, %s, %s)', hostile.pick(texts || $v$'under_review'$v$::text),
                                hostile.pick(texts || $v$'en-US'$v$::text), hostile.pick(texts), hostile.pick(texts), hostile.pick(texts))
            WHEN 18 THEN format('SELECT * FROM kyc.%s(%s, %s)', hostile.pick(ARRAY['sla_sweep', 'signal_expiry', 'abandonment_sweep',
                                'early_life_monitor', 'retention_sweep', 'seal_job', 'cleanup_job_runs']), hostile.pick(times),
                                hostile.pick(nums))
            ELSE format('SELECT %s', hostile.pick(ARRAY[
                    format('count(*) FROM kyc.verify_chain(%s)', hostile.pick(apps)),
                    format('kyc.redact_evidence(%s, %s, %s, %s)', hostile.pick(apps), hostile.pick(ARRAY['NULL', $v$'{1}'$v$, $v$'{0,-1}'$v$]),
                           hostile.pick(texts), hostile.pick(texts)),
                    format('kyc.place_legal_hold(%s, %s)', hostile.pick(apps), hostile.pick(texts)),
                    format('kyc.set_retention(%s::kyc.data_class, %s::interval, %s)',
                           hostile.pick(ARRAY[$v$'pii'$v$, $v$'secret'$v$, 'NULL']),
                           hostile.pick(ARRAY[$v$'1 day'$v$, $v$'-5 years'$v$, $v$'10 years'$v$, 'NULL']), hostile.pick(texts)),
                    format('kyc.export_chain(%s)', hostile.pick(apps)),
                    format('kyc.canonical_json(%s::jsonb)', hostile.pick(jsons)),
                    format('kyc.decide(%s::jsonb, %s::jsonb)', hostile.pick(jsons), hostile.pick(jsons)),
                    format('kyc.lift_restriction(%s, %s)', hostile.pick(tasks), hostile.pick(texts))]))
        END;
        RETURN NEXT format(E'SELECT hostile.snapshot() AS before \\gset\nSET ROLE %s;\n%s;\n\\set state :SQLSTATE\nRESET ROLE;\nSET kyc.tenant = %L;\nSELECT hostile.record(%s, %L, %L, :''state'', :''before'');',
                           login, call, 'hostile_bank', i, login, left(call, 300));
    END LOOP;
END $$;
