/* SPDX-License-Identifier: BSD-3-Clause */
/* ukrandom internals shared with its tests (not a public header). */
#ifndef __UKRANDOM_IMPL_H__
#define __UKRANDOM_IMPL_H__

/* What seed_material() got 32 bytes from. */
#define RANDOM_SEED_SOURCE	0x1	/* the registered source */
#define RANDOM_SEED_RDRAND	0x2	/* RDRAND */

/* How often CPU cpu's generator mixed in fresh seed after its first. */
unsigned long uk_random_reseeds(unsigned int cpu);

#endif /* __UKRANDOM_IMPL_H__ */
