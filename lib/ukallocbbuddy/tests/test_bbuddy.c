/*
 * uktest suite for ukallocbbuddy on every CPU: random sizes and alignments
 * with pattern, alignment and global overlap checks, cross-CPU frees in
 * volume, exhaustion on all CPUs at once then free-all, addmem at run time,
 * invalid frees. Each case works in a private allocator carved out of the
 * default one, so exhausting it leaves the rest of the guest alone.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>

uk_testsuite_register(ukallocbbuddy, NULL);

#define MAXT	16	/* worker threads at most */
#define UNIT	64

struct blk {
	uintptr_t p;
	size_t size;	/* requested */
	size_t align;
	unsigned char tag;
};

struct worker {
	struct uk_alloc *a;
	unsigned int id, nthreads;
	unsigned long seed;
	struct blk *b;		/* live blocks */
	unsigned long n, cap;
	unsigned long allocs, failed, bad_pattern, bad_align;
	unsigned long bytes;	/* block bytes held (exhaustion) */
	struct worker *victim;	/* whose blocks to free */
};

static struct worker w[MAXT];

static unsigned long rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static size_t block_bytes(size_t size, size_t align)
{
	size_t need = size > align ? size : align, b = UNIT;

	while (b < need)
		b <<= 1;
	return b;
}

static void fill(struct blk *b)
{
	memset((void *)b->p, b->tag, b->size);
}

static unsigned long damaged(const struct blk *b)
{
	const unsigned char *c = (const unsigned char *)b->p;
	unsigned long bad = 0;
	size_t i;

	for (i = 0; i < b->size; i++)
		bad += c[i] != b->tag;
	return bad;
}

static int blk_cmp(const void *x, const void *y)
{
	const struct blk *a = x, *b = y;

	return a->p < b->p ? -1 : a->p > b->p;
}

/* Overlapping neighbours among all workers' live blocks (sorted copy). */
static unsigned long overlaps(unsigned int nt)
{
	unsigned long total = 0, i, k = 0, bad = 0;
	struct blk *all;
	unsigned int t;

	for (t = 0; t < nt; t++)
		total += w[t].n;
	all = malloc((total + 1) * sizeof(*all));
	if (!all)
		return ~0UL;
	for (t = 0; t < nt; t++)
		for (i = 0; i < w[t].n; i++)
			all[k++] = w[t].b[i];
	qsort(all, total, sizeof(*all), blk_cmp);
	for (i = 1; i < total; i++)
		bad += all[i - 1].p + block_bytes(all[i - 1].size,
						  all[i - 1].align) > all[i].p;
	free(all);
	return bad;
}

static int take(struct worker *x, size_t size, size_t align)
{
	void *p = NULL;
	struct blk *b;

	if (align <= 16)
		p = uk_malloc(x->a, size);
	else if (uk_posix_memalign(x->a, &p, align, size))
		p = NULL;
	if (!p)
		return 0;
	x->allocs++;
	x->bad_align += (uintptr_t)p % align != 0;
	b = &x->b[x->n++];
	b->p = (uintptr_t)p;
	b->size = size;
	b->align = align;
	b->tag = (unsigned char)(((uintptr_t)p >> 6) * 31 + x->id + 1);
	fill(b);
	x->bytes += block_bytes(size, align);
	return 1;
}

static void put(struct worker *x, struct worker *owner, unsigned long i)
{
	struct blk *b = &owner->b[i];

	x->bad_pattern += damaged(b);
	uk_free(x->a, (void *)b->p);
	*b = owner->b[--owner->n];
}

/* Random alloc/free, ending with up to cap / 2 live blocks. */
static void random_fn(void *arg)
{
	struct worker *x = arg;
	unsigned long i;

	for (i = 0; i < 3000; i++) {
		unsigned long r = rnd(&x->seed);

		if (x->n && (x->n >= x->cap / 2 || r % 2)) {
			put(x, x, rnd(&x->seed) % x->n);
			continue;
		}
		if (!take(x, r % 3 ? rnd(&x->seed) % 600
				   : rnd(&x->seed) % 20000,
			  (size_t)8 << (rnd(&x->seed) % 9)))
			x->failed++;
	}
}

/* Frees every block of the victim (allocated on another CPU). */
static void free_victim_fn(void *arg)
{
	struct worker *x = arg;

	while (x->victim->n)
		put(x, x->victim, x->victim->n - 1);
}

/* Allocates mixed sizes until even one unit fails. */
static void exhaust_fn(void *arg)
{
	struct worker *x = arg;
	size_t size = 0;

	while (x->n < x->cap) {
		if (!size)
			size = 1 + rnd(&x->seed) % (rnd(&x->seed) % 16 ? 3000
								  : 200000);
		if (take(x, size, 16)) {
			size = 0;
			continue;
		}
		if (size == 1)
			break;
		size /= 2;
	}
}

static unsigned int nthreads(void)
{
	unsigned int n = ukplat_lcpu_count() * 2;

	return n > MAXT ? MAXT : n;
}

/* Runs fn on nt workers, two per CPU, and waits for them. */
static int run_all(void (*fn)(void *), unsigned int nt)
{
	struct uk_thread *t[MAXT];
	unsigned int i;

	for (i = 0; i < nt; i++) {
		t[i] = uk_sched_thread_create_on(
			(int)(i % ukplat_lcpu_count()), fn, &w[i], "allocw");
		if (!t[i])
			return -1;
	}
	for (i = 0; i < nt; i++)
		uk_thread_join(t[i]);
	return 0;
}

static int setup(struct uk_alloc *a, unsigned int nt, unsigned long cap)
{
	unsigned int i;

	memset(w, 0, sizeof(w));
	for (i = 0; i < nt; i++) {
		w[i].a = a;
		w[i].id = i;
		w[i].nthreads = nt;
		w[i].seed = 12345 + i * 7919;
		w[i].cap = cap;
		w[i].b = malloc(cap * sizeof(struct blk));
		w[i].victim = &w[(i + 1) % nt];
		if (!w[i].b)
			return -1;
	}
	return 0;
}

static void teardown(unsigned int nt)
{
	unsigned int i;

	for (i = 0; i < nt; i++)
		free(w[i].b);
}

static unsigned long sum(unsigned int nt, size_t off)
{
	unsigned long s = 0;
	unsigned int i;

	for (i = 0; i < nt; i++)
		s += *(unsigned long *)((char *)&w[i] + off);
	return s;
}

#define SUM(nt, field) sum(nt, offsetof(struct worker, field))

/* A private allocator in pages of the default one. */
static struct uk_alloc *private_alloc(unsigned long pages, void **mem)
{
	*mem = uk_palloc(uk_alloc_get_default(), pages);
	return *mem ? uk_allocbbuddy_create(*mem, pages * PAGE_SIZE) : NULL;
}

UK_TESTCASE(ukallocbbuddy, default_allocator_has_the_memory)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_allocbbuddy_info i;

	UK_TEST_REQUIRE(a != NULL);
	UK_TEST_EXPECT(strcmp(a->name, "bbuddy") == 0);
	uk_allocbbuddy_info(a, &i);
	/* The guest has 256 MiB (run-tests); the image and tables less. */
	UK_TEST_EXPECT_UNUM_GE(i.managed, 200UL << 20);
	UK_TEST_EXPECT_UNUM_LE((unsigned long)uk_alloc_availmem(a),
			       i.managed);
	UK_TEST_EXPECT_UNUM_EQ(i.bad_frees, 0);
}

UK_TESTCASE(ukallocbbuddy, random_sizes_on_every_cpu_then_cross_cpu_frees)
{
	unsigned int nt = nthreads(), round;
	void *mem;
	struct uk_alloc *a = private_alloc(8192, &mem);	/* 32 MiB */
	long start, maxa;

	UK_TEST_REQUIRE(a != NULL);
	start = uk_alloc_availmem(a);
	maxa = uk_alloc_maxalloc(a);
	UK_TEST_REQUIRE(setup(a, nt, 400) == 0);
	for (round = 0; round < 2; round++) {
		unsigned int i;
		unsigned long bad = 0;

		UK_TEST_REQUIRE(run_all(random_fn, nt) == 0);
		/* Everybody stopped: check all live blocks together. */
		UK_TEST_EXPECT_UNUM_EQ(overlaps(nt), 0);
		for (i = 0; i < nt; i++) {
			unsigned long k;

			for (k = 0; k < w[i].n; k++)
				bad += damaged(&w[i].b[k]);
		}
		UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	}
	/* Worker i frees worker i + 1's blocks: on another CPU when > 1. */
	UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_align), 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, failed), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), start);
	uk_allocbbuddy_drain(a);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_maxalloc(a), maxa);
	printf("    %u threads on %u CPUs, %lu allocations\n", nt,
	       ukplat_lcpu_count(), SUM(nt, allocs));
	teardown(nt);
	uk_pfree(uk_alloc_get_default(), mem, 8192);
}

UK_TESTCASE(ukallocbbuddy, cross_cpu_frees_in_volume)
{
	unsigned int nt = nthreads(), round;
	void *mem;
	struct uk_alloc *a = private_alloc(4096, &mem);
	struct uk_alloc_stats st;
	long start;

	UK_TEST_REQUIRE(a != NULL);
	start = uk_alloc_availmem(a);
	UK_TEST_REQUIRE(setup(a, nt, 2000) == 0);
	for (round = 0; round < 3; round++) {
		unsigned int i;

		for (i = 0; i < nt; i++) {
			w[i].seed = round * 100 + i;
			while (w[i].n < w[i].cap)
				/* Filled here, on this CPU: freed elsewhere. */
				if (!take(&w[i], 1 + rnd(&w[i].seed) % 300,
					  16))
					break;
		}
		UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), (unsigned long)nt * 2000);
		UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
		UK_TEST_EXPECT_UNUM_EQ(SUM(nt, n), 0);
	}
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), start);
	uk_alloc_stats_get(a, &st);
	UK_TEST_EXPECT_UNUM_EQ(st.tot_nb_allocs, (unsigned long)nt * 6000);
	UK_TEST_EXPECT_UNUM_EQ(st.tot_nb_frees, (unsigned long)nt * 6000);
	teardown(nt);
	uk_pfree(uk_alloc_get_default(), mem, 4096);
}

UK_TESTCASE(ukallocbbuddy, exhaustion_on_all_cpus_then_free_all)
{
	unsigned int nt = nthreads();
	void *mem;
	struct uk_alloc *a = private_alloc(1024, &mem);	/* 4 MiB */
	struct uk_allocbbuddy_info i;
	long start, maxa;

	UK_TEST_REQUIRE(a != NULL);
	start = uk_alloc_availmem(a);
	maxa = uk_alloc_maxalloc(a);
	UK_TEST_REQUIRE(setup(a, nt, 70000) == 0);
	UK_TEST_REQUIRE(run_all(exhaust_fn, nt) == 0);
	/* Every managed byte is in some block; none left in any cache. */
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bytes), (unsigned long)start);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), 0);
	UK_TEST_EXPECT_NULL(uk_malloc(a, 1));
	UK_TEST_EXPECT_UNUM_EQ(overlaps(nt), 0);
	UK_TEST_REQUIRE(run_all(free_victim_fn, nt) == 0);
	UK_TEST_EXPECT_UNUM_EQ(SUM(nt, bad_pattern), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), start);
	uk_allocbbuddy_drain(a);
	uk_allocbbuddy_info(a, &i);
	UK_TEST_EXPECT_UNUM_EQ(i.buddy_free, (unsigned long)start);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_maxalloc(a), maxa);
	printf("    %lu blocks filled %ld bytes on %u threads\n",
	       SUM(nt, allocs), start, nt);
	teardown(nt);
	uk_pfree(uk_alloc_get_default(), mem, 1024);
}

UK_TESTCASE(ukallocbbuddy, addmem_at_run_time_is_used)
{
	void *mem, *more = uk_palloc(uk_alloc_get_default(), 512);
	struct uk_alloc *a = private_alloc(256, &mem);
	struct uk_allocbbuddy_info i0, i1;
	unsigned long from_new = 0, n = 0, k;
	static void *v[4096];
	long start;

	UK_TEST_REQUIRE(a != NULL && more != NULL);
	start = uk_alloc_availmem(a);
	while (n < 4096 && (v[n] = uk_malloc(a, 4096)))
		n++;
	UK_TEST_EXPECT_NULL(uk_malloc(a, 4096));
	uk_allocbbuddy_info(a, &i0);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_addmem(a, more, 512 * PAGE_SIZE), 0);
	uk_allocbbuddy_info(a, &i1);
	UK_TEST_EXPECT_UNUM_GE(i1.managed - i0.managed, 500 * PAGE_SIZE);
	k = n;
	while (n < 4096 && (v[n] = uk_malloc(a, 4096))) {
		from_new += (uintptr_t)v[n] >= (uintptr_t)more
			    && (uintptr_t)v[n] < (uintptr_t)more
						 + 512 * PAGE_SIZE;
		n++;
	}
	UK_TEST_EXPECT_UNUM_EQ(from_new, n - k);
	UK_TEST_EXPECT_UNUM_EQ(from_new * 4096, i1.managed - i0.managed);
	while (n)
		uk_free(a, v[--n]);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a),
			       start + (long)(i1.managed - i0.managed));
	uk_pfree(uk_alloc_get_default(), mem, 256);
	uk_pfree(uk_alloc_get_default(), more, 512);
}

UK_TESTCASE(ukallocbbuddy, invalid_frees_are_reported_and_ignored)
{
	void *mem;
	struct uk_alloc *a = private_alloc(64, &mem);
	struct uk_allocbbuddy_info i;
	char *p, *q;
	long before;
	int outside;

	UK_TEST_REQUIRE(a != NULL);
	p = uk_malloc(a, 500);
	q = uk_malloc(a, 500);
	UK_TEST_REQUIRE(p != NULL && q != NULL);
	memset(q, 0x77, 500);
	before = uk_alloc_availmem(a);
#if !CONFIG_LIBUKALLOCBBUDDY_DEBUG
	uk_free(a, &outside);
	uk_free(a, p + 8);
	uk_free(a, p + 64);
	uk_free(a, p);
	uk_free(a, p);
	uk_allocbbuddy_info(a, &i);
	UK_TEST_EXPECT_UNUM_EQ(i.bad_frees, 4);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), before + 512);
	{
		unsigned long k, bad = 0;

		for (k = 0; k < 500; k++)
			bad += (unsigned char)q[k] != 0x77;
		UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	}
#else
	(void)outside;
	(void)i;
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), before);
#endif
	uk_pfree(uk_alloc_get_default(), mem, 64);
}
