/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest: an _irqsave spinlock shared by threads and the timer interrupt
 * handler of the same CPU does not deadlock, and loses no increment.
 */
#include <stdio.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/spinlock.h>
#include <uk/test.h>

#define MAXCPU CONFIG_UKPLAT_LCPU_MAXCOUNT
#define PERIOD_NS 200000ULL
#define THREAD_ROUNDS 20000

uk_testsuite_register(uklock_irq, NULL);

static struct uk_spinlock irq_lock = UK_SPINLOCK_INITIALIZER();
static unsigned long total;		/* protected by irq_lock */
static unsigned long irq_hits[MAXCPU], thread_done;
static int ticking[MAXCPU];
static ukplat_timer_fn_t saved_fn[MAXCPU];
static void *saved_arg[MAXCPU];

/* Timer interrupt: take the lock (interrupts are off here), re-arm. */
static void tick(void *arg __unused)
{
	unsigned int cpu = ukplat_lcpu_idx();

	uk_spin_lock(&irq_lock);
	total++;
	uk_spin_unlock(&irq_lock);
	irq_hits[cpu]++;
	if (ticking[cpu])
		ukplat_timer_set(ukplat_monotonic_clock() + PERIOD_NS);
}

static void worker(void *arg __unused)
{
	unsigned int cpu = ukplat_lcpu_idx();
	unsigned long f;
	int i;

	ukplat_timer_get_handler(&saved_fn[cpu], &saved_arg[cpu]);
	ticking[cpu] = 1;
	ukplat_timer_set_handler(tick, NULL);
	ukplat_timer_set(ukplat_monotonic_clock() + PERIOD_NS);
	for (i = 0; i < THREAD_ROUNDS; i++) {
		uk_spin_lock_irqsave(&irq_lock, f);
		total++;
		for (volatile int k = 0; k < 50; k++)
			;	/* a window for the timer to hit */
		uk_spin_unlock_irqrestore(&irq_lock, f);
	}
	/* At least one tick hit us; then give the timer back, no tick pending. */
	while (__atomic_load_n(&irq_hits[cpu], __ATOMIC_RELAXED) == 0)
		ukarch_spinwait();
	f = ukplat_lcpu_save_irqf();
	ticking[cpu] = 0;
	ukplat_timer_cancel();
	ukplat_timer_set_handler(saved_fn[cpu], saved_arg[cpu]);
	ukplat_lcpu_restore_irqf(f);
	__atomic_fetch_add(&thread_done, 1, __ATOMIC_RELEASE);
}

UK_TESTCASE(uklock_irq, irqsave_lock_shared_with_timer_handler)
{
	unsigned int n = ukplat_lcpu_count(), i;
	struct uk_thread *t[MAXCPU];
	unsigned long hits = 0, f;

	total = thread_done = 0;
	for (i = 0; i < n; i++)
		irq_hits[i] = 0;
	for (i = 0; i < n; i++)
		t[i] = uk_sched_thread_create_on((int)i, worker, NULL, "irqlock");
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
	uk_spin_lock_irqsave(&irq_lock, f);
	for (i = 0; i < n; i++)
		hits += irq_hits[i];
	UK_TEST_EXPECT_UNUM_EQ(total, (unsigned long)n * THREAD_ROUNDS + hits);
	uk_spin_unlock_irqrestore(&irq_lock, f);
	UK_TEST_EXPECT_UNUM_GE(hits, n);
	printf("    %u CPUs: %lu thread and %lu timer-interrupt acquisitions\n",
	       n, (unsigned long)n * THREAD_ROUNDS, hits);
}
