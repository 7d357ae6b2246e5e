-- Every ordered pair of states: allowed exactly when kyc.state_transition has the edge (and then
-- one state_history row is written and state_version moves by one), refused with KY001 and
-- nothing written otherwise. Prerequisites are satisfied, so only the catalog decides.
\i tests/setup.sql
SELECT plan(225 + 2);

SELECT is(count(*)::int, 15, 'kyc.state has 15 states') FROM unnest(enum_range(NULL::kyc.state));

SELECT is(pg_temp.try(pg_temp.app_in(f), format('SELECT pg_temp.move(%%1$L, %L)', t)),
          CASE WHEN EXISTS (SELECT 1 FROM kyc.state_transition c WHERE c.from_state = f AND c.to_state = t)
               THEN 'ok +1/+1' ELSE 'KY001 unchanged' END,
          format('%s -> %s', f, t))
FROM unnest(enum_range(NULL::kyc.state)) AS f, unnest(enum_range(NULL::kyc.state)) AS t
ORDER BY f, t;

SELECT is((SELECT count(*)::int FROM kyc.state_transition t
           WHERE t.from_state = ANY ('{declined,abandoned,closed}')), 0, 'no catalog edge leaves a terminal state');

SELECT * FROM finish();
ROLLBACK;
