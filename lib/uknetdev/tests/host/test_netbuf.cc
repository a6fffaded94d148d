/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of uk/netbuf.h: the one-block layout of uk_netbuf_alloc_buf()
// (alignment, headroom, private area), the payload window moved by
// uk_netbuf_header(), prepare_buf in caller memory, chains, and reference
// counts dropped from 4 threads (destroyed exactly once, memory returned).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "malloc_alloc.h"

extern "C" {
#include <uk/netbuf.h>
}

namespace {

std::atomic<int> dtor_calls{0};

void count_dtor(struct uk_netbuf *)
{
	dtor_calls++;
}

TEST(Netbuf, AllocBufLayout)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());

	for (size_t align : {0, 1, 8, 64, 4096}) {
		struct uk_netbuf *nb = uk_netbuf_alloc_buf(&m->a, 1526, align,
							   64, 24, nullptr);

		ASSERT_NE(nb, nullptr);
		if (align)
			EXPECT_EQ((uintptr_t)nb->buf % align, 0u);
		EXPECT_EQ(nb->buflen, 1526u);
		EXPECT_EQ(uk_netbuf_headroom(nb), 64u);
		EXPECT_EQ(uk_netbuf_tailroom(nb), 1526u - 64);
		EXPECT_EQ(nb->len, 0);
		EXPECT_EQ(uk_netbuf_refcount_single_get(nb), 1u);
		ASSERT_NE(nb->priv, nullptr);
		// The private area lies between the struct and the buffer.
		EXPECT_GE((uintptr_t)nb->priv, (uintptr_t)(nb + 1));
		EXPECT_LE((uintptr_t)nb->priv + 24, (uintptr_t)nb->buf);
		memset(nb->buf, 0x5a, nb->buflen);	// ASan: all ours
		memset(nb->priv, 0xa5, 24);
		uk_netbuf_free(nb);
	}
	EXPECT_EQ(uk_netbuf_alloc_buf(&m->a, 10, 0, 11, 0, nullptr), nullptr);
	EXPECT_EQ(uk_netbuf_alloc_buf(&m->a, 10, 3, 0, 0, nullptr), nullptr);
	struct uk_netbuf *nopriv = uk_netbuf_alloc_buf(&m->a, 100, 0, 0, 0,
						       nullptr);
	ASSERT_NE(nopriv, nullptr);
	EXPECT_EQ(nopriv->priv, nullptr);
	uk_netbuf_free(nopriv);
	EXPECT_EQ(m->out.load(), 0);
}

TEST(Netbuf, HeaderMovesTheWindow)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());
	struct uk_netbuf *nb = uk_netbuf_alloc_buf(&m->a, 256, 0, 32, 0,
						   nullptr);

	ASSERT_NE(nb, nullptr);
	nb->len = 100;
	EXPECT_EQ(uk_netbuf_header(nb, 12), 1);
	EXPECT_EQ(uk_netbuf_headroom(nb), 20u);
	EXPECT_EQ(nb->len, 112);
	EXPECT_EQ(uk_netbuf_header(nb, 21), -ENOSPC);	// headroom is 20
	EXPECT_EQ(uk_netbuf_header(nb, 20), 1);
	EXPECT_EQ(uk_netbuf_headroom(nb), 0u);
	EXPECT_EQ(uk_netbuf_header(nb, -133), -ENOSPC);	// len is 132
	EXPECT_EQ(uk_netbuf_header(nb, -32), 1);
	EXPECT_EQ(nb->len, 100);
	EXPECT_EQ(uk_netbuf_tailroom(nb), 256u - 32 - 100);

	// A partial checksum's start follows the data ...
	nb->flags = UK_NETBUF_F_PARTIAL_CSUM;
	nb->csum_start = 14;
	EXPECT_EQ(uk_netbuf_header(nb, 10), 1);
	EXPECT_EQ(nb->csum_start, 24);
	EXPECT_EQ(uk_netbuf_header(nb, -10), 1);
	EXPECT_EQ(nb->csum_start, 14);
	// ... and is dropped with the bytes it pointed into.
	EXPECT_EQ(uk_netbuf_header(nb, -15), 1);
	EXPECT_FALSE(nb->flags & UK_NETBUF_F_PARTIAL_CSUM);
	uk_netbuf_free(nb);
	EXPECT_EQ(m->out.load(), 0);
}

TEST(Netbuf, PrepareBufInCallerMemory)
{
	alignas(16) static unsigned char mem[512];
	struct uk_netbuf *nb;

	dtor_calls = 0;
	EXPECT_EQ(uk_netbuf_prepare_buf(mem, sizeof(struct uk_netbuf) - 1, 0,
					0, nullptr), nullptr);
	EXPECT_EQ(uk_netbuf_prepare_buf(mem, 200, 200, 0, nullptr), nullptr);
	nb = uk_netbuf_prepare_buf(mem, sizeof(mem), 16, 8, count_dtor);
	ASSERT_NE(nb, nullptr);
	EXPECT_EQ((void *)nb, (void *)mem);
	EXPECT_EQ((uintptr_t)nb->buf + nb->buflen, (uintptr_t)mem + sizeof(mem));
	EXPECT_EQ(uk_netbuf_headroom(nb), 16u);
	uk_netbuf_free(nb);
	EXPECT_EQ(dtor_calls.load(), 1);	// and nothing freed: not ours
}

TEST(Netbuf, ChainsConnectAppendDisconnect)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());
	struct uk_netbuf *b[4];

	dtor_calls = 0;
	for (auto &x : b) {
		x = uk_netbuf_alloc_buf(&m->a, 64, 0, 0, 0, count_dtor);
		ASSERT_NE(x, nullptr);
	}
	uk_netbuf_connect(b[0], b[1]);
	uk_netbuf_connect(b[2], b[3]);
	uk_netbuf_append(b[0], b[2]);
	EXPECT_EQ(uk_netbuf_chain_last(b[0]), b[3]);
	EXPECT_EQ(uk_netbuf_chain_first(b[3]), b[0]);
	int n = 0;
	struct uk_netbuf *it;
	UK_NETBUF_CHAIN_FOREACH(it, b[0])
		EXPECT_EQ(it, b[n++]);
	EXPECT_EQ(n, 4);
	// Out of the middle: the rest is what followed.
	EXPECT_EQ(uk_netbuf_disconnect(b[1]), b[2]);
	EXPECT_EQ(b[0]->next, b[2]);
	EXPECT_EQ(b[2]->prev, b[0]);
	EXPECT_EQ(b[1]->next, nullptr);
	EXPECT_EQ(b[1]->prev, nullptr);
	// The last: the rest is what preceded it.
	EXPECT_EQ(uk_netbuf_disconnect(b[3]), b[2]);
	EXPECT_EQ(uk_netbuf_disconnect(b[1]), nullptr);	// alone
	uk_netbuf_append(b[0], b[3]);
	uk_netbuf_free(b[1]);
	uk_netbuf_free(b[0]);		// b[0], b[2], b[3]
	EXPECT_EQ(dtor_calls.load(), 4);
	EXPECT_EQ(m->out.load(), 0);
}

TEST(Netbuf, IndirWithDtorOwningTheBuffer)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());
	static unsigned char ext[300];

	dtor_calls = 0;
	struct uk_netbuf *nb = uk_netbuf_alloc_indir(&m->a, ext, sizeof(ext),
						     40, 16, count_dtor);
	ASSERT_NE(nb, nullptr);
	EXPECT_EQ(nb->buf, (void *)ext);
	EXPECT_EQ(nb->data, (void *)(ext + 40));
	ASSERT_NE(nb->priv, nullptr);
	memset(nb->priv, 1, 16);
	EXPECT_EQ(m->out.load(), 1);
	uk_netbuf_free(nb);
	EXPECT_EQ(dtor_calls.load(), 1);
	EXPECT_EQ(m->out.load(), 0);
	EXPECT_EQ(uk_netbuf_alloc_indir(&m->a, ext, 10, 11, 0, nullptr),
		  nullptr);
}

// 4 threads take and drop references to the same 64 netbufs; each is
// destroyed once, by whichever drop was last, and all memory comes back.
TEST(Netbuf, RefcountFromFourThreads)
{
	std::unique_ptr<MallocAlloc> m(malloc_alloc_new());
	const int NB = 64, ROUNDS = 2000, T = 4;
	std::vector<struct uk_netbuf *> v;

	dtor_calls = 0;
	for (int i = 0; i < NB; i++) {
		v.push_back(uk_netbuf_alloc_buf(&m->a, 128, 0, 0, 0,
						count_dtor));
		ASSERT_NE(v.back(), nullptr);
		for (int t = 0; t < T; t++)
			uk_netbuf_ref(v.back());	// one per thread
	}
	std::vector<std::thread> th;
	for (int t = 0; t < T; t++)
		th.emplace_back([&, t] {
			for (int r = 0; r < ROUNDS; r++) {
				struct uk_netbuf *nb = v[(r + t) % NB];

				uk_netbuf_ref_single(nb);
				((unsigned char *)nb->buf)[t] = (unsigned char)r;
				uk_netbuf_free_single(nb);
			}
			for (int i = 0; i < NB; i++)
				uk_netbuf_free_single(v[i]);
		});
	for (auto &x : th)
		x.join();
	EXPECT_EQ(dtor_calls.load(), 0);	// the creator's reference
	for (int i = 0; i < NB; i++) {
		EXPECT_EQ(uk_netbuf_refcount_single_get(v[i]), 1u);
		uk_netbuf_free(v[i]);
	}
	EXPECT_EQ(dtor_calls.load(), NB);
	EXPECT_EQ(m->out.load(), 0);
}

} // namespace
