/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mimallocbench: mimalloc and the binary buddy side by side in one guest,
 * one thread pinned per vCPU, both through struct uk_alloc (uk_malloc and
 * uk_free):
 *   larson   each thread replaces random blocks (8-1000 B) in a slot array;
 *            every round the arrays move on to the next thread, so a
 *            round's first free of each slot (about a fifth of the frees)
 *            is of a block another CPU allocated (Larson & Krishnan's
 *            server pattern)
 *   scratch  cache-scratch: main allocates one 8-byte object per thread,
 *            each thread frees it, then allocates, writes and frees 8-byte
 *            objects (passive false sharing: reuse of main's neighbours)
 *   thrash   cache-thrash: the same without the hand-over (active false
 *            sharing if the allocator puts threads' objects together)
 *   churn    short-lived threads: one per CPU, each takes and frees one
 *            block and exits, CHURN_ROUNDS times (what a thread's setup
 *            and exit cost the allocator: an op is one thread)
 * Before them, a control without allocation (walk_control()).
 * The first three time the work only, from the moment every thread has
 * its heap until the last one finishes (timed_start()/timed_end()).
 * Each measurement runs RUNS times, alternating the allocators; the table
 * shows every run, the ratios use the best run of each (the host is
 * shared and the vCPUs are emulated: single runs are noisy).
 */
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocmimalloc.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/wait.h>

#define MAXT		16
#define SLOTS		1000
#define LARSON_ROUNDS	20
#define LARSON_OPS	5000	/* per thread per round */
#define OBJ_ITERS	2000
#define OBJ_REPS	2000	/* writes of each byte per object */
#define CHURN_ROUNDS	50	/* rounds of one short-lived thread per CPU */
#define NBENCH		4
#define RUNS		5	/* per allocator and benchmark, alternating */

/*
 * One per thread, each on its own cache line: written only at the
 * thread's end (the loops keep seed and count in locals), so the
 * threads share no line the benchmark itself writes.
 */
struct arg {
	struct uk_alloc *a;
	unsigned int id, nt;
	unsigned long seed, ops;
	void *given;		/* scratch: main's object to free */
} __align(UKARCH_CACHE_LINE_SIZE);

static struct arg args[MAXT];
static void *slots[MAXT][SLOTS];
static unsigned int rv_count;
static __nsec t_begin, t_end;	/* timed part: set by the last arrivals */
static DEFINE_WAIT_QUEUE(rv_wq);	/* threads waiting in rendezvous() */

static unsigned long rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

/*
 * Waits until n threads arrived at barrier number gen; returns 1 in the
 * last thread to arrive. The early ones block, so that their vCPUs halt:
 * spinning vCPUs would take host time from the ones still working when
 * vCPUs outnumber host cores.
 */
static int rendezvous(unsigned int n, unsigned int gen)
{
	/* Seq-cst: a plain counting barrier. */
	if (__atomic_add_fetch(&rv_count, 1, __ATOMIC_SEQ_CST) == n * gen) {
		uk_waitq_wake_up(&rv_wq);
		return 1;
	}
	uk_waitq_wait_event(&rv_wq,
			    __atomic_load_n(&rv_count, __ATOMIC_SEQ_CST)
			    >= n * gen);
	return 0;
}

/*
 * The timed part of a thread-based benchmark starts when every thread
 * has set up its heap (one block taken and freed, then barrier 1) and
 * ends when the last one reaches the final barrier: thread creation,
 * the allocator's per-thread setup and exit are left to "churn".
 */
static void timed_start(struct arg *x)
{
	uk_free(x->a, uk_malloc(x->a, 64));
	if (rendezvous(x->nt, 1))
		t_begin = ukplat_monotonic_clock();
}

static void timed_end(struct arg *x, unsigned int gen)
{
	if (rendezvous(x->nt, gen))
		t_end = ukplat_monotonic_clock();
}

static void larson(void *p)
{
	struct arg *x = p;
	struct uk_alloc *a = x->a;
	unsigned long seed = x->seed;
	unsigned int r, i;

	timed_start(x);
	for (r = 0; r < LARSON_ROUNDS; r++) {
		void **s = slots[(x->id + r) % x->nt];

		for (i = 0; i < LARSON_OPS; i++) {
			unsigned long k = rnd(&seed) % SLOTS;

			uk_free(a, s[k]);
			s[k] = uk_malloc(a, 8 + rnd(&seed) % 993);
		}
		if (r + 1 < LARSON_ROUNDS)
			rendezvous(x->nt, r + 2);
	}
	timed_end(x, LARSON_ROUNDS + 1);
	x->ops = (unsigned long)LARSON_ROUNDS * LARSON_OPS;
}

static void touch(volatile char *o, unsigned int reps)
{
	unsigned int r, b;

	for (r = 0; r < reps; r++)
		for (b = 0; b < 8; b++)
			o[b] = (char)(o[b] + 1);
}

static void objects(void *p)
{
	struct arg *x = p;
	unsigned int i;

	timed_start(x);
	if (x->given)
		uk_free(x->a, x->given);
	for (i = 0; i < OBJ_ITERS; i++) {
		char *o = uk_malloc(x->a, 8);

		touch(o, OBJ_REPS / x->nt);
		uk_free(x->a, o);
	}
	timed_end(x, 2);
	x->ops = OBJ_ITERS;
}

/* A thread's whole life with one block: what a new thread costs. */
static void short_life(void *p)
{
	struct arg *x = p;

	uk_free(x->a, uk_malloc(x->a, 64));
	x->ops++;
}

/* Starts fn on nt threads, one per CPU, and joins them. */
static void run(void (*fn)(void *), unsigned int nt)
{
	struct uk_thread *t[MAXT];
	unsigned int i;

	rv_count = 0;
	for (i = 0; i < nt; i++)
		t[i] = uk_sched_thread_create_on((int)i, fn, &args[i], "bench");
	for (i = 0; i < nt; i++)
		if (t[i])
			uk_thread_join(t[i]);
}

/* The timed part of fn on nt threads (ns). */
static __nsec run_timed(void (*fn)(void *), unsigned int nt)
{
	t_begin = t_end = 0;
	run(fn, nt);
	return t_end - t_begin;
}

/* CHURN_ROUNDS times nt short-lived threads, all of it timed (ns). */
static __nsec run_churn(unsigned int nt)
{
	__nsec t0 = ukplat_monotonic_clock();
	unsigned int r;

	for (r = 0; r < CHURN_ROUNDS; r++)
		run(short_life, nt);
	return ukplat_monotonic_clock() - t0;
}

static void setup(struct uk_alloc *a, unsigned int nt)
{
	unsigned int i;

	memset(args, 0, sizeof(args));
	for (i = 0; i < nt; i++) {
		args[i].a = a;
		args[i].id = i;
		args[i].nt = nt;
		args[i].seed = 99 + i;
	}
}

static double bench(const char *name, struct uk_alloc *a, unsigned int nt)
{
	unsigned long ops = 0;
	unsigned int i, k;
	__nsec ns;

	setup(a, nt);
	if (!strcmp(name, "larson")) {
		for (i = 0; i < nt; i++)
			for (k = 0; k < SLOTS; k++)
				slots[i][k] = uk_malloc(a, 8 + k % 993);
		ns = run_timed(larson, nt);
		for (i = 0; i < nt; i++)
			for (k = 0; k < SLOTS; k++)
				uk_free(a, slots[i][k]);
	} else if (!strcmp(name, "churn")) {
		ns = run_churn(nt);
	} else {
		if (!strcmp(name, "scratch"))
			for (i = 0; i < nt; i++)
				args[i].given = uk_malloc(a, 8);
		ns = run_timed(objects, nt);
	}
	for (i = 0; i < nt; i++)
		ops += args[i].ops;
	printf("%-8s %-9s %5u %9.1f %9.3f\n", name, a->name, nt,
	       ns / 1e6,
	       ops * 1e3 / (double)ns);
	return (double)ns;
}

/*
 * The control: no allocator. Each thread adds to random bytes of its own
 * 512 KiB array; the time each CPU took shows what the emulator gives each
 * vCPU for memory-bound work (doc/smp.md, the TLB tick under TCG).
 */
#define WALK_BYTES	(512UL << 10)
#define WALK_OPS	400000UL

static char walk_mem[MAXT][WALK_BYTES];
static __nsec walk_ns[MAXT];

static void walk(void *p)
{
	struct arg *x = p;
	unsigned long seed = x->seed, i;
	char *m = walk_mem[x->id];
	__nsec t0;

	timed_start(x);
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < WALK_OPS; i++)
		m[rnd(&seed) % WALK_BYTES]++;
	walk_ns[x->id] = ukplat_monotonic_clock() - t0;
	timed_end(x, 2);
}

/* Prints each CPU's walk time, RUNS times. */
static void walk_control(struct uk_alloc *a, unsigned int nt)
{
	unsigned int r, i;

	for (r = 0; r < RUNS; r++) {
		setup(a, nt);
		run_timed(walk, nt);
		printf("walk (no allocation) ms per CPU:");
		for (i = 0; i < nt; i++)
			printf(" %.1f", walk_ns[i] / 1e6);
		printf("\n");
	}
}

int main(void)
{
	static const char *const names[] = {
		"larson", "scratch", "thrash", "churn"
	};
	struct uk_alloc *mi = uk_allocmimalloc_get(), *bb = NULL, *it;
	unsigned int nt = ukplat_lcpu_count(), i;
	double tb[NBENCH], tm[NBENCH];

	uk_alloc_foreach(it)
		if (!strcmp(it->name, "bbuddy"))
			bb = it;
	if (!mi || !bb) {
		printf("mimallocbench: needs ukallocmimalloc and "
		       "ukallocbbuddy\n");
		return 1;
	}
	if (nt > MAXT)
		nt = MAXT;
	walk_control(bb, nt);
	printf("bench    allocator vCPUs   time_ms    Mops/s\n");
	for (i = 0; i < NBENCH; i++) {
		unsigned int r;
		double b, m;

		bench(names[i], bb, nt);	/* warm-up: thread cache */
		tb[i] = tm[i] = 1e30;
		for (r = 0; r < RUNS; r++) {
			b = bench(names[i], bb, nt);
			m = bench(names[i], mi, nt);
			tb[i] = b < tb[i] ? b : tb[i];
			tm[i] = m < tm[i] ? m : tm[i];
		}
	}
	for (i = 0; i < NBENCH; i++)
		printf("ratio %s vCPUs=%u: mimalloc is %.2fx bbuddy's speed\n",
		       names[i], nt, tb[i] / tm[i]);
	return 0;
}
