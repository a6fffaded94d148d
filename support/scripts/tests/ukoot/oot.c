/* SPDX-License-Identifier: BSD-3-Clause */
/* ukoot: sums of squares, the system tests' out-of-tree library. */
#include <uk/oot.h>

unsigned long uk_oot_squares(unsigned long n)
{
	unsigned long i, sum = 0;

	for (i = 1; i <= n; i++)
		sum += i * i;
	return sum;
}
