/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Example structure for uknr CNR: a u64 -> u64 hash map partitioned by key
 * into one uk_nr_hashmap per log, so puts and removes of keys in different
 * partitions go to different logs and are applied in parallel. get/put/
 * remove are per-key operations; len and keys are scans over all logs.
 */
#ifndef __UK_CNR_HASHMAP_H__
#define __UK_CNR_HASHMAP_H__

#include <uk/essentials.h>

/* Host builds (support/host) compile the examples unconditionally. */
#if !defined(CONFIG_LIBUKNR_EXAMPLES) && !defined(CONFIG_HOST_TEST)
#error "uk/cnr_hashmap.h needs CONFIG_LIBUKNR_EXAMPLES"
#endif
#include <uk/cnr.h>
#include <uk/nr_hashmap.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The log (and partition) of key among nlogs. */
unsigned int uk_cnr_hashmap_log_of_key(__u64 key, unsigned int nlogs);

/*
 * Operations for uk_cnr_create(&cnr, &uk_cnr_hashmap_ops, &capacity, cfg),
 * capacity a __u64: each partition holds up to `capacity` keys (a put into
 * a full partition returns -ENOSPC). Per-key operations use struct
 * uk_nr_hashmap_op and struct uk_nr_hashmap_resp with UK_NR_HM_PUT,
 * UK_NR_HM_REMOVE (uk_cnr_execute_mut) and UK_NR_HM_GET (uk_cnr_execute).
 * Scans (uk_cnr_scan) use struct uk_cnr_hashmap_scan.
 */
enum uk_cnr_hashmap_scan_code {
	UK_CNR_HM_LEN = 1,	/* resp.val: number of keys */
	UK_CNR_HM_KEYS,		/* resp.val: number of keys; up to max
				 * of them written to keys[] */
	UK_CNR_HM_DIGEST,	/* resp.val: sum of the partitions' digests */
};

struct uk_cnr_hashmap_scan {
	__u32 code;
	__u32 pad;
	__u64 *keys;		/* KEYS: caller's array (read-only op) */
	__u64 max;		/* KEYS: its length */
};

extern const struct uk_cnr_ops uk_cnr_hashmap_ops;

#ifdef __cplusplus
}
#endif

#endif /* __UK_CNR_HASHMAP_H__ */
