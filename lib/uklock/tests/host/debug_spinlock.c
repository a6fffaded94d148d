/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock host tests: spinlock.c built with CONFIG_LIBUKLOCK_DEBUG under the
 * names of debug_names.h (host.mk's flags apply to every source).
 */
#define CONFIG_LIBUKLOCK_DEBUG 1
#include "debug_names.h"
#include "../../spinlock.c"
