\set n random(1, :apps)
SELECT kyc.decision_inputs((SELECT id FROM bench_eval.apps WHERE signals = :signals AND n = :n), now());
