-- Funding, activation and the first weeks of an account (docs/activation.md).
CREATE TYPE kyc.funding_status AS ENUM ('pending', 'cleared', 'returned');
COMMENT ON TYPE kyc.funding_status IS 'state of the initial funding of an account: pending (in flight), cleared, returned';

CREATE TYPE kyc.account_event_kind AS ENUM ('deposit', 'funding_returned', 'outbound_transfer', 'device_change');
COMMENT ON TYPE kyc.account_event_kind IS 'activity of a newly opened account that early-life monitoring reads';

CREATE TYPE kyc.early_life_rule_kind AS ENUM ('funding_returned', 'rapid_outflow', 'device_churn');
COMMENT ON TYPE kyc.early_life_rule_kind IS
    'funding_returned (any return of funding), rapid_outflow (outbound transfers reaching a share of funding within a period of funding), device_churn (distinct new devices within a period)';
