/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Included before every source when newlib is the C library (-include,
 * lib/newlib/Makefile.uk). newlib's sys/cdefs.h (and inttypes.h, for
 * __STRINGIFY) and uk/essentials.h define a few macros with the same
 * meaning but different spelling, which gcc reports as redefinitions.
 * Both newlib headers are read first here, once (include guards); their
 * versions of those names are replaced by uk/essentials.h's, token for
 * token, so that essentials.h's later definitions are identical (no
 * warning) and newlib's headers have them in files that never include
 * essentials.h. Should essentials.h change one of them, gcc names both
 * places: change it here too.
 */
#ifndef __NEWLIB_GLUE_CDEFS_H__
#define __NEWLIB_GLUE_CDEFS_H__

#ifndef __ASSEMBLY__
#include <sys/cdefs.h>
#include <inttypes.h>	/* defines __STRINGIFY(a) itself */

#undef __always_inline
#undef __containerof
#undef __noinline
#undef __offsetof
#undef __packed
#undef __section
#undef __unused
#undef __used
#undef __STRINGIFY

#define __unused	__attribute__((unused))
#define __used		__attribute__((used))
#define __packed	__attribute__((packed))
#define __section(s)	__attribute__((section(s)))
#define __noinline	__attribute__((noinline))
#define __always_inline	inline __attribute__((always_inline))
#define __offsetof(t, field)	__builtin_offsetof(t, field)
#define __STRINGIFY(x)	#x
#define __containerof(ptr, type, field) \
	((type *)((char *)(ptr) - offsetof(type, field)))
/* __nonnull: essentials.h keeps an existing definition. */
#endif

#endif /* __NEWLIB_GLUE_CDEFS_H__ */
