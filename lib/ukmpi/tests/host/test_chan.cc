/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of the per-CPU-pair channels (chan.c, unchanged): pthreads
// play CPUs. The argument checks and the ring's bounds, every ordered pair
// ping-ponging, all pairs at once with FIFO order, checksums and exact
// totals, and the wake-up race (100,000 rounds) under a watchdog.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <vector>

#include "common.h"

extern "C" {
#include <errno.h>
#include "../tmsg.h"
#include "../race.h"
}

using ukmpi_host::Channels;
using ukmpi_host::run_cpus;

namespace {

TEST(UkChan, SetupChecksArguments)
{
	EXPECT_EQ(uk_chan_setup(ukmpi_host::heap(), 0), -EINVAL);
	EXPECT_EQ(uk_chan_setup(ukmpi_host::heap(),
				CONFIG_UKPLAT_LCPU_MAXCOUNT + 1), -EINVAL);
	EXPECT_EQ(uk_chan_cpus(), 0u);
	Channels c(3);
	ASSERT_TRUE(c.ok);
	EXPECT_EQ(uk_chan_cpus(), 3u);
	EXPECT_EQ(uk_chan_setup(ukmpi_host::heap(), 3), -EBUSY);
}

// One thread, CPU 0, sending to CPU 1 whose thread never runs.
TEST(UkChan, RingBoundsAndErrors)
{
	Channels c(2);
	unsigned char buf[UK_CHAN_MSG_MAX + 1] = { 0 };
	unsigned int i;

	ASSERT_TRUE(c.ok);
	run_cpus(1, [&](unsigned int) {
		EXPECT_EQ(uk_chan_send_try(0, buf, 1), -EINVAL);  // self
		EXPECT_EQ(uk_chan_send_try(2, buf, 1), -EINVAL);  // no CPU
		EXPECT_EQ(uk_chan_send_try(1, buf, UK_CHAN_MSG_MAX + 1),
			  -EMSGSIZE);
		EXPECT_EQ(uk_chan_recv_try(1, buf, sizeof(buf)), -EAGAIN);
		EXPECT_EQ(uk_chan_recv_any_try(NULL, buf, sizeof(buf)),
			  -EAGAIN);
		for (i = 0; i < UK_CHAN_SLOTS; i++) {
			buf[0] = (unsigned char)i;
			EXPECT_EQ(uk_chan_send_try(1, buf, i % 2 ?
				  UK_CHAN_MSG_MAX : 0), 0);
		}
		EXPECT_EQ(uk_chan_send_try(1, buf, 1), -EAGAIN);
	});
	// CPU 1 takes them in order; a small buffer leaves one queued.
	run_cpus(2, [&](unsigned int cpu) {
		unsigned char in[UK_CHAN_MSG_MAX];
		unsigned int from = 9;

		if (cpu != 1)
			return;
		for (i = 0; i < UK_CHAN_SLOTS; i++) {
			int want = i % 2 ? UK_CHAN_MSG_MAX : 0;

			if (i % 2)
				EXPECT_EQ(uk_chan_recv_any_try(&from, in, 8),
					  -EMSGSIZE);
			EXPECT_EQ(uk_chan_recv_any_try(&from, in, sizeof(in)),
				  want);
			EXPECT_EQ(from, 0u);
			if (want)
				EXPECT_EQ(in[0], (unsigned char)i);
		}
		EXPECT_EQ(uk_chan_recv_try(0, in, sizeof(in)), -EAGAIN);
	});
	struct uk_chan_stats st;

	uk_chan_stats_get(0, &st);
	EXPECT_EQ(st.sent, (unsigned long)UK_CHAN_SLOTS);
	uk_chan_stats_get(1, &st);
	EXPECT_EQ(st.received, (unsigned long)UK_CHAN_SLOTS);
}

// Every ordered pair (a, b) in turn: a sends K messages, b echoes each.
TEST(UkChan, PingPongEveryOrderedPair)
{
	const unsigned int n = 4, k = 200;
	Channels c(n);
	std::atomic<unsigned long> echoed{0};

	ASSERT_TRUE(c.ok);
	run_cpus(n, [&](unsigned int cpu) {
		unsigned char buf[UK_CHAN_MSG_MAX];

		for (unsigned int a = 0; a < n; a++)
			for (unsigned int b = 0; b < n; b++) {
				if (a == b || (cpu != a && cpu != b))
					continue;
				for (unsigned int i = 0; i < k; i++) {
					int rc;

					if (cpu == a) {
						ASSERT_EQ(uk_chan_send(b, buf,
							tmsg_fill(buf, a, b, i)), 0);
						rc = uk_chan_recv(b, buf,
								  sizeof(buf));
						ASSERT_EQ(tmsg_check(buf, rc, b, a,
								     i), 0);
						echoed++;
					} else {
						rc = uk_chan_recv(a, buf,
								  sizeof(buf));
						ASSERT_EQ(tmsg_check(buf, rc, a, b,
								     i), 0);
						ASSERT_EQ(uk_chan_send(a, buf,
							tmsg_fill(buf, b, a, i)), 0);
					}
				}
			}
	});
	EXPECT_EQ(echoed.load(), (unsigned long)n * (n - 1) * k);
}

// All pairs at once, non-blocking both ways (a full ring makes a CPU
// receive instead): per-sender FIFO order, intact messages, exact totals.
void all_to_all(unsigned int n, unsigned int k)
{
	Channels c(n);
	std::vector<unsigned long> got(n * n, 0);
	std::atomic<unsigned long> total{0};

	ASSERT_TRUE(c.ok);
	run_cpus(n, [&](unsigned int cpu) {
		unsigned char buf[UK_CHAN_MSG_MAX];
		std::vector<unsigned long> next(n, 0);
		unsigned long sent = 0, rcvd = 0, want = (unsigned long)k * (n - 1);
		unsigned int to = (cpu + 1) % n, from;

		while (sent < want || rcvd < want) {
			bool moved = false;

			if (sent < want) {
				if (to == cpu)
					to = (to + 1) % n;
				unsigned long seq = next[to];
				if (seq < k && uk_chan_send_try(to, buf,
				    tmsg_fill(buf, cpu, to, seq)) == 0) {
					next[to]++;
					sent++;
					moved = true;
				}
				to = (to + 1) % n;
			}
			int rc = uk_chan_recv_any_try(&from, buf, sizeof(buf));
			if (rc != -EAGAIN) {
				ASSERT_LT(from, n);
				ASSERT_EQ(tmsg_check(buf, rc, from, cpu,
						     got[cpu * n + from]), 0)
					<< "from " << from << " to " << cpu;
				got[cpu * n + from]++;
				rcvd++;
				moved = true;
			}
			if (!moved)
				ukarch_spinwait();
		}
		total += rcvd;
	});
	for (unsigned int b = 0; b < n; b++)
		for (unsigned int a = 0; a < n; a++)
			EXPECT_EQ(got[b * n + a], a == b ? 0ul : (unsigned long)k);
	EXPECT_EQ(total.load(), (unsigned long)n * (n - 1) * k);
	printf("    %u CPUs, %u messages per ordered pair, %lu in all\n", n, k,
	       total.load());
}

TEST(UkChan, AllToAllStress4)
{
	all_to_all(4, 5000);
}

TEST(UkChan, AllToAllStress7)
{
	all_to_all(7, 1000);
}

// The wake-up race, b asleep in 1 round of 32 at least: 100,000 rounds
// under ThreadSanitizer, 20,000 in the ASan build, but at most 90 s each:
// on a loaded 2-core host most rounds block, 1-5 ms each (a futex wake-up
// waits for the host's scheduler). At least RACE_MIN rounds must run.
#ifdef __SANITIZE_THREAD__
#define RACE_ROUNDS 100000
#else
#define RACE_ROUNDS 20000
#endif
#define RACE_MIN 5000
#define RACE_BUDGET_NS 90000000000ULL
TEST(UkChan, WakeupRace)
{
	Channels c(2);
	struct race r = {};

	ASSERT_TRUE(c.ok);
	r.a = 0;
	r.b = 1;
	r.rounds = RACE_ROUNDS;
	r.deadline = ukplat_monotonic_clock() + RACE_BUDGET_NS;
	run_cpus(2, [&](unsigned int cpu) {
		if (cpu == 0)
			race_side_a(&r);
		else
			race_side_b(&r);
	}, 240, [&] {
		fprintf(stderr, "wake-up race: a finished %lu rounds, b %lu, "
			"error %d\n", __atomic_load_n(&r.done_a, __ATOMIC_RELAXED),
			__atomic_load_n(&r.done_b, __ATOMIC_RELAXED),
			__atomic_load_n(&r.err, __ATOMIC_RELAXED));
	});
	struct uk_chan_stats sa, sb;

	uk_chan_stats_get(0, &sa);
	uk_chan_stats_get(1, &sb);
	EXPECT_EQ(r.err, 0) << "round " << r.err_round;
	unsigned long n = r.done_a;

	EXPECT_GE(n, (unsigned long)RACE_MIN);
	EXPECT_EQ(r.done_b, n);
	EXPECT_EQ(r.waited_for_sleep, (n + 31) / 32);
	EXPECT_GE(sb.sleeps, (n + 31) / 32);
	// a: n messages and the empty one if it stopped early; b: n echoes.
	EXPECT_EQ(sa.sent, n + (n < r.rounds));
	EXPECT_EQ(sb.received, n + (n < r.rounds));
	EXPECT_EQ(sb.sent, n);
	printf("    %lu of %lu rounds: b blocked %lu times, found the message after "
	       "announcing its sleep %lu times; a sent %lu wake-ups\n",
	       n, r.rounds, sb.sleeps, sb.rechecks, sa.wakeups);
}

} // namespace
