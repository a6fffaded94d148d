/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc stdio.h: printf family and console output (stdout/stderr only). */
#ifndef __NOLIBC_STDIO_H__
#define __NOLIBC_STDIO_H__

#include <stddef.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EOF	(-1)

/*
 * A stream. Only stdout and stderr exist; both write to the platform
 * console (ukplat_coutk()), unbuffered between calls.
 */
typedef struct __nolibc_file FILE;

extern FILE __nolibc_stdout;
extern FILE __nolibc_stderr;
#define stdout	(&__nolibc_stdout)
#define stderr	(&__nolibc_stderr)

#define __NOLIBC_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))

/*
 * Formatted output, C99 conversions: flags "-+ #0", width and precision
 * (also "*"), length modifiers hh h l ll z j t L, conversions d i u o x X c
 * s p n % and f F e E g G (exact decimal conversion, round half to even).
 * Return the number of characters produced, or -1 (errno EOVERFLOW) when it
 * exceeds INT_MAX.
 *
 * snprintf()/vsnprintf() store at most size - 1 characters plus a NUL when
 * size > 0 and return the length the whole output would have had;
 * sprintf()/vsprintf() trust the buffer to be large enough. They work in any
 * context and never touch the console.
 *
 * printf()/vprintf()/fprintf()/vfprintf() write to the console through a
 * small stack buffer, so a call of a few hundred characters is a single
 * console write and its lines stay together. Any context. fprintf() and
 * vfprintf() fail with -1 (errno EBADF) for a stream other than stdout or
 * stderr.
 */
int printf(const char *fmt, ...) __NOLIBC_PRINTF(1, 2);
int vprintf(const char *fmt, va_list ap) __NOLIBC_PRINTF(1, 0);
int fprintf(FILE *f, const char *fmt, ...) __NOLIBC_PRINTF(2, 3);
int vfprintf(FILE *f, const char *fmt, va_list ap) __NOLIBC_PRINTF(2, 0);
int sprintf(char *buf, const char *fmt, ...) __NOLIBC_PRINTF(2, 3);
int vsprintf(char *buf, const char *fmt, va_list ap) __NOLIBC_PRINTF(2, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__NOLIBC_PRINTF(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__NOLIBC_PRINTF(3, 0);

/*
 * Unformatted console output. puts() appends a newline. Return a
 * non-negative value (putchar()/fputc()/putc(): the character written) or
 * EOF with errno EBADF for a stream other than stdout or stderr. fwrite()
 * returns the number of complete items written (0 on error). Any context.
 */
int puts(const char *s);
int putchar(int c);
int fputs(const char *s, FILE *f);
int fputc(int c, FILE *f);
#ifndef UK_UPSTREAM_PROFILE	/* upstream's nolibc lacks it (doc/reuse.md) */
int putc(int c, FILE *f);
#endif
size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *f);

/* Nothing is buffered between calls: returns 0 (EOF, EBADF: bad stream). */
int fflush(FILE *f);

#ifdef __cplusplus
}
#endif

#endif /* __NOLIBC_STDIO_H__ */
