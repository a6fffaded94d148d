/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Force-included into mimalloc's sources: the few C library functions it
 * calls that lib/nolibc does not have. The names are renamed to glue
 * functions (Makefile.uk's -D flags) so no global libc symbol is added.
 */
#ifndef __UK_MIMALLOC_LIBC_H__
#define __UK_MIMALLOC_LIBC_H__

/* No file system: NULL with errno ENOSYS. */
char *realpath(const char *path, char *resolved);
/* No environment: always NULL. */
char *getenv(const char *name);
/* Nothing runs at exit (the guest powers off): records nothing, 0. */
int atexit(void (*fn)(void));

#endif /* __UK_MIMALLOC_LIBC_H__ */
