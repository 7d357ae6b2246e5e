-- Review work (docs/queues.md): a task's life, what a reviewer may decide, and the RFI loop.
CREATE TYPE kyc.task_status AS ENUM ('open', 'claimed', 'awaiting_second_review', 'resolved', 'cancelled');
COMMENT ON TYPE kyc.task_status IS
    'open (in its queue), claimed (one reviewer works it), awaiting_second_review (an override waits for a second reviewer), resolved, cancelled (the application concluded)';

CREATE TYPE kyc.review_outcome AS ENUM ('clear', 'decline', 'waive', 'request_information');
COMMENT ON TYPE kyc.review_outcome IS
    'what a reviewer decides about a task''s gate: clear (passed), decline (failed, with a decline reason of the gate), waive (an authorised waiver with a reason), request_information (an RFI to the applicant)';

CREATE TYPE kyc.rfi_status AS ENUM ('open', 'answered', 'expired', 'cancelled');
COMMENT ON TYPE kyc.rfi_status IS 'a request for information: open until the applicant answers, it expires, or the application concludes';
