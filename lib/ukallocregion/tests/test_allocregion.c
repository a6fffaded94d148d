/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite for the region allocator: boot handoff, alignment, no overlap, malloc family. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uk/allocregion.h>
#include <uk/plat/memory.h>
#include <uk/test.h>

#if CONFIG_LIBUKALLOCREGION_BOOT
uk_testsuite_register(ukallocregion, NULL);
#else
/*
 * Another allocator owns the memory map: the cases below run in 4 MiB taken
 * from malloc() (never given back: the region allocator keeps what it gets).
 */
static int region_suite_init(struct uk_testsuite *s __unused)
{
	static void *chunk;

	if (!chunk) {
		chunk = malloc(4 << 20);
		if (!chunk || uk_allocregion_addmem(chunk, 4 << 20) < 0)
			return -1;
	}
	return 0;
}

uk_testsuite_register(ukallocregion, region_suite_init);
#endif

#if CONFIG_LIBUKALLOCREGION_BOOT
UK_TESTCASE(ukallocregion, boot_regions_handed_over)
{
	struct ukplat_memregion_desc *m;
	unsigned long free_bytes = 0;
	unsigned int nfree = 0;
	int i;

	ukplat_memregion_foreach(&m, i) {
		if (m->flags & UKPLAT_MEMRF_FREE) {
			free_bytes += m->len;
			nfree++;
		}
	}
	UK_TEST_EXPECT_UNUM_EQ(uk_allocregion_count(), nfree);
	UK_TEST_EXPECT_UNUM_LE(uk_allocregion_availmem(), free_bytes);
	UK_TEST_EXPECT_UNUM_GE(uk_allocregion_availmem(), free_bytes / 2);
}
#endif

/* Blocks of many sizes and alignments: aligned, inside free RAM, disjoint. */
UK_TESTCASE(ukallocregion, aligned_and_disjoint)
{
	enum { N = 256 };
	static uintptr_t start[N], end[N];
	size_t before = uk_allocregion_availmem(), used = 0;
	int i, j, bad_overlap = 0, bad_align = 0;

	for (i = 0; i < N; i++) {
		size_t align = (size_t)1 << (i % 13);
		size_t size = 1 + (size_t)(i * 7919) % 5000;
		char *p = uk_allocregion_alloc(size, align);

		UK_TEST_REQUIRE(p != NULL);
		bad_align += ((uintptr_t)p & (align - 1)) != 0;
		memset(p, i, size);
		start[i] = (uintptr_t)p;
		end[i] = (uintptr_t)p + size;
		used += size;
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			bad_overlap += start[i] < end[j] && start[j] < end[i];
	UK_TEST_EXPECT_SNUM_EQ(bad_align, 0);
	UK_TEST_EXPECT_SNUM_EQ(bad_overlap, 0);
	/* Every byte handed out is accounted for (sizes + alignment slack). */
	UK_TEST_EXPECT_UNUM_GE(before - uk_allocregion_availmem(), used);
	UK_TEST_EXPECT_UNUM_LE(before - uk_allocregion_availmem(),
			       used + N * 4096);
}

UK_TESTCASE(ukallocregion, bad_requests_fail_cleanly)
{
	size_t before = uk_allocregion_availmem();

	UK_TEST_EXPECT_NULL(uk_allocregion_alloc(16, 3));
	UK_TEST_EXPECT_NULL(uk_allocregion_alloc(SIZE_MAX - 8, 16));
	UK_TEST_EXPECT_UNUM_EQ(uk_allocregion_availmem(), before);
	UK_TEST_EXPECT_NOT_NULL(uk_allocregion_alloc(64, 64));
}

#if CONFIG_LIBUKALLOCREGION_MALLOC
UK_TESTCASE(ukallocregion, malloc_family)
{
	unsigned char *p = malloc(100), *q;
	void *a = NULL;
	size_t i;
	int zero = 1;

	UK_TEST_REQUIRE(p != NULL);
	for (i = 0; i < 100; i++)
		p[i] = (unsigned char)i;
	q = realloc(p, 5000);
	UK_TEST_REQUIRE(q != NULL);
	for (i = 0; i < 100; i++)
		zero &= q[i] == (unsigned char)i;
	UK_TEST_EXPECT(zero);
	q = calloc(1000, 4);
	UK_TEST_REQUIRE(q != NULL);
	for (i = 0, zero = 1; i < 4000; i++)
		zero &= q[i] == 0;
	UK_TEST_EXPECT(zero);
	UK_TEST_EXPECT_NULL(calloc(SIZE_MAX / 2, 4));
	UK_TEST_EXPECT_SNUM_EQ(posix_memalign(&a, 4096, 10), 0);
	UK_TEST_EXPECT_ZERO((uintptr_t)a & 4095);
	UK_TEST_EXPECT_SNUM_NQ(posix_memalign(&a, 24, 10), 0);
	UK_TEST_EXPECT_NULL(malloc(SIZE_MAX - 4));
	free(q);
}
#endif
