/*
 * mimallocbench: mimalloc and the binary buddy side by side in one guest,
 * one thread pinned per vCPU, both through struct uk_alloc (uk_malloc and
 * uk_free, the path malloc() takes):
 *   larson   each thread replaces random blocks (8-1000 B) in a slot array;
 *            every round the arrays move on to the next thread, so most
 *            frees are of blocks another CPU allocated (Larson & Krishnan's
 *            server pattern)
 *   scratch  cache-scratch: main allocates one 8-byte object per thread,
 *            each thread frees it, then allocates, writes and frees 8-byte
 *            objects (passive false sharing: reuse of main's neighbours)
 *   thrash   cache-thrash: the same without the hand-over (active false
 *            sharing if the allocator puts threads' objects together)
 * Each measurement runs 3 times, alternating the allocators; the table
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

#define MAXT		16
#define SLOTS		1000
#define LARSON_ROUNDS	20
#define LARSON_OPS	5000	/* per thread per round */
#define OBJ_ITERS	2000
#define OBJ_REPS	2000	/* writes of each byte per object */

struct arg {
	struct uk_alloc *a;
	unsigned int id, nt;
	unsigned long seed, ops;
	void *given;		/* scratch: main's object to free */
};

static struct arg args[MAXT];
static void *slots[MAXT][SLOTS];
static volatile unsigned int rv_count;

static unsigned long rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

/* Waits until n threads arrived at barrier number gen (yielding). */
static void rendezvous(unsigned int n, unsigned int gen)
{
	/* Seq-cst: a plain counting barrier. */
	__atomic_fetch_add(&rv_count, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&rv_count, __ATOMIC_SEQ_CST) < n * gen)
		uk_sched_yield();
}

static void larson(void *p)
{
	struct arg *x = p;
	unsigned int r, i;

	for (r = 0; r < LARSON_ROUNDS; r++) {
		void **s = slots[(x->id + r) % x->nt];

		for (i = 0; i < LARSON_OPS; i++) {
			unsigned long k = rnd(&x->seed) % SLOTS;

			uk_free(x->a, s[k]);
			s[k] = uk_malloc(x->a, 8 + rnd(&x->seed) % 993);
			x->ops++;
		}
		rendezvous(x->nt, r + 1);
	}
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

	if (x->given)
		uk_free(x->a, x->given);
	for (i = 0; i < OBJ_ITERS; i++) {
		char *o = uk_malloc(x->a, 8);

		touch(o, OBJ_REPS / x->nt);
		uk_free(x->a, o);
		x->ops++;
	}
}

/* Runs fn on nt threads, one per CPU; returns elapsed ns. */
static __nsec run(void (*fn)(void *), unsigned int nt)
{
	struct uk_thread *t[MAXT];
	__nsec t0;
	unsigned int i;

	rv_count = 0;
	t0 = ukplat_monotonic_clock();
	for (i = 0; i < nt; i++)
		t[i] = uk_sched_thread_create_on((int)i, fn, &args[i], "bench");
	for (i = 0; i < nt; i++)
		if (t[i])
			uk_thread_join(t[i]);
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
		ns = run(larson, nt);
		for (i = 0; i < nt; i++)
			for (k = 0; k < SLOTS; k++)
				uk_free(a, slots[i][k]);
	} else {
		if (!strcmp(name, "scratch"))
			for (i = 0; i < nt; i++)
				args[i].given = uk_malloc(a, 8);
		ns = run(objects, nt);
	}
	for (i = 0; i < nt; i++)
		ops += args[i].ops;
	printf("%-8s %-9s %5u %9.1f %9.3f\n", name, a->name, nt,
	       ns / 1e6,
	       ops * 1e3 / (double)ns);
	return (double)ns;
}

int main(void)
{
	static const char *const names[] = { "larson", "scratch", "thrash" };
	struct uk_alloc *mi = uk_allocmimalloc_get(), *bb = NULL, *it;
	unsigned int nt = ukplat_lcpu_count(), i;
	double tb[3], tm[3];

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
	printf("bench    allocator vCPUs   time_ms    Mops/s\n");
	for (i = 0; i < 3; i++) {
		unsigned int r;
		double b, m;

		bench(names[i], bb, nt);	/* warm-up: thread cache */
		tb[i] = tm[i] = 1e30;
		for (r = 0; r < 3; r++) {
			b = bench(names[i], bb, nt);
			m = bench(names[i], mi, nt);
			tb[i] = b < tb[i] ? b : tb[i];
			tm[i] = m < tm[i] ? m : tm[i];
		}
	}
	for (i = 0; i < 3; i++)
		printf("ratio %s vCPUs=%u: mimalloc is %.2fx bbuddy's speed\n",
		       names[i], nt, tb[i] / tm[i]);
	return 0;
}
