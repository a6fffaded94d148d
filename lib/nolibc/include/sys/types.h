/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc sys/types.h: POSIX scalar types used by kernel and app code. */
#ifndef __NOLIBC_SYS_TYPES_H__
#define __NOLIBC_SYS_TYPES_H__

#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;		/* signed size_t (LP64) */
typedef int64_t off_t;		/* file offsets */
typedef int pid_t;		/* process and thread ids */
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;

#endif /* __NOLIBC_SYS_TYPES_H__ */
