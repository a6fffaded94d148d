/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc stdlib.h: conversions, sorting, exit/abort and allocator names. */
#ifndef __NOLIBC_STDLIB_H__
#define __NOLIBC_STDLIB_H__

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define EXIT_SUCCESS	0
#define EXIT_FAILURE	1
#endif

/*
 * Ends the guest with status (see <uk/plat/bootstrap.h> for how statuses
 * reach the host). No atexit handlers, no stream flushing: nothing is
 * buffered. Any context.
 */
void exit(int status) __attribute__((__noreturn__));
#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
void _Exit(int status) __attribute__((__noreturn__));
#endif

/* Prints "abort() called" and crashes the guest (ukplat_crash()). */
void abort(void) __attribute__((__noreturn__));

/*
 * String to integer, C standard semantics: leading white space, optional
 * sign, base 2..36 or 0 (0x/0X prefix: 16, leading 0: 8, else 10). *endptr
 * (when endptr is not NULL) gets the first unparsed character, or nptr
 * when there were no digits. Out of range: the limit of the type in the
 * direction of the sign and errno ERANGE. Invalid base: 0, errno EINVAL.
 * The unsigned variants negate the value when a '-' is present.
 * Any context.
 */
long strtol(const char *__restrict nptr, char **__restrict endptr, int base);
long long strtoll(const char *__restrict nptr, char **__restrict endptr,
		  int base);
unsigned long strtoul(const char *__restrict nptr, char **__restrict endptr,
		      int base);
unsigned long long strtoull(const char *__restrict nptr,
			    char **__restrict endptr, int base);

/* strtol(nptr, NULL, 10) cast to the result type. */
int atoi(const char *nptr);
long atol(const char *nptr);
#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
long long atoll(const char *nptr);
#endif

#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
/* Absolute value; undefined for the type's minimum, as in C. */
int abs(int v);
long labs(long v);
long long llabs(long long v);
#endif

/*
 * Sorts nmemb elements of size bytes in place in the order given by cmp
 * (<0, 0, >0 like strcmp()). Not stable; O(n log n) comparisons, no
 * allocation, constant stack. Any context if cmp is.
 */
void qsort(void *base, size_t nmemb, size_t size,
	   int (*cmp)(const void *, const void *));

#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
/*
 * Binary search of key in nmemb elements sorted by cmp(key, element).
 * Returns a matching element (any of several equal ones) or NULL.
 */
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      int (*cmp)(const void *, const void *));
#endif

/*
 * Memory allocation. nolibc only declares these: an allocator library
 * provides them. Standard semantics (NULL and errno ENOMEM on failure).
 */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
int posix_memalign(void **memptr, size_t align, size_t size);
#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
void *aligned_alloc(size_t align, size_t size);
#endif

#ifdef __cplusplus
}
#endif

#endif /* __NOLIBC_STDLIB_H__ */
