/* SPDX-License-Identifier: BSD-3-Clause */
/* Splitting a command line into an argv array, in place. */
#ifndef __UK_ARGPARSE_H__
#define __UK_ARGPARSE_H__

#include <stddef.h>

/*
 * Splits the NUL-terminated string in buf (at most maxlen bytes are read)
 * into words, in place (a string without NUL in its first maxlen bytes
 * loses its last byte to the terminator): blanks separate words, '...' and "..." group,
 * a backslash makes the next character literal (outside single quotes).
 * Stores up to maxcount word pointers in argv and, when there is room
 * (argc < maxcount), a NULL after the last one. Words beyond maxcount are
 * dropped. Returns the number of words stored. Any context; reentrant.
 */
int uk_argnparse(char *buf, size_t maxlen, char *argv[], int maxcount);

/* Unikraft's: uk_argnparse() of a NUL-terminated buf of any length. */
#define uk_argparse(buf, argv, maxcount)				\
	({								\
		char *__uk_ap_buf = (buf);				\
									\
		uk_argnparse(__uk_ap_buf,				\
			     __builtin_strlen(__uk_ap_buf) + 1,		\
			     (argv), (maxcount));			\
	})

/*
 * Unikraft's iterator over a list such as "a:b::c": returns the argument
 * at *argptr and moves *argptr past it, ending the argument by writing
 * '\0' over its separator; after the last one *argptr is NULL, and with
 * *argptr NULL it returns NULL. Empty arguments are "". Reentrant.
 */
static inline char *uk_nextarg(char **argptr, int separator)
{
	char *arg = *argptr, *p = arg;

	if (!arg)
		return NULL;
	while (*p && *p != (char)separator)
		p++;
	if (*p) {
		*p = '\0';
		*argptr = p + 1;
	} else {
		*argptr = NULL;
	}
	return arg;
}

/*
 * The same for a buffer it must not change: returns the length of the
 * argument starting at *argptr (as it was before the call) and moves
 * *argptr past its separator, or to NULL after the last one. 0 with
 * *argptr NULL on entry: no arguments left.
 */
static inline size_t uk_nextarg_r(const char **argptr, int separator)
{
	const char *arg = *argptr;
	size_t len = 0;

	if (!arg)
		return 0;
	while (arg[len] && arg[len] != (char)separator)
		len++;
	*argptr = arg[len] ? arg + len + 1 : NULL;
	return len;
}

/*
 * Whether str (at most len bytes) starts with the whole keyword key:
 * returns 0 when str is exactly key, the index of the separator when key
 * is followed by one of the characters in separators (may be NULL), -1
 * otherwise (also when key is only a prefix of a longer word).
 */
static inline long uk_strnkeycmp(const char *str, size_t len, const char *key,
				 const char separators[])
{
	size_t i;
	const char *s;

	for (i = 0; key[i]; i++)
		if (i >= len || str[i] != key[i])
			return -1;
	if (i >= len || !str[i])
		return 0;
	for (s = separators; s && *s; s++)
		if (str[i] == *s)
			return (long)i;
	return -1;
}

#endif /* __UK_ARGPARSE_H__ */
