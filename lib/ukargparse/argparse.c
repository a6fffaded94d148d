/* SPDX-License-Identifier: BSD-3-Clause */
/* Command-line splitting with shell-like quoting, done in place. */
#include <string.h>
#include <uk/argparse.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Copies one word starting at *src to dst (which trails src, so the copy
 * is in place), resolving quotes and escapes. Returns the end of the source.
 */
static char *word_copy(char *src, char *end, char *dst)
{
	char quote = 0;

	while (src < end && *src) {
		char c = *src++;

		if (quote) {
			if (c == quote)
				quote = 0;
			else if (c == '\\' && quote == '"' && src < end && *src
				 && (*src == '"' || *src == '\\'))
				*dst++ = *src++;
			else
				*dst++ = c;
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '\\' && src < end && *src) {
			*dst++ = *src++;
		} else if (is_blank(c)) {
			break;
		} else {
			*dst++ = c;
		}
	}
	*dst = '\0';
	return src;
}

int uk_argnparse(char *buf, size_t maxlen, char *argv[], int maxcount)
{
	char *p = buf, *end;
	int argc = 0;

	if (!maxlen || maxcount <= 0)
		return 0;
	/*
	 * The NUL, or the last byte (kept for a terminator). Not buf + maxlen:
	 * with maxlen SIZE_MAX (a NUL-terminated string, as Unikraft callers
	 * pass it) that wraps around and nothing would be parsed.
	 */
	end = buf + strnlen(buf, maxlen - 1);

	while (argc < maxcount) {
		while (p < end && *p && is_blank(*p))
			p++;
		if (p >= end || !*p)
			break;
		argv[argc++] = p;
		p = word_copy(p, end, p);
	}
	if (argc < maxcount)
		argv[argc] = NULL;
	return argc;
}
