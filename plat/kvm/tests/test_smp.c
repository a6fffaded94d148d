/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite for SMP: CPUs online, per-CPU data, remote calls, IPI storms, timers, vectors, IOAPIC. */
#include <errno.h>
#include <stdio.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/test.h>
#include <kvm/acpi.h>
#include <kvm/apic.h>
#include <kvm/lcpu.h>
#include <kvm/timer.h>

#define MAXCPU CONFIG_UKPLAT_LCPU_MAXCOUNT
#define WAIT_NS (30ULL * 1000000000ULL)	/* generous: TCG on 2 loaded host cores */

uk_testsuite_register(plat_smp, NULL);

/* Spins until *v reaches want or WAIT_NS pass; returns the last value. */
static unsigned long wait_for(unsigned long *v, unsigned long want)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	unsigned long now;

	/* Acquire: what the CPUs did before counting is visible. */
	while ((now = __atomic_load_n(v, __ATOMIC_ACQUIRE)) < want
	       && ukplat_monotonic_clock() < end)
		ukarch_spinwait();
	return now;
}

struct whoami {
	unsigned int idx, apic;
};
static struct whoami seen[MAXCPU];

static void record_whoami(void *arg __unused)
{
	unsigned int i = ukplat_lcpu_idx();

	seen[i].idx = i;
	seen[i].apic = kvm_lapic_id();
}

UK_TESTCASE(plat_smp, every_cpu_online_and_ids_consistent)
{
	unsigned int n = ukplat_lcpu_count(), i, j, bad = 0, dup = 0;

#if CONFIG_KVM_TEST_FAIL_FIRST_AP
	UK_TEST_EXPECT_UNUM_EQ(n, kvm_cpus.ncpus - 1);	/* one left out */
	if (kvm_cpus.ncpus > 2)
		UK_TEST_EXPECT_UNUM_EQ(ukplat_lcpu_id(1), kvm_cpus.apic_id[2]);
#else
	UK_TEST_EXPECT_UNUM_EQ(n, kvm_cpus.ncpus);
#endif
	for (i = 0; i < n; i++) {
		seen[i].idx = ~0U;
		UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_call(i, record_whoami, NULL,
							1), 0);
	}
	for (i = 0; i < n; i++) {
		bad += seen[i].idx != i || seen[i].apic != ukplat_lcpu_id(i);
		for (j = i + 1; j < n; j++)
			dup += ukplat_lcpu_id(i) == ukplat_lcpu_id(j);
	}
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	UK_TEST_EXPECT_UNUM_EQ(dup, 0);
	UK_TEST_EXPECT_UNUM_EQ(ukplat_lcpu_id(n), ~0U);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_call(n, record_whoami, NULL, 1),
			       -EINVAL);
	if (n > 1)
		UK_TEST_EXPECT_UNUM_GE(ukplat_lcpu_online_time(), 1);
}

static UKPLAT_PER_LCPU_DEFINE(unsigned long, pcpu_value);

static void write_pcpu(void *arg __unused)
{
	ukplat_per_lcpu_current(pcpu_value) = 1000 + ukplat_lcpu_idx();
}

UK_TESTCASE(plat_smp, per_cpu_variables_are_distinct)
{
	unsigned int n = ukplat_lcpu_count(), i, bad = 0;

	write_pcpu(NULL);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_call_others(write_pcpu, NULL, 1),
			       (long)n - 1);
	for (i = 0; i < n; i++)
		bad += ukplat_per_lcpu(pcpu_value, i) != 1000 + i;
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	UK_TEST_EXPECT_UNUM_EQ((char *)&ukplat_per_lcpu(pcpu_value, 1)
			       - (char *)&ukplat_per_lcpu(pcpu_value, 0),
			       UKARCH_CACHE_LINE_SIZE);
}

/* calls[i] counts calls run on CPU i; all-to-all rounds. */
static unsigned long calls[MAXCPU], storm_done;
#define STORM_ROUNDS 200

static void count_call(void *arg __unused)
{
	/* Relaxed: only the total matters, read after the done barrier. */
	__atomic_fetch_add(&calls[ukplat_lcpu_idx()], 1, __ATOMIC_RELAXED);
}

/* Every CPU sends STORM_ROUNDS calls to all others: sync or async. */
static void storm(void *arg)
{
	int wait = arg != NULL, r;

	for (r = 0; r < STORM_ROUNDS; r++)
		ukplat_lcpu_call_others(count_call, NULL, wait);
	/* A final waited call per target: FIFO per sender, so all ran. */
	ukplat_lcpu_call_others(count_call, NULL, 1);
	/* Release: our calls are accounted before we say we are done. */
	__atomic_fetch_add(&storm_done, 1, __ATOMIC_RELEASE);
}

static void run_storm(struct uk_testcase *esac, int wait)
{
	unsigned int n = ukplat_lcpu_count(), i, bad = 0;

	for (i = 0; i < n; i++)
		calls[i] = 0;
	storm_done = 0;
	/* The others start from an async call; we take part directly. */
	ukplat_lcpu_call_others(storm, wait ? (void *)1 : NULL, 0);
	storm(wait ? (void *)1 : NULL);
	UK_TEST_EXPECT_UNUM_EQ(wait_for(&storm_done, n), n);
	for (i = 0; i < n; i++)
		bad += calls[i] != (unsigned long)(STORM_ROUNDS + 1) * (n - 1);
	UK_TEST_EXPECT_UNUM_EQ(bad, 0);
	printf("    %u CPUs, %u remote calls each way, %s\n", n,
	       STORM_ROUNDS + 1, wait ? "waited" : "async");
}

UK_TESTCASE(plat_smp, all_cpus_call_all_others_at_once)
{
	run_storm(esac, 1);
}

UK_TESTCASE(plat_smp, ipi_storm_loses_nothing)
{
	run_storm(esac, 0);
}

static __nsec timer_deadline[MAXCPU], timer_fired_at[MAXCPU];
static unsigned long timers_fired;
/* Each CPU's handler before the test (a scheduler's), put back after. */
static ukplat_timer_fn_t saved_fn[MAXCPU];
static void *saved_arg[MAXCPU];

static void timer_cb(void *arg __unused)
{
	unsigned int i = ukplat_lcpu_idx();

	timer_fired_at[i] = ukplat_monotonic_clock();
	ukplat_timer_set_handler(saved_fn[i], saved_arg[i]);
	__atomic_fetch_add(&timers_fired, 1, __ATOMIC_RELEASE);
}

static void arm_timer(void *arg __unused)
{
	unsigned int i = ukplat_lcpu_idx();

	timer_fired_at[i] = 0;
	timer_deadline[i] = ukplat_monotonic_clock() + 3000000;	/* 3 ms */
	ukplat_timer_get_handler(&saved_fn[i], &saved_arg[i]);
	ukplat_timer_set_handler(timer_cb, NULL);
	ukplat_timer_set(timer_deadline[i]);
}

/* Each CPU's timer fires not before its deadline, and within 100 ms. */
UK_TESTCASE(plat_smp, each_cpu_timer_fires_on_time)
{
	unsigned int n = ukplat_lcpu_count(), i, early = 0, late = 0;

	timers_fired = 0;
	ukplat_lcpu_call_others(arm_timer, NULL, 1);
	arm_timer(NULL);
	UK_TEST_EXPECT_UNUM_EQ(wait_for(&timers_fired, n), n);
	for (i = 0; i < n; i++) {
		early += timer_fired_at[i] < timer_deadline[i];
		late += timer_fired_at[i] > timer_deadline[i] + 100000000ULL;
	}
	UK_TEST_EXPECT_UNUM_EQ(early, 0);
	UK_TEST_EXPECT_UNUM_EQ(late, 0);
}

/* One clock: what one CPU reads after another's read is never earlier. */
static unsigned long pp_turn;
static __nsec pp_time;
static int pp_backwards;
#define PP_ROUNDS 500

static void ping_pong(void *arg)
{
	unsigned long side = (unsigned long)arg, r;

	for (r = side; r < 2 * PP_ROUNDS; r += 2) {
		if (wait_for(&pp_turn, r) != r)
			return;
		pp_backwards += ukplat_monotonic_clock() < pp_time;
		pp_time = ukplat_monotonic_clock();
		/* Release: pp_time is written before the turn passes. */
		__atomic_store_n(&pp_turn, r + 1, __ATOMIC_RELEASE);
	}
}

UK_TESTCASE(plat_smp, clock_agrees_across_cpus)
{
	unsigned int n = ukplat_lcpu_count(), i;

	for (i = 1; i < n; i++) {
		pp_turn = 0;
		pp_time = 0;
		pp_backwards = 0;
		ukplat_lcpu_call(i, ping_pong, (void *)1, 0);
		ping_pong((void *)0);
		UK_TEST_EXPECT_UNUM_EQ(wait_for(&pp_turn, 2 * PP_ROUNDS),
				       2 * PP_ROUNDS);
		UK_TEST_EXPECT_SNUM_EQ(pp_backwards, 0);
		/* Measured now (not at boot): within its bound of zero. */
		kvm_tsc_offset_measure(i);
		UK_TEST_EXPECT_UNUM_LE(kvm_lcpus[i].tsc_offset < 0
				       ? -kvm_lcpus[i].tsc_offset
				       : kvm_lcpus[i].tsc_offset,
				       kvm_lcpus[i].tsc_offset_err
				       + ukplat_tsc_frequency() / 1000);
	}
	UK_TEST_EXPECT(1);	/* also meaningful with one CPU: ran */
}

/*
 * Under QEMU TCG each CPU's timer ticks every KVM_TCG_TLB_TICK_NS; a tick
 * that interrupts running code flushes the CPU's TLB, one that wakes it
 * from hlt does not (tcg_tlb.c). Without TCG there is no tick.
 */
struct tick_counts {
	unsigned long ticks, flushes, idle;
};

/*
 * Acquire for the classes: pairs with their release increments in
 * kvm_tcg_tlb_tick(), which follow the tick's own count, so the ticks read
 * afterwards are at least flushes + idle. On the calling CPU with
 * interrupts off the three cannot move: then ticks == flushes + idle.
 */
static void tick_read(unsigned int i, struct tick_counts *c)
{
	c->flushes = __atomic_load_n(&kvm_lcpus[i].tlb_flushes,
				     __ATOMIC_ACQUIRE);
	c->idle = __atomic_load_n(&kvm_lcpus[i].tlb_idle, __ATOMIC_ACQUIRE);
	c->ticks = __atomic_load_n(&kvm_lcpus[i].tlb_ticks, __ATOMIC_RELAXED);
}

/* Every CPU's counts since the snapshot c0, read with interrupts off. */
static void tick_deltas(unsigned int n, const struct tick_counts *c0,
			struct tick_counts *d)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int i;

	for (i = 0; i < n; i++) {
		tick_read(i, &d[i]);
		d[i].ticks -= c0[i].ticks;
		d[i].flushes -= c0[i].flushes;
		d[i].idle -= c0[i].idle;
	}
	ukplat_lcpu_restore_irqf(irqf);
}

/*
 * The events the test waits for: 6 ticks on this (busy) CPU, and on every
 * other (idle) CPU 3 ticks of which one at least woke it from hlt. Counts,
 * not time: a loaded host delivers a vCPU's ticks late, but delivers them.
 */
static int enough_ticks(unsigned int n, unsigned int me,
			const struct tick_counts *d)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (i == me ? d[i].ticks < 6
			    : d[i].ticks < 3 || d[i].idle < 1)
			return 0;
	return 1;
}

/*
 * What the design guarantees, and nothing about how many ticks fall into
 * which window: every tick of a CPU that is busy (spinning here, never in
 * hlt) flushes, exactly; an idle CPU's tick that woke it from hlt does not
 * (the wait above ends only after one such tick on every idle CPU); each
 * tick is one or the other. An idle CPU's tick that came in while the host
 * held it away between two hlts flushes, which is right (it ran code).
 */
UK_TESTCASE(plat_smp, tcg_tlb_tick_flushes_busy_cpus_only)
{
	unsigned int n = ukplat_lcpu_count(), me = ukplat_lcpu_idx(), i;
	struct tick_counts c0[MAXCPU], d[MAXCPU];
	unsigned long irqf;
	__nsec end;

	irqf = ukplat_lcpu_save_irqf();
	for (i = 0; i < n; i++)
		tick_read(i, &c0[i]);
	ukplat_lcpu_restore_irqf(irqf);
	/*
	 * Busy, interrupts enabled, the others idle, until the events are
	 * counted; 60 s only bounds a broken run (6000 tick periods).
	 * Without TCG for 6 periods, in which no tick may come.
	 */
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());
	end = ukplat_monotonic_clock() + (kvm_tcg_tlb_enabled() ?
		UKARCH_NSEC_PER_SEC * 60 : 6 * KVM_TCG_TLB_TICK_NS);
	do {
		ukarch_spinwait();
		tick_deltas(n, c0, d);
	} while (ukplat_monotonic_clock() < end &&
		 !(kvm_tcg_tlb_enabled() && enough_ticks(n, me, d)));
	if (!kvm_tcg_tlb_enabled()) {
		for (i = 0; i < n; i++)
			UK_TEST_EXPECT_UNUM_EQ(d[i].ticks, 0);
		return;
	}
	UK_TEST_EXPECT(enough_ticks(n, me, d));
	UK_TEST_EXPECT_UNUM_EQ(d[me].idle, 0);
	UK_TEST_EXPECT_UNUM_EQ(d[me].flushes, d[me].ticks);
	/* Others: their counts move while read; the snapshot skew is one. */
	for (i = 0; i < n; i++)
		if (i != me)
			UK_TEST_EXPECT_UNUM_LE(d[i].flushes + d[i].idle,
					       d[i].ticks + 1);
}

static int dummy_handler(void *arg __unused)
{
	return 1;
}

UK_TESTCASE(plat_smp, vectors_run_out_cleanly)
{
	unsigned int cpu = ukplat_lcpu_count() - 1, got = 0, i;
	int vec[256];
	__u64 addr;
	__u32 data;

	for (;;) {
		int v = ukplat_irq_alloc_vector(cpu, dummy_handler, NULL);

		if (v < 0) {
			UK_TEST_EXPECT_SNUM_EQ(v, -ENOSPC);
			break;
		}
		vec[got++] = v;
		UK_TEST_REQUIRE(got < 256);
	}
	UK_TEST_EXPECT_UNUM_GE(got, 100);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_irq_msi_compose(cpu, vec[0], &addr,
						      &data), 0);
	UK_TEST_EXPECT_UNUM_EQ(addr, 0xfee00000ULL
			       | ((__u64)ukplat_lcpu_id(cpu) << 12));
	UK_TEST_EXPECT_UNUM_EQ(data, (unsigned int)vec[0]);
	for (i = 0; i < got; i++)
		UK_TEST_EXPECT_SNUM_EQ(ukplat_irq_free_vector(cpu, vec[i]), 0);
	UK_TEST_EXPECT_SNUM_GE(ukplat_irq_alloc_vector(cpu, dummy_handler,
						       NULL), 0x30);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_irq_alloc_vector(ukplat_lcpu_count(),
						       dummy_handler, NULL),
			       -EINVAL);
}

/* COM1 raises IRQ 4 when its transmit register is empty (IER bit 1). */
static unsigned long com1_irqs;

static int com1_handler(void *arg __unused)
{
	outb(0x3f9, 0);		/* one is enough: interrupts off again */
	__atomic_fetch_add(&com1_irqs, 1, __ATOMIC_RELEASE);
	return 1;
}

UK_TESTCASE(plat_smp, ioapic_delivers_serial_irq)
{
	com1_irqs = 0;
	UK_TEST_REQUIRE(ukplat_irq_register(4, com1_handler, NULL) == 0);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_irq_register(4, com1_handler, NULL),
			       -EBUSY);
	outb(0x3f9, 0x02);
	UK_TEST_EXPECT_UNUM_GE(wait_for(&com1_irqs, 1), 1);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_irq_unregister(4), 0);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_irq_register(16, com1_handler, NULL),
			       -EINVAL);
}
