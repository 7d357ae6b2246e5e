-- The design's invariants, one by one, each refusal proven to write nothing.
\i tests/setup.sql
-- one test per catalog combination below, so the plan follows the catalogs
SELECT plan((SELECT count(*)::int * 5 FROM kyc.gate_definition WHERE critical AND gate <> 'consent')
            + 2
            + (SELECT count(*)::int FROM kyc.gate_definition WHERE critical AND waivable AND NOT business_only)
            + 2
            + (SELECT count(*)::int FROM unnest(enum_range(NULL::kyc.gate_status)))
            + 1
            + (SELECT count(*)::int FROM kyc.reason_code WHERE outcome_class = 'decline')
            + (SELECT count(*)::int FROM kyc.reason_code WHERE outcome_class = 'decline' AND gate <> 'consent')
            + (SELECT count(DISTINCT outcome_class)::int FROM kyc.reason_code WHERE outcome_class <> 'decline')
            + 1
            + 2 * (SELECT count(DISTINCT outcome_class)::int FROM kyc.reason_code)
            + 1 + 2);

-- Invariant 2: an opened state needs every critical gate passed or waived. Each critical gate in
-- each unresolved status blocks each opened state; waived does not block.
CREATE FUNCTION pg_temp.with_gate(kind kyc.applicant_kind, g kyc.gate, s kyc.gate_status) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE app uuid := pg_temp.ready_application(kind);
BEGIN
    PERFORM pg_temp.move(app, 'consent_captured');
    UPDATE kyc.application_gate
       SET status = s,
           reason_code = CASE WHEN s IN ('failed', 'review', 'info_needed')
                              THEN (SELECT min(code) FROM kyc.reason_code r WHERE r.gate = g) END,
           note = CASE WHEN s = 'waived' THEN 'tap waiver' END,
           decided_by = CASE WHEN s = 'waived' THEN 'tap' END
     WHERE application_id = app AND gate = g;
    RETURN app;
END $$;

SELECT is(pg_temp.try(pg_temp.with_gate(CASE WHEN d.business_only THEN 'business' ELSE 'individual' END::kyc.applicant_kind, g, s),
                      'SELECT kyc.transition(%1$L, ''opened_not_funded'')'),
          'KY002 unchanged', format('opened_not_funded refused while %s is %s', g, s))
FROM (SELECT gate AS g, business_only FROM kyc.gate_definition WHERE critical AND gate <> 'consent') d,
     unnest('{pending,failed,review,info_needed,not_applicable}'::kyc.gate_status[]) s
ORDER BY g, s;

SELECT is(pg_temp.try(pg_temp.with_gate('individual', 'aml', 'review'), format('SELECT kyc.transition(%%1$L, %L)', t)),
          'KY002 unchanged', format('%s refused while aml is review', t))
FROM unnest('{approved_restricted,opened_not_funded}'::kyc.state[]) t;

CREATE FUNCTION pg_temp.without_gate_row(app uuid, g kyc.gate) RETURNS uuid
LANGUAGE sql AS $$ DELETE FROM kyc.application_gate WHERE application_id = app AND gate = g RETURNING application_id $$;
CREATE FUNCTION pg_temp.lift_restrictions(app uuid) RETURNS uuid
LANGUAGE sql AS $$ UPDATE kyc.restriction SET lifted_at = now() WHERE application_id = app; SELECT app $$;

SELECT is(pg_temp.try(pg_temp.with_gate('individual', g, 'waived'), 'SELECT kyc.transition(%1$L, ''opened_not_funded'')'),
          'ok +1/+1', format('opened_not_funded allowed with %s waived', g))
FROM (SELECT gate AS g FROM kyc.gate_definition WHERE critical AND waivable AND NOT business_only) d
ORDER BY g;

SELECT is(pg_temp.try(pg_temp.with_gate('individual', 'kyb_ubo', 'not_applicable'), 'SELECT kyc.transition(%1$L, ''opened_not_funded'')'),
          'ok +1/+1', 'an individual opens with kyb_ubo not_applicable');

SELECT is(pg_temp.try(pg_temp.without_gate_row(pg_temp.with_gate('individual', 'fraud', 'passed'), 'fraud'),
                      'SELECT kyc.transition(%1$L, ''opened_not_funded'')'),
          'KY002 unchanged', 'a missing gate row counts as unresolved');

-- active also needs funding passed
CREATE FUNCTION pg_temp.opened_with_funding(s kyc.gate_status) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE app uuid := pg_temp.app_in('opened_not_funded');
BEGIN
    UPDATE kyc.application_gate
       SET status = s,
           reason_code = CASE WHEN s IN ('failed', 'review', 'info_needed') THEN 'FUND.RETURNED' END,
           note = CASE WHEN s = 'waived' THEN 'tap' END, decided_by = CASE WHEN s = 'waived' THEN 'tap' END
     WHERE application_id = app AND gate = 'funding';
    RETURN app;
END $$;

SELECT is(pg_temp.try(pg_temp.opened_with_funding(s), 'SELECT kyc.transition(%1$L, ''active'')'),
          CASE WHEN s = 'passed' THEN 'ok +1/+1' ELSE 'KY002 unchanged' END,
          format('active with funding %s', s))
FROM unnest(enum_range(NULL::kyc.gate_status)) s
ORDER BY s;

-- approved_restricted needs a restriction that has not been lifted
SELECT is(pg_temp.try(pg_temp.lift_restrictions(pg_temp.app_in('opened_not_funded')), 'SELECT kyc.transition(%1$L, ''approved_restricted'')'),
          'KY002 unchanged', 'approved_restricted refused when every restriction was lifted');

-- Invariant 3: declined needs a decline reason of a failed gate
CREATE FUNCTION pg_temp.decline_with(code text, fail_gate boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    app uuid := pg_temp.app_in('consent_captured');
    r   kyc.reason_code := (SELECT r FROM kyc.reason_code r WHERE r.code = decline_with.code);
BEGIN
    IF fail_gate AND r.gate IS NOT NULL THEN
        UPDATE kyc.application_gate SET status = 'failed', reason_code = r.code WHERE application_id = app AND gate = r.gate;
    END IF;
    RETURN pg_temp.try(app, format('SELECT kyc.transition(%%1$L, ''declined'', %L)', code));
END $$;

SELECT is(pg_temp.decline_with(code, true), 'ok +1/+1', format('declined with %s once gate %s failed', code, gate))
FROM kyc.reason_code WHERE outcome_class = 'decline' ORDER BY code;

SELECT is(pg_temp.decline_with(code, false), 'KY003 unchanged', format('declined with %s refused while gate %s has not failed', code, gate))
FROM kyc.reason_code WHERE outcome_class = 'decline' AND gate <> 'consent' ORDER BY code;

SELECT is(pg_temp.decline_with(code, true), 'KY003 unchanged', format('declined with non-decline reason %s refused', code))
FROM (SELECT DISTINCT ON (outcome_class) code FROM kyc.reason_code WHERE outcome_class <> 'decline' ORDER BY outcome_class, code) c;

SELECT is(pg_temp.try(pg_temp.app_in('consent_captured'), 'SELECT kyc.transition(%1$L, ''declined'')'),
          'KY003 unchanged', 'declined without a reason refused');

-- closed needs an exit reason, and only from an opened state (the catalog)
SELECT is(pg_temp.try(pg_temp.app_in('opened_not_funded'), format('SELECT kyc.transition(%%1$L, ''closed'', %L)', code)),
          CASE WHEN outcome_class = 'exit' THEN 'ok +1/+1' ELSE 'KY003 unchanged' END,
          format('closed with %s (%s)', code, outcome_class))
FROM (SELECT DISTINCT ON (outcome_class) code, outcome_class FROM kyc.reason_code ORDER BY outcome_class, code) c;

-- abandoned takes only an abandon reason, or none
SELECT is(pg_temp.try(pg_temp.app_in('application_started'), format('SELECT kyc.transition(%%1$L, ''abandoned'', %L)', code)),
          CASE WHEN outcome_class = 'abandon' THEN 'ok +1/+1' ELSE 'KY003 unchanged' END,
          format('abandoned with %s (%s)', code, outcome_class))
FROM (SELECT DISTINCT ON (outcome_class) code, outcome_class FROM kyc.reason_code ORDER BY outcome_class, code) c;

-- consent_captured needs consent passed
SELECT is(pg_temp.try(kyc.open_application('tap-consent', 'individual', 'digital_checking', 'US'), 'SELECT kyc.transition(%1$L, ''consent_captured'')'),
          'KY002 unchanged', 'consent_captured refused while consent is pending');

-- Invariant 5: one state_history row per state, state_version gapless
SELECT is((SELECT count(*)::int FROM kyc.application a
           WHERE a.state_version <> (SELECT count(*) FROM kyc.state_history h WHERE h.application_id = a.id)
              OR a.state_version <> (SELECT max(h.state_version) FROM kyc.state_history h WHERE h.application_id = a.id)),
          0, 'every application has exactly one history row per state, numbered without gaps');
SELECT is((SELECT count(*)::int FROM kyc.application a
           WHERE a.state IS DISTINCT FROM (SELECT h.to_state FROM kyc.state_history h WHERE h.application_id = a.id
                                           ORDER BY h.state_version DESC LIMIT 1)),
          0, 'the last history row of every application names its current state');

SELECT * FROM finish();
ROLLBACK;
