/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process for newlib: one process, pid 1, that ends by powering the
 * machine off. main() returns through exit() (the link wraps main), so
 * atexit handlers run and stdio is flushed before _exit() hands the
 * status to the platform; abort() prints a crash report. Processes and
 * signals beyond that do not exist: fork/execve/kill/wait fail cleanly.
 * getentropy()/getrandom() come from ukrandom when it is enabled.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>
#include <uk/config.h>
#include <uk/assert.h>
#include <uk/essentials.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>
#if CONFIG_LIBUKRANDOM
#include <uk/random.h>
#endif

int __real_main(int argc, char *argv[]);
int __wrap_main(int argc, char *argv[]);
int kill(pid_t pid, int sig);
int execve(const char *path, char *const argv[], char *const envp[]);
int wait(int *status);
void *sbrk(ptrdiff_t incr);

/*
 * exit() flushes stdio only through _GLOBAL_REENT->__cleanup, which newlib
 * sets when the global reent itself is initialised; main() and every other
 * thread run on their own reent (reent.c), so without this nothing would be
 * flushed. fflush(NULL) walks the global stream list, which holds stdin,
 * stdout, stderr (global streams) and every fopen()ed FILE (__sfp).
 */
static void flush_all(void)
{
	fflush(NULL);
}

/* ukboot calls main() through here (ld --wrap=main, Makefile.uk). */
int __wrap_main(int argc, char *argv[])
{
	/*
	 * Registered first, so it runs after every handler main() registers
	 * (they run in reverse order) and their output is flushed too. The
	 * first 32 registrations use a static table: this one cannot fail.
	 */
	if (atexit(flush_all))
		UK_CRASH("newlib: atexit() failed before main()\n");
	exit(__real_main(argc, argv));
}

/*
 * The guest's exit status is main()'s value or exit()'s argument when it
 * is in 0..UKPLAT_EXIT_MAX_MAIN, as ukboot does it for main().
 */
void _exit(int status)
{
	if (status < 0 || status > UKPLAT_EXIT_MAX_MAIN) {
		fprintf(stderr, "newlib: exit status %d, outside 0..%d: "
			"exit status %d\n", status, UKPLAT_EXIT_MAX_MAIN,
			UKPLAT_EXIT_MAIN_RANGE);
		fflush(stderr);
		status = UKPLAT_EXIT_MAIN_RANGE;
	}
	ukplat_exit(status);
}

void abort(void)
{
	static const char msg[] = "abort() called\n";

	/* Not through stdio: its locks may be held by the caller. */
	ukplat_coutk(msg, sizeof(msg) - 1);
	ukplat_crash();
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig __unused)
{
	errno = pid == 1 ? ENOSYS : ESRCH;
	return -1;
}

pid_t fork(void)
{
	errno = ENOSYS;
	return -1;
}

int execve(const char *path __unused, char *const argv[] __unused,
	   char *const envp[] __unused)
{
	errno = ENOSYS;
	return -1;
}

int wait(int *status __unused)
{
	errno = ECHILD;
	return -1;
}

/* Nothing grows a heap by sbrk: malloc() is ukalloc's. */
void *sbrk(ptrdiff_t incr __unused)
{
	errno = ENOMEM;
	return (void *)-1;
}

int sigprocmask(int how __unused, const sigset_t *set __unused,
		sigset_t *old)
{
	/* No signal is ever delivered: the mask is always empty. */
	if (old)
		*old = 0;
	return 0;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if (flags & ~(unsigned int)(GRND_NONBLOCK | GRND_RANDOM)) {
		errno = EINVAL;
		return -1;
	}
#if CONFIG_LIBUKRANDOM
	return uk_random_fill_buffer(buf, len);
#else
	(void)buf;
	(void)len;
	errno = ENOSYS;
	return -1;
#endif
}

int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	return getrandom(buf, len, 0) < 0 ? -1 : 0;
}
