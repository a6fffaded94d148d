/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * getrandom() and getentropy() with Linux's and POSIX's signatures; newlib
 * 3.3 has no sys/random.h. lib/newlib defines both: on ukrandom's per-CPU
 * generator (uk/random.h) when CONFIG_LIBUKRANDOM is on, otherwise they
 * fail with ENOSYS.
 */
#ifndef __NEWLIB_GLUE_SYS_RANDOM_H__
#define __NEWLIB_GLUE_SYS_RANDOM_H__

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GRND_NONBLOCK	0x01	/* accepted; nothing blocks here */
#define GRND_RANDOM	0x02	/* accepted; one generator serves both */

/*
 * Fills buf with len random bytes. Any thread, any CPU. Returns len, or -1
 * with errno ENOSYS (no ukrandom) or EINVAL (unknown flags).
 */
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

/*
 * Fills buf with len <= 256 random bytes. Returns 0, or -1 with errno EIO
 * (len > 256) or ENOSYS (no ukrandom).
 */
int getentropy(void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* __NEWLIB_GLUE_SYS_RANDOM_H__ */
