/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's uk/arch/time.h: __nsec, its limits and conversions live
 * in uk/essentials.h.
 */
#ifndef __UK_ARCH_TIME_H__
#define __UK_ARCH_TIME_H__

#include <uk/essentials.h>

#endif /* __UK_ARCH_TIME_H__ */
