/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nrhello: a c-hello-style application that uses uknr through names both
 * trees have, so the same source builds in upstream Unikraft (with L=,
 * support/scripts/check-upstream) and in ours in the upstream profile
 * (system test upstream-profile). Two threads on two replicas of an NR hash
 * map put and remove keys in disjoint ranges through a 16-entry log (which
 * wraps many times); the result must equal the same operations on a plain
 * map, read through each replica. Prints one line ending in OK and returns
 * 0, or says what differed and returns 1.
 */
#include <stdio.h>
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/sched.h>

#define KEYS 300	/* per thread */

struct worker {
	struct uk_nr *nr;
	struct uk_nr_token tok;
	__u64 base;		/* first key */
	int failed;		/* an operation's status was wrong */
	volatile int done;
};

static __u64 val_of(__u64 key)
{
	return key * 2654435761u + 7;
}

static int mut(struct worker *w, __u32 code, __u64 key, __s64 want)
{
	struct uk_nr_hashmap_op op = { .code = code, .key = key,
				       .val = val_of(key) };
	struct uk_nr_hashmap_resp r;

	if (uk_nr_execute_mut(w->nr, w->tok, &op, &r) || r.status != want)
		return 1;
	return 0;
}

/* Puts KEYS new keys, then removes every odd one. */
static void work(struct worker *w)
{
	__u64 k;

	for (k = 0; k < KEYS; k++)
		w->failed |= mut(w, UK_NR_HM_PUT, w->base + k, 0);
	for (k = 1; k < KEYS; k += 2)
		w->failed |= mut(w, UK_NR_HM_REMOVE, w->base + k, 1);
}

/* Upstream's thread functions must not return (uk_thread_fn1_t). */
static __noreturn void worker_main(void *arg)
{
	struct worker *w = arg;

	work(w);
	/* release: main's acquire load then sees w->failed. */
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	uk_sched_thread_exit();
}

static __u64 read_op(struct uk_nr *nr, struct uk_nr_token tok, __u32 code)
{
	struct uk_nr_hashmap_op op = { .code = code };
	struct uk_nr_hashmap_resp r = { 0, ~0ULL };

	uk_nr_execute(nr, tok, &op, &r);
	return r.val;
}

int main(void)
{
	struct uk_nr_config cfg = { .replicas = 2, .threads_per_replica = 2,
				    .log_entries = 16 };
	struct worker w[2] = { { .base = 1 }, { .base = 1 + KEYS } };
	struct uk_nr_hashmap *ref;
	__u64 cap = 4 * KEYS, k, want_n, want_d;
	struct uk_nr *nr;
	int bad = 0, r;

	if (uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg)) {
		printf("nrhello: uk_nr_create failed\n");
		return 1;
	}
	for (r = 0; r < 2; r++) {
		w[r].nr = nr;
		if (uk_nr_register(nr, r, &w[r].tok)) {
			printf("nrhello: uk_nr_register failed\n");
			return 1;
		}
	}
	if (!uk_sched_thread_create(uk_sched_current(), worker_main, &w[1],
				    "nrhello")) {
		printf("nrhello: no thread\n");
		return 1;
	}
	work(&w[0]);
	while (!__atomic_load_n(&w[1].done, __ATOMIC_ACQUIRE))
		uk_sched_yield();

	ref = uk_nr_hashmap_create(cap);
	for (k = 1; k <= 2 * KEYS; k++)
		if ((k - 1) % KEYS % 2 == 0)
			uk_nr_hashmap_put(ref, k, val_of(k), NULL);
	want_n = uk_nr_hashmap_count(ref);
	want_d = uk_nr_hashmap_digest(ref);
	for (r = 0; r < 2; r++) {
		bad |= w[r].failed;
		bad |= read_op(nr, w[r].tok, UK_NR_HM_COUNT) != want_n;
		bad |= read_op(nr, w[r].tok, UK_NR_HM_DIGEST) != want_d;
	}
	printf("nrhello: %u ops by 2 threads on %u replicas, %llu keys, "
	       "digest %llx: %s\n", 2 * (KEYS + KEYS / 2), uk_nr_replicas(nr),
	       (unsigned long long)want_n, (unsigned long long)want_d,
	       bad ? "MISMATCH" : "OK");
	uk_nr_hashmap_destroy(ref);
	uk_nr_destroy(nr);
	return bad;
}
