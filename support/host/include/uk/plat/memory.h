/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-test wrapper of include/uk/plat/memory.h: the same declarations, with C
 * linkage when included from C++ (googletest) code. The functions are
 * implemented in support/host/shim.c.
 */
#ifndef __UK_HOST_PLAT_MEMORY_H__
#define __UK_HOST_PLAT_MEMORY_H__

#ifdef __cplusplus
extern "C" {
#endif

#include_next <uk/plat/memory.h>

#ifdef __cplusplus
}
#endif

#endif /* __UK_HOST_PLAT_MEMORY_H__ */
