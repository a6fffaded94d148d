/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc strdup/strndup: copies in malloc() memory, if an allocator exists. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * nolibc has no allocator; one comes from another library. The reference is
 * weak so that an image without an allocator still links (every archive is
 * linked whole): the functions then fail with ENOMEM.
 */
#pragma weak malloc

static char *dup_n(const char *s, size_t n)
{
	char *p;

	if (!malloc) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n + 1);
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *strdup(const char *s)
{
	return dup_n(s, strlen(s));
}

char *strndup(const char *s, size_t n)
{
	return dup_n(s, strnlen(s, n));
}
