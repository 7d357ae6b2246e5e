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

extern const char *KycGateClass(const char *gate);
extern int	KycDataClassRank(const char *label);

#endif							/* KYC_DATA_CLASS_H */
