/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Example structure for uknr: a sequential u64 -> u64 hash map (open
 * addressing, linear probing, fixed capacity chosen at creation), usable on
 * its own and, through uk_nr_hashmap_ops, replicated with node replication.
 * None of these functions is thread-safe by itself.
 */
#ifndef __UK_NR_HASHMAP_H__
#define __UK_NR_HASHMAP_H__

#include <uk/essentials.h>

/* Host builds (support/host) compile the examples unconditionally. */
#if !defined(CONFIG_LIBUKNR_EXAMPLES) && !defined(CONFIG_HOST_TEST)
#error "uk/nr_hashmap.h needs CONFIG_LIBUKNR_EXAMPLES"
#endif
#include <uk/nr.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_nr_hashmap;

/* Creates a map for up to `capacity` keys (all memory now); NULL when out
 * of memory or capacity is 0 or above 2^30. */
struct uk_nr_hashmap *uk_nr_hashmap_create(__u64 capacity);
void uk_nr_hashmap_destroy(struct uk_nr_hashmap *m);

/* Sets key to val. Returns 1 if key was present (*old = its value, if old is
 * not NULL), 0 if it was inserted, -ENOSPC if the map is full (unchanged). */
int uk_nr_hashmap_put(struct uk_nr_hashmap *m, __u64 key, __u64 val,
		      __u64 *old);
/* Removes key. Returns 1 (and *old) if it was present, 0 if not. */
int uk_nr_hashmap_remove(struct uk_nr_hashmap *m, __u64 key, __u64 *old);
/* Returns 1 and *val if key is present, 0 if not. */
int uk_nr_hashmap_get(const struct uk_nr_hashmap *m, __u64 key, __u64 *val);
__u64 uk_nr_hashmap_count(const struct uk_nr_hashmap *m);
/* Writes up to max keys (in table order) to keys; returns how many keys
 * the map holds (may be more than max). */
__u64 uk_nr_hashmap_keys(const struct uk_nr_hashmap *m, __u64 *keys,
			 __u64 max);
/* A digest of the contents that does not depend on insertion order. */
__u64 uk_nr_hashmap_digest(const struct uk_nr_hashmap *m);

/* Operations for uk_nr_create(&nr, &uk_nr_hashmap_ops, &capacity, cfg),
 * where capacity is a __u64. */
enum uk_nr_hashmap_opcode {
	UK_NR_HM_PUT = 1,	/* mutating: key, val */
	UK_NR_HM_REMOVE,	/* mutating: key */
	UK_NR_HM_GET,		/* read-only: key */
	UK_NR_HM_COUNT,		/* read-only */
	UK_NR_HM_DIGEST,	/* read-only */
};

struct uk_nr_hashmap_op {
	__u32 code;
	__u32 pad;
	__u64 key;
	__u64 val;
};

struct uk_nr_hashmap_resp {
	__s64 status;	/* the return value of the sequential call */
	__u64 val;	/* old value, value, count or digest */
};

extern const struct uk_nr_ops uk_nr_hashmap_ops;

#ifdef __cplusplus
}
#endif

#endif /* __UK_NR_HASHMAP_H__ */
