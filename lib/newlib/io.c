/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file-descriptor calls newlib's stdio makes (built with
 * MISSING_SYSCALL_NAMES: write, not _write), on ukfd's table (uk/fd.h):
 * descriptors 0, 1 and 2 are the console, the others whatever a library
 * registered there (lwIP's sockets), and a descriptor that is not open is
 * EBADF. There is no file system: calls that name a path fail with ENOSYS.
 *
 * stdout and stderr reach the console through one ukplat_coutk() per
 * write() (ukfd's console), which the platform makes atomic; stdio holds
 * the stream's own lock (lock.c) while it fills and flushes its buffer, so
 * a line printed with one call arrives whole even while every CPU prints.
 * The console has no input here: reading stdin gives end of file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <uk/fd.h>

int open(const char *path, int flags, ...);

static int fail(int err)
{
	errno = err;
	return -1;
}

/* A ukfd result: negative errno values become -1 and errno. */
static long ret(long r)
{
	return r < 0 ? fail((int)-r) : r;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	return (_READ_WRITE_RETURN_TYPE)ret(uk_fd_write(fd, buf, n));
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	return (_READ_WRITE_RETURN_TYPE)ret(uk_fd_read(fd, buf, n));
}

int close(int fd)
{
	/* The console stays open: closing it is allowed and does nothing. */
	return (int)ret(uk_fd_close(fd));
}

int fstat(int fd, struct stat *st)
{
	int kind = uk_fd_kind(fd);

	if (kind < 0)
		return fail(-kind);
	*st = (struct stat){ .st_mode = kind == UK_FD_CONSOLE
					? S_IFCHR | 0620 : S_IFSOCK | 0777 };
	return 0;
}

int isatty(int fd)
{
	int kind = uk_fd_kind(fd);

	if (kind == UK_FD_CONSOLE)
		return 1;
	errno = kind < 0 ? -kind : ENOTTY;
	return 0;
}

off_t lseek(int fd, off_t off __attribute__((unused)),
	    int whence __attribute__((unused)))
{
	int kind = uk_fd_kind(fd);

	return fail(kind < 0 ? -kind : ESPIPE);
}

/* F_GETFL/F_SETFL (O_NONBLOCK) on sockets; the console: ENOSYS. */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int arg;

	va_start(ap, cmd);
	arg = cmd == F_SETFL || cmd == F_SETFD || cmd == F_DUPFD
	      ? va_arg(ap, int) : 0;
	va_end(ap);
	return (int)ret(uk_fd_fcntl(fd, cmd, arg));
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
