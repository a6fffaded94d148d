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

#endif /* __UK_ARGPARSE_H__ */
