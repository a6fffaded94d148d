/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-test wrapper of include/uk/essentials.h, which does not expect to meet
 * the C library's headers:
 *
 * - glibc's <sys/cdefs.h> (under every glibc header, <stdint.h> included)
 *   defines __always_inline too. It #undefs it first, essentials.h does not,
 *   so glibc first and essentials.h second is a macro redefinition (an error
 *   with -Werror). Pull in the C library's headers that essentials.h uses,
 *   then forget glibc's definition; essentials.h's equivalent one replaces
 *   it, and <sys/cdefs.h> is not read again.
 *
 * - Linux's <linux/types.h> (reached from <sys/stat.h> with _GNU_SOURCE, so
 *   from every googletest program) has __u64/__s64 as (unsigned) long long;
 *   essentials.h has them as uint64_t/int64_t, (unsigned) long: conflicting
 *   typedefs. Let Linux's header define its types first, once, then give
 *   essentials.h's two their own names: uk code keeps the guest's types (and
 *   printf formats), kernel structs declared later get the same-sized uk
 *   ones. __u32, __u16, __u8 and __s32 are the same types in both.
 */
#ifndef __UK_HOST_ESSENTIALS_H__
#define __UK_HOST_ESSENTIALS_H__

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>
#if __has_include(<linux/types.h>)
#include <linux/types.h>
#endif
#endif
#define __u64 __uk_host_u64
#define __s64 __uk_host_s64

#undef __always_inline
#include_next <uk/essentials.h>

#endif /* __UK_HOST_ESSENTIALS_H__ */
