/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel messages: uk_pr_crit() .. uk_pr_debug(), one console write each. */
#ifndef __UK_PRINT_H__
#define __UK_PRINT_H__

#include <stdarg.h>
#include <stddef.h>
#include <uk/essentials.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Message levels, most severe first. */
#define KLVL_CRIT	0
#define KLVL_ERR	1
#define KLVL_WARN	2
#define KLVL_INFO	3
#define _UK_KLVL_DEBUG	4	/* the macros' spelling, kept by the profile */
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define KLVL_DEBUG	_UK_KLVL_DEBUG
#endif

/* The most verbose level compiled in (Config.uk choice; default warn). */
#if CONFIG_LIBUKDEBUG_PRINTK_DEBUG
#define _UK_PRINT_KLVL_MAX _UK_KLVL_DEBUG
#elif CONFIG_LIBUKDEBUG_PRINTK_INFO
#define _UK_PRINT_KLVL_MAX KLVL_INFO
#elif CONFIG_LIBUKDEBUG_PRINTK_ERR
#define _UK_PRINT_KLVL_MAX KLVL_ERR
#elif CONFIG_LIBUKDEBUG_PRINTK_CRIT
#define _UK_PRINT_KLVL_MAX KLVL_CRIT
#else
#define _UK_PRINT_KLVL_MAX KLVL_WARN
#endif
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_PRINT_KLVL_MAX _UK_PRINT_KLVL_MAX
#endif

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* Longest message line, prefix and newline included; longer ones end "...". */
#define UK_PRINTK_MAXLEN 384
#endif

#ifndef __LIBNAME__
#define __LIBNAME__ app
#endif

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Formats one message line into buf (size bytes) without printing it:
 *
 *   [    1.234567] Warn: [libname] message
 *
 * with now (nanoseconds) as seconds.microseconds, a newline appended unless
 * the message ends with one, and "..." before the newline when the line had
 * to be cut to fit. Returns the length stored (at most size - 1; buf is
 * always NUL-terminated when size > 0). Any context; no allocation.
 */
size_t uk_printk_vformat(char *buf, size_t size, int lvl, const char *libname,
			 __nsec now, const char *fmt, va_list ap)
	__attribute__((__format__(__printf__, 6, 0)));
size_t uk_printk_format(char *buf, size_t size, int lvl, const char *libname,
			__nsec now, const char *fmt, ...)
	__attribute__((__format__(__printf__, 6, 7)));
#endif /* !UK_UPSTREAM_PROFILE */

/*
 * Prints one message as a single console write (ukplat_coutk()), time
 * stamped with ukplat_monotonic_clock(), at most UK_PRINTK_MAXLEN
 * characters. Any CPU, any context (exception handlers included): it uses
 * only the stack. Use the uk_pr_*() macros, which pass the library name
 * and drop messages above UK_PRINT_KLVL_MAX at compile time.
 */
void _uk_vprintk(int lvl, const char *libname, const char *fmt, va_list ap)
	__attribute__((__format__(__printf__, 3, 0)));
void _uk_printk(int lvl, const char *libname, const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

/* Arguments are not evaluated when lvl is compiled out. */
#define uk_printk(lvl, fmt, ...)					\
	do {								\
		if ((lvl) <= _UK_PRINT_KLVL_MAX)			\
			_uk_printk((lvl), STRINGIFY(__LIBNAME__),	\
				   (fmt), ##__VA_ARGS__);		\
	} while (0)

#define uk_pr_crit(fmt, ...)	uk_printk(KLVL_CRIT, fmt, ##__VA_ARGS__)
#define uk_pr_err(fmt, ...)	uk_printk(KLVL_ERR, fmt, ##__VA_ARGS__)
#define uk_pr_warn(fmt, ...)	uk_printk(KLVL_WARN, fmt, ##__VA_ARGS__)
#define uk_pr_info(fmt, ...)	uk_printk(KLVL_INFO, fmt, ##__VA_ARGS__)
#define uk_pr_debug(fmt, ...)	uk_printk(_UK_KLVL_DEBUG, fmt, ##__VA_ARGS__)

/* Unikraft's name of UK_PRINT_KLVL_MAX. */
#define KLVL_MAX _UK_PRINT_KLVL_MAX

/* uk_printk() with a va_list. */
#define uk_vprintk(lvl, fmt, ap)					\
	do {								\
		if ((lvl) <= _UK_PRINT_KLVL_MAX)			\
			_uk_vprintk((lvl), STRINGIFY(__LIBNAME__),	\
				    (fmt), ap);				\
	} while (0)

/*
 * True the first time this call site is reached, on whichever CPU, and
 * never again (the exchange makes it exactly once even when several CPUs
 * arrive together). Relaxed: the flag orders nothing else.
 */
#define __uk_print_first_time()						\
	({								\
		static int __uk_pr_done;				\
		!__atomic_exchange_n(&__uk_pr_done, 1, __ATOMIC_RELAXED); \
	})

/* As uk_printk() / uk_vprintk(), but only the first time (per call site). */
#define uk_printk_once(lvl, fmt, ...)					\
	do {								\
		if ((lvl) <= _UK_PRINT_KLVL_MAX && __uk_print_first_time()) \
			_uk_printk((lvl), STRINGIFY(__LIBNAME__),	\
				   (fmt), ##__VA_ARGS__);		\
	} while (0)
#define uk_vprintk_once(lvl, fmt, ap)					\
	do {								\
		if ((lvl) <= _UK_PRINT_KLVL_MAX && __uk_print_first_time()) \
			_uk_vprintk((lvl), STRINGIFY(__LIBNAME__),	\
				    (fmt), ap);				\
	} while (0)
#define uk_pr_crit_once(fmt, ...) uk_printk_once(KLVL_CRIT, fmt, ##__VA_ARGS__)
#define uk_pr_err_once(fmt, ...) uk_printk_once(KLVL_ERR, fmt, ##__VA_ARGS__)
#define uk_pr_warn_once(fmt, ...) uk_printk_once(KLVL_WARN, fmt, ##__VA_ARGS__)
#define uk_pr_info_once(fmt, ...) uk_printk_once(KLVL_INFO, fmt, ##__VA_ARGS__)
#define uk_pr_debug_once(fmt, ...)					\
	uk_printk_once(_UK_KLVL_DEBUG, fmt, ##__VA_ARGS__)

/*
 * Unikraft's debug prints: a debug-level message starting with the source
 * file and line ("file.c:12: ..."). fmt must be a string literal (the
 * prefix is pasted in front of it); the va_list forms print no prefix.
 * Compiled in with the debug message level (LIBUKDEBUG_PRINTK_DEBUG).
 */
#define uk_printd(fmt, ...)						\
	uk_printk(_UK_KLVL_DEBUG, "%s:%d: " fmt, __FILE__, __LINE__,	\
		  ##__VA_ARGS__)
#define uk_printd_once(fmt, ...)					\
	uk_printk_once(_UK_KLVL_DEBUG, "%s:%d: " fmt, __FILE__, __LINE__, \
		       ##__VA_ARGS__)
#define uk_vprintd(fmt, ap)		uk_vprintk(_UK_KLVL_DEBUG, (fmt), ap)
#define uk_vprintd_once(fmt, ap)					\
	uk_vprintk_once(_UK_KLVL_DEBUG, (fmt), ap)

/* Warns once per call site that the calling function is a stub. */
#define UK_WARN_STUBBED() uk_pr_warn_once("%s() stubbed\n", __func__)
#define WARN_STUBBED()	UK_WARN_STUBBED()

#ifdef __cplusplus
}
#endif

#endif /* __UK_PRINT_H__ */
