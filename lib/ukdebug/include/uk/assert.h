/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel assertions and crash: UK_ASSERT, UK_BUGON, UK_BUG, UK_CRASH. */
#ifndef __UK_ASSERT_H__
#define __UK_ASSERT_H__

#include <uk/essentials.h>
#include <uk/print.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Print "Assertion failure: <expr> at <file>:<line>" (resp. "CRASH:
 * <message> at <file>:<line>") as a critical message, then crash the guest
 * with ukplat_crash() (backtrace, exit status UKPLAT_EXIT_CRASH). Called by
 * the macros below; any CPU, any context. Do not return.
 */
void _uk_assert_fail(const char *libname, const char *expr, const char *file,
		     int line) __noreturn;
void _uk_crash(const char *libname, const char *file, int line,
	       const char *fmt, ...) __noreturn
	__attribute__((__format__(__printf__, 4, 5)));

#if CONFIG_LIBUKDEBUG_ENABLE_ASSERT
#define UK_ASSERT(x)							\
	do {								\
		if (unlikely(!(x)))					\
			_uk_assert_fail(STRINGIFY(__LIBNAME__), #x,	\
					__FILE__, __LINE__);		\
	} while (0)
#else
/* Not evaluated, but still type checked and counted as a use. */
#define UK_ASSERT(x)	do { (void)sizeof(!(x)); } while (0)
#endif

/*
 * Prints a warning naming x when x is true (checked only with
 * LIBUKDEBUG_ENABLE_ASSERT, as in Unikraft); never crashes.
 */
#if CONFIG_LIBUKDEBUG_ENABLE_ASSERT
#define UK_WARNIF(x)							\
	do {								\
		if (unlikely(x))					\
			uk_pr_warn("Condition warning: %s\n", #x);	\
	} while (0)
#else
#define UK_WARNIF(x)	do { (void)sizeof(!(x)); } while (0)
#endif

/* Crashes when x is true (checked only with LIBUKDEBUG_ENABLE_ASSERT). */
#define UK_BUGON(x)	UK_ASSERT(!(x))

/* Marks code that must never run: always crashes, whatever the config. */
#define UK_BUG()							\
	_uk_crash(STRINGIFY(__LIBNAME__), __FILE__, __LINE__, "BUG")

/* Prints "CRASH: " and the message, then crashes. Always enabled. */
#define UK_CRASH(fmt, ...)						\
	_uk_crash(STRINGIFY(__LIBNAME__), __FILE__, __LINE__, fmt,	\
		  ##__VA_ARGS__)

#ifdef __cplusplus
}
#endif

#endif /* __UK_ASSERT_H__ */
