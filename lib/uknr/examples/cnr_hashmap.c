/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr CNR example: the sequential hash map of examples/hashmap.c, one per
 * log (partition), keys spread over the logs by a hash independent of the
 * one the partitions probe with; len, keys and digest are scans.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <uk/cnr_hashmap.h>

unsigned int uk_cnr_hashmap_log_of_key(__u64 key, unsigned int nlogs)
{
	/* Fibonacci hashing, top bits: the partitions use the low bits of
	 * another mix, so every partition still uses all of its slots. CNR
	 * computes it inline for every operation (log_by_key). */
	return uk_cnr_key_log(key, nlogs);
}

static void *chm_create(unsigned int replica __unused,
			unsigned int log __unused, void *arg)
{
	return uk_nr_hashmap_create(*(const __u64 *)arg);
}

static void chm_destroy(void *part, unsigned int replica __unused,
			unsigned int log __unused, void *arg __unused)
{
	uk_nr_hashmap_destroy(part);
}

/* Per-key operations are those of the NR map, on the key's partition. */
static void chm_mut(void *part, const void *op, void *resp)
{
	uk_nr_hashmap_ops.dispatch_mut(part, op, resp);
}

static void chm_read(const void *part, const void *op, void *resp)
{
	uk_nr_hashmap_ops.dispatch(part, op, resp);
}

static void chm_scan(const void *const *parts, __u64 logs, const void *opv,
		     void *respv)
{
	const struct uk_cnr_hashmap_scan *op = opv;
	struct uk_nr_hashmap_resp r = { 0, 0 };
	unsigned int k;
	__u64 n;

	for (k = 0; k < 64 && logs >> k; k++) {
		if (!(logs & (1ULL << k)))
			continue;
		switch (op->code) {
		case UK_CNR_HM_LEN:
			r.val += uk_nr_hashmap_count(parts[k]);
			break;
		case UK_CNR_HM_KEYS:
			n = op->max > r.val ? op->max - r.val : 0;
			r.val += uk_nr_hashmap_keys(parts[k],
						    op->keys + (n ? r.val : 0),
						    n);
			break;
		case UK_CNR_HM_DIGEST:
			r.val += uk_nr_hashmap_digest(parts[k]);
			break;
		default:
			r.status = -EINVAL;
		}
	}
	memcpy(respv, &r, sizeof(r));
}

const struct uk_cnr_ops uk_cnr_hashmap_ops = {
	.op_size = sizeof(struct uk_nr_hashmap_op),
	.resp_size = sizeof(struct uk_nr_hashmap_resp),
	/* The log is the key's: CNR hashes op->key inline, no call. */
	.log_by_key = 1,
	.key_offset = offsetof(struct uk_nr_hashmap_op, key),
	.create = chm_create,
	.destroy = chm_destroy,
	.dispatch_mut = chm_mut,
	.dispatch = chm_read,
	.scan = chm_scan,
	.scan_logs = NULL,	/* every scan spans all logs */
};
