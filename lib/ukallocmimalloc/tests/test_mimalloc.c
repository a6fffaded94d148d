/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for what is particular to ukallocmimalloc as the default
 * allocator: it is the default and malloc() reaches mimalloc directly
 * (malloc.c), which follows the default when another allocator is set;
 * its statistics are kept or say -ENOTSUP as configured; boot-allocator
 * blocks freed through mimalloc go back; dead threads' heaps are
 * reclaimed (mi_thread_done() from the exit hook). What every default
 * allocator must do on many CPUs (overlap, alignment, patterns, cross-CPU
 * frees, exhaustion) is the shared suite ukalloc_conformance
 * (lib/ukalloc/tests/test_conformance.c), which runs on mimalloc in
 * apps/uktest-mimalloc.
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

#if CONFIG_LIBUKALLOCMIMALLOC_STATS
#define STATS 1
#else
#define STATS 0
#endif
#if CONFIG_LIBUKALLOCMIMALLOC_COUNT_BYTES
#define BYTES 1
#else
#define BYTES 0
#endif

static unsigned int nthreads(void)
{
	unsigned int n = ukplat_lcpu_count() * 2;

	return n > MAXT ? MAXT : n;
}

static struct uk_alloc *bbuddy(void)
{
	struct uk_alloc *b = NULL, *it;

	uk_alloc_foreach(it)
		if (!strcmp(it->name, "bbuddy"))
			b = it;
	return b;
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
	/* uk_malloc() and uk_free() on it take the direct path (uk/alloc.h). */
	UK_TEST_EXPECT_PTR_EQ(&_uk_alloc_direct, a);
	p = uk_malloc(a, 100);
	UK_TEST_EXPECT(p && mi_is_in_heap_region(p));
	uk_free(a, p);
	uk_free(a, NULL);
}

/*
 * mimalloc has 8-byte blocks, aligned to 8 only; malloc() and uk_malloc()
 * promise 16 for every size, so their fast path takes the page of the
 * size rounded up to 16 bytes (glue.h, uk_mi_malloc_fast()). Checked
 * with this thread's 8-byte page holding free blocks (mi_malloc(8) made
 * it), where a lookup by the plain size would take them: it did, with
 * the rounding removed, and failed here.
 */
UK_TESTCASE(ukallocmimalloc, small_blocks_aligned_next_to_8_byte_blocks)
{
	struct uk_alloc *a = uk_alloc_get_default();
	void *eight = mi_malloc(8), *live[64];
	unsigned long bad = 0;
	unsigned int k, i;

	UK_TEST_REQUIRE(eight != NULL);
	UK_TEST_EXPECT_UNUM_EQ(mi_usable_size(eight), 8);
	for (k = 1; k <= 16; k++) {
		for (i = 0; i < 64; i++) {
			live[i] = i & 1 ? uk_malloc(a, k) : malloc(k);
			bad += !live[i] || (uintptr_t)live[i] % 16
			       || mi_usable_size(live[i]) < 16;
		}
		for (i = 0; i < 64; i++)
			if (i & 1)
				uk_free(a, live[i]);
			else
				free(live[i]);
	}
	mi_free(eight);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
}

/*
 * malloc() and friends call mimalloc without struct uk_alloc while it is
 * the default, and follow the default when it is not: with bbuddy set as
 * the default for a moment, malloc() takes bbuddy's blocks, and free()
 * gives them back to it.
 */
UK_TESTCASE(ukallocmimalloc, malloc_family_follows_the_default)
{
	struct uk_alloc *mi = uk_alloc_get_default(), *b = bbuddy();
	void *p[6], *q = NULL;
	unsigned int k, ours = 0;
	long before;

	UK_TEST_REQUIRE(mi == uk_allocmimalloc_get() && b != NULL);
	p[0] = malloc(10);
	p[1] = calloc(10, 10);
	p[2] = realloc(NULL, 300);
	p[3] = aligned_alloc(4096, 100);
	UK_TEST_EXPECT_SNUM_EQ(posix_memalign(&q, 256, 256), 0);
	p[4] = q;
	p[5] = realloc(malloc(10), 100000);
	for (k = 0; k < 6; k++) {
		ours += p[k] && mi_is_in_heap_region(p[k]);
		free(p[k]);
	}
	UK_TEST_EXPECT_UNUM_EQ(ours, 6);
	UK_TEST_EXPECT_ZERO((uintptr_t)p[3] & 4095);
	UK_TEST_EXPECT_ZERO((uintptr_t)p[4] & 255);
	/* Only this thread runs: nothing else uses bbuddy meanwhile. */
	before = uk_alloc_availmem(b);
	uk_alloc_set_default(b);
	p[0] = malloc(3000);
	p[1] = calloc(3, 1000);
	UK_TEST_EXPECT(p[0] && !mi_is_in_heap_region(p[0]));
	UK_TEST_EXPECT(p[1] && !mi_is_in_heap_region(p[1]));
	UK_TEST_EXPECT_SNUM_LT(uk_alloc_availmem(b), before);
	free(p[0]);
	free(p[1]);
	uk_alloc_set_default(mi);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(b), before);
}

/*
 * The statistics are what the configuration says: block counts (also for
 * malloc(), which does not go through uk_malloc()) with
 * LIBUKALLOCMIMALLOC_STATS, else -ENOTSUP; exact available memory with
 * LIBUKALLOCMIMALLOC_COUNT_BYTES, else -ENOTSUP.
 */
UK_TESTCASE(ukallocmimalloc, statistics_as_configured)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_cpu_stats *c = &a->_stats[ukplat_lcpu_idx()];
	struct uk_allocmimalloc_info i0, i1;
	struct uk_alloc_stats st;
	unsigned long a0, f0, e0;
	void *p, *q;
	int rc;

	rc = uk_alloc_stats_get(a, &st);
	/* Relaxed: only this thread (pinned by being main) counts here. */
	a0 = __atomic_load_n(&c->nb_allocs, __ATOMIC_RELAXED);
	f0 = __atomic_load_n(&c->nb_frees, __ATOMIC_RELAXED);
	e0 = __atomic_load_n(&c->nb_enomem, __ATOMIC_RELAXED);
	uk_allocmimalloc_info(&i0);
	p = malloc(1000);
	q = uk_malloc(a, 5000);
	UK_TEST_REQUIRE(p && q);
	UK_TEST_EXPECT_NULL(malloc(SIZE_MAX / 2));
	UK_TEST_EXPECT_NULL(uk_malloc(a, SIZE_MAX / 2));
	UK_TEST_EXPECT_SNUM_EQ(uk_allocmimalloc_info(&i1),
			       BYTES ? 0 : -ENOTSUP);
	if (BYTES) {
		UK_TEST_EXPECT_UNUM_EQ(i1.live_bytes - i0.live_bytes,
				       mi_usable_size(p) + mi_usable_size(q));
		UK_TEST_EXPECT_SNUM_GE(uk_alloc_availmem(a), 0);
	} else {
		UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), -ENOTSUP);
	}
	free(p);
	uk_free(a, q);
	if (STATS) {
		UK_TEST_EXPECT_SNUM_EQ(rc, 0);
		UK_TEST_EXPECT_UNUM_EQ(__atomic_load_n(&c->nb_allocs,
						       __ATOMIC_RELAXED) - a0, 2);
		UK_TEST_EXPECT_UNUM_EQ(__atomic_load_n(&c->nb_frees,
						       __ATOMIC_RELAXED) - f0, 2);
		UK_TEST_EXPECT_UNUM_EQ(__atomic_load_n(&c->nb_enomem,
						       __ATOMIC_RELAXED) - e0, 2);
	} else {
		UK_TEST_EXPECT_SNUM_EQ(rc, -ENOTSUP);
		UK_TEST_EXPECT_UNUM_EQ(st.tot_nb_allocs, 0);
		UK_TEST_EXPECT_UNUM_EQ(c->nb_allocs + c->nb_frees, 0);
	}
	uk_allocmimalloc_info(&i1);
	UK_TEST_EXPECT_UNUM_EQ(i1.live_bytes, i0.live_bytes);
}

/* A block of the boot allocator (ukallocbbuddy) freed through mimalloc. */
UK_TESTCASE(ukallocmimalloc, boot_allocator_blocks_go_back)
{
	struct uk_alloc *b = bbuddy();
	unsigned char *p;
	long before;
	int k, ok = 1;

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

/* One thread of the reclaim test. */
struct heap_worker {
	unsigned long seed;
	void *b[400];
	unsigned int n, failed;
	uintptr_t segs[4];	/* 32 MiB segments its blocks were in */
	unsigned int nsegs;
	unsigned int gate_n;
	int gate_timeout;
	unsigned int cpu;
};

static struct heap_worker hw[MAXT];
static int gate;

/* Waits (yielding) until all gate_n workers arrived; bounded. */
static void gate_wait(struct heap_worker *x)
{
	unsigned long spins = 0;

	/* Seq-cst increment and loads: a plain counting barrier. */
	__atomic_fetch_add(&gate, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&gate, __ATOMIC_SEQ_CST) < (int)x->gate_n) {
		if (++spins > 2000000) {
			x->gate_timeout = 1;
			return;
		}
		uk_sched_yield();
	}
}

#define SEG_MASK (~((uintptr_t)(32UL << 20) - 1))

static void seg_note(struct heap_worker *x, uintptr_t p)
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
	struct heap_worker *x = arg;
	unsigned int i;

	x->cpu = ukplat_lcpu_idx();
	x->nsegs = 0;
	for (i = 0; i < 400; i++) {
		x->seed = x->seed * 6364136223846793005UL + 1;
		x->b[x->n] = malloc(1 + (x->seed >> 33) % 4000);
		if (!x->b[x->n]) {
			x->failed++;
			continue;
		}
		seg_note(x, (uintptr_t)x->b[x->n++]);
	}
	gate_wait(x);
	while (x->n > 200)
		free(x->b[--x->n]);
}

/* Runs fn(&hw[i]) on nt threads spread over every CPU, and joins them. */
static int run_threads(void (*fn)(void *), unsigned int nt)
{
	struct uk_thread *t[MAXT];
	unsigned int i;

	for (i = 0; i < nt; i++) {
		t[i] = uk_sched_thread_create_on(
			(int)(i % ukplat_lcpu_count()), fn, &hw[i], "miw");
		if (!t[i])
			return -1;
	}
	for (i = 0; i < nt; i++)
		uk_thread_join(t[i]);
	return 0;
}

static int heap_round(unsigned int nt)
{
	unsigned int i;

	gate = 0;
	for (i = 0; i < nt; i++) {
		hw[i].gate_n = nt;
		hw[i].n = 0;
	}
	if (run_threads(heap_fn, nt))
		return -1;
	/* Cross-thread frees into the dead threads' pages. */
	for (i = 0; i < nt; i++)
		while (hw[i].n)
			free(hw[i].b[--hw[i].n]);
	return 0;
}

static void nothing_fn(void *arg __unused)
{
}

/* Segments of round 2's workers that round 1's workers did not use. */
static unsigned long new_segments(unsigned int nt, const uintptr_t *old,
				  unsigned int nold)
{
	unsigned long fresh = 0;
	unsigned int t, i, k;

	for (t = 0; t < nt; t++)
		for (i = 0; i < hw[t].nsegs; i++) {
			for (k = 0; k < nold && old[k] != hw[t].segs[i]; k++)
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
	unsigned int nt = nthreads(), nold = 0, t, i, failed = 0, late = 0;
	struct uk_allocmimalloc_info i0, i1, i2;
	static uintptr_t old[4 * MAXT];
	unsigned long cpus = 0;

	memset(hw, 0, sizeof(hw));
	for (t = 0; t < nt; t++)
		hw[t].seed = 4242 + t * 7919;
	/*
	 * nt threads created and joined first: uksched keeps joined threads'
	 * memory in its cache, so live_bytes taken afterwards stay put.
	 */
	UK_TEST_REQUIRE(run_threads(nothing_fn, nt) == 0);
	mi_collect(true);
	uk_allocmimalloc_info(&i0);
	UK_TEST_REQUIRE(heap_round(nt) == 0);
	uk_allocmimalloc_info(&i1);
	for (t = 0; t < nt; t++)
		for (i = 0; i < hw[t].nsegs; i++)
			old[nold++] = hw[t].segs[i];
	UK_TEST_REQUIRE(heap_round(nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(new_segments(nt, old, nold), 0);
	uk_allocmimalloc_info(&i2);
	for (t = 0; t < nt; t++) {
		failed += hw[t].failed;
		late += hw[t].gate_timeout;
		cpus |= 1UL << hw[t].cpu;
	}
	UK_TEST_EXPECT_UNUM_EQ(failed, 0);
	UK_TEST_EXPECT_UNUM_EQ(late, 0);
	UK_TEST_EXPECT_UNUM_EQ(cpus, ukplat_lcpu_count() >= 64
				     ? ~0UL
				     : (1UL << ukplat_lcpu_count()) - 1);
	/* Each worker thread ended its heap, in both rounds. */
	UK_TEST_EXPECT_UNUM_EQ(i1.threads_done - i0.threads_done, nt);
	UK_TEST_EXPECT_UNUM_EQ(i2.threads_done - i1.threads_done, nt);
	UK_TEST_EXPECT_UNUM_LE(i2.os_bytes, i1.os_bytes);
	UK_TEST_EXPECT_UNUM_EQ(i2.live_bytes, i0.live_bytes);
	printf("    2 rounds of %u threads; round 2 reused round 1's %u "
	       "segments\n",
	       nt, nold);
}
