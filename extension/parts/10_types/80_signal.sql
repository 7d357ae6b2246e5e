CREATE TYPE kyc.signal_result AS ENUM ('pass', 'fail', 'inconclusive', 'refer', 'error');
COMMENT ON TYPE kyc.signal_result IS
    'what a model or vendor concluded: pass, fail, inconclusive (not enough to decide), refer (a human should look), error (the check did not run)';

CREATE TYPE kyc.confidence AS ENUM ('low', 'medium', 'high');
COMMENT ON TYPE kyc.confidence IS 'calibrated confidence bucket of a signal';
