/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr CNR: concurrent node replication. Like uk/nr.h, but with several
 * logs: operations that commute (e.g. on different keys) go to different
 * logs, conflicting ones to the same log, and each replica runs one
 * combiner per log, so writes to different logs proceed in parallel on
 * every replica. A replica is partitioned: one partition per log, each a
 * sequential structure that only its log's operations touch (under that
 * log's per-replica reader-writer lock); partitions of different logs are
 * used concurrently. Scans (operations that read several partitions, e.g. a
 * length) run on a state that is an atomic snapshot of the logs they span.
 *
 * An instance is nlogs NR instances (uk/nr.h) that share replicas and
 * thread registrations, plus the scan. With one log it is NR plus scans.
 * All memory is allocated by uk_cnr_create(). Details: doc/uknr.md, "CNR".
 */
#ifndef __UK_CNR_H__
#define __UK_CNR_H__

#include <uk/nr.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UK_CNR_MAX_LOGS 16

struct uk_cnr;

/* The partitioned structure. Mutating and read-only operations belong to
 * one log each (log_of); a scan reads the partitions of a set of logs. */
struct uk_cnr_ops {
	/* Bytes of a mutating operation (copied into its log) and of a
	 * response of any operation, scans included; as in uk_nr_ops. */
	size_t op_size;
	size_t resp_size;
	/* Log (0..nlogs-1) of a mutating or read-only operation. Operations
	 * that do not commute must map to the same log. Pure function.
	 * Not called (may be NULL) when log_by_key is set. */
	unsigned int (*log_of)(const void *op, unsigned int nlogs);
	/* Non-zero: the log of every mutating and read-only operation is
	 * uk_cnr_key_log(key, nlogs) of the __u64 key at byte key_offset of
	 * the operation (key_offset + 8 <= op_size), computed by CNR itself
	 * without a call per operation. For structures partitioned by a key
	 * (uk/cnr_hashmap.h), whose operations on different keys commute. */
	int log_by_key;
	size_t key_offset;
	/* Partition `log` of replica `replica`, empty; NULL on failure. */
	void *(*create)(unsigned int replica, unsigned int log, void *arg);
	void (*destroy)(void *part, unsigned int replica, unsigned int log,
			void *arg);
	/* As in uk_nr_ops, on the operation's partition. Calls for
	 * different logs run at the same time on one replica. */
	void (*dispatch_mut)(void *part, const void *op, void *resp);
	void (*dispatch)(const void *part, const void *op, void *resp);
	/* Read-only scan over parts[k] for every log k in `logs` (a bit
	 * mask; parts[] has nlogs entries, the others NULL). Must not change
	 * anything; may run at the same time as reads of those partitions.
	 * NULL: the structure has no scans. */
	void (*scan)(const void *const *parts, __u64 logs, const void *op,
		     void *resp);
	/* Logs a scan spans (bit k: log k); NULL or 0: all logs. */
	__u64 (*scan_logs)(const void *op, unsigned int nlogs);
};

/* The log of key among nlogs logs when uk_cnr_ops.log_by_key is set:
 * Fibonacci hashing (the top 32 bits h of key * 2^64 / phi), reduced to
 * 0..nlogs-1 as h * nlogs / 2^32 (the top bits of h for power-of-two log
 * counts; uniform for any count, no division). Any caller. */
static inline unsigned int uk_cnr_key_log(__u64 key, unsigned int nlogs)
{
	__u64 h = (key * 0x9e3779b97f4a7c15ULL) >> 32;

	return (unsigned int)((h * nlogs) >> 32);
}

/* Creation parameters: those of NR (replicas, threads_per_replica,
 * log_entries per log, alloc/free, relax; nr.dalloc must be NULL) plus the
 * number of logs and a deterministic allocator per log. */
struct uk_cnr_config {
	struct uk_nr_config nr;
	/* 1..UK_CNR_MAX_LOGS; 0: 1. */
	unsigned int logs;
	/* Log k's deterministic allocator (uk/nr_dalloc.h) for allocations
	 * in dispatch_mut on its partitions; NULL: none. */
	struct uk_nr_dalloc *dalloc[UK_CNR_MAX_LOGS];
};

/* A registered thread: its replica and its slot (the same in every log). */
struct uk_cnr_token {
	unsigned int replica;
	unsigned int slot;
};

/*
 * Creates the logs, replicas and partitions (ops->create(r, k, ds_arg) for
 * each replica r and log k). Thread context, not concurrently with anything
 * else on the instance. Returns 0; -EINVAL for a bad table or configuration;
 * -ENOMEM (everything allocated so far is freed again).
 */
int uk_cnr_create(struct uk_cnr **out, const struct uk_cnr_ops *ops,
		  void *ds_arg, const struct uk_cnr_config *cfg);

/* Frees everything; no thread may use cnr any more. NULL is ignored. */
void uk_cnr_destroy(struct uk_cnr *cnr);

/* As uk_nr_register(): a slot in every log of replica `replica`. Returns 0,
 * -EINVAL or -ENOSPC. */
int uk_cnr_register(struct uk_cnr *cnr, unsigned int replica,
		    struct uk_cnr_token *tok);

/*
 * Mutating operation op through log ops->log_of(op); linearizable with
 * every other operation, scans included. Same rules as uk_nr_execute_mut():
 * busy-waits, thread context. Returns 0, or -EINVAL for a bad token.
 */
int uk_cnr_execute_mut(struct uk_cnr *cnr, struct uk_cnr_token tok,
		       const void *op, void *resp);

/* Read-only operation on the token's replica; it syncs only its own log.
 * Returns 0 or -EINVAL. */
int uk_cnr_execute(struct uk_cnr *cnr, struct uk_cnr_token tok,
		   const void *op, void *resp);

/*
 * Scan op on the token's replica, over the logs ops->scan_logs(op) names:
 * takes that replica's combiner lock of each of those logs (in log order),
 * an atomic snapshot of the logs' completed tails (the linearization
 * point), applies each log to the replica exactly up to its snapshot, runs
 * ops->scan and releases the locks. op is only read during the call.
 * Returns 0, -EINVAL (bad token, no scan function, no valid log in the
 * mask).
 */
int uk_cnr_scan(struct uk_cnr *cnr, struct uk_cnr_token tok, const void *op,
		void *resp);

/* uk_nr_sync() of every log of replica `replica`: 0, -EBUSY (some log's
 * combiner is busy on it and will apply that log), -EINVAL. */
int uk_cnr_sync(struct uk_cnr *cnr, unsigned int replica);

unsigned int uk_cnr_logs(const struct uk_cnr *cnr);
unsigned int uk_cnr_replicas(const struct uk_cnr *cnr);

/* Partition `log` of replica r, for inspection while nothing runs (sync
 * first); NULL for bad indexes. */
void *uk_cnr_partition(struct uk_cnr *cnr, unsigned int r, unsigned int log);

/* The NR instance of log `log` (for statistics: uk_nr_get_stats()). */
struct uk_nr *uk_cnr_log(struct uk_cnr *cnr, unsigned int log);

/* Snapshots that found the ctails still moving after 5 collects and
 * froze them (see cnr.c). */
__u64 uk_cnr_scan_freezes(const struct uk_cnr *cnr);

#ifdef __cplusplus
}
#endif

#endif /* __UK_CNR_H__ */
