/*-------------------------------------------------------------------------
 *
 * evaluate.h
 *	  Evaluation's steps that other code calls: the decision inputs and the
 *	  state move.
 *
 * IDENTIFICATION
 *	  src/evaluate.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_EVALUATE_H
#define KYC_EVALUATE_H

#include "utils/jsonb.h"

extern Jsonb *KycDecisionInputs(Datum app, bool app_isnull, Datum as_of, bool as_of_isnull, bool read_only);
extern char *KycMoveToward(Datum app, const char *target, const char *reason_code, const char *note);

#endif							/* KYC_EVALUATE_H */
