/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for uklock's spinlock: mutual exclusion with every online CPU
 * hammering one lock (remote calls), the bound on passes over a fixed
 * number of acquisitions, trylock/is_locked, and the interrupt state the
 * _irq/_irqsave variants leave behind. Passes on one CPU; with
 * more, the other CPUs join through ukplat_lcpu_call_others().
 */
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/spinlock.h>
#include <uk/test.h>

uk_testsuite_register(uklock, NULL);

/* How long the caller waits for the other CPUs before failing the case. */
#define OTHERS_TIMEOUT_NS	ukarch_time_sec_to_nsec(60)

/*
 * Shared with the other CPUs: static, so a timed-out case leaves no
 * dangling pointers to its stack.
 */
static struct uk_spinlock hammer_lock = UK_SPINLOCK_INITIALIZER();
static struct {
	unsigned long counter;	/* plain: the lock orders the updates */
	unsigned long overlaps;	/* critical sections seen inside another */
	int inside;
} hammer_data;
static unsigned long hammer_iters;
static unsigned int hammer_done;	/* CPUs finished (atomic) */

/*
 * One CPU's share: hammer_iters critical sections, through every kind of
 * entry. Runs on other CPUs in interrupt context (remote call), and on the
 * caller.
 */
static void hammer(void *arg __unused)
{
	unsigned long i, flags;

	for (i = 0; i < hammer_iters; i++) {
		switch (i % 3) {
		case 0:
			uk_spin_lock_irqsave(&hammer_lock, flags);
			break;
		case 1:
			while (!uk_spin_trylock_irqsave(&hammer_lock, flags))
				ukarch_spinwait();
			break;
		default:
			flags = ukplat_lcpu_save_irqf();
			uk_spin_lock(&hammer_lock);
		}
		hammer_data.overlaps += hammer_data.inside;
		hammer_data.inside = 1;
		hammer_data.counter++;
		hammer_data.inside = 0;
		uk_spin_unlock_irqrestore(&hammer_lock, flags);
	}
	/* Release: our critical sections happen before the caller's check. */
	__atomic_fetch_add(&hammer_done, 1, __ATOMIC_RELEASE);
}

/*
 * Runs fn on every online CPU, the others through remote calls, and waits
 * until *done (which fn increments with release when it is through) counts
 * them all, at most OTHERS_TIMEOUT_NS. Returns the count then.
 */
static unsigned int run_on_all_cpus(void (*fn)(void *), unsigned int *done)
{
	unsigned int n;
	__nsec t0;

	__atomic_store_n(done, 0, __ATOMIC_RELAXED);
	ukplat_lcpu_call_others(fn, NULL, 0);
	fn(NULL);
	t0 = ukplat_monotonic_clock();
	/* Acquire: pairs with fn's release. */
	while ((n = __atomic_load_n(done, __ATOMIC_ACQUIRE))
	       < ukplat_lcpu_count()
	       && ukplat_monotonic_clock() - t0 < OTHERS_TIMEOUT_NS)
		ukarch_spinwait();
	return n;
}

UK_TESTCASE(uklock, all_cpus_counter_is_exact)
{
	unsigned int cpus = ukplat_lcpu_count();

	hammer_data.counter = 0;
	hammer_data.overlaps = 0;
	hammer_data.inside = 0;
	hammer_iters = 20000;
	uk_spin_init(&hammer_lock);

	UK_TEST_REQUIRE(run_on_all_cpus(hammer, &hammer_done) == cpus);
	UK_TEST_EXPECT_UNUM_EQ(hammer_data.counter,
			       (unsigned long)cpus * hammer_iters);
	UK_TEST_EXPECT_UNUM_EQ(hammer_data.overlaps, 0);
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&hammer_lock));
	UK_TEST_EXPECT_UNUM_EQ(hammer_lock.head,
			       hammer_lock.word >> UK_SPIN_TICKET_SHIFT);
}

/*
 * The bound on passes, with every CPU taking one lock a fixed number of
 * times, holding it for a few pauses (at -smp 4 on a 2-core host, vCPUs are
 * preempted while they wait and while they hold it). Checked: the count of acquisitions is exact,
 * and nothing is left skipped, closed or queued. With LIBUKLOCK_DEBUG, the
 * lock counts for every waiter the acquisitions by others between its
 * ticket and its own, UK_ASSERTs the bound at each acquisition and keeps
 * the largest count, which must be within UK_SPIN_PASSES_MAX(CPUs). The
 * same count from the call of uk_spin_lock() is printed: it also covers
 * the instructions before the ticket, where a preempted vCPU is passed
 * over under any lock, so it is not asserted.
 */
#define BOUND_ITERS	20000
#define BOUND_HOLD	8	/* pauses inside, so that the others queue */

static struct uk_spinlock bound_lock = UK_SPINLOCK_INITIALIZER();
static struct {
	unsigned long seq;	/* acquisitions; written under the lock */
	unsigned long worst;	/* most passes from a call; under the lock */
} bound_data;
static unsigned int bound_ready;	/* CPUs arrived (atomic) */
static unsigned int bound_done;	/* CPUs finished (atomic) */

static void take_many(void *arg __unused)
{
	unsigned long i, flags, s0, s;
	__nsec t0 = ukplat_monotonic_clock();

	/*
	 * Start together (the others come through an IPI, later than the
	 * caller), waiting at most OTHERS_TIMEOUT_NS. Relaxed: only a start
	 * signal; the lock orders the data.
	 */
	__atomic_fetch_add(&bound_ready, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&bound_ready, __ATOMIC_RELAXED)
	       < ukplat_lcpu_count()
	       && ukplat_monotonic_clock() - t0 < OTHERS_TIMEOUT_NS)
		ukarch_spinwait();
	for (i = 0; i < BOUND_ITERS; i++) {
		/* Relaxed: a snapshot of the count, before queueing. */
		s0 = __atomic_load_n(&bound_data.seq, __ATOMIC_RELAXED);
		uk_spin_lock_irqsave(&bound_lock, flags);
		/* Relaxed: only the holder writes it. */
		s = __atomic_load_n(&bound_data.seq, __ATOMIC_RELAXED);
		__atomic_store_n(&bound_data.seq, s + 1, __ATOMIC_RELAXED);
		if (s - s0 > bound_data.worst)
			bound_data.worst = s - s0;
		for (s = 0; s < BOUND_HOLD; s++)
			ukarch_spinwait();
		uk_spin_unlock_irqrestore(&bound_lock, flags);
	}
	/* Release: our acquisitions happen before the caller's check. */
	__atomic_fetch_add(&bound_done, 1, __ATOMIC_RELEASE);
}

UK_TESTCASE(uklock, passes_are_bounded)
{
	unsigned int cpus = ukplat_lcpu_count();

	uk_spin_init(&bound_lock);
	bound_data.seq = 0;
	bound_data.worst = 0;
	__atomic_store_n(&bound_ready, 0, __ATOMIC_RELAXED);

	UK_TEST_REQUIRE(run_on_all_cpus(take_many, &bound_done) == cpus);
	UK_TEST_EXPECT_UNUM_EQ(bound_data.seq,
			       (unsigned long)cpus * BOUND_ITERS);
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&bound_lock));
	UK_TEST_EXPECT_UNUM_EQ(bound_lock.skipped, 0);
	UK_TEST_EXPECT_ZERO(bound_lock.word & UK_SPIN_CLOSED);
	UK_TEST_EXPECT_UNUM_EQ(bound_lock.head,
			       bound_lock.word >> UK_SPIN_TICKET_SHIFT);
#if CONFIG_LIBUKLOCK_DEBUG
	uk_test_printf("uklock: %u CPUs x %d: most passes from the ticket %u "
	       "(bound %lu), from the call %lu, %u tickets\n", cpus,
	       BOUND_ITERS, bound_lock.max_passes, UK_SPIN_PASSES_MAX(cpus),
	       bound_data.worst, (unsigned int)bound_lock.head);
	UK_TEST_EXPECT(bound_lock.max_passes <= UK_SPIN_PASSES_MAX(cpus));
#else
	uk_test_printf("uklock: %u CPUs x %d: most passes from the call %lu "
	       "(bound from the ticket %lu), %u tickets\n", cpus,
	       BOUND_ITERS, bound_data.worst, UK_SPIN_PASSES_MAX(cpus),
	       (unsigned int)bound_lock.head);
#endif
}

static struct uk_spinlock static_lock = UK_SPINLOCK_INITIALIZER();

/* Remote part of trylock_and_is_locked: trylock from another CPU. */
static int remote_trylock_result;

static void remote_trylock(void *arg)
{
	struct uk_spinlock *lock = arg;
	int r = uk_spin_trylock(lock);

	if (r)
		uk_spin_unlock(lock);
	/* Relaxed: ukplat_lcpu_call(wait = 1) returns after we did. */
	__atomic_store_n(&remote_trylock_result, r, __ATOMIC_RELAXED);
}

/* uk_spin_trylock(lock) on the next CPU; -1 when the call failed. */
static int trylock_on_next_cpu(struct uk_spinlock *lock)
{
	/* A waiting remote call wants interrupts enabled. */
	unsigned long flags = ukplat_lcpu_save_irqf();
	int ret;

	__atomic_store_n(&remote_trylock_result, -1, __ATOMIC_RELAXED);
	ukplat_lcpu_enable_irq();
	ret = ukplat_lcpu_call((ukplat_lcpu_idx() + 1) % ukplat_lcpu_count(),
			       remote_trylock, lock, 1);
	ukplat_lcpu_disable_irq();
	ukplat_lcpu_restore_irqf(flags);
	if (ret)
		return -1;
	return __atomic_load_n(&remote_trylock_result, __ATOMIC_RELAXED);
}

UK_TESTCASE(uklock, trylock_and_is_locked)
{
	struct uk_spinlock l;

	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&static_lock));
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&static_lock), 1);
	UK_TEST_EXPECT_NOT_ZERO(uk_spin_is_locked(&static_lock));
	/* Held (by us): trylock fails and changes nothing. */
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&static_lock), 0);
	UK_TEST_EXPECT_NOT_ZERO(uk_spin_is_locked(&static_lock));

	/* Another CPU cannot take it either (when there is one). */
	if (ukplat_lcpu_count() > 1)
		UK_TEST_EXPECT_SNUM_EQ(trylock_on_next_cpu(&static_lock), 0);
	uk_spin_unlock(&static_lock);
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&static_lock));
	if (ukplat_lcpu_count() > 1) {
		UK_TEST_EXPECT_SNUM_EQ(trylock_on_next_cpu(&static_lock), 1);
		UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&static_lock));
	}

	uk_spin_init(&l);
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&l));
	uk_spin_lock(&l);
	UK_TEST_EXPECT_NOT_ZERO(uk_spin_is_locked(&l));
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&l), 0);
	uk_spin_assert_held(&l);
	uk_spin_unlock(&l);
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&l), 1);
	uk_spin_unlock(&l);
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&l));
}

/*
 * The __spinlock identity (doc/reuse.md): upstream code declares __spinlock
 * objects and passes them to uk_spin_*(); they must get the one-word arch
 * lock. A FIFO lock there would write past the object, into the canary.
 */
UK_TESTCASE(uklock, arch_spinlock_keeps_its_size)
{
	struct {
		__spinlock l;
		__u32 canary;
	} s = { UK_SPINLOCK_INITIALIZER(), 0xc0ffee };
	uk_spinlock bare = UK_SPINLOCK_INITIALIZER();
	unsigned long saved = ukplat_lcpu_save_irqf(), flags;

	UK_TEST_EXPECT_SNUM_EQ(sizeof(s.l), sizeof(__u32));
	uk_spin_init(&s.l);
	uk_spin_lock(&s.l);
	UK_TEST_EXPECT_NOT_ZERO(ukarch_spin_is_locked(&s.l));
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&s.l), 0);
	uk_spin_unlock(&s.l);
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&s.l));
	uk_spin_lock_irqsave(&s.l, flags);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	UK_TEST_EXPECT_NOT_ZERO(ukarch_spin_is_locked(&s.l));
	uk_spin_unlock_irqrestore(&s.l, flags);
	uk_spin_lock_irq(&s.l);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irq(&s.l);
	UK_TEST_EXPECT_ZERO(ukarch_spin_is_locked(&s.l));
	UK_TEST_EXPECT_SNUM_EQ(s.canary, 0xc0ffee);
	ukplat_lcpu_disable_irq();
	ukplat_lcpu_restore_irqf(saved);

	/* The bare type name is the FIFO lock. */
	UK_TEST_EXPECT_SNUM_EQ(sizeof(bare), sizeof(struct uk_spinlock));
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&bare), 1);
	UK_TEST_EXPECT_NOT_ZERO(uk_spin_is_locked(&bare));
	uk_spin_unlock(&bare);
}

/* The _irq/_irqsave variants, starting with interrupts in state `off`. */
static void check_irq_variants(struct uk_testcase *esac, int off)
{
	struct uk_spinlock l = UK_SPINLOCK_INITIALIZER();
	unsigned long flags, inner;

	UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_irqs_disabled(), off);
	uk_spin_lock_irqsave(&l, flags);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irqrestore(&l, flags);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_irqs_disabled(), off);

	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock_irqsave(&l, flags), 1);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	/* Fails while held; restores what it saved (disabled). */
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock_irqsave(&l, inner), 0);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irqrestore(&l, flags);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_irqs_disabled(), off);

	/* _irq: disabled while held, enabled afterwards whatever before. */
	uk_spin_lock_irq(&l);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock_irq(&l);
	UK_TEST_EXPECT_ZERO(ukplat_lcpu_irqs_disabled());
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock_irq(&l), 1);
	UK_TEST_EXPECT_NOT_ZERO(ukplat_lcpu_irqs_disabled());
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock_irq(&l), 0);
	UK_TEST_EXPECT_ZERO(ukplat_lcpu_irqs_disabled());
	uk_spin_unlock(&l);
}

UK_TESTCASE(uklock, irqsave_restores_interrupt_state)
{
	unsigned long saved = ukplat_lcpu_save_irqf();

	/* Both starting states, whatever the boot left. */
	ukplat_lcpu_disable_irq();
	check_irq_variants(esac, 1);
	ukplat_lcpu_disable_irq();
	ukplat_lcpu_enable_irq();
	check_irq_variants(esac, 0);

	ukplat_lcpu_disable_irq();
	ukplat_lcpu_restore_irqf(saved);
}

#if CONFIG_LIBUKLOCK_DEBUG
UK_TESTCASE(uklock, debug_held_count)
{
	struct uk_spinlock a = UK_SPINLOCK_INITIALIZER();
	struct uk_spinlock b = UK_SPINLOCK_INITIALIZER();
	unsigned int before = uk_spin_held_count();
	unsigned long flags;

	uk_spin_lock(&a);
	uk_spin_assert_held(&a);
	UK_TEST_EXPECT_UNUM_EQ(a.owner, ukplat_lcpu_idx() + 1);
	UK_TEST_EXPECT_UNUM_EQ(uk_spin_held_count(), before + 1);
	uk_spin_lock_irqsave(&b, flags);
	UK_TEST_EXPECT_UNUM_EQ(uk_spin_held_count(), before + 2);
	UK_TEST_EXPECT_SNUM_EQ(uk_spin_trylock(&a), 0);
	UK_TEST_EXPECT_UNUM_EQ(uk_spin_held_count(), before + 2);
	uk_spin_unlock_irqrestore(&b, flags);
	uk_spin_unlock(&a);
	UK_TEST_EXPECT_UNUM_EQ(uk_spin_held_count(), before);
	UK_TEST_EXPECT_UNUM_EQ(a.owner, 0);
}
#endif
