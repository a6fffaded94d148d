/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nrbench: throughput of a u64 -> u64 hash map in the guest under 0 %, 10 %
 * and 100 % writes with 1, 2, 4 ... threads (one pinned per vCPU, up to the
 * vCPU count), for the same sequential map (uknr's example) behind one
 * uk_spinlock, behind one uk_rwlock (uklock's blocking reader-writer lock),
 * and through uknr with the default placement (a replica per
 * CONFIG_LIBUKNR_CPUS_PER_REPLICA vCPUs) and with one replica, and through
 * uknr CNR (the map partitioned over 2 and 4 logs, default placement).
 * Prints a Markdown table in Mops/s with ratios.
 *
 *   nrbench [milliseconds per measurement (default 300)] [keys (16384)]
 */
#include <stdio.h>
#include <stdlib.h>
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/cnr_hashmap.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#include <uk/spinlock.h>

enum kind { K_SPIN, K_RW, K_NR, K_NR1, K_CNR2, K_CNR4, K_COUNT };

#define MAXT CONFIG_UKPLAT_LCPU_MAXCOUNT

static __u64 keys = 16384;
static __nsec run_ns = 300000000ULL;
static struct uk_spinlock spin = UK_SPINLOCK_INITIALIZER();
static struct uk_rwlock rw;
static struct uk_nr_hashmap *plain;
static struct uk_nr *nrs[2];		/* default placement, one replica */
static struct uk_nr_token tok[2][MAXT];
static struct uk_cnr *cnrs[2];		/* 2 logs, 4 logs */
static struct uk_cnr_token ctok[2][MAXT];

struct worker {
	enum kind kind;
	unsigned int id, wpct;
	__nsec start, end;
	unsigned long ops;
} __align(64);

static struct worker w[MAXT];

static __u64 rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void one_op(struct worker *me, __u64 r)
{
	struct uk_nr_hashmap_op op;
	struct uk_nr_hashmap_resp resp;
	__u64 key = (r >> 8) % keys, v;
	int write = (r & 0x7f) % 100 < me->wpct, n;

	switch (me->kind) {
	case K_SPIN:
		uk_spin_lock(&spin);
		if (!write)
			uk_nr_hashmap_get(plain, key, &v);
		else if (r & 0x80)
			uk_nr_hashmap_put(plain, key, r, NULL);
		else
			uk_nr_hashmap_remove(plain, key, NULL);
		uk_spin_unlock(&spin);
		break;
	case K_RW:
		if (!write) {
			uk_rwlock_rlock(&rw);
			uk_nr_hashmap_get(plain, key, &v);
			uk_rwlock_runlock(&rw);
			break;
		}
		uk_rwlock_wlock(&rw);
		if (r & 0x80)
			uk_nr_hashmap_put(plain, key, r, NULL);
		else
			uk_nr_hashmap_remove(plain, key, NULL);
		uk_rwlock_wunlock(&rw);
		break;
	case K_CNR2:
	case K_CNR4:
		n = me->kind == K_CNR2 ? 0 : 1;
		op.key = key;
		op.val = r;
		op.code = !write ? UK_NR_HM_GET
				 : r & 0x80 ? UK_NR_HM_PUT : UK_NR_HM_REMOVE;
		if (!write)
			uk_cnr_execute(cnrs[n], ctok[n][me->id], &op, &resp);
		else
			uk_cnr_execute_mut(cnrs[n], ctok[n][me->id], &op,
					   &resp);
		break;
	default:
		n = me->kind == K_NR ? 0 : 1;
		op.key = key;
		op.val = r;
		if (!write) {
			op.code = UK_NR_HM_GET;
			uk_nr_execute(nrs[n], tok[n][me->id], &op, &resp);
		} else {
			op.code = r & 0x80 ? UK_NR_HM_PUT : UK_NR_HM_REMOVE;
			uk_nr_execute_mut(nrs[n], tok[n][me->id], &op, &resp);
		}
	}
}

static void worker_main(void *arg)
{
	struct worker *me = arg;
	__u64 s = 0x1234567ULL * (me->id + 1);
	unsigned long n = 0;
	int i;

	while (ukplat_monotonic_clock() < me->start)
		ukarch_spinwait();
	/* Each worker stops itself: cooperative scheduling would not let
	 * a stop flag's writer run on a busy CPU. */
	while (ukplat_monotonic_clock() < me->end) {
		for (i = 0; i < 64; i++)
			one_op(me, rnd(&s));
		n += 64;
	}
	me->ops = n;
}

static double measure(enum kind k, unsigned int threads, unsigned int wpct)
{
	struct uk_thread *t[MAXT];
	unsigned long total = 0;
	unsigned int i;
	__nsec start = ukplat_monotonic_clock() + 20000000ULL;

	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ k, i, wpct, start, start + run_ns, 0 };
		t[i] = uk_sched_thread_create_on((int)i, worker_main, &w[i],
						 "bench");
	}
	for (i = 0; i < threads; i++) {
		uk_thread_join(t[i]);
		total += w[i].ops;
	}
	return (double)total / ((double)run_ns / 1e9) / 1e6;
}

/* The CNR maps: each partition holds up to keys / logs keys (the same
 * table memory as the others' map, which stays about half full). */
static int setup_cnr(unsigned int ncpu)
{
	struct uk_cnr_config cfg = { 0 };
	struct uk_nr_hashmap_op op = { .code = UK_NR_HM_PUT };
	struct uk_nr_hashmap_resp resp;
	unsigned int n, i;
	__u64 key, cap;

	cfg.nr.threads_per_replica = ncpu;
	for (n = 0; n < 2; n++) {
		cfg.logs = n ? 4 : 2;
		cap = keys / cfg.logs ? keys / cfg.logs : 1;
		if (uk_cnr_create(&cnrs[n], &uk_cnr_hashmap_ops, &cap, &cfg))
			return -1;
		for (i = 0; i < ncpu; i++)
			if (uk_cnr_register(cnrs[n], uk_nr_replica_of_cpu(i,
					    uk_cnr_replicas(cnrs[n])),
					    &ctok[n][i]))
				return -1;
		for (key = 0; key < keys; key += 2) {
			op.key = key;
			op.val = key;
			uk_cnr_execute_mut(cnrs[n], ctok[n][0], &op, &resp);
		}
	}
	return 0;
}

static int setup(unsigned int ncpu)
{
	struct uk_nr_config cfg = { 0 };
	struct uk_nr_hashmap_op op = { .code = UK_NR_HM_PUT };
	struct uk_nr_hashmap_resp resp;
	unsigned int n, i;
	__u64 key;

	uk_rwlock_init(&rw);
	plain = uk_nr_hashmap_create(keys);
	if (!plain)
		return -1;
	for (key = 0; key < keys; key += 2)
		uk_nr_hashmap_put(plain, key, key, NULL);
	cfg.threads_per_replica = ncpu;
	for (n = 0; n < 2; n++) {
		cfg.replicas = n ? 1 : 0;
		if (uk_nr_create(&nrs[n], &uk_nr_hashmap_ops, &keys, &cfg))
			return -1;
		for (i = 0; i < ncpu; i++)
			if (uk_nr_register(nrs[n], uk_nr_replica_of_cpu(i,
					   uk_nr_replicas(nrs[n])), &tok[n][i]))
				return -1;
		for (key = 0; key < keys; key += 2) {
			op.key = key;
			op.val = key;
			uk_nr_execute_mut(nrs[n], tok[n][0], &op, &resp);
		}
	}
	return setup_cnr(ncpu);
}

int main(int argc, char *argv[])
{
	static const unsigned int mixes[] = { 0, 10, 100 };
	unsigned int ncpu = ukplat_lcpu_count(), m, t;
	double v[K_COUNT];
	int k;

	if (argc > 1)
		run_ns = strtoull(argv[1], NULL, 0) * 1000000ULL;
	if (argc > 2)
		keys = strtoull(argv[2], NULL, 0);
	if (ncpu > MAXT || setup(ncpu)) {
		printf("nrbench: setup failed\n");
		return 1;
	}
	printf("nrbench: %u vCPUs, %llu keys (half present), %llu ms per "
	       "measurement, NR replicas: %u (default placement)\n\n", ncpu,
	       (unsigned long long)keys, (unsigned long long)(run_ns / 1000000),
	       uk_nr_replicas(nrs[0]));
	printf("| writes | threads | spinlock | rwlock | NR | NR-1 | CNR-2 | "
	       "CNR-4 | NR/spinlock | NR/rwlock | CNR-2/NR | CNR-4/NR |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	       "---:|\n");
	for (m = 0; m < 3; m++)
		for (t = 1; t <= ncpu; t *= 2) {
			for (k = 0; k < K_COUNT; k++)
				v[k] = measure((enum kind)k, t, mixes[m]);
			printf("| %u %% | %u | %.2f | %.2f | %.2f | %.2f | "
			       "%.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
			       mixes[m], t, v[K_SPIN], v[K_RW], v[K_NR],
			       v[K_NR1], v[K_CNR2], v[K_CNR4],
			       v[K_NR] / v[K_SPIN], v[K_NR] / v[K_RW],
			       v[K_CNR2] / v[K_NR], v[K_CNR4] / v[K_NR]);
		}
	printf("\n(Mops/s of guest time; NR, CNR: a replica per %u vCPU(s), "
	       "NR-1: one replica; CNR-n: n logs)\n",
	       CONFIG_LIBUKNR_CPUS_PER_REPLICA);
	return 0;
}
