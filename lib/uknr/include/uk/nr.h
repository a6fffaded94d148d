/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr: node replication. Turns a sequential data structure into a
 * linearizable concurrent one: one copy (replica) of the structure per group
 * of CPUs (NUMA node on the host, configured CPUs in the guest), a shared
 * log of mutating operations that every replica replays in the same order,
 * flat combining inside a replica (one thread applies a batch of its
 * neighbours' operations), and a writer-preference reader-writer lock per
 * replica so that read-only operations run in parallel on the local copy.
 *
 * The user supplies the structure through struct uk_nr_ops: a constructor per
 * replica, dispatch_mut() for mutating operations (they go through the log and
 * must be deterministic: the same operation on the same state gives the same
 * state and response on every replica) and dispatch() for read-only ones.
 * Operations and responses are fixed-size byte blobs. A mutating operation is
 * copied into the log, so it must be a self-contained value (no pointers to
 * the caller's memory); a read-only operation is only read during the call.
 *
 * With a single replica there is nobody to replay a log, so uknr applies
 * combined batches directly (flat combining plus the reader-writer lock).
 *
 * All memory is allocated by uk_nr_create(); operations allocate nothing,
 * except through a deterministic allocator (uk/nr_dalloc.h).
 * Details, memory orders and measurements: doc/uknr.md.
 */
#ifndef __UK_NR_H__
#define __UK_NR_H__

#include <stddef.h>
#include <uk/essentials.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of struct uk_nr_config. */
#define UK_NR_MAX_REPLICAS	64
#define UK_NR_MAX_THREADS	256	/* per replica */
#define UK_NR_MAX_OP_SIZE	1024	/* bytes of a mutating operation */
#define UK_NR_DEFAULT_THREADS	16
#define UK_NR_DEFAULT_LOG	4096	/* entries */

struct uk_nr;
struct uk_nr_dalloc;

/* The sequential data structure. */
struct uk_nr_ops {
	/* Bytes of a mutating operation (1..UK_NR_MAX_OP_SIZE), copied into
	 * the log; and of a response (may be 0). */
	size_t op_size;
	size_t resp_size;
	/* Makes replica number `replica`'s copy, empty; NULL on failure. It
	 * must allocate everything the structure will ever need. */
	void *(*create)(unsigned int replica, void *arg);
	/* Frees a copy made by create (may be NULL). */
	void (*destroy)(void *ds, unsigned int replica, void *arg);
	/* Applies a mutating operation and writes its response (resp_size
	 * bytes) to resp. Runs once per replica, on any CPU. */
	void (*dispatch_mut)(void *ds, const void *op, void *resp);
	/* Runs a read-only operation; must not change ds. Several may run at
	 * once on one replica. */
	void (*dispatch)(const void *ds, const void *op, void *resp);
	/* Neither dispatch function may block, yield or call uknr on the
	 * same instance: they run under the replica's locks. */
};

/* Allocation hook: size bytes aligned to align (a power of two), meant for
 * replica `replica` (-1: the shared log); NULL on failure. */
typedef void *(*uk_nr_alloc_fn)(size_t align, size_t size, int replica,
				void *arg);
typedef void (*uk_nr_free_fn)(void *ptr, void *arg);

/* Creation parameters; zeroed fields take defaults. */
struct uk_nr_config {
	/* Replicas (1..UK_NR_MAX_REPLICAS); 0: uk_nr_default_replicas(). */
	unsigned int replicas;
	/* Threads that may register per replica (1..UK_NR_MAX_THREADS);
	 * 0: UK_NR_DEFAULT_THREADS. It is also the largest batch. */
	unsigned int threads_per_replica;
	/* Log entries: a power of two, at least 2 * threads_per_replica
	 * rounded up to a power of two; 0: UK_NR_DEFAULT_LOG or that minimum
	 * if larger. An entry takes 64 bytes per started 56 bytes of op. */
	unsigned int log_entries;
	/* Memory; both NULL: posix_memalign() and free(). */
	uk_nr_alloc_fn alloc;
	uk_nr_free_fn free;
	void *alloc_arg;
	/* Called every 64 polls of a busy-wait (NULL: yield the CPU to another
	 * thread: sched_yield() on the host, uk_sched_yield() in the guest
	 * with uksched, nothing otherwise). */
	void (*relax)(void);
	/* Deterministic allocator for allocations inside dispatch_mut
	 * (uk/nr_dalloc.h), made for this instance's replica count and log
	 * size; NULL: none (dispatch_mut allocates nothing). */
	struct uk_nr_dalloc *dalloc;
};

/* A registered thread: its replica and its slot there. */
struct uk_nr_token {
	unsigned int replica;
	unsigned int slot;
};

/*
 * Creates the log and the replicas (calling ops->create(r, ds_arg) for each)
 * and stores the instance in *out. Thread context, any CPU, not concurrently
 * with anything else on the instance. Returns 0; -EINVAL for a bad ops table
 * or configuration (nothing allocated); -ENOMEM when an allocation or a
 * create() failed (everything allocated so far is freed again).
 */
int uk_nr_create(struct uk_nr **out, const struct uk_nr_ops *ops,
		 void *ds_arg, const struct uk_nr_config *cfg);

/* Frees everything; no thread may use nr any more. NULL is ignored. */
void uk_nr_destroy(struct uk_nr *nr);

/*
 * Registers the calling thread with replica `replica` and fills *tok. A token
 * belongs to one thread at a time (its slot holds that thread's pending
 * operation). Any CPU, concurrently with operations. Returns 0, -EINVAL (no
 * such replica) or -ENOSPC (threads_per_replica already registered).
 */
int uk_nr_register(struct uk_nr *nr, unsigned int replica,
		   struct uk_nr_token *tok);

/*
 * Runs mutating operation op (ops->op_size bytes) and writes its response to
 * resp (ops->resp_size bytes; may be NULL when resp_size is 0). Linearizable
 * with every other operation on nr. Busy-waits (calling relax) while another
 * thread combines it; may apply other threads' operations. Thread context;
 * not from interrupt handlers. Returns 0, or -EINVAL for a bad token.
 */
int uk_nr_execute_mut(struct uk_nr *nr, struct uk_nr_token tok,
		      const void *op, void *resp);

/*
 * Runs read-only operation op on the token's replica, after bringing the
 * replica up to date with every mutating operation that completed before
 * this call started. Same rules and return values as uk_nr_execute_mut().
 */
int uk_nr_execute(struct uk_nr *nr, struct uk_nr_token tok, const void *op,
		  void *resp);

/*
 * Brings replica `replica` up to date with the log without running new
 * operations, so that an idle replica does not hold back log space (the
 * library also advances a lagging replica on its behalf when the log is
 * full). Needs no token; any thread, e.g. a CPU's idle loop. Returns 0 when
 * the replica has applied the log as it was when the call started, -EBUSY
 * when another thread is applying it right now (that thread will), -EINVAL
 * for a bad replica.
 */
int uk_nr_sync(struct uk_nr *nr, unsigned int replica);

/*
 * uk_nr_sync() on the replica that uk_nr_replica_of_cpu() assigns to the
 * calling CPU; `nr` is a struct uk_nr *. Shaped as an idle-loop hook.
 */
void uk_nr_sync_idle(void *nr);

/*
 * Idle-loop synchronisation. uk_nr_idle_sync_enable() adds nr to the
 * instances that uk_nr_idle_hook() keeps current: each call of the hook runs
 * uk_nr_sync() on the calling CPU's replica of every such instance. In the
 * guest with uksched, the first enable registers uk_nr_idle_hook() with
 * uk_sched_idle_hook_register(), so every CPU runs it before it halts. At
 * most UK_NR_IDLE_MAX instances. Any CPU, thread context. Returns 0,
 * -EINVAL, -ENOSPC, or the hook registration's error: -ENOTSUP where
 * uk/sched.h has no idle hooks (upstream Unikraft; doc/reuse.md).
 * uk_nr_idle_sync_disable() removes nr and waits until no hook uses it any
 * more; uk_nr_destroy() calls it.
 */
#define UK_NR_IDLE_MAX 8
int uk_nr_idle_sync_enable(struct uk_nr *nr);
void uk_nr_idle_sync_disable(struct uk_nr *nr);
void uk_nr_idle_hook(void *unused);

/* Number of replicas of nr. */
unsigned int uk_nr_replicas(const struct uk_nr *nr);

/*
 * Replica r's copy of the structure, for inspection by tests and tools while
 * no operation runs (call uk_nr_sync() first). NULL for a bad r.
 */
void *uk_nr_replica_data(struct uk_nr *nr, unsigned int r);

/* Counters; read while operations run they are a consistent-enough hint. */
struct uk_nr_stats {
	__u64 tail;		/* log entries ever appended */
	__u64 head;		/* entries before head are reusable */
	__u64 ctail;		/* applied by at least one replica */
	__u64 log_entries;	/* log size */
	__u64 log_full;		/* appends that found no room */
	__u64 helped;		/* replica log catch-ups done by another
				 * replica's combiner (all replicas) */
	__u64 combines;		/* combining rounds that appended (all) */
	__u64 combined_ops;	/* operations they appended */
};

/* Fills *st. Any thread. */
void uk_nr_get_stats(const struct uk_nr *nr, struct uk_nr_stats *st);

/* How far replica r has applied the log (0 for a bad r). */
__u64 uk_nr_replica_ltail(const struct uk_nr *nr, unsigned int r);

/*
 * Placement. uk_nr_default_replicas(): on the host, the number of NUMA nodes
 * (1 if unknown); in the guest, the online CPUs divided by
 * CONFIG_LIBUKNR_CPUS_PER_REPLICA, rounded up. uk_nr_replica_of_cpu(): the
 * replica that CPU cpu should register with when there are `replicas`
 * (host: its NUMA node modulo replicas; guest: cpu /
 * CONFIG_LIBUKNR_CPUS_PER_REPLICA modulo replicas). Any context.
 */
unsigned int uk_nr_default_replicas(void);
unsigned int uk_nr_replica_of_cpu(unsigned int cpu, unsigned int replicas);

#ifdef __cplusplus
}
#endif

#endif /* __UK_NR_H__ */
