/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc stdlib: string to integer conversion, abs, exit and abort. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>

/* Result of parsing the magnitude of a number. */
struct parsed {
	unsigned long long mag;
	int neg;
	int overflow;
};

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Value of c as a digit (36 for anything that is not one). */
static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'Z')
		return (unsigned int)(c - 'A' + 10);
	return 36;
}

/* Skips a 0x prefix when it is followed by a hex digit; settles base 0. */
static const char *parse_prefix(const char *s, int *base)
{
	if ((*base == 0 || *base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		*base = 16;
		return s + 2;
	}
	if (*base == 0)
		*base = s[0] == '0' ? 8 : 10;
	return s;
}

/*
 * Common part of the strto* functions. Returns 0 (with *endptr = nptr and,
 * for a bad base, errno EINVAL) when there is no number.
 */
static int parse_number(const char *nptr, char **endptr, int base,
			struct parsed *p)
{
	const char *s = nptr;
	unsigned long long lim;
	unsigned int d, lastd;
	int any = 0;

	p->mag = 0;
	p->neg = 0;
	p->overflow = 0;
	if (endptr)
		*endptr = (char *)nptr;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	while (is_space(*s))
		s++;
	if (*s == '+' || *s == '-')
		p->neg = *s++ == '-';
	s = parse_prefix(s, &base);
	lim = ULLONG_MAX / (unsigned int)base;
	lastd = (unsigned int)(ULLONG_MAX % (unsigned int)base);
	for (; (d = digit_value(*s)) < (unsigned int)base; s++) {
		any = 1;
		if (p->mag > lim || (p->mag == lim && d > lastd))
			p->overflow = 1;
		else
			p->mag = p->mag * (unsigned int)base + d;
	}
	if (any && endptr)
		*endptr = (char *)s;
	return any;
}

static long long to_signed(const struct parsed *p, long long min,
			   long long max)
{
	unsigned long long lim;

	lim = p->neg ? 0ULL - (unsigned long long)min : (unsigned long long)max;
	if (p->overflow || p->mag > lim) {
		errno = ERANGE;
		return p->neg ? min : max;
	}
	return p->neg ? (long long)(0ULL - p->mag) : (long long)p->mag;
}

static unsigned long long to_unsigned(const struct parsed *p,
				      unsigned long long max)
{
	if (p->overflow || p->mag > max) {
		errno = ERANGE;
		return max;
	}
	return p->neg ? (0ULL - p->mag) & max : p->mag;
}

long strtol(const char *__restrict nptr, char **__restrict endptr, int base)
{
	struct parsed p;

	if (!parse_number(nptr, endptr, base, &p))
		return 0;
	return (long)to_signed(&p, LONG_MIN, LONG_MAX);
}

long long strtoll(const char *__restrict nptr, char **__restrict endptr,
		  int base)
{
	struct parsed p;

	if (!parse_number(nptr, endptr, base, &p))
		return 0;
	return to_signed(&p, LLONG_MIN, LLONG_MAX);
}

unsigned long strtoul(const char *__restrict nptr, char **__restrict endptr,
		      int base)
{
	struct parsed p;

	if (!parse_number(nptr, endptr, base, &p))
		return 0;
	return (unsigned long)to_unsigned(&p, ULONG_MAX);
}

unsigned long long strtoull(const char *__restrict nptr,
			    char **__restrict endptr, int base)
{
	struct parsed p;

	if (!parse_number(nptr, endptr, base, &p))
		return 0;
	return to_unsigned(&p, ULLONG_MAX);
}

int atoi(const char *nptr)
{
	return (int)strtol(nptr, NULL, 10);
}

long atol(const char *nptr)
{
	return strtol(nptr, NULL, 10);
}

long long atoll(const char *nptr)
{
	return strtoll(nptr, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

long long llabs(long long v)
{
	return v < 0 ? -v : v;
}

void exit(int status)
{
	ukplat_exit(status);
}

void _Exit(int status)
{
	ukplat_exit(status);
}

void abort(void)
{
	static const char msg[] = "abort() called\n";

	ukplat_coutk(msg, sizeof(msg) - 1);
	ukplat_crash();
}
