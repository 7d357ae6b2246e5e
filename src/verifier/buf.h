/*-------------------------------------------------------------------------
 *
 * buf.h
 *	  Checked allocation and a growable byte buffer for kyc_verify.
 *
 * IDENTIFICATION
 *	  src/verifier/buf.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef KYC_VERIFY_BUF_H
#define KYC_VERIFY_BUF_H

#include <stddef.h>

/* A growable byte string; data is always NUL-terminated for printing. */
typedef struct KvBuf
{
	unsigned char *data;
	size_t		len;
	size_t		cap;
} KvBuf;

extern void *KvAlloc(size_t size);
extern void *KvAllocArray(size_t count, size_t size);
extern void *KvReallocArray(void *ptr, size_t count, size_t size);

extern void KvBufInit(KvBuf *buf);
extern void KvBufAppend(KvBuf *buf, const void *bytes, size_t len);
extern void KvBufAppendByte(KvBuf *buf, unsigned char byte);
extern void KvBufAppendStr(KvBuf *buf, const char *str);
extern void KvBufFree(KvBuf *buf);

#endif							/* KYC_VERIFY_BUF_H */
