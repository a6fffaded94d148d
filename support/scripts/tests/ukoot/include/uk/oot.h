/* SPDX-License-Identifier: BSD-3-Clause */
/* ukoot: the system tests' out-of-tree library. */
#ifndef __UK_OOT_H__
#define __UK_OOT_H__

/* Returns 1^2 + 2^2 + ... + n^2. Any CPU, any context. */
unsigned long uk_oot_squares(unsigned long n);

#endif /* __UK_OOT_H__ */
