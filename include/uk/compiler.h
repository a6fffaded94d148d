/* SPDX-License-Identifier: BSD-3-Clause */
/* Unikraft's uk/compiler.h: the attributes live in uk/essentials.h. */
#ifndef __UK_COMPILER_H__
#define __UK_COMPILER_H__

#include <uk/essentials.h>

#endif /* __UK_COMPILER_H__ */
