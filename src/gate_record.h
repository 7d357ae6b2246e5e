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

/* one gate's new status and reason */
typedef struct KycGateChange
{
	const char *gate;
	const char *status;
	const char *reason_code;
	const char *valid_until_us;	/* expiry of the evidence behind it (epoch
								 * microseconds as text), or NULL: none */
} KycGateChange;

extern void KycRecordGates(Datum app, const KycGateChange *changes, int n, const char *note,
						   const char *actor, const char *via);
extern void KycRecordGate(Datum app, const char *gate, const char *status, const char *reason_code,
						  const char *note, const char *actor, const char *via);

#endif							/* KYC_GATE_RECORD_H */
