/*-------------------------------------------------------------------------
 *
 * buf.c
 *	  Checked allocation and a growable byte buffer for kyc_verify.
 *
 * kyc_verify is a short-lived command: running out of memory ends it with
 * exit status 2 (an error, never a verdict) instead of being handled at
 * every call site.
 *
 * IDENTIFICATION
 *	  src/verifier/buf.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/*
 * OutOfMemory
 *		Stop the program: no verdict can be given without memory.
 */
static void
OutOfMemory(void)
{
	fprintf(stderr, "kyc_verify: out of memory\n");
	exit(2);
}

/*
 * KvAlloc
 *		malloc that never returns NULL.
 */
void *
KvAlloc(size_t size)
{
	void	   *ptr = malloc(size == 0 ? 1 : size);

	if (ptr == NULL)
		OutOfMemory();
	return ptr;
}

/*
 * KvAllocArray
 *		Allocate count elements of size bytes, refusing a product that overflows.
 */
void *
KvAllocArray(size_t count, size_t size)
{
	return KvReallocArray(NULL, count, size);
}

/*
 * KvReallocArray
 *		Resize an array of count elements, refusing a product that overflows.
 */
void *
KvReallocArray(void *ptr, size_t count, size_t size)
{
	void	   *res;

	if (size != 0 && count > SIZE_MAX / size)
		OutOfMemory();
	res = realloc(ptr, count * size == 0 ? 1 : count * size);
	if (res == NULL)
		OutOfMemory();
	return res;
}

/*
 * KvBufInit
 *		Start an empty buffer.
 */
void
KvBufInit(KvBuf *buf)
{
	buf->cap = 64;
	buf->len = 0;
	buf->data = KvAlloc(buf->cap);
	buf->data[0] = '\0';
}

/*
 * KvBufReserve
 *		Make room for extra more bytes plus the terminating NUL.
 */
static void
KvBufReserve(KvBuf *buf, size_t extra)
{
	size_t		need;

	if (extra > SIZE_MAX - buf->len - 1)
		OutOfMemory();
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return;
	while (buf->cap < need)
		buf->cap = (buf->cap > SIZE_MAX / 2) ? need : buf->cap * 2;
	buf->data = KvReallocArray(buf->data, buf->cap, 1);
}

/*
 * KvBufAppend
 *		Append len bytes.
 */
void
KvBufAppend(KvBuf *buf, const void *bytes, size_t len)
{
	KvBufReserve(buf, len);
	if (len > 0)
		memcpy(buf->data + buf->len, bytes, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

/*
 * KvBufAppendByte
 *		Append one byte.
 */
void
KvBufAppendByte(KvBuf *buf, unsigned char byte)
{
	KvBufAppend(buf, &byte, 1);
}

/*
 * KvBufAppendStr
 *		Append a NUL-terminated string, without its NUL.
 */
void
KvBufAppendStr(KvBuf *buf, const char *str)
{
	KvBufAppend(buf, str, strlen(str));
}

/*
 * KvBufFree
 *		Release the buffer's memory.
 */
void
KvBufFree(KvBuf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
}
