/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc string functions: memory blocks, string copy, compare and search. */
#include <stdint.h>
#include <string.h>

/* Unaligned, alias-anything 64-bit word for the word-wise loops. */
typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) word_u;

void *memcpy(void *__restrict dst, const void *__restrict src, size_t n)
{
	void *d = dst;

	__asm__ __volatile__("rep movsb"
			     : "+D"(d), "+S"(src), "+c"(n)
			     :
			     : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ __volatile__("rep stosb"
			     : "+D"(d), "+c"(n)
			     : "a"(c)
			     : "memory");
	return dst;
}

/* Copies from the end, for a destination above an overlapping source. */
static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	while (n >= sizeof(uint64_t)) {
		n -= sizeof(uint64_t);
		*(word_u *)(d + n) = *(const word_u *)(s + n);
	}
	while (n) {
		n--;
		d[n] = s[n];
	}
}

void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	/* A forward copy is safe unless dst starts inside [src, src + n). */
	if (d - s >= n) {
		void *dp = dst;

		__asm__ __volatile__("rep movsb"
				     : "+D"(dp), "+S"(src), "+c"(n)
				     :
				     : "memory");
		return dst;
	}
	copy_backward(dst, src, n);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	while (n >= sizeof(uint64_t) &&
	       *(const word_u *)p == *(const word_u *)q) {
		p += sizeof(uint64_t);
		q += sizeof(uint64_t);
		n -= sizeof(uint64_t);
	}
	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char ch = (unsigned char)c;

	for (; n; n--, p++) {
		if (*p == ch)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (!*p)
			return 0;
	}
	return 0;
}

char *strcpy(char *__restrict dst, const char *__restrict src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

char *strncpy(char *__restrict dst, const char *__restrict src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

char *strcat(char *__restrict dst, const char *__restrict src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strncat(char *__restrict dst, const char *__restrict src, size_t n)
{
	char *d = dst + strlen(dst);

	while (n-- && *src)
		*d++ = *src++;
	*d = '\0';
	return dst;
}

char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (!n)
		return (char *)haystack;
	for (; (haystack = strchr(haystack, *needle)); haystack++) {
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	}
	return NULL;
}

/* 256-bit membership map of the characters of set. */
struct charset {
	uint64_t bits[4];
};

static void charset_init(struct charset *cs, const char *set)
{
	unsigned char c;

	cs->bits[0] = cs->bits[1] = cs->bits[2] = cs->bits[3] = 0;
	while ((c = (unsigned char)*set++))
		cs->bits[c >> 6] |= 1ULL << (c & 63);
}

static int charset_has(const struct charset *cs, char ch)
{
	unsigned char c = (unsigned char)ch;

	return (cs->bits[c >> 6] >> (c & 63)) & 1;
}

size_t strspn(const char *s, const char *accept)
{
	struct charset cs;
	size_t n = 0;

	charset_init(&cs, accept);
	while (s[n] && charset_has(&cs, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	struct charset cs;
	size_t n = 0;

	charset_init(&cs, reject);
	while (s[n] && !charset_has(&cs, s[n]))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *accept)
{
	s += strcspn(s, accept);
	return *s ? (char *)s : NULL;
}

char *strtok_r(char *__restrict str, const char *__restrict delim,
	       char **__restrict saveptr)
{
	char *tok, *end;

	if (!str)
		str = *saveptr;
	if (!str)
		return NULL;
	tok = str + strspn(str, delim);
	if (!*tok) {
		*saveptr = NULL;
		return NULL;
	}
	end = tok + strcspn(tok, delim);
	if (*end)
		*end++ = '\0';
	else
		end = NULL;
	*saveptr = end;
	return tok;
}
