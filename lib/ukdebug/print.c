/* SPDX-License-Identifier: BSD-3-Clause */
/* ukdebug: kernel message formatting and printing, assertion and crash. */
#include <uk/assert.h>
#include <uk/essentials.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <stdio.h>

static const char *const level_names[] = {
	[KLVL_CRIT] = "Crit",
	[KLVL_ERR] = "Err",
	[KLVL_WARN] = "Warn",
	[KLVL_INFO] = "Info",
	[KLVL_DEBUG] = "Debug",
};

static const char *level_name(int lvl)
{
	if (lvl < 0 || (size_t)lvl >= ARRAY_SIZE(level_names))
		return "???";
	return level_names[lvl];
}

/* snprintf()'s result as the number of characters actually stored. */
static size_t stored(int ret, size_t room)
{
	if (ret < 0 || !room)
		return 0;
	return (size_t)ret < room ? (size_t)ret : room - 1;
}

/* What ends a line: "..." when cut, " at file:line" when given, "\n". */
static int put_tail(char *buf, size_t size, int cut, const char *file,
		    int line)
{
	const char *dots = cut ? "..." : "";

	if (file)
		return snprintf(buf, size, "%s at %s:%d\n", dots, file, line);
	return snprintf(buf, size, "%s\n", dots);
}

/*
 * The body of every message: prefix, head (may be empty), the formatted
 * message without its final newline, then the tail. The tail always fits
 * unless size is too small for anything but the tail itself.
 */
static size_t format_line(char *buf, size_t size, int lvl,
			  const char *libname, __nsec now, const char *head,
			  const char *file, int line, const char *fmt,
			  va_list ap)
{
	unsigned long long sec = now / UKARCH_NSEC_PER_SEC;
	unsigned long long usec = (now % UKARCH_NSEC_PER_SEC) / 1000;
	size_t len, room, tlen;
	int n, cut = 0;

	if (!size)
		return 0;
	len = stored(snprintf(buf, size, "[%5llu.%06llu] %s: [%s] %s", sec,
			      usec, level_name(lvl), libname, head), size);
	room = size - len;
	n = vsnprintf(buf + len, room, fmt, ap);
	if (n >= 0 && (size_t)n >= room)
		cut = 1;
	len += stored(n, room);
	if (!cut && n > 0 && buf[len - 1] == '\n')
		len--;
	tlen = (size_t)put_tail(NULL, 0, cut, file, line);
	if (len + tlen >= size) {
		cut = 1;
		tlen = (size_t)put_tail(NULL, 0, cut, file, line);
		len = size - 1 > tlen ? size - 1 - tlen : 0;
	}
	len += stored(put_tail(buf + len, size - len, cut, file, line),
		      size - len);
	return len;
}

size_t uk_printk_vformat(char *buf, size_t size, int lvl, const char *libname,
			 __nsec now, const char *fmt, va_list ap)
{
	return format_line(buf, size, lvl, libname, now, "", NULL, 0, fmt, ap);
}

size_t uk_printk_format(char *buf, size_t size, int lvl, const char *libname,
			__nsec now, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	len = uk_printk_vformat(buf, size, lvl, libname, now, fmt, ap);
	va_end(ap);
	return len;
}

void _uk_vprintk(int lvl, const char *libname, const char *fmt, va_list ap)
{
	char buf[UK_PRINTK_MAXLEN];
	size_t len;

	len = uk_printk_vformat(buf, sizeof(buf), lvl, libname,
				ukplat_monotonic_clock(), fmt, ap);
	ukplat_coutk(buf, (unsigned int)len);
}

void _uk_printk(int lvl, const char *libname, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	_uk_vprintk(lvl, libname, fmt, ap);
	va_end(ap);
}

/* Prints one critical line made of head, message and location; crashes. */
static void __noreturn crash_line(const char *libname, const char *head,
				  const char *file, int line,
				  const char *fmt, va_list ap)
{
	char buf[UK_PRINTK_MAXLEN];
	size_t len;

	len = format_line(buf, sizeof(buf), KLVL_CRIT, libname,
			  ukplat_monotonic_clock(), head, file, line, fmt, ap);
	ukplat_coutk(buf, (unsigned int)len);
	ukplat_crash();
}

/* Helper to get a va_list for a fixed message. */
static void __noreturn crash_fixed(const char *libname, const char *head,
				   const char *file, int line,
				   const char *fmt, ...)
	__attribute__((__format__(__printf__, 5, 6)));

static void crash_fixed(const char *libname, const char *head,
			const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crash_line(libname, head, file, line, fmt, ap);
}

void _uk_assert_fail(const char *libname, const char *expr, const char *file,
		     int line)
{
	crash_fixed(libname, "Assertion failure: ", file, line, "%s", expr);
}

void _uk_crash(const char *libname, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crash_line(libname, "CRASH: ", file, line, fmt, ap);
}
