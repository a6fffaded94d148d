/* SPDX-License-Identifier: BSD-3-Clause */
/* Sets of CPUs (thread affinity): a fixed-size bitmap of dense CPU indexes. */
#ifndef __UK_CPUSET_H__
#define __UK_CPUSET_H__

#include <uk/essentials.h>
#include <uk/plat/lcpu.h>

#define _UK_CPUSET_WORDS ((CONFIG_UKPLAT_LCPU_MAXCOUNT + 63) / 64)

/*
 * The upstream profile hides the type and its functions (ours only,
 * doc/reuse.md); struct uk_thread keeps its layout through _UK_CPUSET.
 */
#ifdef UK_UPSTREAM_PROFILE
#define _UK_CPUSET	struct __uk_cpuset
_UK_CPUSET {
	__u64 bits[_UK_CPUSET_WORDS];
};
#else
#define _UK_CPUSET	struct uk_cpuset
#define UK_CPUSET_WORDS	_UK_CPUSET_WORDS

struct uk_cpuset {
	__u64 bits[UK_CPUSET_WORDS];
};

static inline void uk_cpuset_zero(struct uk_cpuset *s)
{
	unsigned int i;

	for (i = 0; i < UK_CPUSET_WORDS; i++)
		s->bits[i] = 0;
}

/* Adds CPU cpu; indexes past CONFIG_UKPLAT_LCPU_MAXCOUNT are ignored. */
static inline void uk_cpuset_set(struct uk_cpuset *s, unsigned int cpu)
{
	if (cpu < CONFIG_UKPLAT_LCPU_MAXCOUNT)
		s->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline void uk_cpuset_clear(struct uk_cpuset *s, unsigned int cpu)
{
	if (cpu < CONFIG_UKPLAT_LCPU_MAXCOUNT)
		s->bits[cpu / 64] &= ~(1ULL << (cpu % 64));
}

static inline int uk_cpuset_isset(const struct uk_cpuset *s, unsigned int cpu)
{
	return cpu < CONFIG_UKPLAT_LCPU_MAXCOUNT
	       && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

/* Every CPU index (online or not). */
static inline void uk_cpuset_fill(struct uk_cpuset *s)
{
	unsigned int i;

	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++)
		uk_cpuset_set(s, i);
}

/* Number of CPUs in s that are online. */
static inline unsigned int uk_cpuset_count_online(const struct uk_cpuset *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < ukplat_lcpu_count(); i++)
		n += uk_cpuset_isset(s, i);
	return n;
}
#endif /* !UK_UPSTREAM_PROFILE */

#endif /* __UK_CPUSET_H__ */
