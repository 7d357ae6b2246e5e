/*-------------------------------------------------------------------------
 *
 * gate_record.h
 *	  Recording one gate's status with its evidence.
 *
 * IDENTIFICATION
 *	  src/gate_record.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_GATE_RECORD_H
#define KYC_GATE_RECORD_H

extern void KycRecordGate(Datum app, const char *gate, const char *status, const char *reason_code,
						  const char *note, const char *actor, const char *via);

#endif							/* KYC_GATE_RECORD_H */
