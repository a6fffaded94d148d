/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of uk/netbuf_pool.h: netbufs handed out with the pool's
// headroom until it is empty, memory given back by the last free, and a
// pool shared by 4 threads that take and free (the count is conserved).
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "malloc_alloc.h"

extern "C" {
#include <uk/netbuf_pool.h>
}

namespace {

TEST(NetbufPool, EmptiesAndRefills)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());
	struct uk_netbuf_pool p;
	struct uk_netbuf *pk[10];

	EXPECT_EQ(uk_netbuf_pool_init(&p, &m->a, 8, 16, 0), -EINVAL);
	ASSERT_EQ(uk_netbuf_pool_init(&p, &m->a, 8, 2048, 64), 0);
	EXPECT_EQ(m->out.load(), 9);	// 8 blocks and the stack
	EXPECT_EQ(uk_netbuf_pool_alloc_rxpkts(&p, pk, 5), 5);
	EXPECT_EQ(uk_netbuf_pool_alloc_rxpkts(&p, pk + 5, 5), 3);
	EXPECT_EQ(uk_netbuf_pool_free_count(&p), 0u);
	EXPECT_EQ(uk_netbuf_pool_get(&p), nullptr);
	for (int i = 0; i < 8; i++) {
		EXPECT_EQ(uk_netbuf_headroom(pk[i]), 64u);
		EXPECT_EQ(pk[i]->len, 0);
		EXPECT_GE((uintptr_t)pk[i]->buf + pk[i]->buflen,
			  (uintptr_t)pk[i]->data);
		memset(pk[i]->buf, 0x77, pk[i]->buflen);	// ASan: ours
	}
	uk_netbuf_ref(pk[0]);
	for (int i = 0; i < 8; i++)
		uk_netbuf_free(pk[i]);
	EXPECT_EQ(uk_netbuf_pool_free_count(&p), 7u);	// pk[0] still held
	EXPECT_EQ(uk_netbuf_pool_destroy(&p, &m->a), -EBUSY);
	uk_netbuf_free(pk[0]);
	EXPECT_EQ(uk_netbuf_pool_free_count(&p), 8u);
	EXPECT_EQ(m->out.load(), 9);	// nothing went to the allocator
	EXPECT_EQ(uk_netbuf_pool_destroy(&p, &m->a), 0);
	EXPECT_EQ(m->out.load(), 0);
}

TEST(NetbufPool, FourThreadsConserveTheCount)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());
	struct uk_netbuf_pool p;
	std::atomic<long> taken{0};
	std::vector<std::thread> th;

	ASSERT_EQ(uk_netbuf_pool_init(&p, &m->a, 64, 512, 16), 0);
	for (int t = 0; t < 4; t++)
		th.emplace_back([&] {
			for (int r = 0; r < 20000; r++) {
				struct uk_netbuf *nb = uk_netbuf_pool_get(&p);

				if (!nb)
					continue;
				taken++;
				((unsigned char *)nb->data)[0] = (unsigned char)r;
				uk_netbuf_free(nb);
			}
		});
	for (auto &x : th)
		x.join();
	EXPECT_GT(taken.load(), 0);
	EXPECT_EQ(uk_netbuf_pool_free_count(&p), 64u);
	EXPECT_EQ(uk_netbuf_pool_destroy(&p, &m->a), 0);
	EXPECT_EQ(m->out.load(), 0);
}

} // namespace
