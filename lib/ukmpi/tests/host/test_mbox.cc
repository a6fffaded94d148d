/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of the mailbox (mbox.c, unchanged, on uklock's semaphore and
// support/host/sched.c): 4 producers and 4 consumers (every message
// received exactly once, each producer's messages in order at every
// consumer), the _try forms, timeouts on time, a full mailbox blocking its
// poster until a receive makes room.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "common.h"

extern "C" {
#include <errno.h>
#include <uk/mbox.h>
#include <uk/plat/time.h>
}

namespace {

const __nsec kTimeout = 20000000;	// 20 ms
const __nsec kLate = 500000000;		// a loaded host wakes us late

TEST(UkMbox, FourProducersFourConsumers)
{
	const unsigned int np = 4, nc = 4, per = 20000;
	struct uk_mbox *m = uk_mbox_create(ukmpi_host::heap(), 8);
	std::vector<std::atomic<unsigned int>> seen(np * per);
	std::atomic<unsigned long> disorder{0};

	ASSERT_NE(m, nullptr);
	ukmpi_host::run_cpus(np + nc, [&](unsigned int i) {
		if (i < np) {
			for (unsigned int k = 0; k < per; k++)
				uk_mbox_post(m, (void *)(uintptr_t)
					     (i * per + k + 1));
			return;
		}
		std::vector<long> last(np, -1);
		for (unsigned int k = 0; k < np * per / nc; k++) {
			void *msg;

			uk_mbox_recv(m, &msg);
			uintptr_t v = (uintptr_t)msg - 1;
			ASSERT_LT(v, (uintptr_t)np * per);
			seen[v]++;
			if ((long)(v % per) <= last[v / per])
				disorder++;
			last[v / per] = (long)(v % per);
		}
	});
	unsigned int once = 0;
	for (auto &s : seen)
		once += s.load() == 1;
	EXPECT_EQ(once, np * per);
	EXPECT_EQ(disorder.load(), 0ul);
	void *msg;
	EXPECT_EQ(uk_mbox_recv_try(m, &msg), -ENOMSG);
	uk_mbox_free(ukmpi_host::heap(), m);
}

TEST(UkMbox, TryFormsAndTimeouts)
{
	struct uk_mbox *m = uk_mbox_create(ukmpi_host::heap(), 2);
	void *msg = (void *)1;

	ASSERT_NE(m, nullptr);
	EXPECT_EQ(uk_mbox_create(ukmpi_host::heap(), 0), nullptr);
	EXPECT_EQ(uk_mbox_recv_try(m, &msg), -ENOMSG);
	__nsec t0 = ukplat_monotonic_clock();
	EXPECT_EQ(uk_mbox_recv_to(m, &msg, kTimeout), __NSEC_MAX);
	__nsec t = ukplat_monotonic_clock() - t0;
	EXPECT_EQ(msg, nullptr);
	EXPECT_GE(t, kTimeout);
	EXPECT_LE(t, kTimeout + kLate);
	EXPECT_EQ(uk_mbox_post_try(m, (void *)11), 0);
	EXPECT_EQ(uk_mbox_post_try(m, (void *)12), 0);
	EXPECT_EQ(uk_mbox_post_try(m, (void *)13), -ENOBUFS);
	t0 = ukplat_monotonic_clock();
	EXPECT_EQ(uk_mbox_post_to(m, (void *)13, kTimeout), __NSEC_MAX);
	t = ukplat_monotonic_clock() - t0;
	EXPECT_GE(t, kTimeout);
	EXPECT_LE(t, kTimeout + kLate);
	EXPECT_LT(uk_mbox_recv_to(m, &msg, kTimeout), kTimeout);
	EXPECT_EQ(msg, (void *)11);
	EXPECT_EQ(uk_mbox_recv_try(m, &msg), 0);
	EXPECT_EQ(msg, (void *)12);
	uk_mbox_free(ukmpi_host::heap(), m);
}

TEST(UkMbox, FullMailboxBlocksThePoster)
{
	struct uk_mbox *m = uk_mbox_create(ukmpi_host::heap(), 2);
	std::atomic<int> posted{0};
	void *msg = nullptr;

	ASSERT_NE(m, nullptr);
	uk_mbox_post(m, (void *)1);
	uk_mbox_post(m, (void *)2);
	std::thread poster([&] {
		uk_mbox_post(m, (void *)3);
		posted = 1;
	});
	std::this_thread::sleep_for(std::chrono::milliseconds(20));
	EXPECT_EQ(posted.load(), 0);
	uk_mbox_recv(m, &msg);
	EXPECT_EQ(msg, (void *)1);
	poster.join();		// returns only if the post went through
	EXPECT_EQ(posted.load(), 1);
	uk_mbox_recv(m, &msg);
	EXPECT_EQ(msg, (void *)2);
	uk_mbox_recv(m, &msg);
	EXPECT_EQ(msg, (void *)3);
	uk_mbox_free(ukmpi_host::heap(), m);
}

} // namespace
