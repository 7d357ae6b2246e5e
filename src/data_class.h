/*-------------------------------------------------------------------------
 *
 * data_class.h
 *	  Data classes: what a gate's rows reveal, and their order.
 *
 * IDENTIFICATION
 *	  src/data_class.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_DATA_CLASS_H
#define KYC_DATA_CLASS_H

/* what a role that may not read a state or reason sees instead (docs/security.md) */
#define KYC_NEUTRAL_STATE "review_pending"
#define KYC_NEUTRAL_REASON "REASON.WITHHELD"

extern const char *KycGateClass(const char *gate);
extern int	KycDataClassRank(const char *label);
extern bool KycCallerMayRead(const char *label);
extern const char *KycMaxClass(const char *a, const char *b);
extern const char *KycStateClass(const char *state);
extern const char *KycShownState(const char *state);
extern const char *KycReasonClass(const char *code);
extern void KycDataClassInit(void);

#endif							/* KYC_DATA_CLASS_H */
