-- Every review has an owner (seed 004 §3.2: a hold needs a queue owner, an SLA and a customer
-- status): the reason of a signal no policy rule maps, each gate's default queue and SLAs, and
-- which review decides a hold (aml > fraud > kyb_ubo > cdd > cip > identity_proofing > eligibility).
INSERT INTO kyc.reason_code (code, gate, owner, data_class, outcome_class, customer_message_key, description)
SELECT c, g::kyc.gate, o::kyc.owner, dc::kyc.data_class, 'hold_for_review'::kyc.outcome, 'under_review', d
FROM (VALUES
    ('ELIG.NEEDS_REVIEW', 'eligibility', 'product', 'internal'),
    ('IDV.NEEDS_REVIEW', 'identity_proofing', 'identity_platform', 'internal'),
    ('CIP.NEEDS_REVIEW', 'cip', 'kyc_cip', 'internal'),
    ('CDD.NEEDS_REVIEW', 'cdd', 'bsa_aml', 'internal'),
    ('KYB.NEEDS_REVIEW', 'kyb_ubo', 'kyb_ops', 'internal'),
    ('FRAUD.NEEDS_REVIEW', 'fraud', 'fraud_risk', 'fraud_sensitive'),
    ('AML.NEEDS_REVIEW', 'aml', 'bsa_aml', 'sar_restricted'),
    ('FUND.NEEDS_REVIEW', 'funding', 'deposit_ops', 'internal')
) AS r (c, g, o, dc)
CROSS JOIN (VALUES ('a signal no policy rule maps (a vendor error or an unexpected result): a person looks')) AS t (d);

-- The restriction adverse evidence puts on an opened account says nothing of which gate (AML or
-- fraud) raised it: restrictions are read by the service and KYC reviewers.
INSERT INTO kyc.reason_code (code, gate, owner, data_class, outcome_class, customer_message_key, description)
VALUES ('FUND.REVIEW_HOLD', 'funding', 'deposit_ops', 'internal', 'approve_restricted', 'account_opened_with_limits',
        'outbound transfers held while a review of the opened account runs');

-- Eligibility is a fact of the product: a failed eligibility gate declines without a person.
-- Everything else that fails on one vendor signal waits for its owner to confirm (seed 004 §9:
-- no decline before queue triage).
UPDATE kyc.gate_definition d
   SET review_queue = v.q, review_sla = v.sla::interval, confirm_sla = v.confirm::interval, review_reason = v.r,
       auto_decline = v.auto, review_rank = v.rank
  FROM (VALUES
    ('consent', NULL, NULL, NULL, NULL, true, 0),
    ('eligibility', 'kyc_ops', '2 days', '4 hours', 'ELIG.NEEDS_REVIEW', true, 1),
    ('identity_proofing', 'kyc_ops', '1 day', '4 hours', 'IDV.NEEDS_REVIEW', false, 2),
    ('cip', 'kyc_ops', '2 days', '4 hours', 'CIP.NEEDS_REVIEW', false, 3),
    ('cdd', 'aml_ops', '3 days', '4 hours', 'CDD.NEEDS_REVIEW', false, 4),
    ('kyb_ubo', 'kyb_ops', '2 days', '4 hours', 'KYB.NEEDS_REVIEW', false, 5),
    ('fraud', 'fraud_ops', '1 day', '4 hours', 'FRAUD.NEEDS_REVIEW', false, 6),
    ('aml', 'aml_ops', '1 day', '4 hours', 'AML.NEEDS_REVIEW', false, 7),
    ('funding', 'deposit_ops', '1 day', '4 hours', 'FUND.NEEDS_REVIEW', false, NULL)
) AS v (g, q, sla, confirm, r, auto, rank)
 WHERE d.gate OPERATOR(pg_catalog.=) v.g::kyc.gate;
