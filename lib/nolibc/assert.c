/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc assert(): the failure path that reports and crashes the guest. */
#include <assert.h>
#include <stdio.h>
#include <uk/plat/bootstrap.h>

void __nolibc_assert_fail(const char *expr, const char *file, int line,
			  const char *func)
{
	fprintf(stderr, "assertion failed: %s at %s:%d (%s)\n",
		expr, file, line, func);
	ukplat_crash();
}
