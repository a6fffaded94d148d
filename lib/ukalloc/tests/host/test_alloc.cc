/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of ukalloc: the malloc family that uk_alloc_init_palloc()
// derives from page operations (sizes, alignment, realloc, calloc overflow,
// memory returned), argument checks of the uk_*() functions, the registry
// and its default, and statistics that stay exact on 4 threads.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

extern "C" {
#include <uk/alloc_impl.h>
}

namespace {

// A page allocator on glibc that counts the pages it has out.
struct PageAlloc {
	struct uk_alloc a;	// first
	std::atomic<long> pages_out{0};
	long limit_pages = 1 << 16;
};

void *pa_palloc(struct uk_alloc *a, unsigned long n)
{
	PageAlloc *pa = (PageAlloc *)a;

	if ((long)n > pa->limit_pages - pa->pages_out.load())
		return nullptr;
	void *p = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);
	if (p)
		pa->pages_out += (long)n;
	return p;
}

void pa_pfree(struct uk_alloc *a, void *p, unsigned long n)
{
	((PageAlloc *)a)->pages_out -= (long)n;
	free(p);
}

long pa_avail(struct uk_alloc *a)
{
	PageAlloc *pa = (PageAlloc *)a;

	return (pa->limit_pages - pa->pages_out.load()) * (long)PAGE_SIZE;
}

PageAlloc *make_pa()
{
	PageAlloc *pa = new PageAlloc;

	EXPECT_EQ(uk_alloc_init_palloc(&pa->a, "test-pages", pa_palloc,
				       pa_pfree, pa_avail, pa_avail, nullptr),
		  0);
	return pa;
}

TEST(UkAlloc, IfpagesSizesAlignmentRealloc)
{
	static PageAlloc *pa = make_pa();	// registered: never freed
	struct uk_alloc *a = &pa->a;
	std::vector<std::pair<void *, size_t>> v;

	for (size_t size = 0; size < 100000; size = size * 2 + 1) {
		void *p = uk_malloc(a, size);

		ASSERT_NE(p, nullptr);
		EXPECT_EQ((uintptr_t)p % 16, 0u);
		memset(p, 0xab, size);
		v.push_back({p, size});
	}
	for (size_t al = 8; al <= 65536; al <<= 1) {
		void *p = nullptr;

		ASSERT_EQ(uk_posix_memalign(a, &p, al, 5000), 0);
		EXPECT_EQ((uintptr_t)p % al, 0u);
		memset(p, 0xcd, 5000);
		v.push_back({p, 5000});
		p = uk_memalign(a, al, 10);
		ASSERT_NE(p, nullptr);
		EXPECT_EQ((uintptr_t)p % al, 0u);
		v.push_back({p, 10});
	}
	unsigned char *r = (unsigned char *)uk_malloc(a, 10);
	for (int i = 0; i < 10; i++)
		r[i] = (unsigned char)i;
	r = (unsigned char *)uk_realloc(a, r, 20000);
	ASSERT_NE(r, nullptr);
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(r[i], i);
	memset(r, 1, 20000);
	EXPECT_EQ(uk_realloc(a, r, 0), nullptr);
	for (auto &e : v)
		uk_free(a, e.first);
	EXPECT_EQ(pa->pages_out.load(), 0);
	EXPECT_EQ(uk_alloc_availmem(a), pa->limit_pages * (long)PAGE_SIZE);
	EXPECT_EQ(uk_alloc_addmem(a, nullptr, 0), -ENOTSUP);
}

TEST(UkAlloc, BadArgumentsAndOutOfMemory)
{
	static PageAlloc *pa = make_pa();
	struct uk_alloc *a = &pa->a;
	void *p = nullptr;
	struct uk_alloc_stats st;

	EXPECT_EQ(uk_malloc(nullptr, 10), nullptr);
	EXPECT_EQ(uk_alloc_availmem(nullptr), -EINVAL);
	EXPECT_EQ(uk_posix_memalign(a, &p, 24, 10), EINVAL);
	EXPECT_EQ(uk_posix_memalign(a, &p, 4, 10), EINVAL);
	EXPECT_EQ(uk_memalign(a, 3, 10), nullptr);
	EXPECT_EQ(uk_calloc(a, SIZE_MAX / 2, 3), nullptr);
	EXPECT_EQ(uk_malloc(a, SIZE_MAX - 10), nullptr);
	EXPECT_EQ(uk_malloc(a, (size_t)(pa->limit_pages + 1) * PAGE_SIZE),
		  nullptr);
	uk_free(a, nullptr);
	EXPECT_EQ(uk_alloc_stats_get(a, &st), 0);
	EXPECT_EQ(st.nb_enomem, 3u);
	EXPECT_EQ(st.tot_nb_allocs, 0u);
	EXPECT_EQ(st.tot_nb_frees, 0u);
	EXPECT_EQ(pa->pages_out.load(), 0);
}

TEST(UkAlloc, RegistryAndDefault)
{
	static PageAlloc *pa = make_pa();
	struct uk_alloc *it, *def = uk_alloc_get_default();
	int found = 0;

	ASSERT_NE(def, nullptr);	// the first registered one
	uk_alloc_foreach(it)
		found += it == &pa->a;
	EXPECT_EQ(found, 1);
	uk_alloc_set_default(&pa->a);
	EXPECT_EQ(uk_alloc_get_default(), &pa->a);
	uk_alloc_set_default(def);
	struct uk_alloc incomplete;
	memset(&incomplete, 0, sizeof(incomplete));
	EXPECT_EQ(uk_alloc_register(&incomplete), -EINVAL);
}

TEST(UkAlloc, StatisticsExactOnFourThreads)
{
	static PageAlloc *pa = make_pa();
	struct uk_alloc *a = &pa->a;
	const unsigned T = 4, N = 5000;
	struct uk_alloc_stats st;

	ukplat_host_lcpu_reset();
	std::vector<std::thread> th;
	for (unsigned i = 0; i < T; i++)
		th.emplace_back([&, i] {
			ukplat_host_lcpu_set_idx(i);
			for (unsigned k = 0; k < N; k++) {
				void *p = uk_malloc(a, 1 + k % 5000);
				void *q = uk_palloc(a, 1);

				uk_pfree(a, q, 1);
				uk_free(a, p);
			}
		});
	for (auto &t : th)
		t.join();
	ukplat_host_lcpu_reset();
	uk_alloc_stats_get(a, &st);
	EXPECT_EQ(st.tot_nb_allocs, (unsigned long)T * N);
	EXPECT_EQ(st.tot_nb_frees, (unsigned long)T * N);
	EXPECT_EQ(st.cur_nb_allocs, 0u);
	EXPECT_EQ(st.tot_nb_pallocs, (unsigned long)T * N);
	EXPECT_EQ(st.tot_nb_pfrees, (unsigned long)T * N);
	EXPECT_EQ(pa->pages_out.load(), 0);
}

// An allocator with UK_ALLOC_F_NOSTATS: the uk_*() functions count nothing
// for it (not a block, a page nor a failure), and uk_alloc_stats_get() says
// so with -ENOTSUP and zeroes rather than returning counts.
TEST(UkAlloc, NoStatisticsSaysSo)
{
	static PageAlloc *pa = make_pa();
	struct uk_alloc *a = &pa->a;
	struct uk_alloc_stats st;
	unsigned int i;
	void *p, *q;

	a->flags |= UK_ALLOC_F_NOSTATS;
	p = uk_malloc(a, 100);
	q = uk_palloc(a, 2);
	ASSERT_NE(p, nullptr);
	ASSERT_NE(q, nullptr);
	EXPECT_EQ(uk_malloc(a, SIZE_MAX - 10), nullptr);
	uk_pfree(a, q, 2);
	uk_free(a, p);
	memset(&st, 0xff, sizeof(st));
	EXPECT_EQ(uk_alloc_stats_get(a, &st), -ENOTSUP);
	EXPECT_EQ(st.tot_nb_allocs, 0u);
	EXPECT_EQ(st.nb_enomem, 0u);
	EXPECT_EQ(st.tot_nb_pallocs, 0u);
	// Nothing was counted behind the flag's back either.
	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++) {
		EXPECT_EQ(a->_stats[i].nb_allocs, 0u);
		EXPECT_EQ(a->_stats[i].nb_frees, 0u);
		EXPECT_EQ(a->_stats[i].nb_pallocs, 0u);
		EXPECT_EQ(a->_stats[i].nb_pfrees, 0u);
		EXPECT_EQ(a->_stats[i].nb_enomem, 0u);
	}
	EXPECT_EQ(uk_alloc_stats_get(nullptr, &st), -EINVAL);
	EXPECT_EQ(pa->pages_out.load(), 0);
}

} // namespace
