/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C library functions mimalloc calls that lib/nolibc lacks, under glue
 * names (Makefile.uk renames them in mimalloc's sources): the guest has no
 * file system, no environment and no process exit.
 */
#include <errno.h>
#include <stddef.h>

char *uk_mimalloc_realpath(const char *path, char *resolved)
{
	(void)path;
	(void)resolved;
	errno = ENOSYS;
	return NULL;
}

char *uk_mimalloc_getenv(const char *name)
{
	(void)name;
	return NULL;
}

/* mimalloc registers mi_process_done(): statistics output at exit only. */
int uk_mimalloc_atexit(void (*fn)(void))
{
	(void)fn;
	return 0;
}
