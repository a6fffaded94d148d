/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc printf engine: %f %e %g by exact decimal expansion of doubles. */
#include <stdint.h>
#include "format.h"

/*
 * A double is m * 2^e2 with integer m < 2^53, so its decimal expansion is
 * finite: at most 309 integer digits and 1074 fraction digits. We produce it
 * digit by digit with small big-number arithmetic (base 10^9 chunks for the
 * integer part, repeated multiplication by 10^9 of a binary fraction for
 * the rest) and round it in decimal, half to even, like glibc does in the
 * default rounding mode. Rounding needs a first pass over the digits, the
 * output a second; each pass restarts the expansion, so only O(1) digits
 * are ever stored and any precision works in bounded stack.
 */

#define CHUNK		1000000000U	/* 10^9: digits per chunk */
#define CHUNK_DIGITS	9
#define MAX_LIMBS	36		/* 32-bit limbs: 1074 bits + slack */
#define MAX_PREC	(1 << 24)	/* larger precisions are clamped */

static const uint32_t pow10[CHUNK_DIGITS] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
};

/* Digit stream of the exact decimal expansion of a non-zero m * 2^e2. */
struct digits {
	uint32_t ic[MAX_LIMBS];	/* integer part, base 10^9, [0] lowest */
	uint32_t fr[MAX_LIMBS];	/* fraction: fr / 2^(32 * nfr), [0] lowest */
	int ici;		/* next integer chunk to deliver, -1: none */
	int nfr;		/* limbs of fr in use */
	int frlo;		/* lowest non-zero limb (nfr: all zero) */
	uint32_t cur;		/* undelivered digits of the current chunk */
	int curleft;		/* how many digits cur holds */
	int e10;		/* exponent of the first significant digit */
};

/* Divides big (nl limbs) by 10^9 until zero; stores the chunks in ic. */
static int big_to_chunks(uint32_t *big, int nl, uint32_t *ic)
{
	int n = 0, i;
	uint64_t rem, t;

	while (nl > 0) {
		rem = 0;
		for (i = nl - 1; i >= 0; i--) {
			t = (rem << 32) | big[i];
			big[i] = (uint32_t)(t / CHUNK);
			rem = t % CHUNK;
		}
		ic[n++] = (uint32_t)rem;
		while (nl > 0 && big[nl - 1] == 0)
			nl--;
	}
	return n;
}

/* Next 9 fraction digits: fr *= 10^9, the limb carried out is the chunk. */
static uint32_t next_frac_chunk(struct digits *d)
{
	uint64_t carry = 0, t;
	int i;

	for (i = d->frlo; i < d->nfr; i++) {
		t = (uint64_t)d->fr[i] * CHUNK + carry;
		d->fr[i] = (uint32_t)t;
		carry = t >> 32;
	}
	while (d->frlo < d->nfr && d->fr[d->frlo] == 0)
		d->frlo++;
	return (uint32_t)carry;
}

static void load_chunk(struct digits *d)
{
	if (d->ici >= 0)
		d->cur = d->ic[d->ici--];
	else
		d->cur = next_frac_chunk(d);
	d->curleft = CHUNK_DIGITS;
}

/* Next digit of the expansion; 0 once it is exhausted. */
static int next_digit(struct digits *d)
{
	uint32_t p;
	int dig;

	if (!d->curleft)
		load_chunk(d);
	p = pow10[--d->curleft];
	dig = (int)(d->cur / p);
	d->cur %= p;
	return dig;
}

/* Whether any digit not yet delivered is non-zero. */
static int rest_nonzero(const struct digits *d)
{
	int i;

	if (d->cur || d->frlo < d->nfr)
		return 1;
	for (i = 0; i <= d->ici; i++)
		if (d->ic[i])
			return 1;
	return 0;
}

static int count_digits(uint32_t v)
{
	int n = 1;

	while (n < CHUNK_DIGITS && v >= pow10[n])
		n++;
	return n;
}

/* Integer part of m * 2^e2 for e2 >= 0: m shifted into limbs, converted. */
static int int_chunks_shifted(struct digits *d, uint64_t m, int e2)
{
	uint32_t *big = d->fr;	/* scratch: there is no fraction */
	int limb = e2 / 32, bit = e2 % 32, i;
	uint64_t lo = m << bit;
	uint64_t hi = bit ? m >> (64 - bit) : 0;

	for (i = 0; i < MAX_LIMBS; i++)
		big[i] = 0;
	big[limb] = (uint32_t)lo;
	big[limb + 1] = (uint32_t)(lo >> 32);
	big[limb + 2] = (uint32_t)hi;
	return big_to_chunks(big, limb + 3, d->ic);
}

/* Fraction bits f of m * 2^-s, aligned so the binary point is on a limb. */
static void set_fraction(struct digits *d, uint64_t f, int s)
{
	int sh;
	uint64_t lo, hi;

	d->nfr = (s + 31) / 32;
	sh = d->nfr * 32 - s;
	lo = f << sh;
	hi = sh ? f >> (64 - sh) : 0;
	d->fr[0] = (uint32_t)lo;
	d->fr[1] = (uint32_t)(lo >> 32);
	d->fr[2] = (uint32_t)hi;
	d->frlo = 0;
	while (d->frlo < d->nfr && d->fr[d->frlo] == 0)
		d->frlo++;
}

/* Skips leading zero fraction digits; the value is below 1 and not 0. */
static void skip_fraction_zeros(struct digits *d)
{
	d->e10 = -1;
	for (;;) {
		load_chunk(d);
		if (d->cur)
			break;
		d->e10 -= CHUNK_DIGITS;
	}
	while (d->cur < pow10[d->curleft - 1]) {
		d->curleft--;
		d->e10--;
	}
}

static void digits_init(struct digits *d, uint64_t m, int e2)
{
	int nic = 0, s, i;
	uint64_t ip;

	for (i = 0; i < MAX_LIMBS; i++)
		d->fr[i] = 0;
	d->nfr = 0;
	d->frlo = 0;
	if (e2 >= 0) {
		nic = int_chunks_shifted(d, m, e2);
		for (i = 0; i < MAX_LIMBS; i++)
			d->fr[i] = 0;
	} else {
		s = -e2;
		ip = s < 64 ? m >> s : 0;
		for (; ip; ip /= CHUNK)
			d->ic[nic++] = (uint32_t)(ip % CHUNK);
		set_fraction(d, s < 64 ? m & ((1ULL << s) - 1) : m, s);
	}
	d->ici = -1;
	if (!nic) {
		skip_fraction_zeros(d);
		return;
	}
	d->cur = d->ic[nic - 1];
	d->curleft = count_digits(d->cur);
	d->e10 = (nic - 1) * CHUNK_DIGITS + d->curleft - 1;
	d->ici = nic - 2;
}

/*
 * The rounded value: digits i < n come from the expansion, except that when
 * up is set the digit at lastnon9 is incremented and the ones after it are
 * 0. carry: every kept digit was 9 and the result is 1 followed by zeros.
 */
struct rounded {
	uint64_t m;		/* the value, m * 2^e2; m == 0: zero */
	int e2;
	int e10;		/* exponent of the first digit, rounded */
	long n;			/* digits taken from the expansion */
	long lastnon9;
	long lastnz;		/* last non-zero digit, -1: result is 0 */
	int up;
	int carry;
	int zero;
};

/* Iterator over the digits of a rounded value (0 past the end). */
struct digit_iter {
	struct digits d;
	const struct rounded *r;
	long i;
};

/*
 * Rounds m * 2^e2 (m != 0) to n significant digits, or, with fixed set, to
 * prec digits after the decimal point.
 */
static void round_value(struct digit_iter *it, struct rounded *r, int fixed,
			long prec)
{
	struct digits *d = &it->d;
	int dig, last = 0, rdig;
	long i;

	digits_init(d, r->m, r->e2);
	r->e10 = d->e10;
	r->n = fixed ? d->e10 + 1 + prec : prec;
	r->lastnon9 = -1;
	r->lastnz = -1;
	r->up = r->carry = r->zero = 0;
	if (r->n < 0) {
		r->zero = 1;	/* below half a unit of the last place */
		return;
	}
	for (i = 0; i < r->n; i++) {
		dig = next_digit(d);
		if (dig != 9)
			r->lastnon9 = i;
		if (dig)
			r->lastnz = i;
		last = dig;
	}
	rdig = next_digit(d);
	r->up = rdig > 5 ||
		(rdig == 5 && (rest_nonzero(d) || (last & 1)));
	if (r->up && r->lastnon9 < 0) {
		r->carry = 1;
		r->e10++;
		r->lastnz = 0;
	} else if (r->up) {
		r->lastnz = r->lastnon9;
	}
	if (r->lastnz < 0)
		r->zero = 1;
}

static void iter_start(struct digit_iter *it, const struct rounded *r)
{
	it->r = r;
	it->i = 0;
	if (!r->zero && !r->carry)
		digits_init(&it->d, r->m, r->e2);
}

static int iter_next(struct digit_iter *it)
{
	const struct rounded *r = it->r;
	long i = it->i++;
	int dig;

	if (r->zero)
		return 0;
	if (r->carry)
		return i == 0;
	if (i >= r->n)
		return 0;
	dig = next_digit(&it->d);
	if (!r->up || i < r->lastnon9)
		return dig;
	return i == r->lastnon9 ? dig + 1 : 0;
}

/* Small output buffer so digits do not go to the sink one by one. */
struct obuf {
	struct __nolibc_fmt_out *o;
	char b[32];
	unsigned int n;
};

static void ob_put(struct obuf *ob, char c)
{
	if (ob->n == sizeof(ob->b)) {
		__nolibc_fmt_emit(ob->o, ob->b, ob->n);
		ob->n = 0;
	}
	ob->b[ob->n++] = c;
}

static void ob_flush(struct obuf *ob)
{
	__nolibc_fmt_emit(ob->o, ob->b, ob->n);
	ob->n = 0;
}

/* The parts of a formatted number, sign and padding aside. */
struct layout {
	char sign;		/* 0 or the sign character */
	long intdigits;		/* %f: digits before the point */
	long fracdigits;	/* digits after the point */
	int point;		/* print the decimal point */
	int exp;		/* %e: exponent */
	int expform;		/* %e style */
	int upper;
};

static long exp_len(int exp)
{
	long n = 2;

	if (exp < 0)
		exp = -exp;
	for (exp /= 100; exp; exp /= 10)
		n++;
	return 2 + n;		/* 'e', sign, at least two digits */
}

static long layout_len(const struct layout *l)
{
	long len = (l->sign != 0) + l->fracdigits + l->point;

	if (l->expform)
		return len + 1 + exp_len(l->exp);
	return len + l->intdigits;
}

static void put_exponent(struct obuf *ob, const struct layout *l)
{
	char buf[8];
	int exp = l->exp < 0 ? -l->exp : l->exp, n = 0;

	ob_put(ob, l->upper ? 'E' : 'e');
	ob_put(ob, l->exp < 0 ? '-' : '+');
	do {
		buf[n++] = (char)('0' + exp % 10);
		exp /= 10;
	} while (exp);
	if (n < 2)
		buf[n++] = '0';
	while (n)
		ob_put(ob, buf[--n]);
}

/* Digits of the rounded value it iterates over, laid out as l says. */
static void put_number(struct obuf *ob, struct digit_iter *it,
		       const struct layout *l)
{
	int e10 = it->r->zero ? 0 : it->r->e10;
	long k, pos;

	if (l->expform) {
		ob_put(ob, (char)('0' + iter_next(it)));
	} else {
		/* digit positions intdigits-1 .. 0; before e10: zeros */
		for (pos = l->intdigits - 1; pos >= 0; pos--)
			ob_put(ob, pos > e10 ? '0' :
			       (char)('0' + iter_next(it)));
	}
	if (l->point)
		ob_put(ob, '.');
	for (k = 1; k <= l->fracdigits; k++) {
		if (!l->expform && -k > e10)
			ob_put(ob, '0');
		else
			ob_put(ob, (char)('0' + iter_next(it)));
	}
	if (l->expform)
		put_exponent(ob, l);
}

static void emit_number(struct __nolibc_fmt_out *o,
			const struct __nolibc_fmt_spec *sp,
			struct digit_iter *it, const struct layout *l)
{
	struct obuf ob = { .o = o, .n = 0 };
	size_t len = (size_t)layout_len(l), width = (size_t)sp->width;
	size_t pad = width > len ? width - len : 0;
	int zeropad = (sp->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO;

	if (!(sp->flags & FMT_LEFT) && !zeropad)
		__nolibc_fmt_repeat(o, ' ', pad);
	if (l->sign)
		__nolibc_fmt_emit(o, &l->sign, 1);
	if (zeropad)
		__nolibc_fmt_repeat(o, '0', pad);
	put_number(&ob, it, l);
	ob_flush(&ob);
	if (sp->flags & FMT_LEFT)
		__nolibc_fmt_repeat(o, ' ', pad);
}

/* %f layout for a value rounded to prec fraction digits. */
static void layout_fixed(struct layout *l, const struct rounded *r,
			 long prec, int alt)
{
	l->expform = 0;
	l->intdigits = (r->zero || r->e10 < 0) ? 1 : r->e10 + 1;
	l->fracdigits = prec;
	l->point = prec > 0 || alt;
}

/* %e layout for a value rounded to prec + 1 significant digits. */
static void layout_exp(struct layout *l, const struct rounded *r,
		       long prec, int alt)
{
	l->expform = 1;
	l->exp = r->zero ? 0 : r->e10;
	l->intdigits = 1;
	l->fracdigits = prec;
	l->point = prec > 0 || alt;
}

/* %g: style e or f chosen by the exponent; trailing zeros removed. */
static void layout_general(struct digit_iter *it, struct rounded *r,
			   struct layout *l, long prec, int alt)
{
	long p = prec ? prec : 1, x, frac;

	if (!r->zero)
		round_value(it, r, 0, p);
	x = r->zero ? 0 : r->e10;
	if (p > x && x >= -4) {
		if (!r->zero)
			round_value(it, r, 1, p - 1 - x);
		layout_fixed(l, r, p - 1 - x, alt);
		if (alt)
			return;
		frac = r->zero ? 0 : r->lastnz - r->e10;
		if (frac < l->fracdigits)
			l->fracdigits = frac < 0 ? 0 : frac;
	} else {
		layout_exp(l, r, p - 1, alt);
		if (alt)
			return;
		frac = r->zero ? 0 : r->lastnz;
		if (frac < l->fracdigits)
			l->fracdigits = frac;
	}
	l->point = l->fracdigits > 0;
}

/* inf and nan: never zero padded. */
static void emit_special(struct __nolibc_fmt_out *o,
			 const struct __nolibc_fmt_spec *sp, char sign,
			 const char *text)
{
	struct __nolibc_fmt_spec s = *sp;
	char buf[4];
	size_t n = 0;

	if (sign)
		buf[n++] = sign;
	while (*text)
		buf[n++] = *text++;
	s.flags &= ~FMT_ZERO;
	if (!(s.flags & FMT_LEFT) && (size_t)s.width > n)
		__nolibc_fmt_repeat(o, ' ', (size_t)s.width - n);
	__nolibc_fmt_emit(o, buf, n);
	if ((s.flags & FMT_LEFT) && (size_t)s.width > n)
		__nolibc_fmt_repeat(o, ' ', (size_t)s.width - n);
}

/* Splits v into m * 2^e2; returns 1 for inf/nan (m != 0: nan). */
static int decompose(double v, uint64_t *m, int *e2, int *negative)
{
	uint64_t bits;
	int bexp;

	__builtin_memcpy(&bits, &v, sizeof(bits));
	*negative = (int)(bits >> 63);
	bexp = (int)((bits >> 52) & 0x7ff);
	*m = bits & ((1ULL << 52) - 1);
	if (bexp == 0x7ff)
		return 1;
	if (bexp) {
		*m |= 1ULL << 52;
		*e2 = bexp - 1075;
	} else {
		*e2 = -1074;
	}
	while (*m && !(*m & 1) && *e2 < 0) {
		*m >>= 1;
		(*e2)++;
	}
	return 0;
}

void __nolibc_fmt_double(struct __nolibc_fmt_out *o,
			 const struct __nolibc_fmt_spec *sp, double v)
{
	struct digit_iter it;
	struct rounded r = { .e2 = 0 };
	struct layout l = { .upper = sp->conv >= 'A' && sp->conv <= 'Z' };
	int negative, alt = !!(sp->flags & FMT_ALT);
	long prec = sp->prec < 0 ? 6 : sp->prec;
	char c = (char)(sp->conv | 0x20);

	if (prec > MAX_PREC)
		prec = MAX_PREC;
	if (decompose(v, &r.m, &r.e2, &negative)) {
		l.sign = __nolibc_fmt_sign(sp, negative);
		emit_special(o, sp, l.sign, r.m ? (l.upper ? "NAN" : "nan") :
			     (l.upper ? "INF" : "inf"));
		return;
	}
	l.sign = __nolibc_fmt_sign(sp, negative);
	r.zero = r.m == 0;
	if (c == 'g') {
		layout_general(&it, &r, &l, prec, alt);
	} else if (c == 'e') {
		if (!r.zero)
			round_value(&it, &r, 0, prec + 1);
		layout_exp(&l, &r, prec, alt);
	} else {
		if (!r.zero)
			round_value(&it, &r, 1, prec);
		layout_fixed(&l, &r, prec, alt);
	}
	iter_start(&it, &r);
	emit_number(o, sp, &it, &l);
}
