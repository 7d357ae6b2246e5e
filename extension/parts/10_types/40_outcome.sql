CREATE TYPE kyc.outcome AS ENUM (
    'approve',
    'approve_restricted',
    'request_information',
    'hold_for_review',
    'decline',
    'exit',
    'abandon'
);
COMMENT ON TYPE kyc.outcome IS 'outcome of an evaluation, and the outcome class of a reason code';
