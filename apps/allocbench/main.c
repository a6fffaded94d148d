/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * allocbench: allocator throughput and false sharing in the guest, on 1, 2
 * and 4 vCPUs (one thread pinned to each of the first N CPUs; the others
 * stay idle). Allocators, side by side in one run:
 *
 *   bbuddy            ukallocbbuddy with its per-CPU caches (a private
 *                     instance in 64 MiB of the default allocator)
 *   bbuddy, 1 lock    the same with the caches off: every request takes
 *                     the buddy lock, as a plain locked buddy would
 *   region            ukallocregion, the bump allocator that packs objects
 *                     and never frees (false-sharing reference only)
 *
 * Workloads (support/bench/alloc/workloads.h): small (16 allocations of 16-512
 * bytes then 16 frees: alloc+free pairs per second), thrash and scratch
 * (cache-thrash and cache-scratch: writes per second into 8-byte objects),
 * and baseline: the same writes into each thread's own stack, no allocator,
 * which shows how much parallelism the host gives the vCPUs during the run.
 * Prints a Markdown table with the 2-vCPU / 1-vCPU ratio and, last, the
 * goals of issue 6 with "met" or "NOT met".
 *
 * Usage: allocbench [small-rounds [thrash-objects [repeat]]]
 *        (defaults 20000, 4000, 5)
 *        allocbench ROUNDS OBJECTS REPEAT THREADS WORKLOAD ALLOCATOR
 * The second form runs one cell only (WORKLOAD: small, thrash, scratch or
 * baseline; ALLOCATOR: 0, 1, 2 as in the table) REPEAT times and prints
 * "allocbench: ops N": apps/allocbench/cputime divides N by the CPU time
 * QEMU used, which other load on the host does not change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/allocregion.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include "workloads.h"

#define MAXT	4
#define NALLOC	3
#define WRITES	5000
#define BB_PAGES (8192UL)	/* 32 MiB per bbuddy instance */

enum { W_SMALL, W_THRASH, W_SCRATCH, W_BASE, NWL };
static const char *const wl_name[NWL] = { "small", "thrash", "scratch",
					  "baseline" };

static unsigned long small_rounds = 20000, thrash_objs = 4000, repeat = 5;

static void *uk_malloc_ctx(void *ctx, size_t n)
{
	return uk_malloc(ctx, n);
}

static void uk_free_ctx(void *ctx, void *p)
{
	uk_free(ctx, p);
}

static void *region_malloc(void *ctx __unused, size_t n)
{
	return uk_allocregion_alloc(n, 8);
}

static void region_free(void *ctx __unused, void *p __unused)
{
}

struct job {
	const struct wl_alloc *al;
	int wl;
	unsigned int tid;
	void *obj;
	__nsec t0, t1;
	unsigned long ops;
	int late;		/* the start barrier timed out */
};

static struct job jobs[MAXT];
static unsigned int ready, nthreads;

static void job_fn(void *arg)
{
	struct job *j = arg;
	__nsec limit = ukplat_monotonic_clock() + ukarch_time_sec_to_nsec(10);

	/*
	 * Barrier: everybody starts together. Bounded: a thread whose CPU
	 * never shows up makes the run fail instead of hanging. Acquire/
	 * release: the counter is the only shared state here.
	 */
	__atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < nthreads) {
		if (ukplat_monotonic_clock() > limit) {
			j->late = 1;
			break;
		}
		uk_sched_yield();
	}
	j->t0 = ukplat_monotonic_clock();
	switch (j->wl) {
	case W_SMALL:
		j->ops = wl_small(j->al, j->tid, small_rounds);
		break;
	case W_THRASH:
		j->ops = wl_thrash(j->al, thrash_objs, WRITES);
		break;
	case W_SCRATCH:
		j->ops = wl_scratch(j->al, j->obj, thrash_objs, WRITES);
		break;
	default:
		j->ops = wl_baseline(thrash_objs, WRITES);
		break;
	}
	j->t1 = ukplat_monotonic_clock();
}

/*
 * One run on nt threads (thread i on CPU i): millions of operations per
 * second, all threads together; negative when it failed.
 */
static double run(const struct wl_alloc *al, int wl, unsigned int nt)
{
	struct uk_thread *t[MAXT];
	__nsec t0 = __NSEC_MAX, t1 = 0;
	unsigned long ops = 0;
	unsigned int i;
	int bad = 0;

	ready = 0;
	nthreads = nt;
	for (i = 0; i < nt; i++) {
		jobs[i] = (struct job){ .al = al, .wl = wl, .tid = i };
		if (wl == W_SCRATCH)
			/* Allocated here, one after the other. */
			jobs[i].obj = al->malloc(al->ctx, 8);
	}
	for (i = 0; i < nt; i++) {
		t[i] = uk_sched_thread_create_on((int)i, job_fn, &jobs[i],
						 "bench");
		if (!t[i])
			return -1;
	}
	for (i = 0; i < nt; i++) {
		uk_thread_join(t[i]);
		bad |= !jobs[i].ops || jobs[i].late;
		ops += jobs[i].ops;
		t0 = jobs[i].t0 < t0 ? jobs[i].t0 : t0;
		t1 = jobs[i].t1 > t1 ? jobs[i].t1 : t1;
	}
	if (bad)
		return -1;
	return (double)ops * 1e3 / (double)(t1 - t0);
}

/* The region allocator never frees: no small; baseline needs none. */
static int skip(unsigned int a, unsigned int w)
{
	return (a == 2 && w == W_SMALL) || (a > 0 && w == W_BASE);
}

static const struct wl_alloc *al_table(struct uk_alloc *bb,
				       struct uk_alloc *bbl)
{
	static struct wl_alloc al[NALLOC];

	al[0] = (struct wl_alloc){ "bbuddy", uk_malloc_ctx, uk_free_ctx, bb };
	al[1] = (struct wl_alloc){ "bbuddy, 1 lock", uk_malloc_ctx,
				   uk_free_ctx, bbl };
	al[2] = (struct wl_alloc){ "region (packs, never frees)",
				   region_malloc, region_free, NULL };
	return al;
}

/* The second usage: one cell, REPEAT times, total operations printed. */
static int one_cell(const struct wl_alloc *al, const char *threads,
		    const char *wl, const char *alloc)
{
	unsigned int nt = (unsigned int)strtoul(threads, NULL, 10);
	unsigned int a = (unsigned int)strtoul(alloc, NULL, 10), w;
	unsigned long r, ops = 0, i;

	for (w = 0; w < NWL && strcmp(wl, wl_name[w]); w++)
		;
	if (w == NWL || a >= NALLOC || !nt || nt > MAXT
	    || nt > ukplat_lcpu_count() || skip(a, w)) {
		printf("allocbench: bad cell %s %s %s\n", threads, wl, alloc);
		return 2;
	}
	for (r = 0; r < repeat; r++) {
		if (run(&al[a], (int)w, nt) < 0) {
			printf("allocbench: run failed\n");
			return 1;
		}
		for (i = 0; i < nt; i++)
			ops += jobs[i].ops;
	}
	printf("allocbench: ops %lu (%s, %s, %u threads)\n", ops, wl_name[w],
	       al[a].name, nt);
	return 0;
}

int main(int argc, char *argv[])
{
	static const unsigned int counts[] = { 1, 2, 4 };
	struct uk_alloc *def = uk_alloc_get_default(), *bb, *bbl;
	double v[NALLOC][NWL][3];
	struct wl_alloc al[NALLOC];
	unsigned int ncpu = ukplat_lcpu_count(), a, w, c;
	unsigned long r;
	void *m1, *m2, *m3;
	int ok = 1;

	if (argc > 1)
		small_rounds = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		thrash_objs = strtoul(argv[2], NULL, 10);
	if (argc > 3)
		repeat = strtoul(argv[3], NULL, 10);
	m1 = uk_palloc(def, BB_PAGES);
	m2 = uk_palloc(def, BB_PAGES);
	m3 = uk_palloc(def, 2048);
	bb = m1 ? uk_allocbbuddy_create(m1, BB_PAGES * PAGE_SIZE) : NULL;
	bbl = m2 ? uk_allocbbuddy_create(m2, BB_PAGES * PAGE_SIZE) : NULL;
	if (!bb || !bbl || !m3
	    || uk_allocregion_addmem(m3, 2048 * PAGE_SIZE) < 0) {
		printf("allocbench: not enough memory\n");
		return 1;
	}
	uk_allocbbuddy_set_cpu_caches(bbl, 0);
	if (argc > 6)
		return one_cell(al_table(bb, bbl), argv[4], argv[5], argv[6]);
	memcpy(al, al_table(bb, bbl), sizeof(al));
	memset(v, 0, sizeof(v));
	/*
	 * Best of `repeat` runs per cell, the cells interleaved within each
	 * repetition, so that changing host load hits all of them alike.
	 */
	for (r = 0; r < repeat && ok; r++)
		for (c = 0; c < 3; c++)
			for (w = 0; w < NWL; w++)
				for (a = 0; a < NALLOC; a++) {
					double x;

					if (counts[c] > ncpu || skip(a, w))
						continue;
					x = run(&al[a], (int)w, counts[c]);
					if (x < 0) {
						printf("allocbench: %s %s on %u"
						       " CPUs failed\n",
						       wl_name[w], al[a].name,
						       counts[c]);
						ok = 0;
					}
					if (x > v[a][w][c])
						v[a][w][c] = x;
				}
	printf("guest, %u vCPUs online; Mops/s (small: alloc+free pairs; "
	       "thrash/scratch: writes), all threads together, best of %lu\n\n",
	       ncpu, repeat);
	printf("| workload | allocator | 1 vCPU | 2 vCPUs | 4 vCPUs "
	       "| 2 vCPUs / 1 |\n|---|---|---|---|---|---|\n");
	for (w = 0; w < NWL; w++)
		for (a = 0; a < NALLOC; a++) {
			if (skip(a, w))
				continue;
			printf("| %s | %s |", wl_name[w],
			       w == W_BASE ? "(none: own stack)" : al[a].name);
			for (c = 0; c < 3; c++)
				if (v[a][w][c] > 0)
					printf(" %.3f |", v[a][w][c]);
				else
					printf(" - |");
			if (v[a][w][0] > 0 && v[a][w][1] > 0)
				printf(" %.2f |\n", v[a][w][1] / v[a][w][0]);
			else
				printf(" - |\n");
		}
	if (ncpu >= 2 && ok) {
		double s = v[0][W_SMALL][1] / v[0][W_SMALL][0];
		double t = v[0][W_THRASH][1] / v[0][W_THRASH][0];
		double sc = v[0][W_SCRATCH][1] / v[0][W_SCRATCH][0];
		double base = v[0][W_BASE][1] / v[0][W_BASE][0];

		printf("\ngoal: small, 2 vCPUs >= 1.6 x 1 vCPU: %.2f %s\n", s,
		       s >= 1.6 ? "met" : "NOT met");
		printf("goal: no false-sharing slowdown (thrash and scratch "
		       "scale like independent work, >= 1.6): %.2f, %.2f %s\n",
		       t, sc, t >= 1.6 && sc >= 1.6 ? "met" : "NOT met");
		printf("(baseline, no allocator: %.2f; the host's load limits "
		       "every ratio to about that)\n", base);
	}
	return ok ? 0 : 1;
}
