/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr example: a plain sequential u64 -> u64 hash map (linear probing,
 * backward-shift deletion, at most half full) and its uknr operations table.
 * Nothing here knows about concurrency; uknr makes it concurrent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/nr_hashmap.h>
#include "../nr_port.h"

struct hm_slot {
	__u64 key;
	__u64 val;
	__u64 used;
};

struct uk_nr_hashmap {
	__u64 mask;
	__u64 count;
	__u64 capacity;
	struct hm_slot *slot;
};

static __u64 hm_mix(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

struct uk_nr_hashmap *uk_nr_hashmap_create(__u64 capacity)
{
	struct uk_nr_hashmap *m;
	__u64 n = 1;
	size_t bytes;

	if (!capacity || capacity > (1ULL << 30))
		return NULL;
	while (n < 2 * capacity)
		n <<= 1;
	m = malloc(sizeof(*m));
	if (!m)
		return NULL;
	bytes = n * sizeof(*m->slot);
	m->slot = nr_aligned_alloc(64, bytes);
	if (!m->slot) {
		free(m);
		return NULL;
	}
	memset(m->slot, 0, bytes);
	m->mask = n - 1;
	m->count = 0;
	m->capacity = capacity;
	return m;
}

void uk_nr_hashmap_destroy(struct uk_nr_hashmap *m)
{
	if (!m)
		return;
	free(m->slot);
	free(m);
}

/* Index of key's slot, or of the empty slot where it would go. */
static __u64 hm_find(const struct uk_nr_hashmap *m, __u64 key)
{
	__u64 i = hm_mix(key) & m->mask;

	while (m->slot[i].used && m->slot[i].key != key)
		i = (i + 1) & m->mask;
	return i;
}

int uk_nr_hashmap_put(struct uk_nr_hashmap *m, __u64 key, __u64 val,
		      __u64 *old)
{
	__u64 i = hm_find(m, key);

	if (m->slot[i].used) {
		if (old)
			*old = m->slot[i].val;
		m->slot[i].val = val;
		return 1;
	}
	if (m->count == m->capacity)
		return -ENOSPC;
	m->slot[i].key = key;
	m->slot[i].val = val;
	m->slot[i].used = 1;
	m->count++;
	return 0;
}

/* Whether home slot h lies cyclically in (i, j]: then the entry at j may not
 * move to i. */
static int hm_between(__u64 i, __u64 h, __u64 j)
{
	return i <= j ? (h > i && h <= j) : (h > i || h <= j);
}

int uk_nr_hashmap_remove(struct uk_nr_hashmap *m, __u64 key, __u64 *old)
{
	__u64 i = hm_find(m, key), j;

	if (!m->slot[i].used)
		return 0;
	if (old)
		*old = m->slot[i].val;
	for (j = (i + 1) & m->mask; m->slot[j].used; j = (j + 1) & m->mask) {
		if (hm_between(i, hm_mix(m->slot[j].key) & m->mask, j))
			continue;
		m->slot[i] = m->slot[j];
		i = j;
	}
	m->slot[i].used = 0;
	m->count--;
	return 1;
}

int uk_nr_hashmap_get(const struct uk_nr_hashmap *m, __u64 key, __u64 *val)
{
	__u64 i = hm_find(m, key);

	if (!m->slot[i].used)
		return 0;
	if (val)
		*val = m->slot[i].val;
	return 1;
}

__u64 uk_nr_hashmap_count(const struct uk_nr_hashmap *m)
{
	return m->count;
}

__u64 uk_nr_hashmap_keys(const struct uk_nr_hashmap *m, __u64 *keys,
			 __u64 max)
{
	__u64 i, n = 0;

	for (i = 0; i <= m->mask && n < max; i++)
		if (m->slot[i].used)
			keys[n++] = m->slot[i].key;
	return m->count;
}

__u64 uk_nr_hashmap_digest(const struct uk_nr_hashmap *m)
{
	__u64 i, d = 0;

	for (i = 0; i <= m->mask; i++)
		if (m->slot[i].used)
			d += hm_mix(m->slot[i].key ^ hm_mix(m->slot[i].val));
	return d;
}

/* --- uknr glue ------------------------------------------------------------ */

static void *hm_nr_create(unsigned int replica __unused, void *arg)
{
	return uk_nr_hashmap_create(*(const __u64 *)arg);
}

static void hm_nr_destroy(void *ds, unsigned int replica __unused,
			  void *arg __unused)
{
	uk_nr_hashmap_destroy(ds);
}

static void hm_nr_mut(void *ds, const void *opv, void *respv)
{
	const struct uk_nr_hashmap_op *op = opv;
	struct uk_nr_hashmap_resp r = { -EINVAL, 0 };

	if (op->code == UK_NR_HM_PUT)
		r.status = uk_nr_hashmap_put(ds, op->key, op->val, &r.val);
	else if (op->code == UK_NR_HM_REMOVE)
		r.status = uk_nr_hashmap_remove(ds, op->key, &r.val);
	memcpy(respv, &r, sizeof(r));
}

static void hm_nr_read(const void *ds, const void *opv, void *respv)
{
	const struct uk_nr_hashmap_op *op = opv;
	struct uk_nr_hashmap_resp r = { 0, 0 };

	switch (op->code) {
	case UK_NR_HM_GET:
		r.status = uk_nr_hashmap_get(ds, op->key, &r.val);
		break;
	case UK_NR_HM_COUNT:
		r.val = uk_nr_hashmap_count(ds);
		break;
	case UK_NR_HM_DIGEST:
		r.val = uk_nr_hashmap_digest(ds);
		break;
	default:
		r.status = -EINVAL;
	}
	memcpy(respv, &r, sizeof(r));
}

const struct uk_nr_ops uk_nr_hashmap_ops = {
	.op_size = sizeof(struct uk_nr_hashmap_op),
	.resp_size = sizeof(struct uk_nr_hashmap_resp),
	.create = hm_nr_create,
	.destroy = hm_nr_destroy,
	.dispatch_mut = hm_nr_mut,
	.dispatch = hm_nr_read,
};
