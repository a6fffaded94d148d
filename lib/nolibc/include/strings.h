/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc strings.h: case-insensitive comparison (ASCII, C locale). */
#ifndef __NOLIBC_STRINGS_H__
#define __NOLIBC_STRINGS_H__

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Compare a and b (at most n characters) ignoring ASCII case, as if both
 * were passed through tolower(). Return <0, 0 or >0. Any context.
 */
int strcasecmp(const char *a, const char *b);
#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
int strncasecmp(const char *a, const char *b, size_t n);
#endif

#ifdef __cplusplus
}
#endif

#endif /* __NOLIBC_STRINGS_H__ */
