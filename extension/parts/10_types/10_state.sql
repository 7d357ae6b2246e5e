CREATE TYPE kyc.state AS ENUM (
    'application_started',
    'consent_captured',
    'identity_proofing_pending',
    'cip_verification_pending',
    'cdd_review_pending',
    'kyb_review_pending',
    'fraud_review_pending',
    'aml_review_pending',
    'information_requested',
    'approved_restricted',
    'opened_not_funded',
    'active',
    'declined',
    'abandoned',
    'closed'
);
COMMENT ON TYPE kyc.state IS 'onboarding state of an application; moves only along kyc.state_transition';
