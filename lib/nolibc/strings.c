/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc strings.h functions: ASCII case-insensitive comparison. */
#include <strings.h>

static unsigned char lower(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

int strcasecmp(const char *a, const char *b)
{
	unsigned char x, y;

	do {
		x = lower(*a++);
		y = lower(*b++);
	} while (x && x == y);
	return x - y;
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	unsigned char x, y;

	for (; n; n--) {
		x = lower(*a++);
		y = lower(*b++);
		if (x != y || !x)
			return x - y;
	}
	return 0;
}
