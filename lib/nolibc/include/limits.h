/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc limits.h: integer limits (gcc's own limits.h needs a libc one). */
#ifndef __NOLIBC_LIMITS_H__
#define __NOLIBC_LIMITS_H__

#define CHAR_BIT	__CHAR_BIT__
#ifndef UK_UPSTREAM_PROFILE	/* not in upstream's nolibc (doc/reuse.md) */
#define MB_LEN_MAX	1
#define SCHAR_MAX	__SCHAR_MAX__
#define SCHAR_MIN	(-__SCHAR_MAX__ - 1)
#endif
#define UCHAR_MAX	(__SCHAR_MAX__ * 2 + 1)
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN	0
#define CHAR_MAX	UCHAR_MAX
#else
#define CHAR_MIN	(-__SCHAR_MAX__ - 1)
#define CHAR_MAX	__SCHAR_MAX__
#endif

#define SHRT_MAX	__SHRT_MAX__
#define SHRT_MIN	(-SHRT_MAX - 1)
#define USHRT_MAX	(SHRT_MAX * 2 + 1)

#define INT_MAX		__INT_MAX__
#define INT_MIN		(-INT_MAX - 1)
#define UINT_MAX	(INT_MAX * 2U + 1U)

#define LONG_MAX	__LONG_MAX__
#define LONG_MIN	(-LONG_MAX - 1L)
#define ULONG_MAX	(LONG_MAX * 2UL + 1UL)

#define LLONG_MAX	__LONG_LONG_MAX__
#define LLONG_MIN	(-LLONG_MAX - 1LL)
#define ULLONG_MAX	(LLONG_MAX * 2ULL + 1ULL)

/* POSIX */
#define SSIZE_MAX	LONG_MAX

#endif /* __NOLIBC_LIMITS_H__ */
