/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr CNR uktest suite (guest): two threads pinned per CPU, registered
 * with their CPU's replica, put and remove colliding keys of the CNR hash
 * map with 1, 2 and 4 logs and scan its length meanwhile. Checks: no wrong
 * response, every scanned length possible, successful inserts minus
 * successful removes = final length (scanned) = every replica's count, and
 * equal replicas; and deterministic allocation with injected failures.
 * Waits for workers are bounded (they are terminated).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <uk/cnr.h>
#include <uk/cnr_hashmap.h>
#include <uk/nr_dalloc.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>

#define CNR_PER_CPU 2
#define CNR_MAX_T (2 * CONFIG_UKPLAT_LCPU_MAXCOUNT)
#define CNR_TIMEOUT_NS (120ULL * 1000000000ULL)
#define CNR_KEYS 128

uk_testsuite_register(ukcnr, NULL);

struct cnr_job {
	struct uk_cnr *cnr;
	struct uk_cnr_token tok;
	unsigned int id, n;
	long net;		/* new keys put minus keys removed */
	unsigned long bad;
};

static struct cnr_job cjobs[CNR_MAX_T];
static unsigned long cnr_finished;

static __u64 cnr_rnd(__u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static __u64 cnr_len(struct cnr_job *j)
{
	struct uk_cnr_hashmap_scan op = { .code = UK_CNR_HM_LEN };
	struct uk_nr_hashmap_resp r = { 0, 0 };

	j->bad += uk_cnr_scan(j->cnr, j->tok, &op, &r) != 0 || r.status;
	return r.val;
}

static void cnr_worker(void *arg)
{
	struct cnr_job *j = arg;
	struct uk_nr_hashmap_op op = { 0 };
	struct uk_nr_hashmap_resp r;
	__u64 s = 0x9e3779b97f4a7c15ULL * (j->id + 1);
	unsigned int i;

	for (i = 0; i < j->n; i++) {
		op.key = cnr_rnd(&s) % CNR_KEYS;
		op.val = i;
		op.code = cnr_rnd(&s) & 1 ? UK_NR_HM_PUT : UK_NR_HM_REMOVE;
		j->bad += uk_cnr_execute_mut(j->cnr, j->tok, &op, &r) != 0;
		if (op.code == UK_NR_HM_PUT) {
			j->net += r.status == 0;
			j->bad += r.status < 0;
		} else {
			j->net -= r.status == 1;
		}
		op.code = UK_NR_HM_GET;
		j->bad += uk_cnr_execute(j->cnr, j->tok, &op, &r) != 0;
		if (i % 32 == 0)
			j->bad += cnr_len(j) > CNR_KEYS;
	}
	__atomic_fetch_add(&cnr_finished, 1, __ATOMIC_RELEASE);
}

/* Runs fn on the workers of cnr; returns their number, 0 on timeout. */
static unsigned int cnr_run_fn(struct uk_cnr *cnr, void (*fn)(void *),
			       unsigned int n)
{
	unsigned int ncpu = ukplat_lcpu_count(), nt = ncpu * CNR_PER_CPU, i;
	__nsec end = ukplat_monotonic_clock() + CNR_TIMEOUT_NS;
	struct uk_thread *t[CNR_MAX_T];
	int late = 0;

	__atomic_store_n(&cnr_finished, 0, __ATOMIC_RELAXED);
	for (i = 0; i < nt; i++) {
		cjobs[i] = (struct cnr_job){ .cnr = cnr, .id = i, .n = n };
		if (uk_cnr_register(cnr, uk_nr_replica_of_cpu(i % ncpu,
						uk_cnr_replicas(cnr)),
				    &cjobs[i].tok))
			return 0;
	}
	for (i = 0; i < nt; i++)
		t[i] = uk_sched_thread_create_on((int)(i % ncpu), fn,
						 &cjobs[i], "cnr");
	while (__atomic_load_n(&cnr_finished, __ATOMIC_ACQUIRE) < nt) {
		if (ukplat_monotonic_clock() > end) {
			late = 1;
			break;
		}
		uk_sched_thread_sleep(1000000);
	}
	for (i = 0; i < nt; i++) {
		if (late)
			uk_sched_thread_terminate(t[i]);
		uk_thread_join(t[i]);
	}
	return late ? 0 : nt;
}

static void cnr_conservation_case(struct uk_testcase *esac,
				  unsigned int logs)
{
	struct uk_cnr_config cfg = { 0 };
	unsigned int nt, i, r, k, ncpu = ukplat_lcpu_count();
	struct uk_cnr *cnr;
	__u64 cap = CNR_KEYS, n, d, d0 = 0;
	long net = 0;
	unsigned long bad = 0;

	cfg.logs = logs;
	cfg.nr.threads_per_replica = ncpu * CNR_PER_CPU;
	cfg.nr.log_entries = 64;
	UK_TEST_REQUIRE(uk_cnr_create(&cnr, &uk_cnr_hashmap_ops, &cap, &cfg)
			== 0);
	nt = cnr_run_fn(cnr, cnr_worker, 400);
	UK_TEST_REQUIRE(nt != 0);
	for (i = 0; i < nt; i++) {
		net += cjobs[i].net;
		bad += cjobs[i].bad;
	}
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	UK_TEST_EXPECT_SNUM_EQ((long)cnr_len(&cjobs[0]), net);
	for (r = 0; r < uk_cnr_replicas(cnr); r++) {
		UK_TEST_EXPECT_SNUM_EQ(uk_cnr_sync(cnr, r), 0);
		for (k = 0, n = 0, d = 0; k < logs; k++) {
			n += uk_nr_hashmap_count(uk_cnr_partition(cnr, r, k));
			d += uk_nr_hashmap_digest(uk_cnr_partition(cnr, r, k));
		}
		UK_TEST_EXPECT_SNUM_EQ((long)n, net);
		if (!r)
			d0 = d;
		UK_TEST_EXPECT_UNUM_EQ(d, d0);
	}
	printf("    %u CPUs, %u threads, %u replicas, %u logs: %u writes, "
	       "final length %ld, %llu snapshot freezes\n", ncpu, nt,
	       uk_cnr_replicas(cnr), logs, nt * 400, net,
	       (unsigned long long)uk_cnr_scan_freezes(cnr));
	uk_cnr_destroy(cnr);
}

UK_TESTCASE(ukcnr, one_log_conserves_keys)
{
	cnr_conservation_case(esac, 1);
}

UK_TESTCASE(ukcnr, two_logs_conserve_keys)
{
	cnr_conservation_case(esac, 2);
}

UK_TESTCASE(ukcnr, four_logs_conserve_keys)
{
	cnr_conservation_case(esac, 4);
}

/*
 * Deterministic allocation in the guest: a counter per partition whose
 * increments each allocate a block (kept in a ring of the partition, the
 * oldest freed when it is full) through the log's uk_nr_dalloc; the
 * underlying allocator fails every 5th call. Every replica must count the
 * same successes and failures, the failures answered must equal those
 * counted, and no block may be left after destroy.
 */
#define CNR_RING 8

struct dpart {
	struct uk_nr_dalloc *d;
	unsigned int replica;
	__u64 ok, failed;
	void *ring[CNR_RING];
};

static unsigned long d_calls, d_live;

static void *d_alloc(size_t align, size_t size, int replica __unused,
		     void *arg __unused)
{
	void *p;

	/* relaxed: counters; which call fails need not be ordered. */
	if (__atomic_fetch_add(&d_calls, 1, __ATOMIC_RELAXED) % 5 == 4)
		return NULL;
	p = aligned_alloc(align, (size + align - 1) & ~(align - 1));
	if (p)
		__atomic_fetch_add(&d_live, 1, __ATOMIC_RELAXED);
	return p;
}

static void d_free(void *p, void *arg __unused)
{
	__atomic_fetch_sub(&d_live, 1, __ATOMIC_RELAXED);
	free(p);
}

static unsigned int dp_log_of(const void *op, unsigned int nlogs)
{
	return (unsigned int)(*(const __u64 *)op % nlogs);
}

static void *dp_create(unsigned int replica, unsigned int log, void *arg)
{
	struct dpart *p = calloc(1, sizeof(*p));

	if (p) {
		p->d = ((struct uk_nr_dalloc **)arg)[log];
		p->replica = replica;
	}
	return p;
}

static void dp_destroy(void *part, unsigned int replica __unused,
		       unsigned int log __unused, void *arg __unused)
{
	struct dpart *p = part;
	unsigned int i;

	for (i = 0; i < CNR_RING; i++)
		uk_nr_dalloc_free(p->d, p->ring[i]);
	free(p);
}

static void dp_mut(void *part, const void *op __unused, void *resp)
{
	struct dpart *p = part;
	void *b = uk_nr_dalloc_alloc(p->d, p->replica, 32);
	unsigned int i = (unsigned int)(p->ok % CNR_RING);

	if (!b) {
		p->failed++;
		*(__s64 *)resp = -ENOMEM;
		return;
	}
	uk_nr_dalloc_free(p->d, p->ring[i]);
	p->ring[i] = b;
	p->ok++;
	*(__s64 *)resp = 0;
}

static void dp_read(const void *part, const void *op __unused, void *resp)
{
	*(__s64 *)resp = (__s64)((const struct dpart *)part)->ok;
}

static const struct uk_cnr_ops dp_ops = {
	.op_size = sizeof(__u64),
	.resp_size = sizeof(__s64),
	.log_of = dp_log_of,
	.create = dp_create,
	.destroy = dp_destroy,
	.dispatch_mut = dp_mut,
	.dispatch = dp_read,
};

static void dalloc_worker(void *arg)
{
	struct cnr_job *j = arg;
	__u64 op;
	__s64 r;
	unsigned int i;

	for (i = 0; i < j->n; i++) {
		op = j->id + i;
		j->bad += uk_cnr_execute_mut(j->cnr, j->tok, &op, &r) != 0;
		/* net counts the failures this thread was answered */
		j->net += r == -ENOMEM;
	}
	__atomic_fetch_add(&cnr_finished, 1, __ATOMIC_RELEASE);
}

UK_TESTCASE(ukcnr, dalloc_failures_same_on_every_replica)
{
	struct uk_cnr_config cfg = { 0 };
	struct uk_nr_dalloc *d[2];
	unsigned int nt, i, r, k, ncpu = ukplat_lcpu_count();
	unsigned int reps = uk_nr_default_replicas();
	struct dpart *p, *p0;
	struct uk_cnr *cnr;
	long failed = 0;

	d_calls = 0;
	d_live = 0;
	cfg.logs = 2;
	cfg.nr.threads_per_replica = ncpu * CNR_PER_CPU;
	cfg.nr.log_entries = 64;
	for (k = 0; k < 2; k++) {
		UK_TEST_REQUIRE(uk_nr_dalloc_create(&d[k], reps, 64, 1,
						    d_alloc, d_free, NULL) ==
				0);
		cfg.dalloc[k] = d[k];
	}
	UK_TEST_REQUIRE(uk_cnr_create(&cnr, &dp_ops, d, &cfg) == 0);
	nt = cnr_run_fn(cnr, dalloc_worker, 300);
	UK_TEST_REQUIRE(nt != 0);
	for (i = 0; i < nt; i++) {
		failed += cjobs[i].net;
		UK_TEST_EXPECT_UNUM_EQ(cjobs[i].bad, 0);
	}
	UK_TEST_EXPECT(failed > 0);
	for (r = 0; r < uk_cnr_replicas(cnr); r++) {
		__u64 ok = 0, f = 0;

		UK_TEST_EXPECT_SNUM_EQ(uk_cnr_sync(cnr, r), 0);
		for (k = 0; k < 2; k++) {
			p = uk_cnr_partition(cnr, r, k);
			p0 = uk_cnr_partition(cnr, 0, k);
			UK_TEST_EXPECT_UNUM_EQ(p->ok, p0->ok);
			UK_TEST_EXPECT_UNUM_EQ(p->failed, p0->failed);
			ok += p->ok;
			f += p->failed;
		}
		UK_TEST_EXPECT_SNUM_EQ((long)f, failed);
		UK_TEST_EXPECT_UNUM_EQ(ok + f, (__u64)nt * 300);
	}
	printf("    %u threads, %u replicas, 2 logs, every 5th allocator "
	       "call fails: %ld of %u increments failed on every replica\n",
	       nt, uk_cnr_replicas(cnr), failed, nt * 300);
	uk_cnr_destroy(cnr);
	for (k = 0; k < 2; k++)
		uk_nr_dalloc_destroy(d[k]);
	UK_TEST_EXPECT_UNUM_EQ(d_live, 0);
}
