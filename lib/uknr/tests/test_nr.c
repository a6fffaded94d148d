/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr uktest suite (guest): threads pinned per CPU, each registered with
 * the replica its CPU is assigned to (uk_nr_replica_of_cpu(), one replica
 * per CONFIG_LIBUKNR_CPUS_PER_REPLICA CPUs), two threads per CPU so that
 * flat combining happens at -smp 1 too. Checks conserved quantities,
 * identical replicas after quiescence, a tiny log with an idle extra
 * replica, and uk_nr_sync(). Every wait for worker threads is bounded: on
 * timeout the case fails and the workers are terminated.
 */
#include <stdio.h>
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/nr_pqueue.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/test.h>

#define PER_CPU 2
#define MAX_T (2 * CONFIG_UKPLAT_LCPU_MAXCOUNT)
#define TIMEOUT_NS (120ULL * 1000000000ULL)

uk_testsuite_register(uknr, NULL);

struct job {
	struct uk_nr *nr;
	struct uk_nr_token tok;
	unsigned int id;
	unsigned int n;
	unsigned long bad;
	unsigned long popped_sum, popped;
};

static struct job jobs[MAX_T];
static unsigned long finished;

/*
 * Runs fn on PER_CPU threads per CPU (job i on CPU i % ncpu), registered
 * with their CPU's replica of nr (or replica `only` for every job when it
 * is not -1), and waits for them. Returns the number of threads, 0 if they
 * did not finish within TIMEOUT_NS (they are terminated then).
 */
static unsigned int run_jobs(struct uk_nr *nr, void (*fn)(void *),
			     unsigned int n, int only)
{
	unsigned int ncpu = ukplat_lcpu_count(), nt = ncpu * PER_CPU, i;
	struct uk_thread *t[MAX_T];
	__nsec end = ukplat_monotonic_clock() + TIMEOUT_NS;
	unsigned int rep;
	int timed_out = 0;

	__atomic_store_n(&finished, 0, __ATOMIC_RELAXED);
	for (i = 0; i < nt; i++) {
		jobs[i] = (struct job){ .nr = nr, .id = i, .n = n };
		rep = only >= 0 ? (unsigned int)only
				: uk_nr_replica_of_cpu(i % ncpu,
						       uk_nr_replicas(nr));
		if (uk_nr_register(nr, rep, &jobs[i].tok))
			return 0;
	}
	for (i = 0; i < nt; i++)
		t[i] = uk_sched_thread_create_on((int)(i % ncpu), fn,
						 &jobs[i], "nr");
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < nt) {
		if (ukplat_monotonic_clock() > end) {
			timed_out = 1;
			break;
		}
		uk_sched_thread_sleep(1000000);
	}
	for (i = 0; i < nt; i++) {
		if (timed_out)
			uk_sched_thread_terminate(t[i]);
		uk_thread_join(t[i]);
	}
	return timed_out ? 0 : nt;
}

static void job_done(void)
{
	__atomic_fetch_add(&finished, 1, __ATOMIC_RELEASE);
}

static __u64 map_call(struct job *j, __u32 code, __u64 key, __u64 val,
		      __s64 *status)
{
	struct uk_nr_hashmap_op op = { .code = code, .key = key, .val = val };
	struct uk_nr_hashmap_resp r = { 0, 0 };

	if (code == UK_NR_HM_PUT || code == UK_NR_HM_REMOVE)
		j->bad += uk_nr_execute_mut(j->nr, j->tok, &op, &r) != 0;
	else
		j->bad += uk_nr_execute(j->nr, j->tok, &op, &r) != 0;
	if (status)
		*status = r.status;
	return r.val;
}

/* Own keys: insert, overwrite, read back; then remove the odd ones. */
static void owned_keys_job(void *arg)
{
	struct job *j = arg;
	__u64 k, i;
	__s64 st;

	for (i = 0; i < j->n; i++) {
		k = ((__u64)j->id << 32) | i;
		map_call(j, UK_NR_HM_PUT, k, i, &st);
		j->bad += st != 0;
		map_call(j, UK_NR_HM_PUT, k, i + 1, &st);
		j->bad += st != 1;
		j->bad += map_call(j, UK_NR_HM_GET, k, 0, &st) != i + 1 ||
			  st != 1;
	}
	for (i = 1; i < j->n; i += 2) {
		k = ((__u64)j->id << 32) | i;
		j->bad += map_call(j, UK_NR_HM_REMOVE, k, 0, &st) != i + 1 ||
			  st != 1;
	}
	job_done();
}

/* Syncs every replica and checks its contents against the expectation
 * (esac: the calling case, for the expectations). */
static void check_replicas(struct uk_testcase *esac, struct uk_nr *nr,
			   unsigned int nt, unsigned int n)
{
	struct uk_nr_hashmap *want = uk_nr_hashmap_create(nt * n + 1);
	struct uk_nr_hashmap *m;
	unsigned int r, t, i;

	UK_TEST_REQUIRE(want != NULL);
	for (t = 0; t < nt; t++)
		for (i = 0; i < n; i += 2)
			uk_nr_hashmap_put(want, ((__u64)t << 32) | i, i + 1,
					  NULL);
	for (r = 0; r < uk_nr_replicas(nr); r++) {
		UK_TEST_EXPECT_SNUM_EQ(uk_nr_sync(nr, r), 0);
		m = uk_nr_replica_data(nr, r);
		UK_TEST_EXPECT_UNUM_EQ(uk_nr_hashmap_count(m),
				       uk_nr_hashmap_count(want));
		UK_TEST_EXPECT_UNUM_EQ(uk_nr_hashmap_digest(m),
				       uk_nr_hashmap_digest(want));
	}
	uk_nr_hashmap_destroy(want);
}

static unsigned long total_bad(unsigned int nt)
{
	unsigned long b = 0;
	unsigned int i;

	for (i = 0; i < nt; i++)
		b += jobs[i].bad;
	return b;
}

static void owned_keys_case(struct uk_testcase *esac,
			    unsigned int extra_replicas, unsigned int log,
			    unsigned int n)
{
	struct uk_nr_config cfg = { 0 };
	struct uk_nr_stats st;
	unsigned int nt, ncpu = ukplat_lcpu_count();
	struct uk_nr *nr;
	__u64 cap = (__u64)ncpu * PER_CPU * n;

	cfg.replicas = uk_nr_default_replicas() + extra_replicas;
	cfg.threads_per_replica = ncpu * PER_CPU;
	/* log 0: the smallest allowed, a power of two >= 2 * batch. */
	for (cfg.log_entries = log ? log : 1;
	     cfg.log_entries < 2 * cfg.threads_per_replica;
	     cfg.log_entries *= 2)
		;
	UK_TEST_REQUIRE(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg) ==
			0);
	nt = run_jobs(nr, owned_keys_job, n, -1);
	UK_TEST_REQUIRE(nt != 0);
	UK_TEST_EXPECT_UNUM_EQ(total_bad(nt), 0);
	check_replicas(esac, nr, nt, n);
	uk_nr_get_stats(nr, &st);
	UK_TEST_EXPECT_UNUM_EQ(st.tail, (__u64)nt * (2 * n + n / 2));
	if (extra_replicas)
		UK_TEST_EXPECT(st.helped > 0);
	printf("    %u CPUs, %u threads, %u replicas, log %llu: %llu writes, "
	       "%llu combining rounds, log full %llu, helped %llu\n", ncpu,
	       nt, uk_nr_replicas(nr), (unsigned long long)st.log_entries,
	       (unsigned long long)st.tail, (unsigned long long)st.combines,
	       (unsigned long long)st.log_full,
	       (unsigned long long)st.helped);
	uk_nr_destroy(nr);
}

/* Default placement (a replica per CPU group), a log that rarely fills. */
UK_TESTCASE(uknr, owned_keys_replicas_identical)
{
	owned_keys_case(esac, 0, 1024, 300);
}

/* An extra replica without threads and the smallest log: the others must
 * advance it on its behalf again and again. */
UK_TESTCASE(uknr, tiny_log_idle_replica_does_not_stall)
{
	owned_keys_case(esac, 1, 0, 200);
}

static void pq_job(void *arg)
{
	struct job *j = arg;
	struct uk_nr_pqueue_op op = { 0 };
	struct uk_nr_pqueue_resp r;
	__u64 i;

	for (i = 0; i < j->n; i++) {
		op.code = UK_NR_PQ_PUSH;
		op.val = i * MAX_T + j->id;
		j->bad += uk_nr_execute_mut(j->nr, j->tok, &op, &r) != 0 ||
			  r.status != 0;
		if (i % 2) {
			op.code = UK_NR_PQ_POP;
			uk_nr_execute_mut(j->nr, j->tok, &op, &r);
			if (r.status == 1) {
				j->popped++;
				j->popped_sum += r.val;
			}
		}
	}
	job_done();
}

/* Priority queue: pushed = popped + left, in count and in sum, on every
 * replica. */
UK_TESTCASE(uknr, pqueue_conserves_values)
{
	struct uk_nr_config cfg = { 0 };
	unsigned int ncpu = ukplat_lcpu_count(), nt, i, r;
	unsigned long popped = 0, psum = 0, want_sum = 0;
	__u64 cap = (__u64)ncpu * PER_CPU * 300, v, left, lsum;
	struct uk_nr_pqueue *q;
	struct uk_nr *nr;

	cfg.threads_per_replica = ncpu * PER_CPU;
	cfg.log_entries = 64;
	UK_TEST_REQUIRE(uk_nr_create(&nr, &uk_nr_pqueue_ops, &cap, &cfg) ==
			0);
	nt = run_jobs(nr, pq_job, 300, -1);
	UK_TEST_REQUIRE(nt != 0);
	for (i = 0; i < nt; i++) {
		popped += jobs[i].popped;
		psum += jobs[i].popped_sum;
		for (v = 0; v < 300; v++)
			want_sum += v * MAX_T + i;
	}
	UK_TEST_EXPECT_UNUM_EQ(total_bad(nt), 0);
	for (r = 0; r < uk_nr_replicas(nr); r++) {
		UK_TEST_EXPECT_SNUM_EQ(uk_nr_sync(nr, r), 0);
		q = uk_nr_replica_data(nr, r);
		left = uk_nr_pqueue_size(q);
		UK_TEST_EXPECT_UNUM_EQ(left + popped, (__u64)nt * 300);
		/* Quiescent: drain a replica to sum what is left; the
		 * replicas are not used afterwards. */
		lsum = 0;
		while (uk_nr_pqueue_pop(q, &v))
			lsum += v;
		UK_TEST_EXPECT_UNUM_EQ(lsum + psum, want_sum);
	}
	uk_nr_destroy(nr);
}

static void writer_on_replica0(void *arg)
{
	struct job *j = arg;
	__u64 i;

	for (i = 0; i < j->n; i++)
		map_call(j, UK_NR_HM_PUT, j->id, i, NULL);
	job_done();
}

/* Writers all on replica 0 with a log that never fills: the other
 * replicas stay behind until uk_nr_sync() (the idle-loop hook's call)
 * brings them up to date. */
UK_TESTCASE(uknr, sync_brings_idle_replicas_up_to_date)
{
	struct uk_nr_config cfg = { 0 };
	unsigned int ncpu = ukplat_lcpu_count(), nt, r;
	struct uk_nr_hashmap *m;
	struct uk_nr_stats st;
	struct uk_nr *nr;
	__u64 cap = 64, v;

	cfg.replicas = 2;
	cfg.threads_per_replica = ncpu * PER_CPU;
	cfg.log_entries = 4096;
	UK_TEST_REQUIRE(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg) ==
			0);
	nt = run_jobs(nr, writer_on_replica0, 100, 0);
	UK_TEST_REQUIRE(nt != 0);
	uk_nr_get_stats(nr, &st);
	UK_TEST_EXPECT_UNUM_EQ(st.tail, (__u64)nt * 100);
	UK_TEST_EXPECT_UNUM_EQ(uk_nr_replica_ltail(nr, 1), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_nr_sync(nr, 1), 0);
	UK_TEST_EXPECT_UNUM_EQ(uk_nr_replica_ltail(nr, 1), st.tail);
	for (r = 0; r < 2; r++) {
		m = uk_nr_replica_data(nr, r);
		UK_TEST_EXPECT_UNUM_EQ(uk_nr_hashmap_count(m), nt);
		UK_TEST_EXPECT_SNUM_EQ(uk_nr_hashmap_get(m, nt - 1, &v), 1);
		UK_TEST_EXPECT_UNUM_EQ(v, 99);
	}
	uk_nr_destroy(nr);
}

static void noop_job(void *arg __unused)
{
}

/* uk_nr_idle_sync_enable(): after writes through CPU 0's replica, every
 * CPU that passes through its idle loop brings its own replica up to date
 * (each is woken once with a short thread; a halted CPU runs no hooks). */
UK_TESTCASE(uknr, idle_hook_keeps_replicas_current)
{
	struct uk_nr_config cfg = { 0 };
	unsigned int ncpu = ukplat_lcpu_count(), cpu, r, behind;
	struct uk_thread *t;
	struct uk_nr_token tok;
	struct uk_nr_stats st;
	struct uk_nr *nr;
	__u64 cap = 64, i;
	__nsec end;
	struct job j;

	cfg.threads_per_replica = 2;
	cfg.log_entries = 4096;
	UK_TEST_REQUIRE(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg) ==
			0);
	UK_TEST_REQUIRE(uk_nr_idle_sync_enable(nr) == 0);
	UK_TEST_REQUIRE(uk_nr_register(nr, uk_nr_replica_of_cpu(
			ukplat_lcpu_idx(), uk_nr_replicas(nr)), &tok) == 0);
	j = (struct job){ .nr = nr, .tok = tok };
	for (i = 0; i < 200; i++)
		map_call(&j, UK_NR_HM_PUT, i % 50, i, NULL);
	UK_TEST_EXPECT_UNUM_EQ(j.bad, 0);
	for (cpu = 0; cpu < ncpu; cpu++) {
		t = uk_sched_thread_create_on((int)cpu, noop_job, NULL, "wake");
		UK_TEST_REQUIRE(t != NULL);
		uk_thread_join(t);
	}
	uk_nr_get_stats(nr, &st);
	end = ukplat_monotonic_clock() + 10000000000ULL;
	do {
		uk_sched_thread_sleep(1000000);	/* our CPU idles too */
		behind = 0;
		for (r = 0; r < uk_nr_replicas(nr); r++)
			behind += uk_nr_replica_ltail(nr, r) != st.tail;
	} while (behind && ukplat_monotonic_clock() < end);
	UK_TEST_EXPECT_UNUM_EQ(behind, 0);
	printf("    %u replicas, %llu writes through replica %u: all "
	       "current after the CPUs idled\n", uk_nr_replicas(nr),
	       (unsigned long long)st.tail, tok.replica);
	uk_nr_destroy(nr);
}
