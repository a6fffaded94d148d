/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for what is particular to ukallocbbuddy: it is the default
 * with the guest's memory, exhaustion fills every managed byte and a drain
 * merges everything back, addmem at run time, invalid frees. What every
 * default allocator must do on many CPUs (overlap, alignment, patterns,
 * cross-CPU frees, exhaustion on every CPU) is the shared suite
 * ukalloc_conformance (lib/ukalloc/tests/test_conformance.c), which runs
 * on bbuddy in apps/uktest. Each case here works in a private allocator
 * carved out of the default one.
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

#define UNIT	64

/* A private allocator in pages of the default one. */
static struct uk_alloc *private_alloc(unsigned long pages, void **mem)
{
	*mem = uk_palloc(uk_alloc_get_default(), pages);
	return *mem ? uk_allocbbuddy_create(*mem, pages * PAGE_SIZE) : NULL;
}

/* Bytes of the block bbuddy hands out for size: a power of two >= UNIT. */
static size_t block_bytes(size_t size)
{
	size_t b = UNIT;

	while (b < size)
		b <<= 1;
	return b;
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

/*
 * Exhausted one request at a time (the multi-CPU exhaustion of the default
 * allocator is in ukalloc_conformance): the blocks add up to exactly the
 * managed bytes, nothing is left in any cache, and after the frees and a
 * drain every byte is back in the buddy and merged (maxalloc as before).
 */
UK_TESTCASE(ukallocbbuddy, exhaustion_fills_every_byte_then_merges_back)
{
	void *mem;
	struct uk_alloc *a = private_alloc(1024, &mem);	/* 4 MiB */
	struct uk_allocbbuddy_info i;
	static void *v[70000];
	unsigned long n = 0, bytes = 0, seed = 99;
	size_t size = 0;
	long start, maxa;

	UK_TEST_REQUIRE(a != NULL);
	start = uk_alloc_availmem(a);
	maxa = uk_alloc_maxalloc(a);
	while (n < 70000) {
		if (!size) {
			seed = seed * 6364136223846793005UL + 1;
			size = 1 + (seed >> 33) % ((seed >> 40) % 16 ? 3000
								  : 200000);
		}
		v[n] = uk_malloc(a, size);
		if (v[n]) {
			bytes += block_bytes(size);
			n++;
			size = 0;
			continue;
		}
		if (size == 1)
			break;
		size /= 2;
	}
	UK_TEST_EXPECT_UNUM_EQ(bytes, (unsigned long)start);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), 0);
	UK_TEST_EXPECT_NULL(uk_malloc(a, 1));
	while (n)
		uk_free(a, v[--n]);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_availmem(a), start);
	uk_allocbbuddy_drain(a);
	uk_allocbbuddy_info(a, &i);
	UK_TEST_EXPECT_UNUM_EQ(i.buddy_free, (unsigned long)start);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_maxalloc(a), maxa);
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
