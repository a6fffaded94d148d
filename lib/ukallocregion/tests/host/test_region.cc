/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests for the region allocator: exact accounting single-threaded,
// and many threads allocating until exhaustion while regions are added.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

extern "C" {
#include <uk/allocregion.h>
}

// The allocator is global state: each test uses fresh memory and measures
// availmem deltas, so tests stay independent of registration order.
// Arenas stay registered with the allocator until exit, so they are never
// freed; the list is never destroyed so LeakSanitizer still sees them.
static std::vector<char *> *arenas = new std::vector<char *>;

static char *arena(size_t len)
{
	char *p = static_cast<char *>(aligned_alloc(4096, len));
	arenas->push_back(p);
	return p;
}

struct Block {
	uintptr_t start, end;
};

static void expect_disjoint(std::vector<Block> &b)
{
	std::sort(b.begin(), b.end(),
		  [](const Block &x, const Block &y) { return x.start < y.start; });
	for (size_t i = 1; i < b.size(); i++)
		ASSERT_LE(b[i - 1].end, b[i].start) << "blocks " << i - 1
						    << " and " << i << " overlap";
}

TEST(AllocRegion, RejectsBadInput)
{
	char c;
	EXPECT_EQ(uk_allocregion_addmem(&c, 0), -EINVAL);
	EXPECT_EQ(uk_allocregion_addmem((void *)UINTPTR_MAX, 16), -EINVAL);
	EXPECT_EQ(uk_allocregion_alloc(8, 48), nullptr);	// not a power of 2
}

TEST(AllocRegion, ExactAccountingAndExhaustion)
{
	const size_t len = 1 << 20;
	char *mem = arena(len);
	size_t before = uk_allocregion_availmem();
	// Earlier tests' regions are exhausted first so every block comes
	// from this arena.
	while (uk_allocregion_alloc(1, 1))
		;
	before = uk_allocregion_availmem();
	ASSERT_EQ(uk_allocregion_addmem(mem, len), 0);
	EXPECT_EQ(uk_allocregion_availmem(), before + len);

	// Sizes that keep 16-byte alignment free of slack: exact accounting.
	size_t handed = 0;
	std::vector<Block> blocks;
	for (;;) {
		void *p = uk_allocregion_alloc(4096 - 16 * (blocks.size() % 4), 16);
		if (!p)
			break;
		size_t sz = 4096 - 16 * (blocks.size() % 4);
		ASSERT_GE((char *)p, mem);
		ASSERT_LE((char *)p + sz, mem + len);
		ASSERT_EQ((uintptr_t)p % 16, 0u);
		blocks.push_back({(uintptr_t)p, (uintptr_t)p + sz});
		handed += sz;
	}
	EXPECT_EQ(handed + uk_allocregion_availmem() - before, len);
	EXPECT_LT(uk_allocregion_availmem() - before, 4096u);
	expect_disjoint(blocks);
	// Failure leaves it usable: what is left can still be taken.
	size_t left = uk_allocregion_availmem() - before;
	if (left)
		EXPECT_NE(uk_allocregion_alloc(left, 1), nullptr);
}

// 2..8 threads allocate random sizes/alignments until the memory runs out,
// while another thread keeps adding regions. Afterwards: every block lies
// inside an arena, no two overlap, and the arenas are used up (nothing
// lost: what is left in each is smaller than the largest request).
TEST(AllocRegionConcurrent, ManyThreadsUntilExhaustion)
{
	const size_t arena_len = 512 << 10, narenas = 4, max_size = 512;
	const size_t max_align = 64;
	while (uk_allocregion_alloc(1, 1))	// drain earlier tests' regions
		;
	if (uk_allocregion_count() + narenas > UK_ALLOCREGION_MAX_REGIONS)
		GTEST_SKIP() << "region table too full for this test";
	size_t base_avail = uk_allocregion_availmem();
	for (unsigned nthreads : {2u, 4u, 8u}) {
		if (uk_allocregion_count() + narenas > UK_ALLOCREGION_MAX_REGIONS)
			break;
		while (uk_allocregion_alloc(1, 1))	// only new arenas serve
			;
		base_avail = uk_allocregion_availmem();
		std::vector<char *> mine;
		for (size_t i = 0; i < narenas; i++)
			mine.push_back(arena(arena_len));
		std::atomic<bool> adding_done{false};
		std::vector<std::vector<Block>> per(nthreads);
		std::vector<std::thread> th;
		std::thread adder([&] {
			for (char *a : mine)
				ASSERT_EQ(uk_allocregion_addmem(a, arena_len), 0);
			adding_done = true;
		});
		for (unsigned t = 0; t < nthreads; t++)
			th.emplace_back([&, t] {
				std::mt19937 rng(t * 7 + nthreads);
				for (;;) {
					size_t sz = 1 + rng() % max_size;
					size_t al = (size_t)1 << (rng() % 7);
					void *p = uk_allocregion_alloc(sz, al);
					if (!p) {
						if (adding_done)
							break;
						continue;
					}
					ASSERT_EQ((uintptr_t)p % al, 0u);
					memset(p, (int)t, sz);
					per[t].push_back({(uintptr_t)p, (uintptr_t)p + sz});
				}
			});
		for (auto &x : th)
			x.join();
		adder.join();
		std::vector<Block> all;
		size_t bytes = 0;
		for (auto &v : per)
			for (auto &b : v) {
				bool inside = false;
				for (char *a : mine)
					inside |= b.start >= (uintptr_t)a &&
						  b.end <= (uintptr_t)a + arena_len;
				ASSERT_TRUE(inside);
				bytes += b.end - b.start;
				all.push_back(b);
			}
		expect_disjoint(all);
		size_t left = uk_allocregion_availmem() - base_avail;
		EXPECT_LE(left, narenas * (max_size + max_align));
		EXPECT_GE(bytes + left, narenas * arena_len * 3 / 4);
		std::cout << nthreads << " threads: " << all.size()
			  << " blocks, " << bytes << " bytes, " << left
			  << " bytes left over " << narenas << " regions\n";
	}
}
