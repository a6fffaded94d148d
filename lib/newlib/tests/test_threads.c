/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite of newlib under threads on every CPU at once: errno,
 * strtok's and rand's state and dtoa's buffers are per thread (also after
 * a thread migrates), malloc() through newlib's headers is served by the
 * default ukalloc allocator (its statistics move by exactly what the
 * threads did), and every CPU printing 1000 lines at once loses no byte
 * and tears no line (the runner checks the console for the lines:
 * support/scripts/run-tests, newlib_lines_whole).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>
#include <uk/thread.h>

uk_testsuite_register(newlib_threads, NULL);

#define MAX_THREADS	(2 * CONFIG_UKPLAT_LCPU_MAXCOUNT)
#define ROUNDS		200

struct worker {
	unsigned int idx;	/* 0..n-1 */
	unsigned int n;		/* threads in the run */
	unsigned long bad;	/* checks that failed in this thread */
	unsigned long done;	/* operations it completed */
};

static struct worker workers[MAX_THREADS];
static int start_count, finish_gate;

/*
 * All threads start at once: each arrives, then waits (yielding) for the
 * others. Acquire/release: pairs the arrivals with the waiters' loads.
 */
static void start_together(unsigned int n)
{
	__atomic_fetch_add(&start_count, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&start_count, __ATOMIC_ACQUIRE) < (int)n)
		uk_sched_yield();
}

/* Runs fn in n threads spread over the CPUs (thread i on CPU i % ncpu). */
static void run_threads(void (*fn)(void *), unsigned int n)
{
	struct uk_thread *t[MAX_THREADS];
	unsigned int i, ncpu = ukplat_lcpu_count();

	UK_ASSERT(n <= MAX_THREADS);
	__atomic_store_n(&start_count, 0, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		workers[i] = (struct worker){ .idx = i, .n = n };
		t[i] = uk_sched_thread_create_on((int)(i % ncpu), fn,
						 &workers[i], "newlib-test");
		UK_ASSERT(t[i]);
	}
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
}

static unsigned int nthreads(void)
{
	return 2 * ukplat_lcpu_count();
}

/* Every eighth step a thread moves on to the next CPU. */
static void maybe_migrate(unsigned int step)
{
	unsigned int ncpu = ukplat_lcpu_count();

	if (ncpu > 1 && step % 8 == 7)
		uk_sched_thread_migrate_self((ukplat_lcpu_idx() + 1) % ncpu);
	else
		uk_sched_yield();
}

/* --- errno ----------------------------------------------------------------- */

static void errno_worker(void *arg)
{
	struct worker *w = arg;
	unsigned int k;
	int mine;

	start_together(w->n);
	for (k = 0; k < ROUNDS; k++) {
		mine = 1000 + (int)(w->idx * ROUNDS + k);
		errno = mine;
		maybe_migrate(k);
		if (errno != mine)
			w->bad++;
		/* A real failure sets this thread's errno only. */
		if (k % 2 == w->idx % 2) {
			if (strtol("99999999999999999999999", NULL, 10) !=
			    LONG_MAX || errno != ERANGE)
				w->bad++;
		} else {
			errno = 0;
			if (!fopen("/nope", "r") && errno != ENOSYS &&
			    errno != ENOENT)
				w->bad++;
		}
		w->done++;
	}
}

UK_TESTCASE(newlib_threads, errno_is_per_thread_across_cpus)
{
	unsigned int i, n = nthreads();
	unsigned long bad = 0, done = 0;

	run_threads(errno_worker, n);
	for (i = 0; i < n; i++) {
		bad += workers[i].bad;
		done += workers[i].done;
	}
	uk_test_printf("%u threads on %u CPUs, %lu rounds, migrating\n", n,
		       ukplat_lcpu_count(), done);
	UK_TEST_EXPECT_UNUM_EQ(done, (unsigned long)n * ROUNDS);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
}

/* --- strtok, rand, dtoa ------------------------------------------------------ */

#define TOKENS 40
static int rand_ref[MAX_THREADS][TOKENS];
static char fmt_ref[MAX_THREADS][TOKENS][32];

static double value_of(unsigned int idx, unsigned int k)
{
	return (double)(idx + 1) * 1234.5678 / (double)(k + 3);
}

static void state_worker(void *arg)
{
	struct worker *w = arg;
	char text[TOKENS * 12], want[16], buf[32], *tok;
	unsigned int k;
	size_t len = 0;

	for (k = 0; k < TOKENS; k++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"t%u-%u,", w->idx, k);
	srand(w->idx + 1);
	start_together(w->n);
	for (k = 0; k < TOKENS; k++) {
		tok = strtok(k ? NULL : text, ",");
		snprintf(want, sizeof(want), "t%u-%u", w->idx, k);
		if (!tok || strcmp(tok, want))
			w->bad++;
		if (rand() != rand_ref[w->idx][k])
			w->bad++;
		maybe_migrate(k);
		snprintf(buf, sizeof(buf), "%.12e", value_of(w->idx, k));
		if (strcmp(buf, fmt_ref[w->idx][k]))
			w->bad++;
		w->done++;
	}
	if (strtok(NULL, ","))
		w->bad++;
}

UK_TESTCASE(newlib_threads, strtok_rand_dtoa_state_per_thread)
{
	unsigned int i, k, n = nthreads();
	unsigned long bad = 0, done = 0;

	/* The references, computed in one thread before any runs. */
	for (i = 0; i < n; i++) {
		srand(i + 1);
		for (k = 0; k < TOKENS; k++) {
			rand_ref[i][k] = rand();
			snprintf(fmt_ref[i][k], sizeof(fmt_ref[i][k]), "%.12e",
				 value_of(i, k));
		}
	}
	run_threads(state_worker, n);
	for (i = 0; i < n; i++) {
		bad += workers[i].bad;
		done += workers[i].done;
	}
	UK_TEST_EXPECT_UNUM_EQ(done, (unsigned long)n * TOKENS);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
}

/* --- malloc through newlib's headers ---------------------------------------- */

#define ALLOCS_PER_ROUND 5	/* malloc, calloc, posix_memalign, memalign,
				   aligned_alloc; realloc's moves do not count */

static void malloc_worker(void *arg)
{
	struct worker *w = arg;
	unsigned int k, i;
	unsigned char *p, *q, *r;
	void *a, *m, *al;
	size_t sz;

	start_together(w->n);
	for (k = 0; k < ROUNDS; k++) {
		sz = 16 + (w->idx * 37 + k * 101) % 3000;
		p = malloc(sz);
		q = calloc(sz, 1);
		if (!p || !q || posix_memalign(&a, 64, sz)) {
			w->bad++;
			break;
		}
		m = memalign(256, sz);
		al = aligned_alloc(128, 256);
		if (!m || !al || ((uintptr_t)a & 63) || ((uintptr_t)m & 255) ||
		    ((uintptr_t)al & 127))
			w->bad++;
		memset(p, (int)(w->idx + k), sz);
		for (i = 0; i < sz; i++)
			w->bad += q[i] != 0;
		r = realloc(p, sz * 2);
		if (!r) {
			w->bad++;
			r = p;
		}
		for (i = 0; i < sz; i++)
			w->bad += r[i] != (unsigned char)(w->idx + k);
		free(r);
		free(q);
		free(a);
		free(m);
		free(al);
		if (k % 16 == 15)
			maybe_migrate(k);
		w->done++;
	}
	/* The main thread reads the statistics before anyone exits. */
	__atomic_fetch_add(&finish_gate, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&finish_gate, __ATOMIC_ACQUIRE) >= 0)
		uk_sched_yield();
}

UK_TESTCASE(newlib_threads, malloc_from_every_cpu_is_ukalloc)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats before, after;
	struct uk_thread *t[MAX_THREADS];
	unsigned int i, n = nthreads(), ncpu = ukplat_lcpu_count();
	unsigned long bad = 0, done = 0;
	int stats;

	UK_TEST_REQUIRE(a != NULL);
	__atomic_store_n(&start_count, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&finish_gate, 0, __ATOMIC_RELAXED);
	for (i = 0; i < n; i++) {
		workers[i] = (struct worker){ .idx = i, .n = n + 1 };
		t[i] = uk_sched_thread_create_on((int)(i % ncpu), malloc_worker,
						 &workers[i], "newlib-malloc");
		UK_ASSERT(t[i]);
	}
	/* Every thread exists now: only their allocations come next. */
	stats = uk_alloc_stats_get(a, &before);
	start_together(n + 1);
	while (__atomic_load_n(&finish_gate, __ATOMIC_ACQUIRE) < (int)n)
		uk_sched_yield();
	if (!stats)
		stats = uk_alloc_stats_get(a, &after);
	/* Release: pairs with the workers' acquire loads of the gate. */
	__atomic_store_n(&finish_gate, -1, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++) {
		uk_thread_join(t[i]);
		bad += workers[i].bad;
		done += workers[i].done;
	}
	UK_TEST_EXPECT_UNUM_EQ(done, (unsigned long)n * ROUNDS);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	if (stats) {
		uk_test_printf("allocator keeps no statistics (%d)\n", stats);
		return;
	}
	uk_test_printf("%lu allocations on %u CPUs: tot_nb_allocs +%lu, "
		       "tot_nb_frees +%lu\n", done * ALLOCS_PER_ROUND, ncpu,
		       after.tot_nb_allocs - before.tot_nb_allocs,
		       after.tot_nb_frees - before.tot_nb_frees);
	UK_TEST_EXPECT_UNUM_EQ(after.tot_nb_allocs - before.tot_nb_allocs,
			       done * ALLOCS_PER_ROUND);
	UK_TEST_EXPECT_UNUM_EQ(after.tot_nb_frees - before.tot_nb_frees,
			       done * ALLOCS_PER_ROUND);
	UK_TEST_EXPECT_UNUM_EQ(after.cur_nb_allocs, before.cur_nb_allocs);
}

/* --- every CPU prints at once -------------------------------------------------- */

#define LINES 1000
/* The runner matches these lines on the console; keep the two in step. */
#define LINE_FMT "newlib-line cpu %02u seq %04u %s end\n"
static const char payload[] = "abcdefghijklmnopqrstuvwxyz0123456789";

static void print_worker(void *arg)
{
	struct worker *w = arg;
	unsigned int k;
	int want = (int)strlen("newlib-line cpu 00 seq 0000  end\n") +
		   (int)strlen(payload);

	start_together(w->n);
	for (k = 0; k < LINES; k++) {
		if (printf(LINE_FMT, w->idx, k, payload) != want)
			w->bad++;
		w->done++;
	}
	if (fflush(stdout))
		w->bad++;
}

UK_TESTCASE(newlib_threads, every_cpu_prints_1000_lines)
{
	unsigned int i, n = ukplat_lcpu_count();
	unsigned long bad = 0, done = 0;

	printf("newlib-lines begin cpus %u lines %u\n", n, LINES);
	run_threads(print_worker, n);
	for (i = 0; i < n; i++) {
		bad += workers[i].bad;
		done += workers[i].done;
	}
	printf("newlib-lines end\n");
	UK_TEST_EXPECT_UNUM_EQ(done, (unsigned long)n * LINES);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
}
