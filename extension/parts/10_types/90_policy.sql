CREATE TYPE kyc.policy_status AS ENUM ('draft', 'published', 'retired');
COMMENT ON TYPE kyc.policy_status IS 'a policy is written as a draft, published once (then immutable), retired when replaced';

CREATE TYPE kyc.risk_tier AS ENUM ('low', 'medium', 'high', 'prohibited');
COMMENT ON TYPE kyc.risk_tier IS 'CDD risk tier computed from the policy''s weighted factors';
