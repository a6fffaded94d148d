/*
 * uktest suite for ukallocmimalloc as the default allocator, threads on
 * every CPU: random sizes and alignments with pattern, alignment and global
 * overlap checks, cross-CPU frees, exhaustion on all CPUs then free-all,
 * boot-allocator blocks freed through mimalloc, and dead threads' heaps
 * reclaimed (mi_thread_done() from the exit hook). Exact counters: uk_alloc
 * statistics, bytes in live blocks, available memory back to its baseline.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocmimalloc.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>
#include "mimalloc.h"

uk_testsuite_register(ukallocmimalloc, NULL);

#define MAXT	16

struct blk {
	uintptr_t p;
	size_t size;
	size_t align;
	unsigned char tag;
};

struct worker {
	unsigned int id;
	unsigned long seed;
	struct blk *b;
	unsigned long n, cap;
	unsigned long allocs, frees, failed, bad_pattern, bad_align;
	unsigned long cpus_seen;	/* bit per CPU the worker ran on */
	struct worker *victim;
	volatile int *gate;		/* barrier counter (reclaim test) */
	uintptr_t segs[4];		/* 32 MiB segments its blocks were in */
	unsigned int nsegs;
	unsigned int gate_n;
	int gate_timeout;
};

static struct worker w[MAXT];

static unsigned long rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static unsigned int nthreads(void)
{
	unsigned int n = ukplat_lcpu_count() * 2;

	return n > MAXT ? MAXT : n;
}

/*
 * Blocks are filled with a tag at both ends (up to 256 bytes each): a
 * neighbour's overrun or a block handed out twice shows, without touching
 * every byte of gigabytes under emulation.
 */
#define EDGE 256

static void fill(struct blk *b)
{
	size_t e = b->size < 2 * EDGE ? b->size : EDGE;

	memset((void *)b->p, b->tag, e);
	memset((void *)(b->p + b->size - e), b->tag, e);
}

static unsigned long damaged(const struct blk *b)
{
	const unsigned char *c = (const unsigned char *)b->p;
	size_t e = b->size < 2 * EDGE ? b->size : EDGE, k;
	unsigned long bad = 0;

	for (k = 0; k < e; k++)
		bad += (c[k] != b->tag) + (c[b->size - 1 - k] != b->tag);
	return bad;
}

static int take(struct worker *x, size_t size, size_t align)
{
	void *p = NULL;
	struct blk *b;

	if (align <= 16)
		p = malloc(size);
	else if (posix_memalign(&p, align, size))
		p = NULL;
	if (!p)
		return 0;
	x->allocs++;
	x->bad_align += (uintptr_t)p % align != 0;
	b = &x->b[x->n++];
	b->p = (uintptr_t)p;
	b->size = size;
	b->align = align;
	b->tag = (unsigned char)(((uintptr_t)p >> 4) * 31 + x->id + 1);
	fill(b);
	return 1;
}

static void put(struct worker *x, struct worker *owner, unsigned long i)
{
	struct blk *b = &owner->b[i];

	x->bad_pattern += damaged(b);
	free((void *)b->p);
	x->frees++;
	*b = owner->b[--owner->n];
}

static void seen(struct worker *x)
{
	x->cpus_seen |= 1UL << ukplat_lcpu_idx();
}

/* Random alloc/free; ends with up to cap / 2 live blocks. */
static void random_fn(void *arg)
{
	struct worker *x = arg;
	unsigned long i, r;

	seen(x);
	for (i = 0; i < 3000; i++) {
		r = rnd(&x->seed);
		if (x->n && (x->n >= x->cap / 2 || r % 2)) {
			put(x, x, rnd(&x->seed) % x->n);
			continue;
		}
		if (!take(x, r % 3 ? rnd(&x->seed) % 600
				   : rnd(&x->seed) % 70000,
			  (size_t)8 << (rnd(&x->seed) % 14)))
			x->failed++;
	}
}

/* Frees every block of the victim (allocated by a thread on another CPU). */
static void free_victim_fn(void *arg)
{
	struct worker *x = arg;

	seen(x);
	while (x->victim->n)
		put(x, x->victim, x->victim->n - 1);
}

/* Allocates until even a 1-byte block fails. */
static void exhaust_fn(void *arg)
{
	struct worker *x = arg;
	size_t size = 0;

	seen(x);
	while (x->n < x->cap) {
		if (!size)
			size = 1 + rnd(&x->seed) % (rnd(&x->seed) % 8 ? 5000
								 : 400000);
		if (take(x, size, 16)) {
			size = 0;
			continue;
		}
		if (size == 1)
			break;
		size /= 2;
	}
}

/* Runs fn on nt workers spread over every CPU, and waits for them. */
static int run_all(void (*fn)(void *), unsigned int nt)
{
	struct uk_thread *t[MAXT];
	unsigned int i;

	for (i = 0; i < nt; i++) {
		t[i] = uk_sched_thread_create_on(
			(int)(i % ukplat_lcpu_count()), fn, &w[i], "miw");
		if (!t[i])
			return -1;
	}
	for (i = 0; i < nt; i++)
		uk_thread_join(t[i]);
	return 0;
}

static int run_all(void (*fn)(void *), unsigned int nt);

static void nothing_fn(void *arg __unused)
{
}

/*
 * Workers' arrays, and nt threads created and joined once: uksched keeps
 * joined threads' memory in its cache, so the baselines taken afterwards
 * stay put.
 */
static int setup(unsigned int nt, unsigned long cap)
{
	unsigned int i;

	memset(w, 0, sizeof(w));
	for (i = 0; i < nt; i++) {
		w[i].id = i;
		w[i].seed = 4242 + i * 7919;
		w[i].cap = cap;
		w[i].b = malloc(cap * sizeof(struct blk));
		w[i].victim = &w[(i + 1) % nt];
		if (!w[i].b)
			return -1;
	}
	return run_all(nothing_fn, nt);
}

static void teardown(unsigned int nt)
{
	unsigned int i;

	for (i = 0; i < nt; i++)
		free(w[i].b);
}

#define SUM(nt, field) ({						\
	unsigned long __s = 0;						\
	unsigned int __i;						\
	for (__i = 0; __i < (nt); __i++)				\
		__s += w[__i].field;					\
	__s; })

static int blk_cmp(const void *x, const void *y)
{
	const struct blk *a = x, *b = y;

	return a->p < b->p ? -1 : a->p > b->p;
}

/* Overlapping neighbours among all workers' live blocks. */
static unsigned long overlaps(unsigned int nt)
{
	unsigned long total = SUM(nt, n), i, k = 0, bad = 0;
	struct blk *all = malloc((total + 1) * sizeof(*all));
	unsigned int t;

	if (!all)
		return ~0UL;
	for (t = 0; t < nt; t++)
		for (i = 0; i < w[t].n; i++)
			all[k++] = w[t].b[i];
	qsort(all, total, sizeof(*all), blk_cmp);
	for (i = 1; i < total; i++)
		bad += all[i - 1].p + (all[i - 1].size ? all[i - 1].size : 1)
		       > all[i].p;
	free(all);
	return bad;
}

static unsigned long cpus_mask(unsigned int nt)
{
	unsigned long m = 0;
	unsigned int i;

	for (i = 0; i < nt; i++)
		m |= w[i].cpus_seen;
	return m;
}

static unsigned long all_cpus(void)
{
	unsigned int n = ukplat_lcpu_count();

	return n >= 64 ? ~0UL : (1UL << n) - 1;
}

UK_TESTCASE(ukallocmimalloc, is_the_default_allocator)
{
	struct uk_alloc *a = uk_alloc_get_default();
	void *p = malloc(100);

	UK_TEST_REQUIRE(a != NULL);
	UK_TEST_EXPECT_PTR_EQ(a, uk_allocmimalloc_get());
	UK_TEST_EXPECT(!strcmp(a->name, "mimalloc"));
	UK_TEST_EXPECT(p && mi_is_in_heap_region(p));
	UK_TEST_EXPECT_UNUM_GE(mi_usable_size(p), 100);
	free(p);
}

UK_TESTCASE(ukallocmimalloc, random_sizes_on_every_cpu_then_cross_cpu_frees)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned int nt = nthreads();
	struct uk_allocmimalloc_info i0, i1;
	struct uk_alloc_stats s0, s1;
	long before;

	UK_TEST_REQUIRE(setup(nt, 2000) == 0);
	before = uk_alloc_availmem(a);
	uk_allocmimalloc_info(&i0);
	uk_alloc_stats_get(a, &s0);
	UK_TEST_REQUIRE(run_all(random_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, failed), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_align), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_UNUM_EQ(overlaps(nt), 0);
	UK_TEST_EXPECT(SUM(nt, n) > 0);
	UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_UNUM_EQ(cpus_mask(nt), all_cpus());
	uk_alloc_stats_get(a, &s1);
	/* Other threads may allocate too (thread creation): at least ours. */
	UK_TEST_EXPECT_UNUM_GE(s1.tot_nb_allocs - s0.tot_nb_allocs,
			       SUM(nt, allocs));
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, allocs), SUM(nt, frees));
	UK_TEST_EXPECT_UNUM_EQ(s1.cur_nb_allocs, s0.cur_nb_allocs);
	uk_allocmimalloc_info(&i1);
	UK_TEST_EXPECT_UNUM_EQ(i1.live_bytes, i0.live_bytes);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), before);
	printf("    %u threads on %u CPUs, %lu blocks, all freed by another "
	       "CPU's thread\n",
	       nt, ukplat_lcpu_count(), SUM(nt, allocs));
	teardown(nt);
}

UK_TESTCASE(ukallocmimalloc, exhaustion_on_all_cpus_then_free_all)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned int nt = nthreads();
	struct uk_allocmimalloc_info i0, i1;
	long before;
	void *big;

	UK_TEST_REQUIRE(setup(nt, 200000) == 0);
	before = uk_alloc_availmem(a);
	uk_allocmimalloc_info(&i0);
	UK_TEST_REQUIRE(run_all(exhaust_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_align), 0);
	UK_TEST_EXPECT_UNUM_EQ(overlaps(nt), 0);
	errno = 0;
	UK_TEST_EXPECT_NULL(malloc(64UL << 20));
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOMEM);
	printf("    %u threads filled %lu blocks, then got NULL\n", nt,
	       SUM(nt, allocs));
	UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	uk_allocmimalloc_info(&i1);
	UK_TEST_EXPECT_UNUM_EQ(i1.live_bytes, i0.live_bytes);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), before);
	/* Dead threads' free pages are reclaimed: a big block fits again. */
	mi_collect(true);
	big = malloc(64UL << 20);
	UK_TEST_EXPECT_NOT_NULL(big);
	free(big);
	teardown(nt);
}

/* A block of the boot allocator (ukallocbbuddy) freed through mimalloc. */
UK_TESTCASE(ukallocmimalloc, boot_allocator_blocks_go_back)
{
	struct uk_alloc *b = NULL, *it;
	unsigned char *p;
	long before;
	int k, ok = 1;

	uk_alloc_foreach(it)
		if (!strcmp(it->name, "bbuddy"))
			b = it;
	UK_TEST_REQUIRE(b != NULL);
	before = uk_alloc_availmem(b);
	p = uk_malloc(b, 3000);
	UK_TEST_REQUIRE(p != NULL);
	UK_TEST_EXPECT(!mi_is_in_heap_region(p));
	for (k = 0; k < 3000; k++)
		p[k] = (unsigned char)k;
	p = realloc(p, 10000);
	UK_TEST_REQUIRE(p != NULL);
	UK_TEST_EXPECT(!mi_is_in_heap_region(p));
	for (k = 0; k < 3000; k++)
		ok &= p[k] == (unsigned char)k;
	UK_TEST_EXPECT(ok);
	free(p);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(b), before);
}

/* Waits (yielding) until all gate_n workers arrived; bounded. */
static void gate_wait(struct worker *x)
{
	unsigned long spins = 0;

	/* Seq-cst increment and loads: a plain counting barrier. */
	__atomic_fetch_add(x->gate, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(x->gate, __ATOMIC_SEQ_CST) < (int)x->gate_n) {
		if (++spins > 2000000) {
			x->gate_timeout = 1;
			return;
		}
		uk_sched_yield();
	}
}

#define SEG_MASK (~((uintptr_t)(32UL << 20) - 1))

static void seg_note(struct worker *x, uintptr_t p)
{
	unsigned int i;

	for (i = 0; i < x->nsegs; i++)
		if (x->segs[i] == (p & SEG_MASK))
			return;
	if (x->nsegs < 4)
		x->segs[x->nsegs++] = p & SEG_MASK;
	else
		x->failed++;
}

/* Allocates, waits for all, frees half, leaves the rest to main, exits. */
static void heap_fn(void *arg)
{
	struct worker *x = arg;
	unsigned long i;

	seen(x);
	x->nsegs = 0;
	for (i = 0; i < 400; i++) {
		if (!take(x, 1 + rnd(&x->seed) % 4000, 16)) {
			x->failed++;
			continue;
		}
		seg_note(x, x->b[x->n - 1].p);
	}
	gate_wait(x);
	for (i = 0; i < 200 && x->n; i++)
		put(x, x, x->n - 1);
}

static int heap_round(unsigned int nt, volatile int *gate)
{
	unsigned int i;

	*gate = 0;
	for (i = 0; i < nt; i++) {
		w[i].gate = gate;
		w[i].gate_n = nt;
	}
	if (run_all(heap_fn, nt))
		return -1;
	/* Cross-thread frees into the dead threads' pages. */
	for (i = 0; i < nt; i++)
		while (w[i].n)
			put(&w[i], &w[i], w[i].n - 1);
	return 0;
}

/* Segments of round 2's workers that round 1's workers did not use. */
static unsigned long new_segments(unsigned int nt, const uintptr_t *old,
				  unsigned int nold)
{
	unsigned long fresh = 0;
	unsigned int t, i, k;

	for (t = 0; t < nt; t++)
		for (i = 0; i < w[t].nsegs; i++) {
			for (k = 0; k < nold && old[k] != w[t].segs[i]; k++)
				;
			fresh += k == nold;
		}
	return fresh;
}

/*
 * Every exiting thread that used mimalloc gives its heap back: a second
 * round of as many threads, all alive at once, reclaims the first round's
 * 32 MiB segments (each thread needs one of its own) instead of taking
 * fresh ones. Without mi_thread_done() the dead threads would still own
 * them. mi_collect(true) first makes main reclaim every segment earlier
 * tests' threads abandoned.
 */
UK_TESTCASE(ukallocmimalloc, dead_threads_heaps_are_reclaimed)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned int nt = nthreads();
	struct uk_allocmimalloc_info i0, i1, i2;
	static volatile int gate;
	long before;

	static uintptr_t old[4 * MAXT];
	unsigned int nold = 0, t, i;

	UK_TEST_REQUIRE(setup(nt, 400) == 0);
	mi_collect(true);
	before = uk_alloc_availmem(a);
	uk_allocmimalloc_info(&i0);
	UK_TEST_REQUIRE(heap_round(nt, &gate) == 0);
	uk_allocmimalloc_info(&i1);
	for (t = 0; t < nt; t++)
		for (i = 0; i < w[t].nsegs; i++)
			old[nold++] = w[t].segs[i];
	UK_TEST_REQUIRE(heap_round(nt, &gate) == 0);
	UK_TEST_EXPECT_UNUM_EQ(new_segments(nt, old, nold), 0);
	uk_allocmimalloc_info(&i2);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, failed), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, gate_timeout), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_UNUM_EQ(cpus_mask(nt), all_cpus());
	/* Each worker thread ended its heap, in both rounds. */
	UK_TEST_EXPECT_UNUM_EQ(i1.threads_done - i0.threads_done, nt);
	UK_TEST_EXPECT_UNUM_EQ(i2.threads_done - i1.threads_done, nt);
	UK_TEST_EXPECT_UNUM_LE(i2.os_bytes, i1.os_bytes);
	UK_TEST_EXPECT_UNUM_EQ(i2.live_bytes, i0.live_bytes);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), before);
	printf("    2 rounds of %u threads; round 2 reused round 1's %u "
	       "segments\n",
	       nt, nold);
	teardown(nt);
}
