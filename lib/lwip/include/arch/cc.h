/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's compiler and platform port (arch/cc.h) for our freestanding
 * images: nolibc's headers, little-endian x86_64, asserts and diagnostics
 * through ukdebug, random numbers from ukrandom.
 * lwIP includes it from lwip/arch.h; nothing else should.
 */
#ifndef __LWIP_ARCH_CC_H__
#define __LWIP_ARCH_CC_H__

#include <stdint.h>
#include <stddef.h>
#include <limits.h>
#include <sys/types.h>		/* ssize_t (SSIZE_MAX is in limits.h) */
#include <uk/print.h>
#include <uk/essentials.h>

/* nolibc has no unistd.h; sys/types.h above gives ssize_t. */
#define LWIP_NO_UNISTD_H	1

#define BYTE_ORDER		LITTLE_ENDIAN

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
