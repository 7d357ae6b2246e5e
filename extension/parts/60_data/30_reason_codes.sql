-- The controlled reason taxonomy (seed 004 §3, §7, §9): every reason belongs to one gate and its
-- owner. Customers see only customer_message_key, and AML or fraud reasons use the same keys as
-- any other review or decline, so they cannot be told apart.
INSERT INTO kyc.reason_code (code, gate, owner, data_class, outcome_class, customer_message_key, description)
SELECT c, g::kyc.gate, o::kyc.owner, dc::kyc.data_class, oc::kyc.outcome, k, d
FROM (VALUES
    ('CONSENT.NOT_GIVEN', 'consent', 'privacy_legal', 'customer_safe', 'decline', 'consent_required',
     'the applicant declined the required disclosures'),
    ('CONSENT.WITHDRAWN', 'consent', 'privacy_legal', 'customer_safe', 'request_information', 'consent_required',
     'consent was withdrawn during onboarding'),
    ('CONSENT.DISCLOSURE_OUTDATED', 'consent', 'privacy_legal', 'customer_safe', 'request_information', 'consent_required',
     'consent was given to a disclosure version no longer in force'),

    ('ELIG.PRODUCT_NOT_AVAILABLE', 'eligibility', 'product', 'customer_safe', 'decline', 'product_not_available',
     'the product is not offered in the applicant''s jurisdiction or channel'),
    ('ELIG.UNDERAGE', 'eligibility', 'product', 'pii', 'decline', 'product_not_available',
     'the applicant is below the product''s minimum age'),
    ('ELIG.BUSINESS_TYPE_NOT_SUPPORTED', 'eligibility', 'product', 'customer_safe', 'decline', 'product_not_available',
     'the business type is outside the product''s policy'),

    ('IDV.DOCUMENT_GLARE', 'identity_proofing', 'identity_platform', 'pii', 'request_information', 'additional_information_needed',
     'the document image could not be read'),
    ('IDV.ADDRESS_MISMATCH', 'identity_proofing', 'identity_platform', 'pii', 'request_information', 'additional_information_needed',
     'the document address differs from the application'),
    ('IDV.LIVENESS_FAILED', 'identity_proofing', 'identity_platform', 'pii', 'hold_for_review', 'under_review',
     'the liveness check did not pass; alternate proofing path needed'),
    ('IDV.DOCUMENT_EXPIRED', 'identity_proofing', 'identity_platform', 'pii', 'request_information', 'additional_information_needed',
     'the identity document has expired'),
    ('IDV.PROOFING_NOT_COMPLETED', 'identity_proofing', 'identity_platform', 'customer_safe', 'decline', 'verification_not_completed',
     'proofing could not be completed through any available path'),

    ('CIP.NAME_DOB_MISMATCH', 'cip', 'kyc_cip', 'pii', 'hold_for_review', 'under_review',
     'name and date of birth do not match the non-documentary sources'),
    ('CIP.SSN_UNVERIFIED', 'cip', 'kyc_cip', 'pii', 'request_information', 'additional_information_needed',
     'the taxpayer id could not be verified'),
    ('CIP.UNABLE_TO_VERIFY', 'cip', 'kyc_cip', 'customer_safe', 'decline', 'unable_to_open_account',
     'no reasonable belief of the customer''s identity could be formed'),

    ('CDD.PURPOSE_MISSING', 'cdd', 'bsa_aml', 'internal', 'request_information', 'additional_information_needed',
     'nature and purpose of the relationship are missing'),
    ('CDD.HIGH_RISK_PROFILE', 'cdd', 'bsa_aml', 'internal', 'approve_restricted', 'account_opened_with_limits',
     'high-risk CDD profile: opened with limits and enhanced monitoring'),
    ('CDD.EDD_REQUIRED', 'cdd', 'bsa_aml', 'internal', 'hold_for_review', 'under_review',
     'enhanced due diligence required'),
    ('CDD.PROHIBITED_PROFILE', 'cdd', 'bsa_aml', 'internal', 'decline', 'unable_to_open_account',
     'the risk profile is prohibited by policy'),

    ('KYB.REGISTRY_MISMATCH', 'kyb_ubo', 'kyb_ops', 'internal', 'hold_for_review', 'under_review',
     'the entity does not match the state registry'),
    ('KYB.UBO_INCOMPLETE', 'kyb_ubo', 'kyb_ops', 'pii', 'request_information', 'additional_information_needed',
     'beneficial owners or control person are missing'),
    ('KYB.AUTHORITY_UNVERIFIED', 'kyb_ubo', 'kyb_ops', 'internal', 'hold_for_review', 'under_review',
     'the applicant''s authority to act for the entity is not established'),
    ('KYB.ENTITY_NOT_FOUND', 'kyb_ubo', 'kyb_ops', 'customer_safe', 'decline', 'unable_to_open_account',
     'the entity could not be shown to exist'),

    ('FRAUD.SYNTHETIC_IDENTITY', 'fraud', 'fraud_risk', 'fraud_sensitive', 'hold_for_review', 'under_review',
     'synthetic identity indicators'),
    ('FRAUD.DEVICE_RISK', 'fraud', 'fraud_risk', 'fraud_sensitive', 'hold_for_review', 'under_review',
     'device, network or velocity risk'),
    ('FRAUD.CONFIRMED', 'fraud', 'fraud_risk', 'fraud_sensitive', 'decline', 'unable_to_open_account',
     'fraud confirmed by review'),
    ('FRAUD.EARLY_LIFE_ACTIVITY', 'fraud', 'fraud_risk', 'fraud_sensitive', 'approve_restricted', 'account_opened_with_limits',
     'early-life activity (returned funding, rapid outflow, device churn) needs limits'),

    ('AML.SANCTIONS_POTENTIAL_MATCH', 'aml', 'bsa_aml', 'sar_restricted', 'hold_for_review', 'under_review',
     'potential sanctions list match'),
    ('AML.PEP_MATCH', 'aml', 'bsa_aml', 'sar_restricted', 'hold_for_review', 'under_review',
     'politically exposed person match'),
    ('AML.REFERRAL', 'aml', 'bsa_aml', 'sar_restricted', 'hold_for_review', 'under_review',
     'AML red flags referred for analyst review'),
    ('AML.SANCTIONS_CONFIRMED', 'aml', 'bsa_aml', 'sar_restricted', 'decline', 'unable_to_open_account',
     'confirmed sanctions match'),

    ('FUND.RETURNED', 'funding', 'deposit_ops', 'internal', 'hold_for_review', 'under_review',
     'the initial funding was returned'),
    ('FUND.HIGH_RISK_SOURCE', 'funding', 'deposit_ops', 'internal', 'approve_restricted', 'account_opened_with_limits',
     'the funding source carries return risk: deposit hold'),
    ('FUND.NOT_RECEIVED', 'funding', 'deposit_ops', 'customer_safe', 'request_information', 'funding_needed',
     'no initial funding yet'),

    ('COMM.NOTICE_UNDELIVERABLE', 'communication', 'cx', 'customer_safe', 'request_information', 'contact_details_needed',
     'a notice could not be delivered'),

    ('EXIT.CUSTOMER_REQUEST', NULL, 'cx', 'customer_safe', 'exit', 'account_closed',
     'the customer asked to close the account'),
    ('EXIT.VERIFICATION_NOT_COMPLETED', NULL, 'kyc_cip', 'customer_safe', 'exit', 'account_closed',
     'required verification was not completed after opening'),
    ('EXIT.RISK_POLICY', NULL, 'bsa_aml', 'sar_restricted', 'exit', 'account_closed',
     'closed under the risk policy after opening (SAR-sensitive handling)'),

    ('ABANDON.CUSTOMER_LEFT', NULL, 'cx', 'customer_safe', 'abandon', 'application_expired',
     'the applicant stopped before finishing'),
    ('ABANDON.RFI_EXPIRED', NULL, 'cx', 'customer_safe', 'abandon', 'application_expired',
     'requested information did not arrive before the deadline'),
    ('ABANDON.TIMEOUT', NULL, 'cx', 'customer_safe', 'abandon', 'application_expired',
     'the application was inactive past the policy''s timeout')
) AS r (c, g, o, dc, oc, k, d);
