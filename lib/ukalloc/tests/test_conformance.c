/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite "ukalloc_conformance": what every default allocator must do
 * on many CPUs, written against uk_alloc_get_default() only, so that it
 * runs unchanged whichever allocator is the default (apps/uktest:
 * ukallocbbuddy; apps/uktest-mimalloc: ukallocmimalloc). Two threads per
 * CPU, each pinned. Requests go through malloc()/posix_memalign()/free()
 * and through uk_malloc()/uk_posix_memalign()/uk_free() of the default
 * allocator, mixed (a block from one path is freed through the other):
 * both must reach the same allocator.
 *
 * Checked: no two live blocks overlap (global sorted check with every
 * thread stopped), alignment, a per-thread tag pattern at both ends of
 * every block, frees from other CPUs, memory and block counts back to
 * their baselines where the allocator keeps them (uk_alloc_availmem() and
 * uk_alloc_stats_get() say when it does not, and then must say -ENOTSUP),
 * and exhaustion on every CPU at once: NULL and ENOMEM, nothing lost.
 * Allocator-specific checks stay in the allocators' own suites.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>

uk_testsuite_register(ukalloc_conformance, NULL);

#define MAXT	16	/* worker threads at most */
#define SMALL	32	/* live blocks per small size (alignment case) */

struct blk {
	uintptr_t p;
	size_t size;	/* requested */
	unsigned char tag;
};

struct worker {
	unsigned int id;
	unsigned long seed;
	struct blk *b;		/* live blocks */
	unsigned long n, cap;
	unsigned long allocs, frees, failed, bad_pattern, bad_align;
	unsigned long cpus_seen;	/* bit per CPU the worker ran on */
	struct worker *victim;		/* whose blocks to free */
};

static struct worker w[MAXT];
/* All live blocks, sorted by the overlap check (taken before exhaustion). */
static struct blk *all;
static unsigned long all_cap;

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
 * The tag at both ends of a block (up to EDGE bytes each): a neighbour's
 * overrun or a block handed out twice shows, without touching every byte
 * of gigabytes under emulation.
 */
#define EDGE 256

static void fill(const struct blk *b)
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

/* One block through the C library or uk_*() (odd seeds), NULL on failure. */
static void *get(struct worker *x, size_t size, size_t align)
{
	struct uk_alloc *a = uk_alloc_get_default();
	int via_uk = (int)(rnd(&x->seed) & 1);
	void *p = NULL;

	if (align <= 16)
		return via_uk ? uk_malloc(a, size) : malloc(size);
	if (via_uk ? uk_posix_memalign(a, &p, align, size)
		   : posix_memalign(&p, align, size))
		return NULL;
	return p;
}

static int take(struct worker *x, size_t size, size_t align)
{
	void *p = get(x, size, align);
	struct blk *b;

	if (!p)
		return 0;
	x->allocs++;
	x->bad_align += (uintptr_t)p % align != 0;
	b = &x->b[x->n++];
	b->p = (uintptr_t)p;
	b->size = size;
	b->tag = (unsigned char)(((uintptr_t)p >> 4) * 31 + x->id + 1);
	fill(b);
	return 1;
}

/* x frees owner's block i (owner may be x), through either path. */
static void put(struct worker *x, struct worker *owner, unsigned long i)
{
	struct blk *b = &owner->b[i];

	x->bad_pattern += damaged(b);
	if (rnd(&x->seed) & 1)
		uk_free(uk_alloc_get_default(), (void *)b->p);
	else
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

/* Allocates mixed sizes until even a 1-byte block fails. */
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
		x->failed++;
		if (size == 1)
			break;
		size /= 2;
	}
}

/* Runs fn on nt workers, two per CPU, and waits for them. */
static int run_all(void (*fn)(void *), unsigned int nt)
{
	struct uk_thread *t[MAXT];
	unsigned int i;

	for (i = 0; i < nt; i++) {
		t[i] = uk_sched_thread_create_on(
			(int)(i % ukplat_lcpu_count()), fn, &w[i], "conformw");
		if (!t[i])
			return -1;
	}
	for (i = 0; i < nt; i++)
		uk_thread_join(t[i]);
	return 0;
}

static void nothing_fn(void *arg __unused)
{
}

/*
 * Workers' arrays and the sort array, then nt threads created and joined
 * once: every CPU's scheduler runs (the CPUs' own start-up allocations are
 * over), and uksched keeps joined threads' memory in its cache, so the
 * baselines taken afterwards stay put.
 */
static int setup(unsigned int nt, unsigned long cap)
{
	unsigned int i;

	memset(w, 0, sizeof(w));
	all_cap = nt * cap;
	all = malloc(all_cap * sizeof(*all));
	if (!all)
		return -1;
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
	free(all);
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

/* Overlapping neighbours among all workers' live blocks (all stopped). */
static unsigned long overlaps(unsigned int nt)
{
	unsigned long k = 0, i, bad = 0;
	unsigned int t;

	for (t = 0; t < nt; t++)
		for (i = 0; i < w[t].n && k < all_cap; i++)
			all[k++] = w[t].b[i];
	qsort(all, k, sizeof(*all), blk_cmp);
	for (i = 1; i < k; i++)
		bad += all[i - 1].p + (all[i - 1].size ? all[i - 1].size : 1)
		       > all[i].p;
	return bad;
}

static unsigned long damaged_live(unsigned int nt)
{
	unsigned long bad = 0, i;
	unsigned int t;

	for (t = 0; t < nt; t++)
		for (i = 0; i < w[t].n; i++)
			bad += damaged(&w[t].b[i]);
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

/*
 * What the allocator keeps, before and after: available memory (or
 * -ENOTSUP) and the statistics (or -ENOTSUP, then all zero).
 */
struct snap {
	long avail;
	int stats_rc;
	struct uk_alloc_stats st;
};

static void snap(struct snap *s)
{
	struct uk_alloc *a = uk_alloc_get_default();

	s->avail = uk_alloc_availmem(a);
	s->stats_rc = uk_alloc_stats_get(a, &s->st);
}

/*
 * Everything is back as it was (where the allocator keeps the figure),
 * and at least the workers' own allocations were counted.
 */
#define EXPECT_BACK_TO(s0, nt) do {					\
	struct snap __s1;						\
									\
	snap(&__s1);							\
	if ((s0).avail == -ENOTSUP)					\
		UK_TEST_EXPECT_SNUM_EQ(__s1.avail, -ENOTSUP);		\
	else								\
		UK_TEST_EXPECT_SNUM_EQ(__s1.avail, (s0).avail);		\
	UK_TEST_EXPECT_SNUM_EQ(__s1.stats_rc, (s0).stats_rc);		\
	if (__s1.stats_rc == -ENOTSUP) {				\
		UK_TEST_EXPECT_UNUM_EQ(__s1.st.tot_nb_allocs, 0);	\
		UK_TEST_EXPECT_UNUM_EQ(__s1.st.nb_enomem, 0);		\
	} else {							\
		UK_TEST_EXPECT_SNUM_EQ(__s1.stats_rc, 0);		\
		UK_TEST_EXPECT_UNUM_GE(__s1.st.tot_nb_allocs		\
				       - (s0).st.tot_nb_allocs,		\
				       SUM(nt, allocs));		\
		UK_TEST_EXPECT_UNUM_EQ(__s1.st.cur_nb_allocs,		\
				       (s0).st.cur_nb_allocs);		\
	}								\
} while (0)

UK_TESTCASE(ukalloc_conformance, alignment_of_every_power_of_two)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned long bad = 0, failed = 0;
	size_t align, k;
	void *p;

	UK_TEST_REQUIRE(a != NULL);
	for (align = 1; align <= (1UL << 20); align <<= 1) {
		size_t sizes[] = { 1, align - 1, align, align + 1, 3 * align };

		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			size_t sz = sizes[k] ? sizes[k] : 1;

			p = aligned_alloc(align, sz);
			failed += !p;
			bad += (uintptr_t)p % align != 0;
			if (p)
				memset(p, 0x5a, sz);
			free(p);
			p = uk_memalign(a, align, sz);
			failed += !p;
			bad += (uintptr_t)p % align != 0;
			if (p)
				memset(p, 0xa5, sz);
			uk_free(a, p);
		}
	}
	UK_TEST_EXPECT_UNUM_EQ(failed, 0);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	/*
	 * malloc() and uk_malloc() promise 16 (max_align_t), even for 1
	 * byte: SMALL live blocks of each size, so that a size class of
	 * 8-byte blocks would show (every other one of its blocks is off
	 * by 8), half of them through each path.
	 */
	for (k = 0, bad = 0; k <= 64; k++) {
		void *live[SMALL];
		unsigned int i;

		for (i = 0; i < SMALL; i++) {
			live[i] = i & 1 ? uk_malloc(a, k) : malloc(k);
			/* Size 0: a unique block or NULL. */
			bad += (k && !live[i]) || (uintptr_t)live[i] % 16;
		}
		for (i = 0; i < SMALL; i++)
			if (i & 1)
				uk_free(a, live[i]);
			else
				free(live[i]);
	}
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
}

UK_TESTCASE(ukalloc_conformance, random_sizes_on_every_cpu_then_cross_cpu_frees)
{
	unsigned int nt = nthreads(), round;
	struct snap s0;

	UK_TEST_REQUIRE(setup(nt, 800) == 0);
	snap(&s0);
	for (round = 0; round < 2; round++) {
		UK_TEST_REQUIRE(run_all(random_fn, nt) == 0);
		/* Everybody stopped: check all live blocks together. */
		UK_TEST_EXPECT_UNUM_EQ(overlaps(nt), 0);
		UK_TEST_EXPECT_UNUM_EQ(damaged_live(nt), 0);
	}
	UK_TEST_EXPECT(SUM(nt, n) > 0);
	/* Worker i frees worker i + 1's blocks: on another CPU when > 1. */
	UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, failed), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_align), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, allocs), SUM(nt, frees));
	UK_TEST_EXPECT_UNUM_EQ(cpus_mask(nt), all_cpus());
	EXPECT_BACK_TO(s0, nt);
	printf("    %u threads on %u CPUs, %lu blocks, all freed by another "
	       "CPU's thread\n", nt, ukplat_lcpu_count(), SUM(nt, allocs));
	teardown(nt);
}

UK_TESTCASE(ukalloc_conformance, cross_cpu_frees_in_volume)
{
	unsigned int nt = nthreads(), round, i;
	struct snap s0;

	UK_TEST_REQUIRE(setup(nt, 2000) == 0);
	snap(&s0);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < nt; i++) {
			w[i].seed = round * 100 + i;
			/* Filled here, on this CPU: freed on every CPU. */
			while (w[i].n < w[i].cap
			       && take(&w[i], 1 + rnd(&w[i].seed) % 300, 16))
				;
		}
		UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), (unsigned long)nt * 2000);
		UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
		UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	}
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, allocs), (unsigned long)nt * 6000);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, frees), (unsigned long)nt * 6000);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	EXPECT_BACK_TO(s0, nt);
	teardown(nt);
}

/*
 * The default allocator itself, exhausted on every CPU at once: whatever
 * the guest needs meanwhile (threads, the sort array) was allocated
 * before.
 */
UK_TESTCASE(ukalloc_conformance, exhaustion_on_all_cpus_then_free_all)
{
	unsigned int nt = nthreads();
	struct snap s0, s1;
	void *p;

	UK_TEST_REQUIRE(setup(nt, 150000) == 0);
	snap(&s0);
	UK_TEST_REQUIRE(run_all(exhaust_fn, nt) == 0);
	/* Every worker ended on a failed 1-byte request, none on its cap. */
	UK_TEST_EXPECT_UNUM_GE(SUM(nt, failed), nt);
	UK_TEST_EXPECT(SUM(nt, n) < (unsigned long)nt * 150000);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_align), 0);
	UK_TEST_EXPECT_UNUM_EQ(overlaps(nt), 0);
	errno = 0;
	UK_TEST_EXPECT_NULL(malloc(64UL << 20));
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOMEM);
	snap(&s1);
	if (s1.stats_rc == 0)
		UK_TEST_EXPECT(s1.st.nb_enomem > s0.st.nb_enomem);
	printf("    %u threads filled %lu blocks, then got NULL\n", nt,
	       SUM(nt, allocs));
	UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	EXPECT_BACK_TO(s0, nt);
	/* And the memory serves again. */
	p = malloc(1UL << 20);
	UK_TEST_EXPECT_NOT_NULL(p);
	free(p);
	teardown(nt);
}
