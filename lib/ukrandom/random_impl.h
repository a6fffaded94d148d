/* ukrandom internals shared with its tests (not a public header). */
#ifndef __UKRANDOM_IMPL_H__
#define __UKRANDOM_IMPL_H__

#define RANDOM_SEED_SOURCE	0x1	/* the registered source gave 32 bytes */
#define RANDOM_SEED_RDRAND	0x2	/* RDRAND gave 32 bytes */

/* How often CPU cpu's generator mixed in fresh seed after its first. */
unsigned long uk_random_reseeds(unsigned int cpu);

#endif /* __UKRANDOM_IMPL_H__ */
