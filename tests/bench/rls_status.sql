\set n random(1, :apps)
SELECT s.state, s.state_reason, s.state_note FROM kyc.application_status s
WHERE s.id = (SELECT id FROM bench_eval.apps WHERE signals = :signals AND n = :n);
