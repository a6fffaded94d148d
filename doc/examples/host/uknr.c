/*
 * uknr in a plain Linux program (doc/host-libraries.md): the library's
 * example hash map (a sequential structure) becomes a concurrent one with
 * node replication, two replicas, pthreads as CPUs. Each thread inserts its
 * own keys and removes half of them again; afterwards the program checks
 * the count, a lookup of each kind, and that both replicas and a plain
 * sequential map holding the expected keys have the same digest. Exit
 * status 0 only if all of that holds.
 *
 *   make host-lib LIB=uknr
 *   gcc -I build/host-lib/uknr/host-include -I build/host-lib/uknr/include \
 *       -include uk/config.h doc/examples/host/uknr.c \
 *       build/host-lib/uknr/lib/libuknr.a -pthread
 */
#include <stdio.h>

#include <uk/nr.h>
#include <uk/nr_hashmap.h>

#include "threads.h"

#define THREADS		4
#define REPLICAS	2
#define KEYS		5000	/* per thread */
#define CAPACITY	(2 * THREADS * KEYS)

static struct uk_nr *nr;
static unsigned long failures;	/* atomic */

static struct uk_nr_hashmap_resp run(struct uk_nr_token tok, __u32 code,
				     __u64 key, __u64 val)
{
	struct uk_nr_hashmap_op op = { .code = code, .key = key, .val = val };
	struct uk_nr_hashmap_resp r = { .status = -1 };
	int rc;

	if (code == UK_NR_HM_PUT || code == UK_NR_HM_REMOVE)
		rc = uk_nr_execute_mut(nr, tok, &op, &r);
	else
		rc = uk_nr_execute(nr, tok, &op, &r);
	if (rc)	/* Relaxed: a count, read after the joins. */
		__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	return r;
}

/* Thread id owns keys [id * KEYS, (id + 1) * KEYS); keeps the even ones. */
static void worker(unsigned int id)
{
	struct uk_nr_token tok;
	__u64 k, first = (__u64)id * KEYS;

	if (uk_nr_register(nr, id % REPLICAS, &tok)) {
		__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
		return;
	}
	for (k = first; k < first + KEYS; k++)
		if (run(tok, UK_NR_HM_PUT, k, 3 * k).status != 0)
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	for (k = first + 1; k < first + KEYS; k += 2)
		if (run(tok, UK_NR_HM_REMOVE, k, 0).status != 1)
			__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
}

int main(void)
{
	struct uk_nr_config cfg = { .replicas = REPLICAS };
	__u64 capacity = CAPACITY, k, want_digest;
	struct uk_nr_hashmap_resp count, hit, miss;
	struct uk_nr_hashmap *expect;
	struct uk_nr_token tok;
	unsigned int r, same = 0;
	int ok;

	if (uk_nr_create(&nr, &uk_nr_hashmap_ops, &capacity, &cfg) ||
	    uk_nr_register(nr, 0, &tok)) {
		fprintf(stderr, "uk_nr_create/uk_nr_register failed\n");
		return 2;
	}
	if (run_threads(THREADS, worker))
		return 2;

	count = run(tok, UK_NR_HM_COUNT, 0, 0);
	hit = run(tok, UK_NR_HM_GET, 2, 0);
	miss = run(tok, UK_NR_HM_GET, 3, 0);

	/* The same keys, in one plain map, without replication. */
	expect = uk_nr_hashmap_create(CAPACITY);
	if (!expect)
		return 2;
	for (k = 0; k < (__u64)THREADS * KEYS; k += 2)
		uk_nr_hashmap_put(expect, k, 3 * k, NULL);
	want_digest = uk_nr_hashmap_digest(expect);
	for (r = 0; r < REPLICAS; r++) {
		const struct uk_nr_hashmap *m;

		uk_nr_sync(nr, r);
		m = uk_nr_replica_data(nr, r);
		same += m && uk_nr_hashmap_digest(m) == want_digest;
	}

	printf("%d threads, %d replicas: %d keys put, %d removed, %lu errors\n",
	       THREADS, REPLICAS, THREADS * KEYS, THREADS * KEYS / 2,
	       failures);
	printf("count: %llu\n", (unsigned long long)count.val);
	printf("get 2: %lld %llu, get 3: %lld\n", (long long)hit.status,
	       (unsigned long long)hit.val, (long long)miss.status);
	printf("replicas equal to the sequential map: %u of %d\n", same,
	       REPLICAS);
	ok = failures == 0 && count.val == THREADS * KEYS / 2 &&
	     hit.status == 1 && hit.val == 6 && miss.status == 0 &&
	     same == REPLICAS;
	uk_nr_hashmap_destroy(expect);
	uk_nr_destroy(nr);
	printf("uknr example: %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
