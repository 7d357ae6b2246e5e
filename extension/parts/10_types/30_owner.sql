CREATE TYPE kyc.owner AS ENUM (
    'product',
    'identity_platform',
    'kyc_cip',
    'bsa_aml',
    'kyb_ops',
    'fraud_risk',
    'deposit_ops',
    'privacy_legal',
    'cx'
);
COMMENT ON TYPE kyc.owner IS 'responsibility line that owns a gate, its reason codes and its queue';
