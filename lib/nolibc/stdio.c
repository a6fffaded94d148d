/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc stdio: printf family, snprintf family and console stream output. */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <uk/plat/console.h>
#include "format.h"

/* Buffer for one console write; long output is written in pieces. */
#define CONS_BUFSIZE 256

struct __nolibc_file {
	int fd;
};

FILE __nolibc_stdout = { .fd = 1 };
FILE __nolibc_stderr = { .fd = 2 };

struct cons_buf {
	char buf[CONS_BUFSIZE];
	unsigned int len;
};

static void cons_flush(struct cons_buf *cb)
{
	if (cb->len)
		ukplat_coutk(cb->buf, cb->len);
	cb->len = 0;
}

static void cons_sink(void *arg, const char *s, size_t len)
{
	struct cons_buf *cb = arg;
	size_t k;

	while (len) {
		if (cb->len == CONS_BUFSIZE)
			cons_flush(cb);
		k = CONS_BUFSIZE - cb->len;
		if (k > len)
			k = len;
		__builtin_memcpy(cb->buf + cb->len, s, k);
		cb->len += (unsigned int)k;
		s += k;
		len -= k;
	}
}

static int valid_stream(FILE *f)
{
	if (f == stdout || f == stderr)
		return 1;
	errno = EBADF;
	return 0;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct cons_buf cb;
	int ret;

	if (!valid_stream(f))
		return -1;
	cb.len = 0;
	ret = __nolibc_vformat(cons_sink, &cb, fmt, ap);
	cons_flush(&cb);
	return ret;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfprintf(f, fmt, ap);
	va_end(ap);
	return ret;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return ret;
}

/* Memory sink: keeps the first size - 1 characters, counts them all. */
struct str_buf {
	char *buf;
	size_t size;
	size_t pos;
};

static void str_sink(void *arg, const char *s, size_t len)
{
	struct str_buf *sb = arg;
	size_t room, k;

	if (sb->pos >= sb->size)
		return;
	room = sb->size - 1 - sb->pos;
	k = len < room ? len : room;
	__builtin_memcpy(sb->buf + sb->pos, s, k);
	sb->pos += k;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct str_buf sb = { .buf = buf, .size = size, .pos = 0 };
	int ret;

	ret = __nolibc_vformat(str_sink, &sb, fmt, ap);
	if (size)
		buf[sb.pos] = '\0';
	return ret;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return ret;
}

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* One console write (or a few for long text) of a and then b. */
static void cons_write2(const char *a, size_t alen, const char *b,
			size_t blen)
{
	struct cons_buf cb;

	cb.len = 0;
	cons_sink(&cb, a, alen);
	cons_sink(&cb, b, blen);
	cons_flush(&cb);
}

int fputs(const char *s, FILE *f)
{
	if (!valid_stream(f))
		return EOF;
	cons_write2(s, str_len(s), "", 0);
	return 0;
}

int puts(const char *s)
{
	cons_write2(s, str_len(s), "\n", 1);
	return 0;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	if (!valid_stream(f))
		return EOF;
	ukplat_coutk(&ch, 1);
	return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

size_t fwrite(const void *ptr, size_t size, size_t nmemb, FILE *f)
{
	const char *p = ptr;
	size_t total, done, k;

	if (!valid_stream(f) || !size || !nmemb)
		return 0;
	if (nmemb > SIZE_MAX / size) {
		errno = EOVERFLOW;
		return 0;
	}
	total = size * nmemb;
	for (done = 0; done < total; done += k) {
		k = total - done;
		if (k > UINT32_MAX)
			k = UINT32_MAX;
		ukplat_coutk(p + done, (unsigned int)k);
	}
	return nmemb;
}

int fflush(FILE *f)
{
	if (f && !valid_stream(f))
		return EOF;
	return 0;
}
