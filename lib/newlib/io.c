/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file-descriptor calls newlib's stdio makes (built with
 * MISSING_SYSCALL_NAMES: write, not _write). There is no file system:
 * descriptors 0, 1 and 2 are the console, every other descriptor is
 * EBADF, and calls that name a path fail with ENOSYS.
 *
 * stdout and stderr reach the console through one ukplat_coutk() per
 * write(), which the platform makes atomic; stdio holds the stream's own
 * lock (lock.c) while it fills and flushes its buffer, so a line printed
 * with one call arrives whole even while every CPU prints. The console has
 * no input here: reading stdin gives end of file.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <uk/plat/console.h>

int open(const char *path, int flags, ...);
int fcntl(int fd, int cmd, ...);

static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	size_t left = n;
	unsigned int chunk;

	if (fd != 1 && fd != 2)
		return fail(EBADF);
	while (left) {
		chunk = left > UINT_MAX ? UINT_MAX : (unsigned int)left;
		ukplat_coutk(p, chunk);
		p += chunk;
		left -= chunk;
	}
	return (_READ_WRITE_RETURN_TYPE)n;
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf __attribute__((unused)),
			     size_t n __attribute__((unused)))
{
	if (fd != 0)
		return fail(EBADF);
	return 0;
}

int close(int fd)
{
	/* The console stays open: closing it is allowed and does nothing. */
	return is_console(fd) ? 0 : fail(EBADF);
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd))
		return fail(EBADF);
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_blksize = 0 };
	return 0;
}

int isatty(int fd)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return 0;
	}
	return 1;
}

off_t lseek(int fd, off_t off __attribute__((unused)),
	    int whence __attribute__((unused)))
{
	return fail(is_console(fd) ? ESPIPE : EBADF);
}

int fcntl(int fd, int cmd __attribute__((unused)), ...)
{
	return fail(is_console(fd) ? ENOSYS : EBADF);
}

int open(const char *path __attribute__((unused)),
	 int flags __attribute__((unused)), ...)
{
	return fail(ENOSYS);
}

int stat(const char *path __attribute__((unused)),
	 struct stat *st __attribute__((unused)))
{
	return fail(ENOSYS);
}

int link(const char *old __attribute__((unused)),
	 const char *new __attribute__((unused)))
{
	return fail(ENOSYS);
}

int unlink(const char *path __attribute__((unused)))
{
	return fail(ENOSYS);
}

int mkdir(const char *path __attribute__((unused)),
	  mode_t mode __attribute__((unused)))
{
	return fail(ENOSYS);
}
