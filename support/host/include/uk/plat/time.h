/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-test wrapper of include/uk/plat/time.h: the same declarations, with C
 * linkage when included from C++ (googletest) code. The functions are
 * implemented in support/host/shim.c.
 */
#ifndef __UK_HOST_PLAT_TIME_H__
#define __UK_HOST_PLAT_TIME_H__

#ifdef __cplusplus
extern "C" {
#endif

#include_next <uk/plat/time.h>

#ifdef __cplusplus
}
#endif

#endif /* __UK_HOST_PLAT_TIME_H__ */
