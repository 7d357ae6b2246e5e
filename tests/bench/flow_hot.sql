-- Many clients on one application: each transaction a signal and an evaluation of the same
-- application, which its row lock and chain lock serialise.
SELECT kyc.submit_signal(kyc.application_id(:hot), '{"source": "device", "signal_type": "device_risk", "gate": "fraud", "owner": "fraud_risk", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "score": 0.02}');
SELECT outcome FROM kyc.evaluate(kyc.application_id(:hot));
