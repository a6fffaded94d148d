/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc internal: the printf formatter shared by stdio.c and format_fp.c. */
#ifndef __NOLIBC_FORMAT_H__
#define __NOLIBC_FORMAT_H__

#include <stddef.h>
#include <stdarg.h>

/* Receives formatted output in pieces; len may be 0. */
typedef void (*__nolibc_sink_fn)(void *arg, const char *s, size_t len);

struct __nolibc_fmt_out {
	__nolibc_sink_fn fn;
	void *arg;
	size_t count;		/* characters produced so far */
};

#define FMT_LEFT	0x01	/* '-' */
#define FMT_PLUS	0x02	/* '+' */
#define FMT_SPACE	0x04	/* ' ' */
#define FMT_ALT		0x08	/* '#' */
#define FMT_ZERO	0x10	/* '0' */

/* One conversion specification, parsed. */
struct __nolibc_fmt_spec {
	unsigned int flags;	/* FMT_* */
	int width;		/* 0: none */
	int prec;		/* -1: none */
	char conv;		/* conversion character */
};

/*
 * Formats fmt with ap and hands the result to fn(arg, ...) in pieces.
 * Returns the number of characters produced, or -1 with errno EOVERFLOW
 * when that exceeds INT_MAX. Any context; uses under 1 KiB of stack.
 */
int __nolibc_vformat(__nolibc_sink_fn fn, void *arg, const char *fmt,
		     va_list ap);

/* Emits len characters of s, or n copies of c. */
void __nolibc_fmt_emit(struct __nolibc_fmt_out *o, const char *s, size_t len);
void __nolibc_fmt_repeat(struct __nolibc_fmt_out *o, char c, size_t n);

/* The sign character a conversion prints: '-', '+', ' ' or none (0). */
static inline char __nolibc_fmt_sign(const struct __nolibc_fmt_spec *sp,
				     int negative)
{
	if (negative)
		return '-';
	if (sp->flags & FMT_PLUS)
		return '+';
	if (sp->flags & FMT_SPACE)
		return ' ';
	return 0;
}

/* Emits v for a floating-point specification (f F e E g G). */
void __nolibc_fmt_double(struct __nolibc_fmt_out *o,
			 const struct __nolibc_fmt_spec *sp, double v);

#endif /* __NOLIBC_FORMAT_H__ */
