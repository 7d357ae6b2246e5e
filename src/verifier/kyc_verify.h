/*-------------------------------------------------------------------------
 *
 * kyc_verify.h
 *	  Subcommands of kyc_verify implemented outside kyc_verify.c.
 *
 * IDENTIFICATION
 *	  src/verifier/kyc_verify.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_KYC_VERIFY_H
#define KYC_VERIFY_KYC_VERIFY_H

extern int	RunVectors(void);
extern int	MakeFixtures(const char *dir);

#endif							/* KYC_VERIFY_KYC_VERIFY_H */
