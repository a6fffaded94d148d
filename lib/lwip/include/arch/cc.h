/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's compiler and platform port (arch/cc.h) for our freestanding
 * images: the C library's types where it has them (nolibc or newlib),
 * little-endian x86_64, asserts and diagnostics through ukdebug, random
 * numbers from ukrandom.
 * lwIP includes it from lwip/arch.h; nothing else should.
 */
#ifndef __LWIP_ARCH_CC_H__
#define __LWIP_ARCH_CC_H__

#include <uk/config.h>
#if CONFIG_LIBNEWLIB && !defined(__MACHINE_ENDIAN_H__)
/*
 * lwip/arch.h has just defined these as bare numbers; newlib's
 * machine/endian.h (through sys/types.h) defines them as its own names for
 * the same numbers, which would be a redefinition.
 */
#undef LITTLE_ENDIAN
#undef BIG_ENDIAN
#endif
#include <stdint.h>
#include <stddef.h>
#include <limits.h>
#include <sys/types.h>		/* ssize_t (SSIZE_MAX is in limits.h) */
#include <uk/print.h>
#include <uk/essentials.h>

#if CONFIG_LIBNEWLIB
/*
 * newlib has unistd.h (lwIP includes it), BYTE_ORDER (sys/types.h),
 * struct timeval (lwipopts.h: LWIP_TIMEVAL_PRIVATE 0) and fd_set, whose
 * FD_SETSIZE is ukfd's table size (lib/ukfd/Makefile.uk), at least
 * lwIP's socket count or lwip/sockets.h stops the build.
 * fcntl.h here so that lwIP's O_NONBLOCK and F_GETFL are newlib's in
 * lwIP's files and the application's alike.
 */
#include <sys/time.h>
#include <fcntl.h>
#ifndef SSIZE_MAX		/* lwIP takes ssize_t from unistd.h then */
#define SSIZE_MAX		LONG_MAX
#endif
#else
/* nolibc has no unistd.h; sys/types.h above gives ssize_t. */
#define LWIP_NO_UNISTD_H	1
#endif

#ifndef BYTE_ORDER
#define BYTE_ORDER		LITTLE_ENDIAN
#endif

/* lwIP's diagnostics (LWIP_DEBUGF) and its internal asserts. */
#define LWIP_PLATFORM_DIAG(x)						\
	do {								\
		uk_pr_debug x;						\
	} while (0)
void uk_lwip_assert_fail(const char *msg, int line, const char *file)
	__noreturn;
#define LWIP_PLATFORM_ASSERT(x)	uk_lwip_assert_fail((x), __LINE__, __FILE__)

/*
 * Initial sequence numbers, DNS ids, ports: numbers an off-path attacker
 * cannot guess, from the calling CPU's ChaCha20 generator (uk/random.h).
 */
uint32_t uk_lwip_rand(void);
#define LWIP_RAND()		uk_lwip_rand()

#endif /* __LWIP_ARCH_CC_H__ */
