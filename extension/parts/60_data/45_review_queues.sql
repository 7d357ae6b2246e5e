-- The review queues of the shipped policies, one per responsibility line (seed 004 §3.1).
INSERT INTO kyc.review_queue (queue, owner, worker_roles, description)
VALUES
    ('kyc_ops', 'kyc_cip', '{kyc_reviewer}', 'KYC operations: identity proofing and CIP exceptions'),
    ('kyb_ops', 'kyb_ops', '{kyc_reviewer}', 'KYB operations: entity, authority, beneficial owners'),
    ('fraud_ops', 'fraud_risk', '{kyc_fraud}', 'fraud investigations, including early-life alerts'),
    ('aml_ops', 'bsa_aml', '{kyc_aml}', 'BSA/AML: CDD escalations, screening referrals (SAR-sensitive)'),
    ('deposit_ops', 'deposit_ops', '{kyc_reviewer}', 'deposit operations: returned or questionable funding');
