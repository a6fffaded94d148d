/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's uk/arch/types.h: the fixed-size types and their printf
 * formats live in uk/essentials.h.
 */
#ifndef __UK_ARCH_TYPES_H__
#define __UK_ARCH_TYPES_H__

#include <uk/essentials.h>

#endif /* __UK_ARCH_TYPES_H__ */
