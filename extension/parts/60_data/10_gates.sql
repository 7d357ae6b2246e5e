-- The gate map of the domain source (seed 004 §3.1): each gate has one owner. Consent and funding
-- have no decider: only their evidence settles them (kyc.capture_consent / withdraw_consent,
-- kyc.record_funding and deposit operations' review), never a hand-set status.
INSERT INTO kyc.gate_definition
    (gate, owner, critical, business_only, waivable, pending_state, decider_roles, description)
VALUES
    ('consent', 'privacy_legal', true, false, false, 'application_started', '{}',
     'may this data be collected, processed, shared and kept for this purpose'),
    ('eligibility', 'product', true, false, false, 'consent_captured', '{kyc_reviewer}',
     'does the applicant qualify for the product, region, age, account and business type'),
    ('identity_proofing', 'identity_platform', true, false, true, 'identity_proofing_pending', '{kyc_reviewer}',
     'is the applicant bound to a real natural person (documents, liveness, media, device)'),
    ('cip', 'kyc_cip', true, false, true, 'cip_verification_pending', '{kyc_reviewer}',
     'can the bank form a reasonable belief of the customer''s true identity (CIP); a proofing pass is not a CIP pass'),
    ('cdd', 'bsa_aml', true, false, true, 'cdd_review_pending', '{kyc_reviewer,kyc_aml}',
     'are nature and purpose understood and a risk profile established'),
    ('kyb_ubo', 'kyb_ops', true, true, true, 'kyb_review_pending', '{kyc_reviewer}',
     'business applicants: the entity exists, the applicant has authority, owners and controllers are identified'),
    ('fraud', 'fraud_risk', true, false, true, 'fraud_review_pending', '{kyc_fraud}',
     'synthetic identity, device farm, stolen identity or mule risk'),
    ('aml', 'bsa_aml', true, false, true, 'aml_review_pending', '{kyc_aml}',
     'sanctions, PEP and AML referral; SAR-sensitive, never disclosed to the customer'),
    ('funding', 'deposit_ops', false, false, false, 'opened_not_funded', '{}',
     'may the account be funded and activated (funding source, return risk)'),
    ('communication', 'cx', false, false, true, NULL, '{kyc_app}',
     'what the customer is told: approved template, reason-owned wording, delivery proof');
