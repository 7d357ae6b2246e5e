/*-------------------------------------------------------------------------
 *
 * ledger.h
 *	  The evidence ledger: appending to a per-application hash chain.
 *
 * IDENTIFICATION
 *	  src/ledger.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_LEDGER_H
#define KYC_LEDGER_H

#include "utils/jsonb.h"

extern int64 KycAppendEvidence(const char *tenant_id, Datum app_id, const char *kind,
							   const char *data_class, Jsonb *payload);
extern void KycLockChain(Datum app_id);

#endif							/* KYC_LEDGER_H */
