/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for ukalloc in the guest: malloc() and friends reach the
 * default allocator and really free, errors follow the C standard, and the
 * default allocator's statistics count exactly, also from every CPU.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc_impl.h>
#include <uk/plat/lcpu.h>
#include <uk/test.h>
#if CONFIG_LIBUKSCHED
#include <uk/sched.h>
#endif

uk_testsuite_register(ukalloc, NULL);

#if CONFIG_LIBUKALLOC_LIBC
/*
 * This CPU's counters of a (other CPUs may be allocating meanwhile: CPUs
 * still starting up create their idle threads).
 */
static void my_stats(struct uk_alloc *a, unsigned long *allocs,
		     unsigned long *frees)
{
	struct uk_alloc_cpu_stats *c = &a->_stats[ukplat_lcpu_idx()];

	*allocs = __atomic_load_n(&c->nb_allocs, __ATOMIC_RELAXED);
	*frees = __atomic_load_n(&c->nb_frees, __ATOMIC_RELAXED);
}

UK_TESTCASE(ukalloc, libc_functions_use_the_default_and_free)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned long a0, f0, a1, f1, i, failed = 0;
	struct uk_alloc_stats st;
	unsigned char *p, *q;
	void *r = NULL;
	int k, ok = 1;

	UK_TEST_REQUIRE(a != NULL);
	my_stats(a, &a0, &f0);
	p = malloc(100);
	UK_TEST_REQUIRE(p != NULL);
	for (k = 0; k < 100; k++)
		p[k] = (unsigned char)k;
	p = realloc(p, 50000);
	UK_TEST_REQUIRE(p != NULL);
	for (k = 0; k < 100; k++)
		ok &= p[k] == (unsigned char)k;
	UK_TEST_EXPECT(ok);
	q = calloc(1000, 8);
	UK_TEST_REQUIRE(q != NULL);
	for (k = 0, ok = 1; k < 8000; k++)
		ok &= q[k] == 0;
	UK_TEST_EXPECT(ok);
	UK_TEST_EXPECT_SNUM_EQ(posix_memalign(&r, 8192, 10), 0);
	UK_TEST_EXPECT_ZERO((uintptr_t)r & 8191);
	free(r);
	r = aligned_alloc(65536, 100);
	UK_TEST_EXPECT_NOT_NULL(r);
	UK_TEST_EXPECT_ZERO((uintptr_t)r & 65535);
	free(r);
	free(p);
	free(q);
	free(NULL);
	my_stats(a, &a1, &f1);
	/*
	 * malloc, calloc, posix_memalign, aligned_alloc; realloc moved. An
	 * allocator that keeps no statistics (uk_alloc_stats_get() says
	 * -ENOTSUP) must not count either.
	 */
	if (uk_alloc_stats_get(a, &st) == -ENOTSUP) {
		UK_TEST_EXPECT_UNUM_EQ(a1 + f1, 0);
	} else {
		UK_TEST_EXPECT_UNUM_EQ(a1 - a0, 4);
		UK_TEST_EXPECT_UNUM_EQ(f1 - f0, 4);
	}
	/*
	 * free() really gives memory back: 1 GiB in 1 MiB blocks goes
	 * through a guest of 256 MiB.
	 */
	for (i = 0; i < 1024; i++) {
		p = malloc(1 << 20);
		failed += !p;
		if (p)
			p[i] = 1;
		free(p);
	}
	UK_TEST_EXPECT_UNUM_EQ(failed, 0);
}

UK_TESTCASE(ukalloc, libc_errors)
{
	void *r = (void *)1;

	errno = 0;
	UK_TEST_EXPECT_NULL(malloc(SIZE_MAX - 100));
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOMEM);
	errno = 0;
	UK_TEST_EXPECT_NULL(calloc(SIZE_MAX / 4, 8));
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOMEM);
	UK_TEST_EXPECT_SNUM_EQ(posix_memalign(&r, 24, 10), EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(posix_memalign(&r, 16, SIZE_MAX / 2), ENOMEM);
	UK_TEST_EXPECT_PTR_EQ(r, (void *)1);
	UK_TEST_EXPECT_NULL(aligned_alloc(3, 10));
	UK_TEST_EXPECT_NULL(realloc(malloc(10), 0));
}
#endif

UK_TESTCASE(ukalloc, null_allocator_and_bad_arguments)
{
	void *p = NULL;

	UK_TEST_EXPECT_NULL(uk_malloc(NULL, 10));
	UK_TEST_EXPECT_NULL(uk_palloc(NULL, 1));
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(NULL), -EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_addmem(NULL, NULL, 0), -EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(uk_posix_memalign(NULL, &p, 16, 1), EINVAL);
	UK_TEST_EXPECT_NULL(uk_memalign(uk_alloc_get_default(), 48, 10));
	UK_TEST_EXPECT_NULL(uk_palloc(uk_alloc_get_default(), 0));
}

/*
 * An allocator made of the generic malloc-on-pages operations over the
 * default allocator's pages: registered once, kept for the whole run.
 */
static struct uk_alloc pages_on_default;
/* Pages pages_on_default has out (other CPUs use the default meanwhile). */
static long pod_pages;

static void *pod_palloc(struct uk_alloc *a __unused, unsigned long n)
{
	void *p = uk_palloc(uk_alloc_get_default(), n);

	/* Relaxed: a counter read after the threads that change it end. */
	if (p)
		__atomic_fetch_add(&pod_pages, (long)n, __ATOMIC_RELAXED);
	return p;
}

static void pod_pfree(struct uk_alloc *a __unused, void *p, unsigned long n)
{
	/* Relaxed: as in pod_palloc(). */
	__atomic_fetch_sub(&pod_pages, (long)n, __ATOMIC_RELAXED);
	uk_pfree(uk_alloc_get_default(), p, n);
}

static long pod_avail(struct uk_alloc *a __unused)
{
	return uk_alloc_availmem(uk_alloc_get_default());
}

static long pod_max(struct uk_alloc *a __unused)
{
	return uk_alloc_maxalloc(uk_alloc_get_default());
}

static struct uk_alloc *pod(void)
{
	if (!pages_on_default.malloc
	    && uk_alloc_init_palloc(&pages_on_default, "pages-on-default",
				    pod_palloc, pod_pfree, pod_max, pod_avail,
				    NULL) < 0)
		return NULL;
	return &pages_on_default;
}

UK_TESTCASE(ukalloc, generic_malloc_on_pages)
{
	struct uk_alloc *a = pod();
	struct uk_alloc_stats s0, s1;
	unsigned char *p;
	void *q = NULL;
	long before;
	int i, ok = 1;

	UK_TEST_REQUIRE(a != NULL);
	before = __atomic_load_n(&pod_pages, __ATOMIC_RELAXED);
	uk_alloc_stats_get(a, &s0);
	p = uk_malloc(a, 10);
	UK_TEST_REQUIRE(p != NULL);
	for (i = 0; i < 10; i++)
		p[i] = (unsigned char)(i + 1);
	p = uk_realloc(a, p, 30000);
	UK_TEST_REQUIRE(p != NULL);
	/* 30000 bytes and the header: 8 pages out now. */
	UK_TEST_EXPECT_SNUM_EQ(__atomic_load_n(&pod_pages, __ATOMIC_RELAXED),
			       before + 8);
	for (i = 0; i < 10; i++)
		ok &= p[i] == (unsigned char)(i + 1);
	UK_TEST_EXPECT(ok);
	UK_TEST_EXPECT_SNUM_EQ(uk_posix_memalign(a, &q, 16384, 100), 0);
	UK_TEST_EXPECT_ZERO((uintptr_t)q & 16383);
	uk_free(a, q);
	uk_free(a, p);
	uk_alloc_stats_get(a, &s1);
	UK_TEST_EXPECT_UNUM_EQ(s1.tot_nb_allocs - s0.tot_nb_allocs, 2);
	UK_TEST_EXPECT_UNUM_EQ(s1.cur_nb_allocs, 0);
	/* Every page went back (the default's availmem moves with others). */
	UK_TEST_EXPECT_SNUM_EQ(__atomic_load_n(&pod_pages, __ATOMIC_RELAXED),
			       before);
}

#if CONFIG_LIBUKSCHED
#define NPER 2000

static void churn(void *arg)
{
	struct uk_alloc *a = arg;
	void *p[16];
	int i, k;

	for (i = 0; i < NPER / 16; i++) {
		for (k = 0; k < 16; k++)
			p[k] = uk_malloc(a, 1 + (unsigned int)(i * 16 + k)
						% 3000);
		for (k = 0; k < 16; k++)
			uk_free(a, p[k]);
	}
}

/*
 * Two threads per CPU allocate and free through one allocator (not the
 * default one, which thread creation also uses): its counters add up
 * exactly.
 */
UK_TESTCASE(ukalloc, stats_exact_on_every_cpu)
{
	struct uk_alloc *a = pod();
	unsigned int n = ukplat_lcpu_count() * 2, i;
	struct uk_thread *t[16];
	struct uk_alloc_stats s0, s1;

	UK_TEST_REQUIRE(a != NULL);
	if (n > 16)
		n = 16;
	uk_alloc_stats_get(a, &s0);
	for (i = 0; i < n; i++) {
		t[i] = uk_sched_thread_create_on((int)(i % ukplat_lcpu_count()),
						 churn, a, "churn");
		UK_TEST_REQUIRE(t[i] != NULL);
	}
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
	uk_alloc_stats_get(a, &s1);
	UK_TEST_EXPECT_UNUM_EQ(s1.tot_nb_allocs - s0.tot_nb_allocs,
			       (unsigned long)n * (NPER / 16) * 16);
	UK_TEST_EXPECT_UNUM_EQ(s1.tot_nb_frees - s0.tot_nb_frees,
			       (unsigned long)n * (NPER / 16) * 16);
	UK_TEST_EXPECT_UNUM_EQ(s1.cur_nb_allocs, 0);
	UK_TEST_EXPECT_UNUM_EQ(s1.nb_enomem, s0.nb_enomem);
	printf("    %u threads on %u CPUs, %d allocations each\n", n,
	       ukplat_lcpu_count(), (NPER / 16) * 16);
}
#endif
