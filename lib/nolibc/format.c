/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc printf engine: parses format strings, formats integers and strings. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include "format.h"

enum len_mod {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_J,
	LEN_T,
	LEN_LD,
};

void __nolibc_fmt_emit(struct __nolibc_fmt_out *o, const char *s, size_t len)
{
	if (!len)
		return;
	o->fn(o->arg, s, len);
	o->count += len;
}

void __nolibc_fmt_repeat(struct __nolibc_fmt_out *o, char c, size_t n)
{
	char chunk[16];
	size_t i, k;

	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = c;
	while (n) {
		k = n < sizeof(chunk) ? n : sizeof(chunk);
		__nolibc_fmt_emit(o, chunk, k);
		n -= k;
	}
}

/* Space padding before (after == 0) or after a field of len characters. */
static void pad_field(struct __nolibc_fmt_out *o,
		      const struct __nolibc_fmt_spec *sp, size_t len, int after)
{
	size_t width = (size_t)sp->width;

	if (width <= len)
		return;
	if (!!(sp->flags & FMT_LEFT) != !!after)
		return;
	__nolibc_fmt_repeat(o, ' ', width - len);
}

/* Characters (%c, %s) with width; the '0' flag pads with spaces too. */
static void fmt_chars(struct __nolibc_fmt_out *o,
		      const struct __nolibc_fmt_spec *sp, const char *s,
		      size_t len)
{
	pad_field(o, sp, len, 0);
	__nolibc_fmt_emit(o, s, len);
	pad_field(o, sp, len, 1);
}

static size_t bounded_len(const char *s, int prec)
{
	size_t n = 0;

	while (s[n] && (prec < 0 || n < (size_t)prec))
		n++;
	return n;
}

static void fmt_string(struct __nolibc_fmt_out *o,
		       const struct __nolibc_fmt_spec *sp, const char *s)
{
	if (!s)
		s = (sp->prec < 0 || sp->prec >= 6) ? "(null)" : "";
	fmt_chars(o, sp, s, bounded_len(s, sp->prec));
}

/* Writes the digits of v right-aligned ending at end; returns their count. */
static size_t to_digits(char *end, uintmax_t v, unsigned int base, int upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		*--end = set[v % base];
		v /= base;
		n++;
	} while (v);
	return n;
}

static unsigned int conv_base(char conv)
{
	if (conv == 'o')
		return 8;
	if (conv == 'x' || conv == 'X')
		return 16;
	return 10;
}

/*
 * Integer conversions d i u o x X (and p through x). sign is '-', '+',
 * ' ' or 0; v is the magnitude.
 */
static void fmt_integer(struct __nolibc_fmt_out *o,
			const struct __nolibc_fmt_spec *sp, uintmax_t v,
			char sign)
{
	char digits[24], prefix[3];
	unsigned int base = conv_base(sp->conv);
	size_t n, plen = 0, zeros = 0, total;
	size_t prec = sp->prec < 0 ? 1 : (size_t)sp->prec;

	n = to_digits(digits + sizeof(digits), v, base, sp->conv == 'X');
	if (sp->prec == 0 && v == 0)
		n = 0;
	if (prec > n)
		zeros = prec - n;
	if (sp->conv == 'o' && (sp->flags & FMT_ALT) && !zeros &&
	    (n == 0 || digits[sizeof(digits) - n] != '0'))
		zeros = 1;
	if (sign)
		prefix[plen++] = sign;
	if (base == 16 && (sp->flags & FMT_ALT) && v) {
		prefix[plen++] = '0';
		prefix[plen++] = sp->conv;
	}
	total = plen + zeros + n;
	if ((sp->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO && sp->prec < 0 &&
	    (size_t)sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	pad_field(o, sp, total, 0);
	__nolibc_fmt_emit(o, prefix, plen);
	__nolibc_fmt_repeat(o, '0', zeros);
	__nolibc_fmt_emit(o, digits + sizeof(digits) - n, n);
	pad_field(o, sp, total, 1);
}

static intmax_t arg_signed(va_list *ap, int len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
	case LEN_LD:	/* %Ld: glibc reads a long long */
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t arg_unsigned(va_list *ap, int len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
	case LEN_LD:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void fmt_signed(struct __nolibc_fmt_out *o,
		       const struct __nolibc_fmt_spec *sp, intmax_t v)
{
	uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;

	fmt_integer(o, sp, mag, __nolibc_fmt_sign(sp, v < 0));
}

/* %p: "(nil)" for NULL, otherwise like %#lx. */
static void fmt_pointer(struct __nolibc_fmt_out *o,
			const struct __nolibc_fmt_spec *sp, const void *p)
{
	struct __nolibc_fmt_spec hex = *sp;

	if (!p) {
		fmt_chars(o, sp, "(nil)", 5);
		return;
	}
	hex.conv = 'x';
	hex.flags |= FMT_ALT;
	fmt_integer(o, &hex, (uintptr_t)p, __nolibc_fmt_sign(sp, 0));
}

/* %n: stores the number of characters produced so far. */
static void store_count(va_list *ap, int len, size_t count)
{
	switch (len) {
	case LEN_HH:
		*va_arg(*ap, signed char *) = (signed char)count;
		break;
	case LEN_H:
		*va_arg(*ap, short *) = (short)count;
		break;
	case LEN_L:
		*va_arg(*ap, long *) = (long)count;
		break;
	case LEN_LL:
		*va_arg(*ap, long long *) = (long long)count;
		break;
	case LEN_Z:
	case LEN_T:
		*va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)count;
		break;
	case LEN_J:
		*va_arg(*ap, intmax_t *) = (intmax_t)count;
		break;
	default:
		*va_arg(*ap, int *) = (int)count;
		break;
	}
}

static void fmt_float_arg(struct __nolibc_fmt_out *o,
			  const struct __nolibc_fmt_spec *sp, va_list *ap,
			  int len)
{
	double v;

	if (len == LEN_LD)
		v = (double)va_arg(*ap, long double);
	else
		v = va_arg(*ap, double);
	__nolibc_fmt_double(o, sp, v);
}

/*
 * Formats one argument for the parsed specification. Returns 0 for an
 * unknown conversion character (the caller then prints it literally).
 */
static int fmt_arg(struct __nolibc_fmt_out *o,
		   const struct __nolibc_fmt_spec *sp, int len, va_list *ap)
{
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		fmt_signed(o, sp, arg_signed(ap, len));
		return 1;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		fmt_integer(o, sp, arg_unsigned(ap, len), 0);
		return 1;
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_chars(o, sp, &c, 1);
		return 1;
	case 's':
		fmt_string(o, sp, va_arg(*ap, const char *));
		return 1;
	case 'p':
		fmt_pointer(o, sp, va_arg(*ap, const void *));
		return 1;
	case 'n':
		store_count(ap, len, o->count);
		return 1;
	case '%':
		__nolibc_fmt_emit(o, "%", 1);
		return 1;
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
		fmt_float_arg(o, sp, ap, len);
		return 1;
	case 'a':
	case 'A':
		/* Unsupported: consume the argument, print the spec. */
		if (len == LEN_LD)
			(void)va_arg(*ap, long double);
		else
			(void)va_arg(*ap, double);
		return 0;
	default:
		return 0;
	}
}

static const char *parse_flags(const char *p, unsigned int *flags)
{
	for (;; p++) {
		switch (*p) {
		case '-':
			*flags |= FMT_LEFT;
			break;
		case '+':
			*flags |= FMT_PLUS;
			break;
		case ' ':
			*flags |= FMT_SPACE;
			break;
		case '#':
			*flags |= FMT_ALT;
			break;
		case '0':
			*flags |= FMT_ZERO;
			break;
		default:
			return p;
		}
	}
}

/* Decimal digits at p, saturating at INT_MAX. */
static const char *parse_num(const char *p, int *out)
{
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		if (v > (INT_MAX - (*p - '0')) / 10)
			v = INT_MAX;
		else
			v = v * 10 + (*p - '0');
		p++;
	}
	*out = v;
	return p;
}

static const char *parse_width(const char *p, va_list *ap,
			       struct __nolibc_fmt_spec *sp)
{
	int w;

	if (*p != '*')
		return parse_num(p, &sp->width);
	w = va_arg(*ap, int);
	if (w < 0) {
		sp->flags |= FMT_LEFT;
		w = (w == INT_MIN) ? INT_MAX : -w;
	}
	sp->width = w;
	return p + 1;
}

static const char *parse_prec(const char *p, va_list *ap,
			      struct __nolibc_fmt_spec *sp)
{
	int v;

	if (*p != '.')
		return p;
	p++;
	if (*p != '*')
		return parse_num(p, &sp->prec);
	v = va_arg(*ap, int);
	sp->prec = v < 0 ? -1 : v;
	return p + 1;
}

static const char *parse_length(const char *p, int *len)
{
	switch (*p) {
	case 'h':
		if (p[1] == 'h') {
			*len = LEN_HH;
			return p + 2;
		}
		*len = LEN_H;
		return p + 1;
	case 'l':
		if (p[1] == 'l') {
			*len = LEN_LL;
			return p + 2;
		}
		*len = LEN_L;
		return p + 1;
	case 'z':
		*len = LEN_Z;
		return p + 1;
	case 'j':
		*len = LEN_J;
		return p + 1;
	case 't':
		*len = LEN_T;
		return p + 1;
	case 'L':
		*len = LEN_LD;
		return p + 1;
	default:
		*len = LEN_NONE;
		return p;
	}
}

/* Handles the specification starting at the '%' at p; returns its end. */
static const char *convert(struct __nolibc_fmt_out *o, const char *p,
			   va_list *ap)
{
	struct __nolibc_fmt_spec sp = { .flags = 0, .width = 0, .prec = -1 };
	const char *start = p;
	int len;

	p = parse_flags(p + 1, &sp.flags);
	p = parse_width(p, ap, &sp);
	p = parse_prec(p, ap, &sp);
	p = parse_length(p, &len);
	sp.conv = *p;
	if (!sp.conv) {
		__nolibc_fmt_emit(o, start, (size_t)(p - start));
		return p;
	}
	p++;
	if (!fmt_arg(o, &sp, len, ap))
		__nolibc_fmt_emit(o, start, (size_t)(p - start));
	return p;
}

int __nolibc_vformat(__nolibc_sink_fn fn, void *arg, const char *fmt,
		     va_list ap)
{
	struct __nolibc_fmt_out o = { .fn = fn, .arg = arg, .count = 0 };
	const char *p;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		for (p = fmt; *p && *p != '%'; p++)
			;
		__nolibc_fmt_emit(&o, fmt, (size_t)(p - fmt));
		if (!*p)
			break;
		fmt = convert(&o, p, &aq);
	}
	va_end(aq);
	if (o.count > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.count;
}
