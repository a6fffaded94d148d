/*
 * Included before every source when newlib is the C library (-include,
 * lib/newlib/Makefile.uk): newlib's sys/cdefs.h and uk/essentials.h both
 * define a few attribute macros with the same meaning but different
 * spelling, which gcc reports as redefinitions. sys/cdefs.h is read first
 * here, once (it has an include guard), and its versions of those names
 * are dropped, so that uk/essentials.h defines them; newlib's headers then
 * expand essentials.h's equivalent versions.
 */
#ifndef __NEWLIB_GLUE_CDEFS_H__
#define __NEWLIB_GLUE_CDEFS_H__

#ifndef __ASSEMBLY__
#include <sys/cdefs.h>

#undef __always_inline
#undef __containerof
#undef __noinline
#undef __offsetof
#undef __packed
#undef __section
#undef __unused
#undef __used
/* __nonnull: essentials.h keeps an existing definition. */
#endif

#endif /* __NEWLIB_GLUE_CDEFS_H__ */
