/*-------------------------------------------------------------------------
 *
 * decide.h
 *	  The decision core, for evaluation to call directly.
 *
 * IDENTIFICATION
 *	  src/decide.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_DECIDE_H
#define KYC_DECIDE_H

#include "fmgr.h"

extern Datum kyc_decide(PG_FUNCTION_ARGS);

#endif							/* KYC_DECIDE_H */
