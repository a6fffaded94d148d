/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of uklock's debug checks (CONFIG_LIBUKLOCK_DEBUG, built from
// debug_spinlock.c): owner tracking and the per-CPU held count, and crashes
// on recursive acquisition, unlock by a non-owner and a failed
// uk_spin_assert_held(), with messages naming the lock, the owner CPU and
// where it took the lock, and the offending CPU and where it is.
#define CONFIG_LIBUKLOCK_DEBUG 1
#include "debug_names.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <uk/spinlock.h>

// Messages go to stderr, where death tests look for them.
extern "C" int ukplat_coutk(const char *buf, unsigned int len)
{
	fwrite(buf, 1, len, stderr);
	return (int)len;
}

// Symbol names for the messages (the binary is linked with -rdynamic).
extern "C" const char *ukplat_symbol(unsigned long addr, unsigned long *off)
{
	Dl_info info;

	if (!dladdr((void *)addr, &info) || !info.dli_sname)
		return NULL;
	*off = addr - (unsigned long)info.dli_saddr;
	return info.dli_sname;
}

// Callers with names the messages should show (the volatile store keeps
// the two take functions from being merged into one).
static volatile int takes;

extern "C" __attribute__((noinline)) void uklock_test_take(
	struct uk_spinlock *l)
{
	uk_spin_lock(l);
}

extern "C" __attribute__((noinline)) void uklock_test_take_again(
	struct uk_spinlock *l)
{
	takes = takes + 1;
	uk_spin_lock(l);
}

extern "C" __attribute__((noinline)) void uklock_test_release(
	struct uk_spinlock *l)
{
	uk_spin_unlock(l);
}

extern "C" __attribute__((noinline)) void uklock_test_assert(
	struct uk_spinlock *l)
{
	uk_spin_assert_held(l);
}

namespace {

struct uk_spinlock lock_a = UK_SPINLOCK_INITIALIZER();

// "spinlock 0x...: " for l, as a regular expression.
std::string prefix(struct uk_spinlock *l)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "spinlock %p: ", (void *)l);
	return buf;
}

const std::string at = "\\+0x[0-9a-f]+ \\[0x[0-9a-f]+\\]";

class UkSpinlockDebug : public ::testing::Test {
protected:
	void SetUp() override
	{
		ukplat_host_lcpu_reset();
		uk_spin_init(&lock_a);
	}
};

TEST_F(UkSpinlockDebug, OwnerAndHeldCount)
{
	struct uk_spinlock b = UK_SPINLOCK_INITIALIZER();
	unsigned long flags;

	ukplat_host_lcpu_set_idx(7);
	EXPECT_EQ(uk_spin_held_count(), 0u);
	uklock_test_take(&lock_a);
	EXPECT_EQ(lock_a.owner, 8u);	// CPU index + 1
	EXPECT_EQ(uk_spin_held_count(), 1u);
	uk_spin_assert_held(&lock_a);
	uk_spin_lock_irqsave(&b, flags);
	EXPECT_EQ(uk_spin_held_count(), 2u);
	// trylock on a lock we hold fails quietly and counts nothing.
	EXPECT_EQ(uk_spin_trylock(&lock_a), 0);
	EXPECT_EQ(uk_spin_held_count(), 2u);

	// Another CPU counts its own locks.
	std::thread other([&] {
		ukplat_host_lcpu_set_idx(9);
		EXPECT_EQ(uk_spin_held_count(), 0u);
		EXPECT_EQ(uk_spin_trylock(&b), 0);
		EXPECT_EQ(uk_spin_held_count(), 0u);
	});
	other.join();

	uk_spin_unlock_irqrestore(&b, flags);
	EXPECT_EQ(uk_spin_held_count(), 1u);
	uklock_test_release(&lock_a);
	EXPECT_EQ(uk_spin_held_count(), 0u);
	EXPECT_EQ(lock_a.owner, 0u);
	EXPECT_EQ(uk_spin_trylock(&lock_a), 1);
	EXPECT_EQ(uk_spin_held_count(), 1u);
	uk_spin_unlock(&lock_a);
	EXPECT_EQ(uk_spin_held_count(), 0u);
}

TEST_F(UkSpinlockDebug, RecursiveAcquisitionCrashes)
{
	EXPECT_DEATH(
		{
			ukplat_host_lcpu_set_idx(3);
			uklock_test_take(&lock_a);
			uklock_test_take_again(&lock_a);
		},
		prefix(&lock_a) + "recursive acquisition: CPU 3, which holds "
		"it \\(taken at uklock_test_take" + at + "\\), takes it again "
		"at uklock_test_take_again" + at);
}

TEST_F(UkSpinlockDebug, UnlockByAnotherCpuCrashes)
{
	EXPECT_DEATH(
		{
			std::thread owner([] {
				ukplat_host_lcpu_set_idx(5);
				uklock_test_take(&lock_a);
			});
			owner.join();
			ukplat_host_lcpu_set_idx(2);
			uklock_test_release(&lock_a);
		},
		prefix(&lock_a) + "unlocked at uklock_test_release" + at +
		" by CPU 2, but CPU 5 holds it \\(taken at uklock_test_take" +
		at + "\\)");
}

TEST_F(UkSpinlockDebug, UnlockOfAFreeLockCrashes)
{
	EXPECT_DEATH(
		{
			ukplat_host_lcpu_set_idx(4);
			uklock_test_release(&lock_a);
		},
		prefix(&lock_a) + "unlocked at uklock_test_release" + at +
		" by CPU 4, but nobody holds it");
}

TEST_F(UkSpinlockDebug, AssertHeld)
{
	ukplat_host_lcpu_set_idx(1);
	uklock_test_take(&lock_a);
	uklock_test_assert(&lock_a);	// held: no crash
	uklock_test_release(&lock_a);

	EXPECT_DEATH(
		{
			ukplat_host_lcpu_set_idx(1);
			uklock_test_assert(&lock_a);
		},
		prefix(&lock_a) + "CPU 1 asserts at uklock_test_assert" + at +
		" that it holds it, but nobody does");
	EXPECT_DEATH(
		{
			std::thread owner([] {
				ukplat_host_lcpu_set_idx(6);
				uklock_test_take(&lock_a);
			});
			owner.join();
			ukplat_host_lcpu_set_idx(1);
			uklock_test_assert(&lock_a);
		},
		prefix(&lock_a) + "CPU 1 asserts at uklock_test_assert" + at +
		" that it holds it, but CPU 6 does \\(taken at "
		"uklock_test_take" + at + "\\)");
}

// The debug build under contention: exact counter, counts back to 0.
TEST_F(UkSpinlockDebug, MutualExclusion)
{
	const unsigned int nthreads = 4;
	const unsigned long iters = 10000;
	unsigned long counter = 0;
	std::vector<std::thread> th;

	for (unsigned int i = 0; i < nthreads; i++)
		th.emplace_back([&] {
			for (unsigned long k = 0; k < iters; k++) {
				uk_spin_lock(&lock_a);
				uk_spin_assert_held(&lock_a);
				EXPECT_EQ(uk_spin_held_count(), 1u);
				counter++;
				uk_spin_unlock(&lock_a);
			}
			EXPECT_EQ(uk_spin_held_count(), 0u);
		});
	for (auto &t : th)
		t.join();
	EXPECT_EQ(counter, nthreads * iters);
	EXPECT_EQ(lock_a.owner, 0u);
}

// The bound under oversubscription, over a fixed number of acquisitions: n
// threads, more than this machine's 2 cores, take the lock `iters` times
// each, holding it for 32 pauses. The debug build counts, for every waiter,
// the acquisitions by others between its ticket and its own (the lock's
// `clock`), UK_ASSERTs the bound
// for CONFIG_UKPLAT_LCPU_MAXCOUNT CPUs at each acquisition, and keeps the
// largest count, which must be within UK_SPIN_PASSES_MAX(n). Reported too:
// the same count from the call of uk_spin_lock(), which also covers the
// instructions before the ticket; a thread preempted there is passed over
// by others under any lock, so that one is not a property of the lock.
class PassBound : public ::testing::TestWithParam<unsigned int> {};

TEST_P(PassBound, OversubscribedStaysWithinTheBound)
{
	const unsigned int n = GetParam();
	const unsigned long iters = 24000 / n;
	std::atomic<unsigned long> seq{0};	// acquisitions so far
	std::atomic<unsigned int> ready{0};
	unsigned long counter = 0;		// plain: under the lock
	std::vector<unsigned long> from_call(n, 0);
	std::vector<std::thread> th;
	unsigned long worst_call = 0;

	ukplat_host_lcpu_reset();
	uk_spin_init(&lock_a);
	for (unsigned int i = 0; i < n; i++)
		th.emplace_back([&, i] {
			unsigned long worst = 0;

			ready++;
			while (ready != n)
				std::this_thread::yield();
			for (unsigned long k = 0; k < iters; k++) {
				unsigned long s0 = seq.load(
					std::memory_order_relaxed);

				uk_spin_lock(&lock_a);
				// Only the holder writes seq.
				unsigned long s = seq.load(
					std::memory_order_relaxed);
				seq.store(s + 1, std::memory_order_relaxed);
				counter++;
				worst = std::max(worst, s - s0);
				// About 0.5 us inside: others queue meanwhile.
				for (int p = 0; p < 32; p++)
					ukarch_spinwait();
				uk_spin_unlock(&lock_a);
			}
			from_call[i] = worst;
		});
	for (auto &t : th)
		t.join();
	for (unsigned int i = 0; i < n; i++)
		worst_call = std::max(worst_call, from_call[i]);
	printf("  %u threads x %lu acquisitions: most passes from the ticket "
	       "%u (bound %lu), from the call %lu\n", n, iters,
	       lock_a.max_passes, UK_SPIN_PASSES_MAX(n), worst_call);
	EXPECT_EQ(counter, n * iters);
	EXPECT_EQ(seq.load(), n * iters);
	EXPECT_GT(lock_a.max_passes, 0u);
	EXPECT_LE(lock_a.max_passes, UK_SPIN_PASSES_MAX(n));
	EXPECT_EQ(lock_a.skipped, 0u);
	EXPECT_FALSE(lock_a.word & UK_SPIN_CLOSED);
}

INSTANTIATE_TEST_SUITE_P(Threads, PassBound, ::testing::Values(3u, 4u, 8u));

} // namespace
