/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc ctype.h: character classes of the C locale (7-bit ASCII). */
#ifndef __NOLIBC_CTYPE_H__
#define __NOLIBC_CTYPE_H__

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Character classification for c in 0..255 or EOF, C locale: bytes above
 * 127 and EOF belong to no class. Return non-zero when c is in the class.
 * Any context.
 */
int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);

/* Case mapping of ASCII letters; any other value is returned unchanged. */
int tolower(int c);
int toupper(int c);

#ifdef __cplusplus
}
#endif

#endif /* __NOLIBC_CTYPE_H__ */
