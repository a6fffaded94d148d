/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of uklock_blocking's locks (mutex.c, semaphore.c, rwlock.c),
// unchanged, on support/host/sched.c's wait queues: pthreads play CPUs and
// blocked threads sleep on a futex. Mutual exclusion with a plain counter, hand-off
// to exactly one waiter, the owner checks, the rwlock's record never seen
// half-written and its writer preference, the semaphore's count conserved
// between producers and consumers with timeouts expiring on the way.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>
#include <tuple>
#include <vector>

extern "C" {
#include <uk/mutex.h>
#include <uk/plat/time.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#include <uk/semaphore.h>
}
#include <uk/host/sched.h>

// UK_CRASH's message goes to stderr, where death tests look for it (the
// shim's console writes to stdout).
extern "C" int ukplat_coutk(const char *buf, unsigned int len)
{
	fwrite(buf, 1, len, stderr);
	return (int)len;
}

namespace {

// Waits until pred() holds, for at most `seconds`; false if it never did.
// A bound that fails the test instead of hanging it, not a timing check.
bool wait_until(const std::function<bool()> &pred, double seconds = 30)
{
	auto end = std::chrono::steady_clock::now() +
		   std::chrono::duration<double>(seconds);

	while (!pred()) {
		if (std::chrono::steady_clock::now() > end)
			return false;
		std::this_thread::yield();
	}
	return true;
}

// The wait queues are read under their own lock (host_waitq_len).
unsigned int queued(struct uk_waitq *wq)
{
	return host_waitq_len(wq);
}

struct uk_mutex static_mutex = UK_MUTEX_INITIALIZER(static_mutex);
struct uk_mutex static_rmutex = UK_MUTEX_INITIALIZER_RECURSIVE(static_rmutex);

// --- mutex --------------------------------------------------------------

TEST(UkMutex, LockTrylockUnlock)
{
	struct uk_mutex m;

	EXPECT_FALSE(uk_mutex_is_locked(&static_mutex));
	uk_mutex_lock(&static_mutex);
	EXPECT_TRUE(uk_mutex_is_locked(&static_mutex));
	// Not recursive: trylock by the owner fails and changes nothing.
	EXPECT_EQ(uk_mutex_trylock(&static_mutex), 0);
	uk_mutex_unlock(&static_mutex);
	EXPECT_FALSE(uk_mutex_is_locked(&static_mutex));

	uk_mutex_init(&m);
	EXPECT_EQ(uk_mutex_trylock(&m), 1);
	EXPECT_TRUE(uk_mutex_is_locked(&m));
	EXPECT_EQ(m.owner, uk_thread_current());
	uk_mutex_unlock(&m);
	EXPECT_FALSE(uk_mutex_is_locked(&m));
	EXPECT_EQ(m.owner, nullptr);
}

TEST(UkMutex, RecursiveCountsItsLocks)
{
	struct uk_mutex m;

	for (struct uk_mutex *r : {&static_rmutex, &m}) {
		if (r == &m)
			uk_mutex_init_config(&m, UK_MUTEX_CONFIG_RECURSE);
		uk_mutex_lock(r);
		EXPECT_EQ(uk_mutex_trylock(r), 1);
		uk_mutex_lock(r);
		EXPECT_EQ(r->lock_count, 3);
		uk_mutex_unlock(r);
		uk_mutex_unlock(r);
		EXPECT_TRUE(uk_mutex_is_locked(r));
		// Another thread cannot have it until the last unlock.
		std::thread([r] { EXPECT_EQ(uk_mutex_trylock(r), 0); }).join();
		uk_mutex_unlock(r);
		EXPECT_FALSE(uk_mutex_is_locked(r));
		std::thread([r] {
			EXPECT_EQ(uk_mutex_trylock(r), 1);
			uk_mutex_unlock(r);
		}).join();
	}
}

TEST(UkMutex, TrylockFailsWhileAnotherThreadOwnsIt)
{
	struct uk_mutex m;

	uk_mutex_init(&m);
	uk_mutex_lock(&m);
	std::thread([&] { EXPECT_EQ(uk_mutex_trylock(&m), 0); }).join();
	uk_mutex_unlock(&m);
	std::thread([&] {
		EXPECT_EQ(uk_mutex_trylock(&m), 1);
		uk_mutex_unlock(&m);
	}).join();
}

// Before the scheduler runs there is no thread: the owner is "boot" (NULL)
// and lock spins instead of blocking. One thread only, as at boot.
TEST(UkMutex, BeforeTheSchedulerRuns)
{
	struct uk_mutex m;

	host_sched_set_started(0);
	uk_mutex_init(&m);
	uk_mutex_lock(&m);
	EXPECT_TRUE(uk_mutex_is_locked(&m));
	EXPECT_EQ(m.owner, nullptr);
	EXPECT_EQ(m.lock_count, 1);
	EXPECT_EQ(uk_mutex_trylock(&m), 0);
	uk_mutex_unlock(&m);
	EXPECT_FALSE(uk_mutex_is_locked(&m));
	host_sched_set_started(1);
}

// Waiters queue one after the other; each unlock wakes exactly one of
// them, the oldest: each holder keeps the mutex until the test has counted
// the wake-ups so far (one per unlock) and lets it go.
TEST(UkMutex, UnlockWakesExactlyOneWaiterOldestFirst)
{
	const unsigned int n = 4;
	struct uk_mutex m;
	std::vector<std::thread> th;
	std::vector<unsigned int> order;	// protected by m
	std::atomic<unsigned int> through{0}, may_unlock{0};

	uk_mutex_init(&m);
	uk_mutex_lock(&m);
	for (unsigned int i = 0; i < n; i++) {
		th.emplace_back([&, i] {
			uk_mutex_lock(&m);
			order.push_back(i);
			through++;
			EXPECT_TRUE(wait_until([&] { return may_unlock > i; }));
			uk_mutex_unlock(&m);
		});
		// Thread i is on the queue before thread i + 1 starts.
		ASSERT_TRUE(wait_until([&] { return queued(&m.wait) == i + 1; }))
			<< "waiter " << i << " never blocked";
	}
	unsigned long w0 = host_sched_wakes();

	uk_mutex_unlock(&m);
	for (unsigned int k = 1; k <= n; k++) {
		ASSERT_TRUE(wait_until([&] { return through == k; }));
		EXPECT_EQ(host_sched_wakes() - w0, k) << "after unlock " << k;
		EXPECT_EQ(queued(&m.wait), n - k);
		may_unlock = k;
	}
	for (auto &t : th)
		t.join();
	EXPECT_EQ(host_sched_wakes() - w0, n);
	EXPECT_EQ(order, (std::vector<unsigned int>{0, 1, 2, 3}));
	EXPECT_FALSE(uk_mutex_is_locked(&m));
	EXPECT_EQ(queued(&m.wait), 0u);
}

TEST(UkMutexDeathTest, RelockingANonRecursiveMutexCrashes)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			struct uk_mutex m;

			host_sched_set_name("relocker");
			uk_mutex_init(&m);
			uk_mutex_lock(&m);
			uk_mutex_lock(&m);
		},
		"mutex 0x[0-9a-f]+: thread relocker locks it again "
		"\\(not recursive\\)");
}

TEST(UkMutexDeathTest, UnlockByAnotherThreadCrashes)
{
	GTEST_FLAG_SET(death_test_style, "threadsafe");
	EXPECT_DEATH(
		{
			struct uk_mutex m;

			uk_mutex_init(&m);
			std::thread([&] {
				host_sched_set_name("owner");
				uk_mutex_lock(&m);
			}).join();
			host_sched_set_name("intruder");
			uk_mutex_unlock(&m);
		},
		"mutex 0x[0-9a-f]+: unlocked by intruder, owned by owner");
	EXPECT_DEATH(
		{
			struct uk_mutex m;

			host_sched_set_name("nobody-owns-it");
			uk_mutex_init(&m);
			uk_mutex_unlock(&m);
		},
		"unlocked by nobody-owns-it, owned by nobody");
}

// Every thread adds 1 to a plain counter `iters` times under the mutex,
// by lock, by a trylock loop, and (recursive mutex) by nested locks; some
// critical sections give the CPU away, so waiters really block. TSan sees
// the mutex alone ordering the increments; the total must be exact.
class MutexExclusion
	: public ::testing::TestWithParam<std::tuple<unsigned int, bool>> {};

TEST_P(MutexExclusion, CounterIsExact)
{
	const unsigned int nthreads = std::get<0>(GetParam());
	const bool recursive = std::get<1>(GetParam());
	const unsigned long iters = 2000;
	struct uk_mutex m;
	unsigned long counter = 0;
	int inside = 0, overlaps = 0;
	std::atomic<unsigned int> ready{0};
	std::vector<std::thread> th;
	unsigned long b0 = host_sched_blocks();

	uk_mutex_init_config(&m, recursive ? UK_MUTEX_CONFIG_RECURSE : 0);
	for (unsigned int i = 0; i < nthreads; i++)
		th.emplace_back([&, i] {
			ready++;
			while (ready != nthreads)
				std::this_thread::yield();
			for (unsigned long k = 0; k < iters; k++) {
				unsigned int mode = (unsigned int)((k + i) % 3);

				if (mode == 1) {
					while (!uk_mutex_trylock(&m))
						std::this_thread::yield();
				} else {
					uk_mutex_lock(&m);
				}
				if (recursive && mode == 2)
					uk_mutex_lock(&m);
				overlaps += inside;
				inside = 1;
				counter++;
				if (k % 16 == 0)
					std::this_thread::yield();
				inside = 0;
				if (recursive && mode == 2)
					uk_mutex_unlock(&m);
				uk_mutex_unlock(&m);
			}
		});
	for (auto &t : th)
		t.join();
	EXPECT_EQ(counter, nthreads * iters);
	EXPECT_EQ(overlaps, 0);
	EXPECT_FALSE(uk_mutex_is_locked(&m));
	EXPECT_EQ(queued(&m.wait), 0u);
	printf("  %u threads%s: %lu critical sections, %lu sleeps in "
	       "uk_sched_block_current\n", nthreads,
	       recursive ? ", recursive" : "", counter,
	       host_sched_blocks() - b0);
}

INSTANTIATE_TEST_SUITE_P(Threads, MutexExclusion,
			 ::testing::Combine(::testing::Values(2u, 4u, 8u),
					    ::testing::Bool()));

// --- semaphore ---------------------------------------------------------

TEST(UkSemaphore, DownTryCounts)
{
	struct uk_semaphore s;

	uk_semaphore_init(&s, 2);
	EXPECT_EQ(uk_semaphore_down_try(&s), 1);
	EXPECT_EQ(uk_semaphore_down_try(&s), 1);
	EXPECT_EQ(uk_semaphore_down_try(&s), 0);
	EXPECT_EQ(s.count, 0);
	uk_semaphore_up(&s);
	EXPECT_EQ(s.count, 1);
	EXPECT_EQ(uk_semaphore_down_try(&s), 1);
	EXPECT_EQ(s.count, 0);
}

// An empty semaphore: down_to sleeps (a deadline expiry, not a spin), is
// not early, returns __NSEC_MAX and leaves the count alone; a zero timeout
// returns at once.
TEST(UkSemaphore, DownToExpiresWithoutChangingTheCount)
{
	const __nsec timeout = 20000000;	// 20 ms
	struct uk_semaphore s;
	unsigned long t0 = host_sched_timeouts();
	__nsec start;

	uk_semaphore_init(&s, 0);
	start = ukplat_monotonic_clock();
	EXPECT_EQ(uk_semaphore_down_to(&s, timeout), __NSEC_MAX);
	EXPECT_GE(ukplat_monotonic_clock() - start, timeout);
	EXPECT_GE(host_sched_timeouts() - t0, 1u);
	EXPECT_EQ(s.count, 0);
	EXPECT_EQ(queued(&s.wait), 0u);
	EXPECT_EQ(s.waiters, 0);	// it gave up: no longer counted
	EXPECT_EQ(uk_semaphore_down_to(&s, 0), __NSEC_MAX);
	EXPECT_EQ(s.count, 0);

	uk_semaphore_up(&s);
	EXPECT_NE(uk_semaphore_down_to(&s, timeout), __NSEC_MAX);
	EXPECT_EQ(s.count, 0);
}

// A waiter with a long timeout is woken by an up() from another thread: it
// takes the unit and reports a wait shorter than its timeout.
TEST(UkSemaphore, DownToIsWokenByUp)
{
	const __nsec timeout = 60ULL * 1000000000ULL;
	struct uk_semaphore s;
	__nsec waited = 0;

	uk_semaphore_init(&s, 0);
	std::thread t([&] { waited = uk_semaphore_down_to(&s, timeout); });
	EXPECT_TRUE(wait_until([&] { return queued(&s.wait) == 1; }));
	uk_semaphore_up(&s);
	t.join();
	EXPECT_LT(waited, timeout);
	EXPECT_EQ(s.count, 0);
	EXPECT_EQ(s.waiters, 0);
	EXPECT_EQ(queued(&s.wait), 0u);
}

// Producers and consumers through a ring of `cap` slots guarded by two
// semaphores (free slots, filled slots) and a mutex. Half of each side
// waits with down_to and a 20 us timeout, retrying, so that timeouts
// expire while units move. Conserved: every value produced is consumed
// exactly once (count and sum), and both counts end where they began.
class SemaphorePipe : public ::testing::TestWithParam<unsigned int> {};

TEST_P(SemaphorePipe, ItemsAreConserved)
{
	const unsigned int nthreads = GetParam(), np = nthreads / 2,
			   nc = nthreads - np;
	const unsigned long per_producer = 2000, cap = 4;
	const unsigned long total = np * per_producer;
	const __nsec short_to = 20000;
	struct uk_semaphore slots, items;
	struct uk_mutex ring_lock;
	unsigned long ring[cap];		// protected by ring_lock
	unsigned long ring_head = 0, ring_tail = 0;	// ring_lock
	std::atomic<unsigned long> claimed{0}, consumed{0}, sum{0};
	std::atomic<unsigned long> timeouts{0};
	std::vector<std::thread> th;

	uk_semaphore_init(&slots, cap);
	uk_semaphore_init(&items, 0);
	uk_mutex_init(&ring_lock);
	auto down = [&](struct uk_semaphore *s, bool with_timeout) {
		if (!with_timeout) {
			uk_semaphore_down(s);
			return;
		}
		while (uk_semaphore_down_to(s, short_to) == __NSEC_MAX)
			timeouts++;
	};
	for (unsigned int p = 0; p < np; p++)
		th.emplace_back([&, p] {
			for (unsigned long j = 0; j < per_producer; j++) {
				down(&slots, p % 2);
				uk_mutex_lock(&ring_lock);
				ring[ring_head++ % cap] = p * per_producer + j + 1;
				uk_mutex_unlock(&ring_lock);
				uk_semaphore_up(&items);
			}
		});
	for (unsigned int c = 0; c < nc; c++)
		th.emplace_back([&, c] {
			// Each claim is one unit this consumer must take.
			while (claimed++ < total) {
				unsigned long v;

				down(&items, c % 2);
				uk_mutex_lock(&ring_lock);
				v = ring[ring_tail++ % cap];
				uk_mutex_unlock(&ring_lock);
				uk_semaphore_up(&slots);
				sum += v;
				consumed++;
			}
		});
	for (auto &t : th)
		t.join();
	EXPECT_EQ(consumed.load(), total);
	EXPECT_EQ(sum.load(), total * (total + 1) / 2);
	EXPECT_EQ(ring_head, total);
	EXPECT_EQ(ring_tail, total);
	EXPECT_EQ(slots.count, (long)cap);
	EXPECT_EQ(items.count, 0);
	EXPECT_EQ(uk_semaphore_down_try(&items), 0);
	EXPECT_EQ(queued(&slots.wait) + queued(&items.wait), 0u);
	EXPECT_EQ(slots.waiters + items.waiters, 0);
	printf("  %u producers, %u consumers: %lu units, %lu down_to "
	       "timeouts on the way\n", np, nc, total, timeouts.load());
}

INSTANTIATE_TEST_SUITE_P(Threads, SemaphorePipe,
			 ::testing::Values(2u, 4u, 8u));

// --- rwlock -------------------------------------------------------------

TEST(UkRwlock, ReadersShareWritersExclude)
{
	struct uk_rwlock l;

	uk_rwlock_init(&l);
	uk_rwlock_rlock(&l);
	uk_rwlock_rlock(&l);
	EXPECT_EQ(l.readers, 2);
	uk_rwlock_runlock(&l);
	uk_rwlock_runlock(&l);
	uk_rwlock_wlock(&l);
	EXPECT_EQ(l.writer, 1);
	EXPECT_EQ(l.readers, 0);
	uk_rwlock_wunlock(&l);
	EXPECT_EQ(l.writer, 0);
}

// All n readers are inside the read lock at the same time (each waits for
// the others before it leaves).
TEST(UkRwlock, ReadersHoldItTogether)
{
	const unsigned int n = 6;
	struct uk_rwlock l;
	std::atomic<unsigned int> inside{0};
	std::atomic<bool> all{true};
	std::vector<std::thread> th;

	uk_rwlock_init(&l);
	for (unsigned int i = 0; i < n; i++)
		th.emplace_back([&] {
			uk_rwlock_rlock(&l);
			inside++;
			if (!wait_until([&] { return inside == n; }))
				all = false;
			uk_rwlock_runlock(&l);
		});
	for (auto &t : th)
		t.join();
	EXPECT_TRUE(all.load());
	EXPECT_EQ(l.readers, 0);
}

// Writer preference: with a reader inside and a writer waiting, a new
// reader waits too; it gets in after the writer, and sees its write.
TEST(UkRwlock, WaitingWriterStopsNewReaders)
{
	struct uk_rwlock l;
	unsigned long value = 0;	// protected by l
	unsigned long seen = 0;
	std::atomic<int> reader_in{0};

	uk_rwlock_init(&l);
	uk_rwlock_rlock(&l);
	std::thread w([&] {
		uk_rwlock_wlock(&l);
		value = 42;
		uk_rwlock_wunlock(&l);
	});
	ASSERT_TRUE(wait_until([&] { return queued(&l.writeq) == 1; }));
	std::thread r([&] {
		uk_rwlock_rlock(&l);
		reader_in = 1;
		seen = value;
		uk_rwlock_runlock(&l);
	});
	ASSERT_TRUE(wait_until([&] { return queued(&l.readq) == 1; }));
	EXPECT_EQ(reader_in.load(), 0);
	EXPECT_EQ(l.waiting_writers, 1);
	uk_rwlock_runlock(&l);
	w.join();
	r.join();
	EXPECT_EQ(seen, 42u);
	EXPECT_EQ(l.readers + l.writer + l.waiting_writers, 0);
}

// Writers update a 4-word record, yielding half-way; readers keep coming
// (each one back as soon as it leaves) and compare the words: never torn.
// The writers finish their writes while readers keep coming (writer
// preference): the readers stop only when the writers are done, or, if the
// writers were starved, at a 120 s limit, which fails the test.
class RwlockRecord
	: public ::testing::TestWithParam<std::tuple<unsigned int, unsigned int>> {};

TEST_P(RwlockRecord, NeverTornWritersFinish)
{
	const unsigned int nreaders = std::get<0>(GetParam());
	const unsigned int nwriters = std::get<1>(GetParam());
	const unsigned long writes = 400;
	struct uk_rwlock l;
	unsigned long record[4] = {0, 0, 0, 0};	// protected by l
	std::atomic<unsigned long> torn{0}, reads{0}, writes_done{0};
	std::atomic<unsigned int> in{0}, max_in{0};
	std::atomic<bool> stop{false}, starved{false};
	std::vector<std::thread> rd, wr;
	auto deadline = std::chrono::steady_clock::now() +
			std::chrono::seconds(120);

	uk_rwlock_init(&l);
	for (unsigned int i = 0; i < nreaders; i++)
		rd.emplace_back([&] {
			while (!stop) {
				if (std::chrono::steady_clock::now() > deadline) {
					starved = true;
					break;
				}
				uk_rwlock_rlock(&l);
				unsigned int now_in = ++in;
				unsigned int m = max_in;

				while (now_in > m &&
				       !max_in.compare_exchange_weak(m, now_in))
					;
				for (int k = 1; k < 4; k++)
					torn += record[k] != record[0];
				in--;
				uk_rwlock_runlock(&l);
				reads++;
			}
		});
	for (unsigned int i = 0; i < nwriters; i++)
		wr.emplace_back([&, i] {
			for (unsigned long v = 1; v <= writes; v++) {
				uk_rwlock_wlock(&l);
				EXPECT_EQ(in.load(), 0u);
				for (int k = 0; k < 4; k++) {
					record[k] = v * 16 + i;
					if (k == 1)
						std::this_thread::yield();
				}
				uk_rwlock_wunlock(&l);
				writes_done++;
			}
		});
	for (auto &t : wr)
		t.join();
	stop = true;
	for (auto &t : rd)
		t.join();
	EXPECT_FALSE(starved.load());
	EXPECT_EQ(writes_done.load(), nwriters * writes);
	EXPECT_EQ(torn.load(), 0u);
	EXPECT_EQ(record[0] / 16, writes);
	EXPECT_EQ(l.readers + l.writer + l.waiting_writers, 0);
	EXPECT_EQ(queued(&l.readq) + queued(&l.writeq), 0u);
	printf("  %u readers, %u writers: %lu reads, %lu writes, up to %u "
	       "readers at once\n", nreaders, nwriters, reads.load(),
	       writes_done.load(), max_in.load());
}

INSTANTIATE_TEST_SUITE_P(Threads, RwlockRecord,
			 ::testing::Values(std::make_tuple(1u, 1u),
					   std::make_tuple(3u, 1u),
					   std::make_tuple(6u, 2u)));

} // namespace
