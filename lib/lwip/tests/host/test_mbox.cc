/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of lib/lwip's mailboxes (mbox.c, the ring under sys_mbox_*),
// unchanged, on support/host/sched.c: pthreads play CPUs. A message
// posted is fetched exactly once (sums and counts conserved) by many
// producers and consumers on a small ring, in order per producer; a
// deadline expires with nothing taken or posted; a waiter is always woken
// by the post or fetch that frees it (no lost wake-up: rounds of
// ping-pong that would hang otherwise).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

extern "C" {
#include <uk/lwip_mbox.h>
#include <uk/plat/time.h>
}

namespace {

struct Box {
	struct uk_lwip_mbox mb;
	void *slot[8];
	explicit Box(unsigned int n = 8) { uk_lwip_mbox_init(&mb, slot, n); }
};

__nsec in_ms(unsigned int ms)
{
	return ukplat_monotonic_clock() + (__nsec)ms * 1000000ULL;
}

TEST(LwipMbox, FifoAndCount)
{
	Box b(4);
	void *m;

	for (uintptr_t i = 1; i <= 4; i++)
		ASSERT_EQ(uk_lwip_mbox_post(&b.mb, (void *)i, 1), 0);
	EXPECT_EQ(uk_lwip_mbox_count(&b.mb), 4u);
	EXPECT_EQ(uk_lwip_mbox_post(&b.mb, (void *)5, 1), -ETIMEDOUT);
	for (uintptr_t i = 1; i <= 4; i++) {
		ASSERT_EQ(uk_lwip_mbox_fetch(&b.mb, &m, 1), 0);
		EXPECT_EQ((uintptr_t)m, i);
	}
	EXPECT_EQ(uk_lwip_mbox_fetch(&b.mb, &m, 1), -ETIMEDOUT);
}

TEST(LwipMbox, DeadlinesExpire)
{
	Box b(1);
	void *m = (void *)0x1234;
	__nsec t0 = ukplat_monotonic_clock();

	EXPECT_EQ(uk_lwip_mbox_fetch(&b.mb, &m, in_ms(50)), -ETIMEDOUT);
	EXPECT_GE(ukplat_monotonic_clock() - t0, 50ULL * 1000000ULL);
	EXPECT_EQ(m, (void *)0x1234);
	ASSERT_EQ(uk_lwip_mbox_post(&b.mb, (void *)1, 0), 0);
	t0 = ukplat_monotonic_clock();
	EXPECT_EQ(uk_lwip_mbox_post(&b.mb, (void *)2, in_ms(50)),
		  -ETIMEDOUT);
	EXPECT_GE(ukplat_monotonic_clock() - t0, 50ULL * 1000000ULL);
	EXPECT_EQ(uk_lwip_mbox_count(&b.mb), 1u);
}

// 4 producers x 4000 messages through an 8-slot ring to 4 consumers, some
// fetching with short deadlines (timeouts happen and must not lose a
// message): every message fetched once, each producer's in order.
TEST(LwipMbox, ManyProducersConsumers)
{
	constexpr int P = 4, C = 4, N = 4000;
	Box b(8);
	std::atomic<uint64_t> sum{0}, got{0}, timeouts{0};
	std::vector<std::thread> th;
	std::vector<std::vector<uint32_t>> last(C, std::vector<uint32_t>(P, 0));
	std::atomic<int> order_bad{0};

	for (int c = 0; c < C; c++)
		th.emplace_back([&, c] {
			void *m;

			while (got.load() < (uint64_t)P * N) {
				__nsec d = c % 2 ? in_ms(1) : in_ms(20);

				if (uk_lwip_mbox_fetch(&b.mb, &m, d)) {
					timeouts++;
					continue;
				}
				uintptr_t v = (uintptr_t)m;
				uint32_t p = v >> 24, seq = v & 0xffffff;

				if (seq <= last[c][p])
					order_bad++;
				last[c][p] = seq;
				sum += v;
				got++;
			}
		});
	for (int p = 0; p < P; p++)
		th.emplace_back([&, p] {
			for (uintptr_t i = 1; i <= N; i++)
				ASSERT_EQ(uk_lwip_mbox_post(
					&b.mb, (void *)(((uintptr_t)p << 24) | i),
					0), 0);
		});
	for (auto &t : th)
		t.join();
	uint64_t want = 0;
	for (uint64_t p = 0; p < P; p++)
		want += (p << 24) * N + (uint64_t)N * (N + 1) / 2;
	EXPECT_EQ(got.load(), (uint64_t)P * N);
	EXPECT_EQ(sum.load(), want);
	EXPECT_EQ(order_bad.load(), 0);
	EXPECT_EQ(uk_lwip_mbox_count(&b.mb), 0u);
	printf("mbox: %d x %d messages, %d consumers, %lu fetch timeouts\n",
	       P, N, C, (unsigned long)timeouts.load());
}

// Ping-pong through two 1-slot mailboxes, 4000 rounds, no deadlines: a
// lost wake-up leaves both threads asleep and the test never ends.
TEST(LwipMbox, NoLostWakeup)
{
	constexpr int R = 4000;
	Box a(1), b(1);
	std::thread peer([&] {
		void *m;

		for (int i = 0; i < R; i++) {
			ASSERT_EQ(uk_lwip_mbox_fetch(&a.mb, &m, 0), 0);
			ASSERT_EQ(uk_lwip_mbox_post(&b.mb, m, 0), 0);
		}
	});
	void *m;

	for (uintptr_t i = 1; i <= R; i++) {
		ASSERT_EQ(uk_lwip_mbox_post(&a.mb, (void *)i, 0), 0);
		ASSERT_EQ(uk_lwip_mbox_fetch(&b.mb, &m, 0), 0);
		ASSERT_EQ((uintptr_t)m, i);
	}
	peer.join();
}

} // namespace
