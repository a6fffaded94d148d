/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of ukallocbbuddy over a malloc'd arena, threads playing CPUs:
// sizes and alignment, random alloc/free on 4 threads with pattern and
// global overlap checks, cross-thread frees in volume, exhaustion on all
// threads then free-all (memory returns exactly), addmem at run time,
// out-of-memory, exact statistics, and invalid frees (reported, or fatal in
// strict mode).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>
#include <unistd.h>
#include <vector>

extern "C" {
#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include "../../bbuddy_impl.h"
}

namespace {

struct Arena {
	explicit Arena(size_t n) : size(n)
	{
		mem = static_cast<char *>(aligned_alloc(4096, n));
		// Garbage, as guest RAM may hold: bytes that would read as
		// allocated blocks (state 2) if the state table trusted them.
		memset(mem, 0xa5, n);
	}
	~Arena() { free(mem); }
	char *mem;
	size_t size;
};

struct Block {
	uintptr_t p;
	size_t size;	// requested
	size_t align;
	unsigned char tag;
};

unsigned char tag_of(uintptr_t p, unsigned int salt)
{
	return (unsigned char)((p >> 6) * 31 + salt * 7 + 1);
}

void fill(const Block &b)
{
	memset((void *)b.p, b.tag, b.size);
}

// Number of bytes of b that lost their pattern.
size_t damaged(const Block &b)
{
	const unsigned char *c = (const unsigned char *)b.p;
	size_t bad = 0;

	for (size_t i = 0; i < b.size; i++)
		bad += c[i] != b.tag;
	return bad;
}

size_t block_bytes(size_t size, size_t align)
{
	size_t need = std::max(std::max(size, align), (size_t)BB_UNIT);
	size_t b = BB_UNIT;

	while (b < need)
		b <<= 1;
	return b;
}

// Sorted by address: returns the number of overlapping neighbours (using
// the real block extent, a power of two >= the request).
size_t overlaps(std::vector<Block> v)
{
	size_t bad = 0;

	std::sort(v.begin(), v.end(),
		  [](const Block &a, const Block &b) { return a.p < b.p; });
	for (size_t i = 1; i < v.size(); i++)
		bad += v[i - 1].p + block_bytes(v[i - 1].size, v[i - 1].align)
		       > v[i].p;
	return bad;
}

struct UkAllocBbuddy : ::testing::Test {
	void SetUp() override
	{
		ukplat_host_lcpu_reset();
		ukplat_host_lcpu_set_idx(0);
	}
	void TearDown() override { ukplat_host_lcpu_reset(); }
};

long avail(struct uk_alloc *a)
{
	return uk_alloc_availmem(a);
}

struct uk_allocbbuddy_info info(struct uk_alloc *a)
{
	struct uk_allocbbuddy_info i;

	uk_allocbbuddy_info(a, &i);
	return i;
}

TEST_F(UkAllocBbuddy, CreateRefusesTooSmall)
{
	char small[256];

	EXPECT_EQ(uk_allocbbuddy_create(small, sizeof(small)), nullptr);
	EXPECT_EQ(uk_allocbbuddy_create(small, 0), nullptr);
}

TEST_F(UkAllocBbuddy, SizesAlignmentAndReturn)
{
	Arena ar(16 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a), maxa = uk_alloc_maxalloc(a);
	EXPECT_EQ((size_t)start, info(a).managed);
	EXPECT_GE(start, (long)(15 << 20));
	EXPECT_LE(maxa, start);

	std::vector<Block> v;
	for (size_t size = 0; size <= 70000; size = size * 3 / 2 + 1) {
		void *p = uk_malloc(a, size);

		ASSERT_NE(p, nullptr) << size;
		EXPECT_EQ((uintptr_t)p % 16, 0u);
		v.push_back({(uintptr_t)p, size, 16, tag_of((uintptr_t)p, 1)});
	}
	for (size_t al = 8; al <= (1 << 20); al <<= 1) {
		void *p = nullptr;

		ASSERT_EQ(uk_posix_memalign(a, &p, al, 100), 0) << al;
		EXPECT_EQ((uintptr_t)p % al, 0u) << al;
		v.push_back({(uintptr_t)p, 100, al, tag_of((uintptr_t)p, 2)});
		p = uk_memalign(a, al, 3000);
		ASSERT_NE(p, nullptr);
		EXPECT_EQ((uintptr_t)p % al, 0u) << al;
		v.push_back({(uintptr_t)p, 3000, al, tag_of((uintptr_t)p, 3)});
	}
	for (unsigned long n = 1; n <= 40; n += 3) {
		void *p = uk_palloc(a, n);

		ASSERT_NE(p, nullptr);
		EXPECT_EQ((uintptr_t)p % 4096, 0u);
		memset(p, 0x5a, n * 4096);
		uk_pfree(a, p, n);
	}
	for (auto &b : v)
		fill(b);
	EXPECT_EQ(overlaps(v), 0u);
	for (auto &b : v) {
		EXPECT_EQ(damaged(b), 0u);
		EXPECT_GE(b.p, (uintptr_t)ar.mem);
		EXPECT_LE(b.p + b.size, (uintptr_t)ar.mem + ar.size);
		uk_free(a, (void *)b.p);
	}
	EXPECT_EQ(avail(a), start);
	uk_allocbbuddy_drain(a);
	EXPECT_EQ(info(a).cached, 0u);
	EXPECT_EQ(avail(a), start);
	EXPECT_EQ(uk_alloc_maxalloc(a), maxa);
	EXPECT_EQ(info(a).bad_frees, 0u);
}

TEST_F(UkAllocBbuddy, CallocReallocKeepContents)
{
	Arena ar(4 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a);
	unsigned char *p = (unsigned char *)uk_malloc(a, 100);

	ASSERT_NE(p, nullptr);
	memset(p, 0xff, 100);
	uk_free(a, p);
	unsigned char *z = (unsigned char *)uk_calloc(a, 25, 4);
	ASSERT_NE(z, nullptr);
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(z[i], 0) << i;
	for (int i = 0; i < 100; i++)
		z[i] = (unsigned char)i;
	z = (unsigned char *)uk_realloc(a, z, 10000);
	ASSERT_NE(z, nullptr);
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(z[i], (unsigned char)i);
	z = (unsigned char *)uk_realloc(a, z, 50);
	ASSERT_NE(z, nullptr);
	for (int i = 0; i < 50; i++)
		ASSERT_EQ(z[i], (unsigned char)i);
	EXPECT_EQ(uk_calloc(a, SIZE_MAX / 2, 4), nullptr);
	EXPECT_EQ(uk_realloc(a, z, 0), nullptr);	// frees z
	EXPECT_EQ(avail(a), start);
}

TEST_F(UkAllocBbuddy, OutOfMemoryReturnsNullAndLosesNothing)
{
	Arena ar(4 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);
	struct uk_alloc_stats st;

	ASSERT_NE(a, nullptr);
	long start = avail(a);
	EXPECT_EQ(uk_malloc(a, 8 << 20), nullptr);
	EXPECT_EQ(uk_malloc(a, SIZE_MAX), nullptr);
	EXPECT_EQ(uk_palloc(a, 1UL << 50), nullptr);
	EXPECT_EQ(uk_palloc(a, 0), nullptr);
	void *p = &p;
	EXPECT_EQ(uk_posix_memalign(a, &p, 24, 10), EINVAL);
	EXPECT_EQ(uk_posix_memalign(a, &p, 1UL << 40, 10), ENOMEM);
	EXPECT_EQ(avail(a), start);
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.nb_enomem, 4u);
	EXPECT_EQ(st.cur_nb_allocs, 0u);
	// Still fully usable: the largest block is there.
	void *big = uk_malloc(a, (size_t)uk_alloc_maxalloc(a));
	EXPECT_NE(big, nullptr);
	uk_free(a, big);
	EXPECT_EQ(avail(a), start);
}

// Each thread allocates and frees random sizes and alignments; at each
// checkpoint all threads stop and every live block is checked against all
// others (overlap), its alignment and its pattern.
TEST_F(UkAllocBbuddy, RandomOnFourThreadsNoOverlap)
{
	const unsigned T = 4, ROUNDS = 6, OPS = 3000, LIVE = 300;
	Arena ar(64 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a);
	std::vector<std::vector<Block>> live(T);
	std::atomic<unsigned> arrived{0}, round_go{0};
	std::atomic<size_t> bad_pattern{0}, bad_align{0}, failed{0};

	auto worker = [&](unsigned id) {
		ukplat_host_lcpu_set_idx(id + 1);
		std::mt19937 rng(id * 7919 + 1);
		auto &mine = live[id];
		for (unsigned r = 0; r < ROUNDS; r++) {
			for (unsigned i = 0; i < OPS; i++) {
				if (mine.size() >= LIVE
				    || (!mine.empty() && rng() % 2)) {
					size_t j = rng() % mine.size();
					Block b = mine[j];

					bad_pattern += damaged(b);
					uk_free(a, (void *)b.p);
					mine[j] = mine.back();
					mine.pop_back();
					continue;
				}
				size_t size = rng() % 3 ? rng() % 512
							: rng() % 40000;
				size_t al = (size_t)8 << (rng() % 10);
				void *p = nullptr;

				if (rng() % 2) {
					p = uk_malloc(a, size);
					al = 16;
				} else if (uk_posix_memalign(a, &p, al, size)) {
					p = nullptr;
				}
				if (!p) {
					failed++;
					continue;
				}
				bad_align += (uintptr_t)p % al != 0;
				Block b{(uintptr_t)p, size, al,
					tag_of((uintptr_t)p, id)};
				fill(b);
				mine.push_back(b);
			}
			arrived++;
			while (round_go.load() <= r)
				std::this_thread::yield();
		}
		for (auto &b : mine) {
			bad_pattern += damaged(b);
			uk_free(a, (void *)b.p);
		}
		mine.clear();
	};
	std::vector<std::thread> th;
	for (unsigned i = 0; i < T; i++)
		th.emplace_back(worker, i);
	size_t checked = 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		while (arrived.load() < (r + 1) * T)
			std::this_thread::yield();
		std::vector<Block> all;
		for (auto &v : live)
			all.insert(all.end(), v.begin(), v.end());
		checked += all.size();
		EXPECT_EQ(overlaps(all), 0u) << "round " << r;
		for (auto &b : all)
			EXPECT_EQ(damaged(b), 0u);
		round_go++;
	}
	for (auto &t : th)
		t.join();
	EXPECT_EQ(bad_pattern.load(), 0u);
	EXPECT_EQ(bad_align.load(), 0u);
	EXPECT_EQ(failed.load(), 0u);
	EXPECT_GT(checked, (size_t)T * ROUNDS * 50);
	EXPECT_EQ(avail(a), start);
	uk_allocbbuddy_drain(a);
	EXPECT_EQ(info(a).buddy_free, (size_t)start);
	struct uk_alloc_stats st;
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.cur_nb_allocs, 0u);
	EXPECT_EQ(st.tot_nb_allocs, st.tot_nb_frees);
	EXPECT_GT(st.tot_nb_allocs, (unsigned long)T * ROUNDS * OPS / 4);
	printf("    %u threads, %lu allocations, %zu live blocks checked\n", T,
	       st.tot_nb_allocs, checked);
}

// Thread i allocates, thread (i + 1) % T frees: every block crosses CPUs.
TEST_F(UkAllocBbuddy, CrossThreadFreesInVolume)
{
	const unsigned T = 4, N = 20000;
	Arena ar(64 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a), maxa = uk_alloc_maxalloc(a);
	std::vector<std::vector<Block>> made(T);
	std::atomic<unsigned> phase{0};
	std::atomic<size_t> bad{0}, failed{0};

	auto worker = [&](unsigned id) {
		ukplat_host_lcpu_set_idx(id + 1);
		for (unsigned round = 0; round < 3; round++) {
			for (unsigned i = 0; i < N; i++) {
				size_t size = 1 + (i * 37 + id) % 500;
				void *p = uk_malloc(a, size);

				if (!p) {
					failed++;
					continue;
				}
				Block b{(uintptr_t)p, size, 16,
					tag_of((uintptr_t)p, id + round)};
				fill(b);
				made[id].push_back(b);
			}
			phase++;
			while (phase.load() < (2 * round + 1) * T)
				std::this_thread::yield();
			auto &theirs = made[(id + 1) % T];
			for (auto &b : theirs) {
				bad += damaged(b);
				uk_free(a, (void *)b.p);
			}
			theirs.clear();
			phase++;
			while (phase.load() < (2 * round + 2) * T)
				std::this_thread::yield();
		}
	};
	std::vector<std::thread> th;
	for (unsigned i = 0; i < T; i++)
		th.emplace_back(worker, i);
	for (auto &t : th)
		t.join();
	EXPECT_EQ(bad.load(), 0u);
	EXPECT_EQ(failed.load(), 0u);
	EXPECT_EQ(avail(a), start);
	uk_allocbbuddy_drain(a);
	EXPECT_EQ(info(a).cached, 0u);
	EXPECT_EQ(uk_alloc_maxalloc(a), maxa);
	struct uk_alloc_stats st;
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.tot_nb_allocs, (unsigned long)T * N * 3);
	EXPECT_EQ(st.tot_nb_frees, (unsigned long)T * N * 3);
}

// All threads allocate mixed sizes at once until even 64 bytes fail: then
// every managed byte is in a block (nothing stranded in caches), and after
// freeing everything the memory returns exactly.
TEST_F(UkAllocBbuddy, ExhaustionOnAllThreadsThenFreeAll)
{
	const unsigned T = 4;
	Arena ar(8 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a), maxa = uk_alloc_maxalloc(a);
	std::vector<std::vector<Block>> got(T);
	std::atomic<size_t> bytes{0};

	auto worker = [&](unsigned id) {
		ukplat_host_lcpu_set_idx(id + 1);
		std::mt19937 rng(id + 17);
		size_t size = 0;
		for (;;) {
			if (!size)
				size = 1 + rng() % (rng() % 4 ? 3000 : 300000);
			void *p = uk_malloc(a, size);

			if (!p) {
				if (size == 1)
					break;
				size /= 2;	// shrink until one unit fails
				continue;
			}
			got[id].push_back({(uintptr_t)p, size, 16,
					   tag_of((uintptr_t)p, id)});
			fill(got[id].back());
			bytes += block_bytes(size, 16);
			size = 0;
		}
	};
	std::vector<std::thread> th;
	for (unsigned i = 0; i < T; i++)
		th.emplace_back(worker, i);
	for (auto &t : th)
		t.join();
	std::vector<Block> all;
	for (auto &v : got)
		all.insert(all.end(), v.begin(), v.end());
	EXPECT_EQ(overlaps(all), 0u);
	EXPECT_EQ(bytes.load(), (size_t)start);
	EXPECT_EQ(avail(a), 0);
	EXPECT_EQ(uk_alloc_maxalloc(a), 0);
	// Free everything from other threads than the allocating ones.
	th.clear();
	std::atomic<size_t> bad{0};
	for (unsigned i = 0; i < T; i++)
		th.emplace_back([&, i] {
			ukplat_host_lcpu_set_idx(i + 1);
			for (auto &b : got[(i + 2) % T]) {
				bad += damaged(b);
				uk_free(a, (void *)b.p);
			}
		});
	for (auto &t : th)
		t.join();
	EXPECT_EQ(bad.load(), 0u);
	EXPECT_EQ(avail(a), start);
	uk_allocbbuddy_drain(a);
	EXPECT_EQ(info(a).buddy_free, (size_t)start);
	EXPECT_EQ(uk_alloc_maxalloc(a), maxa);
	printf("    %zu blocks filled %ld bytes on %u threads\n", all.size(),
	       start, T);
}

// A request succeeds when the memory sits in other CPUs' caches only.
TEST_F(UkAllocBbuddy, DrainsOtherCachesBeforeFailing)
{
	Arena ar(1 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a);
	// Thread 1 takes everything in 64-byte blocks, then frees 10 of
	// them: they stay in its cache (below its drain threshold).
	std::vector<void *> v;
	std::thread([&] {
		ukplat_host_lcpu_set_idx(1);
		for (void *p; (p = uk_malloc(a, 1));)
			v.push_back(p);
		for (int i = 0; i < 10; i++) {
			uk_free(a, v.back());
			v.pop_back();
		}
	}).join();
	EXPECT_EQ(info(a).cached, 10 * 64u);
	EXPECT_EQ(info(a).buddy_free, 0u);
	EXPECT_EQ(avail(a), 10 * 64);
	// CPU 0 gets all ten (from CPU 1's cache), then nothing.
	for (int i = 0; i < 10; i++) {
		void *p = uk_malloc(a, 64);

		EXPECT_NE(p, nullptr) << i;
		v.push_back(p);
	}
	EXPECT_EQ(uk_malloc(a, 1), nullptr);
	EXPECT_EQ(avail(a), 0);
	for (void *p : v)
		uk_free(a, p);
	EXPECT_EQ(avail(a), start);
}

TEST_F(UkAllocBbuddy, AddmemAtRunTimeIsUsed)
{
	Arena ar(2 << 20), more(4 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	long start = avail(a);
	std::vector<void *> v;
	for (void *p; (p = uk_malloc(a, 4096));)
		v.push_back(p);
	EXPECT_EQ(uk_malloc(a, 4096), nullptr);
	size_t managed = info(a).managed;
	long left = avail(a);	// pieces smaller than 4 KiB
	EXPECT_EQ(uk_alloc_addmem(a, more.mem, more.size), 0);
	size_t added = info(a).managed - managed;
	EXPECT_GT(added, (size_t)(3 << 20));
	EXPECT_EQ((size_t)avail(a), (size_t)left + added);
	size_t from_new = 0;
	for (void *p; (p = uk_malloc(a, 4096));) {
		from_new += (uintptr_t)p >= (uintptr_t)more.mem
			    && (uintptr_t)p < (uintptr_t)more.mem + more.size;
		v.push_back(p);
	}
	EXPECT_EQ(from_new * 4096, added);
	EXPECT_EQ(uk_alloc_addmem(a, more.mem, 100), -EINVAL);
	// Memory it already has, its own state: refused, nothing changes.
	EXPECT_EQ(uk_alloc_addmem(a, more.mem + 4096, 1 << 20), -EINVAL);
	EXPECT_EQ(uk_alloc_addmem(a, ar.mem, 1 << 20), -EINVAL);
	EXPECT_EQ(info(a).managed, managed + added);
	for (void *p : v)
		uk_free(a, p);
	uk_allocbbuddy_drain(a);
	EXPECT_EQ((size_t)avail(a), (size_t)start + added);
}

TEST_F(UkAllocBbuddy, StatisticsExactOnFourThreads)
{
	const unsigned T = 4, N = 30000;
	Arena ar(16 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);

	ASSERT_NE(a, nullptr);
	std::vector<std::thread> th;
	for (unsigned i = 0; i < T; i++)
		th.emplace_back([&, i] {
			ukplat_host_lcpu_set_idx(i + 1);
			for (unsigned k = 0; k < N; k++) {
				void *p = uk_malloc(a, 1 + k % 300);
				void *q = uk_palloc(a, 1 + k % 3);

				uk_free(a, p);
				uk_pfree(a, q, 1 + k % 3);
			}
		});
	for (auto &t : th)
		t.join();
	struct uk_alloc_stats st;
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.tot_nb_allocs, (unsigned long)T * N);
	EXPECT_EQ(st.tot_nb_frees, (unsigned long)T * N);
	EXPECT_EQ(st.tot_nb_pallocs, (unsigned long)T * N);
	EXPECT_EQ(st.cur_nb_pallocs, 0u);
	EXPECT_EQ(st.nb_enomem, 0u);
}

// bbuddy counts its blocks itself (UK_ALLOC_F_COUNTS): the counts mean
// what the uk_*() functions count for other allocators.
TEST_F(UkAllocBbuddy, StatisticsCountBlocksNotMovesOrPages)
{
	Arena ar(4 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);
	struct uk_alloc_stats st;
	void *q = nullptr;
	int outside;

	ASSERT_NE(a, nullptr);
	bb_set_strict(a, 0);
	void *p = uk_malloc(a, 10);			// 1
	void *c = uk_calloc(a, 10, 10);			// 2
	void *m = uk_memalign(a, 4096, 10);		// 3
	ASSERT_EQ(uk_posix_memalign(a, &q, 64, 10), 0);	// 4
	p = uk_realloc(a, p, 100000);			// a move: not counted
	ASSERT_NE(p, nullptr);
	void *pg = uk_palloc(a, 3);			// pages
	EXPECT_EQ(uk_malloc(a, 8 << 20), nullptr);	// enomem
	uk_free(a, &outside);				// invalid: not counted
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.tot_nb_allocs, 4u);
	EXPECT_EQ(st.tot_nb_frees, 0u);
	EXPECT_EQ(st.tot_nb_pallocs, 1u);
	EXPECT_EQ(st.nb_enomem, 1u);
	uk_free(a, p);
	uk_free(a, c);
	uk_free(a, m);
	EXPECT_EQ(uk_realloc(a, q, 0), nullptr);	// frees q
	uk_pfree(a, pg, 3);
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.tot_nb_frees, 4u);
	EXPECT_EQ(st.cur_nb_allocs, 0u);
	EXPECT_EQ(st.cur_nb_pallocs, 0u);
}

TEST_F(UkAllocBbuddy, InvalidFreesAreReportedAndIgnored)
{
	Arena ar(4 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);
	int outside;

	ASSERT_NE(a, nullptr);
	bb_set_strict(a, 0);
	char *p = (char *)uk_malloc(a, 1000);
	char *q = (char *)uk_malloc(a, 1000);
	ASSERT_NE(p, nullptr);
	long before = avail(a);
	uk_free(a, &outside);		// foreign
	uk_free(a, p + 8);		// misaligned
	uk_free(a, p + 128);		// inside the block
	uk_free(a, ar.mem + 64);	// the metadata table
	uk_pfree(a, p, 3);		// wrong page count
	uk_free(a, ar.mem + (3 << 20));	// never handed out, table not zeroed
	EXPECT_EQ(info(a).bad_frees, 6u);
	EXPECT_EQ(avail(a), before);
	uk_free(a, p);
	uk_free(a, p);			// double free (now cached)
	EXPECT_EQ(info(a).bad_frees, 7u);
	uk_allocbbuddy_drain(a);
	uk_free(a, p);			// double free (now in the buddy)
	EXPECT_EQ(info(a).bad_frees, 8u);
	// Nothing was corrupted: q is intact, and p's block is handed out
	// exactly once again.
	memset(q, 0x11, 1000);
	std::vector<void *> v;
	for (void *r; (r = uk_malloc(a, 1000));)
		v.push_back(r);
	std::sort(v.begin(), v.end());
	EXPECT_EQ(std::adjacent_find(v.begin(), v.end()), v.end());
	EXPECT_EQ(std::count(v.begin(), v.end(), (void *)p), 1);
	for (int i = 0; i < 1000; i++)
		ASSERT_EQ(q[i], 0x11);
}

// Setting up a region writes a few pieces of its state table, not all of
// it (the table is 1/64 of the region; zeroing it was most of the boot
// time of a 128 MiB guest under TCG), and no block headers all over it
// (first touches of pages cost under a hypervisor): after creating an
// allocator over 64 MiB and one allocation, nearly all of the 1 MiB table
// and all but a few KiB of the rest are untouched.
TEST_F(UkAllocBbuddy, SetupWritesInProportionToUse)
{
	Arena ar(64 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);
	size_t table = ar.size / BB_UNIT, untouched = 0, rest = 0;

	ASSERT_NE(a, nullptr);
	long start = avail(a), maxa = uk_alloc_maxalloc(a);
	void *p = uk_malloc(a, 100);
	ASSERT_NE(p, nullptr);
	for (size_t i = 0; i < table; i++)
		untouched += (unsigned char)ar.mem[i] == 0xa5;
	EXPECT_GT(untouched, table * 9 / 10);
	for (size_t i = table; i < ar.size; i++)
		rest += (unsigned char)ar.mem[i] != 0xa5;
	EXPECT_LT(rest, (size_t)(64 << 10));
	uk_free(a, p);
	uk_allocbbuddy_drain(a);
	EXPECT_EQ(avail(a), start);
	EXPECT_EQ(uk_alloc_maxalloc(a), maxa);	// the wilderness took it back
	EXPECT_EQ(info(a).bad_frees, 0u);
}

#ifndef __SANITIZE_THREAD__
TEST_F(UkAllocBbuddy, StrictModeCrashesWithAMessage)
{
	::testing::FLAGS_gtest_death_test_style = "threadsafe";
	Arena ar(4 << 20);
	struct uk_alloc *a = uk_allocbbuddy_create(ar.mem, ar.size);
	int outside;

	ASSERT_NE(a, nullptr);
	bb_set_strict(a, 1);
	char *p = (char *)uk_malloc(a, 100);
	// The console is stdout; death tests match stderr.
	EXPECT_DEATH((dup2(2, 1), uk_free(a, &outside)),
		     "CRASH: bbuddy: free\\(.*\\): pointer not from this "
		     "allocator");
	EXPECT_DEATH((dup2(2, 1), uk_free(a, p + 8)), "misaligned");
	EXPECT_DEATH((dup2(2, 1), uk_free(a, p + 64)),
		     "misaligned: inside a block");
	uk_free(a, p);
	EXPECT_DEATH((dup2(2, 1), uk_free(a, p)), "double free");
}
#endif

} // namespace
