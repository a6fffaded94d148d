/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc assert.h: the standard assert() macro, honouring NDEBUG. */

/* No include guard: the C standard lets each inclusion re-decide NDEBUG. */
#undef assert

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr)							\
	((expr) ? (void)0 :						\
	 __nolibc_assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#ifndef __NOLIBC_ASSERT_H__
#define __NOLIBC_ASSERT_H__

#if !defined(__cplusplus) && !defined(UK_UPSTREAM_PROFILE)
#define static_assert _Static_assert	/* upstream's nolibc lacks it */
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Failure path of assert(): prints "assertion failed: <expr> at
 * <file>:<line> (<func>)" on the console and crashes the guest
 * (ukplat_crash()). Called by the macro; any context.
 */
void __nolibc_assert_fail(const char *expr, const char *file, int line,
			  const char *func) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif /* __NOLIBC_ASSERT_H__ */
