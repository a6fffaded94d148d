/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc string.h: memory and NUL-terminated string functions. */
#ifndef __NOLIBC_STRING_H__
#define __NOLIBC_STRING_H__

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Memory blocks. Any context. memcpy() needs non-overlapping blocks,
 * memmove() accepts overlapping ones. They cannot fail.
 */
void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
/* Compares as unsigned char; returns <0, 0 or >0. */
int memcmp(const void *a, const void *b, size_t n);
/* First byte equal to (unsigned char)c in the n bytes at s, or NULL. */
void *memchr(const void *s, int c, size_t n);

/* String length, and length bounded by maxlen. Any context. */
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);

/* Compares as unsigned char; returns <0, 0 or >0. Any context. */
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/*
 * Copy and concatenate, with the C standard's semantics: strncpy() pads
 * with NULs and does not terminate when src is n or more characters long;
 * strncat() appends at most n characters and always terminates. The caller
 * provides room; nothing is checked. Return dst.
 */
char *strcpy(char *__restrict dst, const char *__restrict src);
char *strncpy(char *__restrict dst, const char *__restrict src, size_t n);
char *strcat(char *__restrict dst, const char *__restrict src);
char *strncat(char *__restrict dst, const char *__restrict src, size_t n);

/*
 * Searches: first/last occurrence of (char)c (the terminator when c is 0),
 * first occurrence of needle (haystack when needle is empty), any of the
 * characters of accept. NULL when not found.
 */
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
char *strpbrk(const char *s, const char *accept);
#endif

/* Length of the prefix of s made of characters in (not in) the set. */
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

/*
 * Splits str at characters of delim, POSIX strtok_r(): the first call
 * passes the string, later ones NULL and the same *saveptr. Writes NULs
 * into the string. Returns the next token or NULL when none is left.
 */
char *strtok_r(char *__restrict str, const char *__restrict delim,
	       char **__restrict saveptr);

/*
 * Message for an errno value ("Success" for 0, "Unknown error" for values
 * it does not know). The text is constant: the caller must not modify it.
 * Never NULL. Any context.
 */
char *strerror(int errnum);

/*
 * Copies into memory from malloc(). Return NULL with errno ENOMEM when
 * allocation fails or when no allocator library is linked into the image.
 * strndup() copies at most n characters and always terminates.
 */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* __NOLIBC_STRING_H__ */
