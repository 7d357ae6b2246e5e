-- One whole happy-path onboarding through the API, as the service calls it (each call its own
-- transaction): open, consent, 8 signals, evaluate, fund, activate.
SELECT kyc.open_application('flow-' || gen_random_uuid(), 'individual', 'digital_checking', 'US-NY', 'digital') AS app \gset
SELECT kyc.capture_consent(:app, 'account_opening', 'disclosures-2026-10', '{"channel": "app", "session": "s-1"}');
SELECT kyc.submit_signal(:app, '{"source": "idv_doc", "signal_type": "document", "gate": "identity_proofing", "owner": "identity_platform", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "score": 0.97, "model": {"id": "idv-doc", "version": "4.2"}}');
SELECT kyc.submit_signal(:app, '{"source": "idv_face", "signal_type": "liveness", "gate": "identity_proofing", "owner": "identity_platform", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "score": 0.95, "model": {"id": "liveness", "version": "2.1"}}');
SELECT kyc.submit_signal(:app, '{"source": "cip_bureau", "signal_type": "non_documentary", "gate": "cip", "owner": "kyc_cip", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}');
SELECT kyc.submit_signal(:app, '{"source": "cdd_q", "signal_type": "risk_profile", "gate": "cdd", "owner": "bsa_aml", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}');
SELECT kyc.submit_signal(:app, '{"source": "device", "signal_type": "device_risk", "gate": "fraud", "owner": "fraud_risk", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "score": 0.02}');
SELECT kyc.submit_signal(:app, '{"source": "behaviour", "signal_type": "velocity", "gate": "fraud", "owner": "fraud_risk", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review", "score": 0.05}');
SELECT kyc.submit_signal(:app, '{"source": "sanctions", "signal_type": "sanctions", "gate": "aml", "owner": "bsa_aml", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}');
SELECT kyc.submit_signal(:app, '{"source": "pep", "signal_type": "pep", "gate": "aml", "owner": "bsa_aml", "result": "pass", "confidence": "high", "reason_codes": [], "customer_safe_reason": "under_review"}');
SELECT outcome FROM kyc.evaluate(:app);
SELECT kyc.record_funding(:app, 250, 'USD', 'ach', 'ach-' || :app::text);
SELECT kyc.activate(:app);
