/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocbbuddy host benchmark (a program, not a test): the buddy allocator
 * built for the host (threads play CPUs) next to glibc's malloc, and next to
 * itself with the per-CPU caches off (every request takes the one lock), on
 * 1, 2 and 4 threads, in one run:
 *
 *   small    16 allocations of 16-512 bytes then 16 frees, repeated:
 *            million alloc+free pairs per second, all threads together
 *   thrash   cache-thrash: allocate 8 bytes, write them W times, free;
 *            million writes per second, all threads together
 *   scratch  cache-scratch: the same after freeing an 8-byte object the
 *            main thread allocated next to the other threads' objects
 *   baseline the same writes into each thread's own stack, no allocator:
 *            the parallelism the machine gives the run (other load)
 *
 *   bench [-n LIST] [-r REPEAT] [-s SCALE]
 *
 * -n thread counts (default 1,2,4), -r runs per cell, best kept (default
 * 3), -s multiplies the work (default 1). Threads are not pinned. Output: a
 * Markdown table with the scaling ratio of 2 threads to 1.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/plat/lcpu.h>
#include "workloads.h"

#define MAXT 16
#define ARENA (512UL << 20)

enum { W_SMALL, W_THRASH, W_SCRATCH, W_BASE, NWL };
static const char *const wl_name[NWL] = { "small", "thrash", "scratch",
					  "baseline" };

static unsigned int counts[8] = { 1, 2, 4 };
static unsigned int ncounts = 3;
static unsigned int repeat = 3;
static unsigned long scale = 1;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *glibc_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return malloc(n);
}

static void glibc_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static void *uk_malloc_ctx(void *ctx, size_t n)
{
	return uk_malloc(ctx, n);
}

static void uk_free_ctx(void *ctx, void *p)
{
	uk_free(ctx, p);
}

struct job {
	const struct wl_alloc *al;
	int wl;
	unsigned int tid;
	void *obj;
	double t0, t1;
	double cpu;		/* the thread's CPU time for the run */
	unsigned long ops;
};

static struct job jobs[MAXT];
static unsigned int ready;
static int go;

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *thread_fn(void *arg)
{
	struct job *j = arg;
	double c0;

	ukplat_host_lcpu_set_idx(j->tid);
	__atomic_fetch_add(&ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		sched_yield();
	j->t0 = now();
	c0 = thread_cpu();
	switch (j->wl) {
	case W_SMALL:
		j->ops = wl_small(j->al, j->tid, 100000 * scale);
		break;
	case W_THRASH:
		j->ops = wl_thrash(j->al, 20000 * scale, 5000);
		break;
	case W_SCRATCH:
		j->ops = wl_scratch(j->al, j->obj, 20000 * scale, 5000);
		break;
	default:
		j->ops = wl_baseline(20000 * scale, 5000);
		break;
	}
	j->cpu = thread_cpu() - c0;
	j->t1 = now();
	return NULL;
}

/*
 * One run: millions of operations per second, all threads together; in
 * *per_cpu, millions per CPU-second the threads used.
 */
static double run(const struct wl_alloc *al, int wl, unsigned int nt,
		  double *per_cpu)
{
	pthread_t th[MAXT];
	double t0 = 1e30, t1 = 0, cpu = 0;
	unsigned long ops = 0;
	unsigned int i;

	ready = 0;
	go = 0;
	for (i = 0; i < nt; i++) {
		jobs[i] = (struct job){ .al = al, .wl = wl, .tid = i + 1 };
		if (wl == W_SCRATCH)
			/* Allocated here, one after the other. */
			jobs[i].obj = al->malloc(al->ctx, 8);
	}
	for (i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, thread_fn, &jobs[i]);
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < nt)
		sched_yield();
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		if (!jobs[i].ops) {
			fprintf(stderr, "%s: %s failed (out of memory)\n",
				al->name, wl_name[wl]);
			exit(1);
		}
		ops += jobs[i].ops;
		cpu += jobs[i].cpu;
		t0 = jobs[i].t0 < t0 ? jobs[i].t0 : t0;
		t1 = jobs[i].t1 > t1 ? jobs[i].t1 : t1;
	}
	*per_cpu = (double)ops / cpu / 1e6;
	return (double)ops / (t1 - t0) / 1e6;
}

static void parse_counts(const char *s)
{
	ncounts = 0;
	while (*s && ncounts < 8) {
		unsigned int n = (unsigned int)strtoul(s, (char **)&s, 10);

		if (n < 1 || n > MAXT) {
			fprintf(stderr, "bench: thread counts are 1..%d\n",
				MAXT);
			exit(2);
		}
		counts[ncounts++] = n;
		if (*s == ',')
			s++;
	}
}

int main(int argc, char **argv)
{
	struct wl_alloc al[3];
	struct uk_alloc *bb, *bbl;
	double v[3][NWL][8], pc[3][NWL][8];
	unsigned int a, w, c, r;
	int opt;
	void *arena = aligned_alloc(4096, ARENA);
	void *arena2 = aligned_alloc(4096, ARENA);

	while ((opt = getopt(argc, argv, "n:r:s:")) != -1) {
		switch (opt) {
		case 'n':
			parse_counts(optarg);
			break;
		case 'r':
			repeat = (unsigned int)atoi(optarg);
			break;
		case 's':
			scale = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr,
				"usage: bench [-n LIST] [-r N] [-s N]\n");
			return 2;
		}
	}
	ukplat_host_lcpu_set_count(MAXT + 1);
	ukplat_host_lcpu_set_idx(0);
	bb = arena ? uk_allocbbuddy_create(arena, ARENA) : NULL;
	bbl = arena2 ? uk_allocbbuddy_create(arena2, ARENA) : NULL;
	if (!bb || !bbl) {
		fprintf(stderr, "bench: no memory for the arenas\n");
		return 1;
	}
	uk_allocbbuddy_set_cpu_caches(bbl, 0);
	al[0] = (struct wl_alloc){ "glibc malloc", glibc_malloc, glibc_free,
				   NULL };
	al[1] = (struct wl_alloc){ "bbuddy", uk_malloc_ctx, uk_free_ctx, bb };
	al[2] = (struct wl_alloc){ "bbuddy, no CPU caches", uk_malloc_ctx,
				   uk_free_ctx, bbl };
	memset(v, 0, sizeof(v));
	memset(pc, 0, sizeof(pc));
	/*
	 * Best of `repeat` runs per cell, the cells interleaved within each
	 * repetition, so that changing load hits all of them alike.
	 */
	for (r = 0; r < repeat; r++)
		for (c = 0; c < ncounts; c++)
			for (w = 0; w < NWL; w++)
				for (a = 0; a < (w == W_BASE ? 1U : 3U); a++) {
					double y, x = run(&al[a], (int)w,
							  counts[c], &y);

					if (x > v[a][w][c])
						v[a][w][c] = x;
					if (y > pc[a][w][c])
						pc[a][w][c] = y;
				}
	printf("host, %ld CPUs online; Mops/s (small: alloc+free pairs; "
	       "thrash/scratch: writes), all threads together, best of %u\n\n",
	       sysconf(_SC_NPROCESSORS_ONLN), repeat);
	printf("| workload | allocator |");
	for (c = 0; c < ncounts; c++)
		printf(" %u thr |", counts[c]);
	printf(" 2 thr / 1 thr |\n|---|---|");
	for (c = 0; c <= ncounts; c++)
		printf("---|");
	printf("\n");
	for (w = 0; w < NWL; w++)
		for (a = 0; a < (w == W_BASE ? 1U : 3U); a++) {
			double one = 0, two = 0;

			printf("| %s | %s |", wl_name[w],
			       w == W_BASE ? "(none: own stack)" : al[a].name);
			for (c = 0; c < ncounts; c++) {
				printf(" %.2f |", v[a][w][c]);
				one = counts[c] == 1 ? v[a][w][c] : one;
				two = counts[c] == 2 ? v[a][w][c] : two;
			}
			if (one > 0 && two > 0)
				printf(" %.2f |\n", two / one);
			else
				printf(" - |\n");
		}
	printf("\nThe same runs per CPU-second the threads used (Mops per "
	       "CPU-s, best of %u), and what 2 threads would do with a core "
	       "each: 2 x (per CPU-s at 2 thr) / (per CPU-s at 1 thr). Other "
	       "load on the machine does not change these much; lock spinning "
	       "and cache-line transfers do.\n\n", repeat);
	printf("| workload | allocator |");
	for (c = 0; c < ncounts; c++)
		printf(" %u thr |", counts[c]);
	printf(" 2 thr / 1 thr, a core each |\n|---|---|");
	for (c = 0; c <= ncounts; c++)
		printf("---|");
	printf("\n");
	for (w = 0; w < NWL; w++)
		for (a = 0; a < (w == W_BASE ? 1U : 3U); a++) {
			double one = 0, two = 0;

			printf("| %s | %s |", wl_name[w],
			       w == W_BASE ? "(none: own stack)" : al[a].name);
			for (c = 0; c < ncounts; c++) {
				printf(" %.2f |", pc[a][w][c]);
				one = counts[c] == 1 ? pc[a][w][c] : one;
				two = counts[c] == 2 ? pc[a][w][c] : two;
			}
			if (one > 0 && two > 0)
				printf(" %.2f |\n", 2 * two / one);
			else
				printf(" - |\n");
		}
	return 0;
}
