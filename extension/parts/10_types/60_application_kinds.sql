CREATE TYPE kyc.applicant_kind AS ENUM ('individual', 'business');
COMMENT ON TYPE kyc.applicant_kind IS 'individual (retail) or business (KYB/UBO applies) applicant';

CREATE TYPE kyc.channel AS ENUM ('digital', 'branch', 'contact_center', 'partner');
COMMENT ON TYPE kyc.channel IS 'channel through which the application was opened';

CREATE TYPE kyc.restriction_kind AS ENUM (
    'funding_limit',
    'no_outbound_transfers',
    'card_hold',
    'deposit_hold',
    'channel_limit'
);
COMMENT ON TYPE kyc.restriction_kind IS 'kind of limit placed on an account opened with restrictions';
