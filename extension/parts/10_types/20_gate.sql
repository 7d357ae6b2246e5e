CREATE TYPE kyc.gate AS ENUM (
    'consent',
    'eligibility',
    'identity_proofing',
    'cip',
    'cdd',
    'kyb_ubo',
    'fraud',
    'aml',
    'funding',
    'communication'
);
COMMENT ON TYPE kyc.gate IS 'a decision domain of account opening, each with one owner (kyc.gate_definition)';

CREATE TYPE kyc.gate_status AS ENUM (
    'pending',
    'passed',
    'failed',
    'review',
    'info_needed',
    'waived',
    'not_applicable'
);
COMMENT ON TYPE kyc.gate_status IS 'status of one gate of one application';
