/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of uklock's spinlock (threads play CPUs): mutual exclusion on
// 2, 4 and 8 threads, trylock and is_locked, the _irq/_irqsave variants on
// the shim's interrupt flag, skipping an absent waiter, the bound on how
// often a waiter is passed over (exact, with a waiter stopped by a signal),
// and fairness.
#include <gtest/gtest.h>

#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include <uk/spinlock.h>

#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

double now_s()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

// CPU time of the calling thread so far, in seconds.
double thread_cpu_s()
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct uk_spinlock static_lock = UK_SPINLOCK_INITIALIZER();

__u16 tail(struct uk_spinlock *l)
{
	return (__u16)(__atomic_load_n(&l->word, __ATOMIC_RELAXED)
		       >> UK_SPIN_TICKET_SHIFT);
}

__u16 head(struct uk_spinlock *l)
{
	return __atomic_load_n(&l->head, __ATOMIC_RELAXED);
}

// Acquisitions taken ahead of the waiter at the head (batching).
unsigned int batch(struct uk_spinlock *l)
{
	return (__atomic_load_n(&l->word, __ATOMIC_RELAXED)
		& UK_SPIN_BATCH_MASK) >> UK_SPIN_BATCH_SHIFT;
}

TEST(UkSpinlock, InitializerTrylockIsLocked)
{
	struct uk_spinlock l;

	EXPECT_FALSE(uk_spin_is_locked(&static_lock));
	EXPECT_EQ(uk_spin_trylock(&static_lock), 1);
	EXPECT_TRUE(uk_spin_is_locked(&static_lock));
	// Held (by us): trylock fails and changes nothing.
	EXPECT_EQ(uk_spin_trylock(&static_lock), 0);
	EXPECT_TRUE(uk_spin_is_locked(&static_lock));
	uk_spin_unlock(&static_lock);
	EXPECT_FALSE(uk_spin_is_locked(&static_lock));

	memset(&l, 0xa5, sizeof(l));
	uk_spin_init(&l);
	EXPECT_FALSE(uk_spin_is_locked(&l));
	uk_spin_lock(&l);
	EXPECT_TRUE(uk_spin_is_locked(&l));
	EXPECT_EQ(uk_spin_trylock(&l), 0);
	uk_spin_unlock(&l);
	EXPECT_EQ(uk_spin_trylock(&l), 1);
	uk_spin_unlock(&l);
	EXPECT_FALSE(uk_spin_is_locked(&l));
	EXPECT_EQ(uk_spin_held_count(), 0u);	// not counted without debug
}

TEST(UkSpinlock, TrylockFailsWhileAnotherThreadHolds)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	std::atomic<int> stage{0};

	std::thread holder([&] {
		uk_spin_lock(&l);
		stage = 1;
		while (stage != 2)
			std::this_thread::yield();
		uk_spin_unlock(&l);
		stage = 3;
	});
	while (stage != 1)
		std::this_thread::yield();
	EXPECT_TRUE(uk_spin_is_locked(&l));
	EXPECT_EQ(uk_spin_trylock(&l), 0);
	EXPECT_EQ(uk_spin_trylock(&l), 0);
	stage = 2;
	while (stage != 3)
		std::this_thread::yield();
	EXPECT_EQ(uk_spin_trylock(&l), 1);
	uk_spin_unlock(&l);
	holder.join();
}

// A lock taken while another thread waits is handed to that waiter, and
// trylock does not overtake a queued waiter.
TEST(UkSpinlock, WaiterGetsTheLockNext)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	std::atomic<int> got{0};

	uk_spin_lock(&l);
	std::thread waiter([&] {
		uk_spin_lock(&l);
		got = 1;
		uk_spin_unlock(&l);
	});
	// Queued: it holds a ticket.
	while (tail(&l) == head(&l))
		std::this_thread::yield();
	EXPECT_EQ(got, 0);
	uk_spin_unlock(&l);
	waiter.join();
	EXPECT_EQ(got, 1);
	EXPECT_FALSE(uk_spin_is_locked(&l));
	EXPECT_EQ(head(&l), tail(&l));
}

// Waiters that hold tickets but never run (preempted vCPUs): uk_spin_lock
// takes the free lock ahead of them UK_SPIN_BATCH times in a row (bounded
// batching), then queues behind them and skips them after a bounded wait.
// trylock overtakes them never.
TEST(UkSpinlock, AbsentWaitersAreSkipped)
{
	for (unsigned int absent = 1; absent <= 8; absent++) {
		struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
		double t0, t1;

		l.head = 65530;	// across the wrap of the 16-bit tickets
		l.word = (__u32)(__u16)(l.head + absent)
			 << UK_SPIN_TICKET_SHIFT;
		EXPECT_EQ(uk_spin_trylock(&l), 0) << absent << " queued";
		for (unsigned int i = 0; i < UK_SPIN_BATCH; i++) {
			// Taken ahead of the queue, without a ticket.
			uk_spin_lock(&l);
			EXPECT_TRUE(uk_spin_is_locked(&l));
			EXPECT_EQ(batch(&l), i + 1);
			EXPECT_EQ(head(&l), 65530);
			EXPECT_EQ((__u16)(tail(&l) - 65530), absent);
			uk_spin_unlock(&l);
			EXPECT_EQ(uk_spin_trylock(&l), 0) << absent
							  << " queued";
		}
		// The batch is used up: this one queues and skips.
		t0 = now_s();
		uk_spin_lock(&l);
		t1 = now_s();
		EXPECT_TRUE(uk_spin_is_locked(&l));
		// Our ticket was the last one: nobody is left queued, and
		// the batch count starts again. The skipped waiters are
		// counted as missing, and each release counts towards the
		// limit after which only they may take the lock.
		EXPECT_EQ(head(&l), tail(&l)) << absent << " absent waiters";
		EXPECT_EQ((__u16)(tail(&l) - 65530), absent + 1);
		EXPECT_EQ(batch(&l), 0u);
		EXPECT_EQ(l.skipped, absent * UK_SPIN_SKIPPED_ONE);
		EXPECT_EQ(l.since, 0u);
		uk_spin_unlock(&l);
		EXPECT_EQ(l.since, 1u);
		EXPECT_EQ(uk_spin_trylock(&l), 1);
		uk_spin_unlock(&l);
		EXPECT_EQ(l.since, 2u);
		EXPECT_FALSE(l.word & UK_SPIN_CLOSED);
		// UK_SPIN_SKIP_PAUSES (512) pauses per place: microseconds.
		EXPECT_LT(t1 - t0, 0.5) << absent << " absent waiters";
	}
}

// Waiters that were skipped and never run again: after UK_SPIN_SKIP_LIMIT
// acquisitions since the skip, the lock is closed to everybody else. The
// limit is exact: the acquisition that reaches it is the last one.
TEST(UkSpinlockBound, MissingWaitersCloseTheLockAtTheLimit)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	unsigned long n;

	// Two tickets that never run: the first uk_spin_lock() after the
	// batch skips them.
	l.word = 2u << UK_SPIN_TICKET_SHIFT;
	for (n = 0; n < UK_SPIN_BATCH; n++) {
		uk_spin_lock(&l);
		uk_spin_unlock(&l);
	}
	EXPECT_EQ(l.skipped, 0u);
	for (n = 0; n < UK_SPIN_SKIP_LIMIT; n++) {
		ASSERT_FALSE(l.word & UK_SPIN_CLOSED) << "after " << n;
		uk_spin_lock(&l);
		uk_spin_unlock(&l);
	}
	EXPECT_EQ(l.skipped, 2 * UK_SPIN_SKIPPED_ONE);
	EXPECT_EQ(l.since, (__u32)UK_SPIN_SKIP_LIMIT);
	EXPECT_TRUE(l.word & UK_SPIN_CLOSED);
	EXPECT_FALSE(uk_spin_is_locked(&l));
	// Closed: neither trylock nor the fast path takes it.
	EXPECT_EQ(uk_spin_trylock(&l), 0);
	EXPECT_EQ(_uk_spin_take(&l, UK_SPIN_BATCH), 0);
	EXPECT_FALSE(uk_spin_is_locked(&l));
}

// A preempted waiter, played by a thread that a signal stops inside
// uk_spin_lock() (its handler blocks on a futex until released): 0 running,
// 1 stopped, 2 released.
std::atomic<int> stop_state{0};

void stop_here(int)
{
	int running = 0;

	// Released before the signal came (a failed test): do not stop.
	if (!stop_state.compare_exchange_strong(running, 1))
		return;
	while (stop_state.load() != 2)
		syscall(SYS_futex, reinterpret_cast<int *>(&stop_state),
			FUTEX_WAIT_PRIVATE, 1, nullptr, nullptr, 0);
}

// Lets a thread stopped by stop_here() run again.
void resume_stopped()
{
	stop_state.store(2);
	syscall(SYS_futex, reinterpret_cast<int *>(&stop_state),
		FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// Waits until cond() holds, for at most `seconds`; false on timeout.
template <typename F> bool wait_for(F cond, double seconds)
{
	double end = now_s() + seconds;

	while (!cond()) {
		if (now_s() > end)
			return false;
		std::this_thread::yield();
	}
	return true;
}

// The bound with a waiter that does not run, exactly: W queues behind the
// main thread and is stopped; H then takes the lock UK_SPIN_BATCH times
// ahead of W, skips it, and takes it until UK_SPIN_SKIP_LIMIT acquisitions
// have happened since the skip. Then the lock is closed and H waits. Once
// W runs again it gets the lock before H: it was passed over exactly
// UK_SPIN_BATCH + UK_SPIN_SKIP_LIMIT times, within UK_SPIN_PASSES_MAX(3).
// Without the limit, H never stops and the wait for the closed lock fails.
TEST(UkSpinlockBound, StoppedWaiterIsPassedAtMostTheLimit)
{
	static struct uk_spinlock l;
	// Acquisitions by H: written under the lock, read by the main thread
	// while H runs (relaxed atomics, so TSan sees no race).
	std::atomic<unsigned long> taken{0};
	std::atomic<bool> stop{false}, w_done{false};
	unsigned long w_passes = ~0ul;
	struct sigaction sa = {}, old_sa;

	uk_spin_init(&l);
	stop_state = 0;
	sa.sa_handler = stop_here;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(sigaction(SIGUSR1, &sa, &old_sa), 0);

	uk_spin_lock(&l);
	std::thread w([&] {
		uk_spin_lock(&l);
		w_passes = taken.load(std::memory_order_relaxed);
		uk_spin_unlock(&l);
		w_done = true;
	});
	if (!wait_for([&] { return tail(&l) != head(&l); }, 30)
	    || (pthread_kill(w.native_handle(), SIGUSR1),
		!wait_for([&] { return stop_state == 1; }, 30))) {
		ADD_FAILURE() << "W did not queue and stop";
		resume_stopped();
		uk_spin_unlock(&l);
		w.join();
		sigaction(SIGUSR1, &old_sa, nullptr);
		return;
	}
	// Released before H starts, so that all of H's acquisitions come
	// after W queued: UK_SPIN_BATCH ahead of it, then the skip.
	uk_spin_unlock(&l);
	std::thread h([&] {
		while (!stop.load(std::memory_order_relaxed)) {
			uk_spin_lock(&l);
			taken.store(taken.load(std::memory_order_relaxed) + 1,
				    std::memory_order_relaxed);
			uk_spin_unlock(&l);
		}
	});

	bool closed = wait_for([&] {
		return (__atomic_load_n(&l.word, __ATOMIC_RELAXED)
			& UK_SPIN_CLOSED) != 0;
	}, 120);
	unsigned long at_close = taken.load();

	EXPECT_TRUE(closed) << "H took the lock " << at_close
			    << " times while W was stopped, and went on";
	EXPECT_EQ(at_close, UK_SPIN_BATCH + (unsigned long)UK_SPIN_SKIP_LIMIT);
	// H waits for W now: nothing moves while W is stopped.
	for (int i = 0; i < 1000; i++)
		std::this_thread::yield();
	EXPECT_EQ(taken.load(), at_close);
	EXPECT_EQ(l.skipped, UK_SPIN_SKIPPED_ONE);

	resume_stopped();
	EXPECT_TRUE(wait_for([&] { return w_done.load(); }, 30))
		<< "W did not get the lock after it ran again";
	stop = true;
	h.join();
	w.join();
	sigaction(SIGUSR1, &old_sa, nullptr);
	// W got the lock at once when it ran again: no pass after that.
	EXPECT_EQ(w_passes, at_close);
	EXPECT_LE(w_passes, UK_SPIN_PASSES_MAX(3));
	EXPECT_EQ(l.skipped, 0u);
	EXPECT_EQ(l.since, 0u);
	EXPECT_FALSE(l.word & UK_SPIN_CLOSED);
	EXPECT_FALSE(uk_spin_is_locked(&l));
}

// A batch count left on a lock nobody queues for (a CPU took the lock ahead
// of a queue that emptied at that moment) does not block trylock or the
// fast path; taking the lock clears it.
TEST(UkSpinlock, StrayBatchCountIsCleared)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();

	l.head = 7;
	l.word = (7u << UK_SPIN_TICKET_SHIFT) | (3u << UK_SPIN_BATCH_SHIFT);
	EXPECT_EQ(uk_spin_trylock(&l), 1);
	EXPECT_EQ(batch(&l), 0u);
	uk_spin_unlock(&l);
	l.word |= 5u << UK_SPIN_BATCH_SHIFT;
	uk_spin_lock(&l);
	EXPECT_EQ(batch(&l), 0u);
	EXPECT_EQ(head(&l), 7);
	EXPECT_EQ(tail(&l), 7);
	uk_spin_unlock(&l);
	EXPECT_EQ(uk_spin_trylock(&l), 1);
	uk_spin_unlock(&l);
}

TEST(UkSpinlock, IrqVariantsOnTheShim)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	unsigned long flags, inner;

	ukplat_lcpu_enable_irq();
	uk_spin_lock_irqsave(&l, flags);
	EXPECT_TRUE(ukplat_lcpu_irqs_disabled());
	EXPECT_TRUE(uk_spin_is_locked(&l));
	uk_spin_unlock_irqrestore(&l, flags);
	EXPECT_FALSE(ukplat_lcpu_irqs_disabled());
	EXPECT_FALSE(uk_spin_is_locked(&l));

	// Nested: the inner restore keeps interrupts disabled.
	uk_spin_lock_irqsave(&l, flags);
	{
		struct uk_spinlock l2 = UK_SPINLOCK_INITIALIZER();

		uk_spin_lock_irqsave(&l2, inner);
		uk_spin_unlock_irqrestore(&l2, inner);
		EXPECT_TRUE(ukplat_lcpu_irqs_disabled());
	}
	uk_spin_unlock_irqrestore(&l, flags);
	EXPECT_FALSE(ukplat_lcpu_irqs_disabled());

	uk_spin_lock_irq(&l);
	EXPECT_TRUE(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irq(&l);
	EXPECT_FALSE(ukplat_lcpu_irqs_disabled());

	EXPECT_EQ(uk_spin_trylock_irqsave(&l, flags), 1);
	EXPECT_TRUE(ukplat_lcpu_irqs_disabled());
	// Failing while held: the state saved by this call is restored.
	EXPECT_EQ(uk_spin_trylock_irqsave(&l, inner), 0);
	EXPECT_TRUE(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irqrestore(&l, flags);
	EXPECT_FALSE(ukplat_lcpu_irqs_disabled());

	EXPECT_EQ(uk_spin_trylock_irq(&l), 1);
	EXPECT_TRUE(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irq(&l);

	uk_spin_lock(&l);
	EXPECT_EQ(uk_spin_trylock_irq(&l), 0);
	EXPECT_FALSE(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock(&l);
}

// Every thread adds 1 to a plain (non-atomic) counter `iters` times under
// the lock, through each kind of entry; the lock alone orders the
// increments (TSan sees no race, the total is exact).
class MutualExclusion : public ::testing::TestWithParam<unsigned int> {};

TEST_P(MutualExclusion, CounterIsExact)
{
	const unsigned int nthreads = GetParam();
	const unsigned long iters = 20000;
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	unsigned long counter = 0;
	int inside = 0, overlaps = 0;
	std::atomic<unsigned int> ready{0};
	std::vector<std::thread> th;

	for (unsigned int i = 0; i < nthreads; i++)
		th.emplace_back([&, i] {
			ready++;
			while (ready != nthreads)
				std::this_thread::yield();
			for (unsigned long k = 0; k < iters; k++) {
				unsigned long flags = 0;

				switch ((k + i) % 4) {
				case 0:
					uk_spin_lock(&l);
					break;
				case 1:
					uk_spin_lock_irqsave(&l, flags);
					break;
				case 2:
					uk_spin_lock_irq(&l);
					break;
				default:
					while (!uk_spin_trylock(&l))
						ukarch_spinwait();
				}
				overlaps += inside;
				inside = 1;
				counter++;
				inside = 0;
				switch ((k + i) % 4) {
				case 1:
					uk_spin_unlock_irqrestore(&l, flags);
					break;
				case 2:
					uk_spin_unlock_irq(&l);
					break;
				default:
					uk_spin_unlock(&l);
				}
				EXPECT_FALSE(ukplat_lcpu_irqs_disabled());
			}
		});
	for (auto &t : th)
		t.join();
	EXPECT_EQ(counter, nthreads * iters);
	EXPECT_EQ(overlaps, 0);
	EXPECT_FALSE(uk_spin_is_locked(&l));
	EXPECT_EQ(head(&l), tail(&l));
}

INSTANTIATE_TEST_SUITE_P(Threads, MutualExclusion,
			 ::testing::Values(2u, 4u, 8u));

// One fairness run: n threads hammer one lock for `seconds`.
struct FairnessRun {
	std::vector<unsigned long> count;	// acquisitions per thread
	std::vector<double> on_cpu;	// share of the run each thread ran
	unsigned long bypassed;	// acquisitions overtaken more than n times
	unsigned long handoffs;	// acquisitions by another thread than the last
	unsigned long total;

	double ratio() const
	{
		auto mm = std::minmax_element(count.begin(), count.end());

		return *mm.first ? (double)*mm.second / (double)*mm.first
				 : 1e9;
	}
};

// The critical section of a fairness run: 64 pauses (about 1 us), longer
// than what a thread does between two acquisitions, so that a running
// thread is always queued again before the holder releases. Then our lock
// hands over once every UK_SPIN_BATCH + 1 acquisitions (the releasing thread
// takes it back UK_SPIN_BATCH times, then the waiter gets its turn), while a
// test-and-set lock lets the releasing thread take it back for as long as
// the waiter does not win a race it mostly loses.
const int cs_pauses = 64;

// Bypass: how many acquisitions by others happened between a thread's call
// to uk_spin_lock() and its getting the lock. With FIFO order between
// batches and n threads it is at most (n - 1) (UK_SPIN_BATCH + 1), plus
// one for the window between finding the lock busy and taking a ticket;
// more means the thread was overtaken (or skipped while preempted).
FairnessRun fairness_run(unsigned int n, double seconds)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	// Each on its own cache line: seq is written in every critical
	// section, stop and ready only at the start and the end.
	alignas(64) std::atomic<unsigned long> seq{0};	// acquisitions so far
	alignas(64) std::atomic<bool> stop{false};
	std::atomic<unsigned int> ready{0};
	std::vector<unsigned long> bypassed(n);
	unsigned int last = ~0u;	// under the lock
	unsigned long handoffs = 0;	// under the lock
	FairnessRun r;
	std::vector<std::thread> th;
	const unsigned long max_bypass =
		(unsigned long)(n - 1) * (UK_SPIN_BATCH + 1) + 1;

	r.count.assign(n, 0);
	r.on_cpu.assign(n, 0);
	for (unsigned int i = 0; i < n; i++)
		th.emplace_back([&, i] {
			unsigned long c = 0, b = 0;
			double cpu0;

			ready++;
			while (ready != n)
				ukarch_spinwait();
			cpu0 = thread_cpu_s();
			while (!stop.load(std::memory_order_relaxed)) {
				unsigned long s0 = seq.load(
					std::memory_order_relaxed);

				uk_spin_lock(&l);
				// Only the holder writes seq.
				unsigned long s = seq.load(
					std::memory_order_relaxed);
				seq.store(s + 1, std::memory_order_relaxed);
				handoffs += last != i;
				last = i;
				for (int k = 0; k < cs_pauses; k++)
					ukarch_spinwait();
				uk_spin_unlock(&l);
				b += s - s0 > max_bypass;
				c++;
			}
			r.on_cpu[i] = thread_cpu_s() - cpu0;	// seconds
			r.count[i] = c;
			bypassed[i] = b;
		});
	while (ready != n)
		std::this_thread::yield();
	double t0 = now_s();
	std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
	stop = true;
	double t1 = now_s();
	for (auto &t : th)
		t.join();
	// CPU time over the whole run's wall time: a thread that started late
	// ran a smaller share of the run, whatever its share of its own time.
	for (unsigned int i = 0; i < n; i++)
		r.on_cpu[i] /= t1 - t0;
	r.bypassed = 0;
	r.handoffs = handoffs;
	r.total = 0;
	for (unsigned int i = 0; i < n; i++) {
		r.bypassed += bypassed[i];
		r.total += r.count[i];
	}
	EXPECT_EQ(r.total, seq.load());
	return r;
}

void report(const char *what, unsigned int n, const FairnessRun &r)
{
	printf("  %s, %u threads: %lu acquisitions, max/min %.2f, "
	       "handoffs %.1f%%, overtaken %.3f%%, counts", what, n, r.total,
	       r.ratio(), 100.0 * (double)r.handoffs / (double)r.total,
	       100.0 * (double)r.bypassed / (double)r.total);
	for (unsigned int i = 0; i < n; i++)
		printf(" %lu", r.count[i]);
	printf(", on CPU");
	for (unsigned int i = 0; i < n; i++)
		printf(" %.0f%%", 100 * r.on_cpu[i]);
	printf("\n");
}

// Two threads on a 2-core host: both run, so the lock alternates in batches
// of UK_SPIN_BATCH + 1 acquisitions.
//
// Asserted for a run in which both threads were on their CPU at least 80%
// of the time (CLOCK_THREAD_CPUTIME_ID against the wall clock):
// (1) max/min acquisitions < 2. While one thread is off its CPU the other
//     takes the lock alone, at about twice its alternating rate (the
//     critical section dominates both), so with a share f off CPU the counts
//     differ by at most (1 + f) / (1 - f): 1.5 at f = 0.2. Batches do not
//     change this: both threads get batches of the same length in turn.
// (2) at least 1 / (2 (UK_SPIN_BATCH + 1)) of the acquisitions hand the lock
//     to the other thread (2.9% with UK_SPIN_BATCH = 16; with 0, strict
//     FIFO, this is the 50% it was). Our lock hands over once per batch,
//     1 / (UK_SPIN_BATCH + 1) of the acquisitions, while both threads run,
//     which is at least 60% of the time at f = 0.2. A test-and-set lock
//     hands over once per race the waiter wins, and it loses nearly all:
//     measured with this loop, 0 to 2% handoffs and max/min up to 10^5
//     (strict FIFO, 87 to 99.7%; doc/uklock-measurements.md: TAS). So
//     (2) still fails a test-and-set lock, and (1) mostly does too.
// Runs of 0.1 s are tried until one qualifies, 20 at most. On a machine so
// busy that none does (our two threads share one core), the figures are
// reported, not asserted: no lock alternates then. Always asserted: both
// threads got the lock in some run (in one run of 0.1 s on a busy host one
// thread may not run at all). The share of acquisitions overtaken more than one
// batch (UK_SPIN_BATCH + 1 acquisitions, plus 1 for the race described
// above) is reported: each preemption of a waiting thread makes one.
TEST(UkSpinlockFairness, TwoThreadsAlternate)
{
	bool asserted = false;
	unsigned long got[2] = {0, 0};

	for (int attempt = 0; attempt < 20 && !asserted; attempt++) {
		FairnessRun r = fairness_run(2, 0.1);

		report("run", 2, r);
		got[0] += r.count[0];
		got[1] += r.count[1];
		if (r.on_cpu[0] < 0.8 || r.on_cpu[1] < 0.8)
			continue;
#ifndef __SANITIZE_THREAD__
		/*
		 * Not under TSan: there every atomic operation is a call into
		 * its runtime, several times slower than the pause-spaced polls,
		 * so batches break up (38-50 % handoffs instead of 6 %) and
		 * max/min measures the instrumentation (1.0-1.8 here, once 3.5
		 * in CI), not the lock. The ASan build runs native atomics and
		 * asserts it (1.00-1.02).
		 */
		EXPECT_LT(r.ratio(), 2.0);
#endif
		EXPECT_GE(r.handoffs, r.total / (2 * (UK_SPIN_BATCH + 1)));
		asserted = true;
	}
	EXPECT_GT(got[0], 0u);
	EXPECT_GT(got[1], 0u);
	if (!asserted)
		printf("  not asserted: no run had both threads on their CPU "
		       "80%% of the time (machine busy)\n");
}

// More threads than cores: reported only (who runs is the host's choice).
TEST(UkSpinlockFairness, OversubscribedReport)
{
	for (unsigned int n : {4u, 8u}) {
		FairnessRun r = fairness_run(n, 0.3);

		report("oversubscribed", n, r);
		EXPECT_GT(r.total, 0u);
	}
}

} // namespace
