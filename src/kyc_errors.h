/*-------------------------------------------------------------------------
 *
 * kyc_errors.h
 *	  pg_kyc's own SQLSTATEs, all in the private class "KY" (docs/errors.md).
 *
 * IDENTIFICATION
 *	  src/kyc_errors.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_ERRORS_H
#define KYC_ERRORS_H

#include "utils/elog.h"

/* a state transition that is not in kyc.state_transition, or out of a terminal state */
#define ERRCODE_KYC_TRANSITION_NOT_ALLOWED	MAKE_SQLSTATE('K','Y','0','0','1')
/* a transition whose gate, funding or restriction prerequisites do not hold */
#define ERRCODE_KYC_GATES_UNRESOLVED		MAKE_SQLSTATE('K','Y','0','0','2')
/* a reason code that is missing, not in the catalog, or not fit for its use */
#define ERRCODE_KYC_REASON_INVALID			MAKE_SQLSTATE('K','Y','0','0','3')
/* an application that does not exist in the session's tenant */
#define ERRCODE_KYC_APPLICATION_NOT_FOUND	MAKE_SQLSTATE('K','Y','0','0','4')
/* no tenant selected for the session or transaction */
#define ERRCODE_KYC_TENANT_NOT_SET			MAKE_SQLSTATE('K','Y','0','0','5')
/* a write to a column that never changes after insert, or only changes with the state */
#define ERRCODE_KYC_IMMUTABLE				MAKE_SQLSTATE('K','Y','0','0','6')

/* a ledger row, seal or digest does not hold what it claims; verification has the details */
#define ERRCODE_KYC_LEDGER_INCONSISTENT		MAKE_SQLSTATE('K','Y','0','0','7')

/* four eyes: an override confirmed by its proposer, or a second reviewer confirming another one
 * (raised from SQL: kyc.resolve_task) */
#define ERRCODE_KYC_FOUR_EYES				MAKE_SQLSTATE('K','Y','0','0','8')

/* a request for information beyond the policy's max_rfi_rounds for the gate, which is not the same
 * condition as "no request is open" (raised from SQL: kyc.request_information_internal) */
#define ERRCODE_KYC_RFI_LIMIT				MAKE_SQLSTATE('K','Y','0','0','9')

#endif							/* KYC_ERRORS_H */
