/*-------------------------------------------------------------------------
 *
 * hash_functions.h
 *	  SQL access to the ledger's hash constructions.
 *
 * IDENTIFICATION
 *	  src/hash_functions.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_HASH_FUNCTIONS_H
#define KYC_HASH_FUNCTIONS_H

#include "utils/array.h"

extern uint8 *KycHashArrayBytes(ArrayType *arr, int *n);

#endif							/* KYC_HASH_FUNCTIONS_H */
