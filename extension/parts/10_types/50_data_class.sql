CREATE TYPE kyc.data_class AS ENUM (
    'customer_safe',
    'internal',
    'pii',
    'fraud_sensitive',
    'sar_restricted'
);
COMMENT ON TYPE kyc.data_class IS 'sensitivity class of a reason code or evidence payload; drives row-level security';
