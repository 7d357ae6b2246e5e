\set n random(1, :apps)
SELECT kyc.decide(inputs, policy) FROM bench_eval.apps WHERE signals = :signals AND n = :n;
