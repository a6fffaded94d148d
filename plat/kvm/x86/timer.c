/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU one-shot timers on the local APIC timer, calibrated against the
 * TSC clock; under QEMU TCG also the TLB tick (tcg_tlb.c).
 */
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/boot.h>
#include <kvm/apic.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>
#include <kvm/timer.h>

/*
 * Under QEMU the LAPIC timer counts at 1 GHz (TCG) or the bus clock (KVM):
 * 250 us are 250,000 counts or more; a try whose TSC brackets exceed 0.1 %
 * of the window (the vCPU was preempted) is repeated.
 */
#define CALIBRATE_US	250
#define CALIBRATE_TRIES	8
#define MAX_COUNT	0xffffffffULL

/* LAPIC timer ticks per second (divide by 1); the bus clock is shared. */
static __u64 lapic_hz;

/* The timer's count, read between two TSC reads: their middle, width. */
static __u32 count_at(__u64 *tsc, __u64 *width)
{
	__u64 a = rdtsc();
	__u32 c = kvm_lapic_timer_count();
	__u64 b = rdtsc();

	*tsc = a + (b - a) / 2;
	*width = b - a;
	return c;
}

static int timer_irq(void *arg);

/* Counts LAPIC ticks over CALIBRATE_US of TSC time; returns its rate. */
static __u64 lapic_measure(void)
{
	__u64 t0, t1, w0, w1, tsc_hz = ukplat_tsc_frequency();
	__u64 window = tsc_hz * CALIBRATE_US / 1000000;
	unsigned int try;
	__u32 c0, c1;

	for (try = 0; try < CALIBRATE_TRIES; try++) {
		kvm_lapic_timer_oneshot(0xffffffff);
		c0 = count_at(&t0, &w0);
		do
			c1 = count_at(&t1, &w1);
		while (t1 - t0 < window);
		kvm_lapic_timer_oneshot(0);
		if ((w0 + w1) * 1000 < t1 - t0)
			break;
	}
	return (__u64)(c0 - c1) * tsc_hz / (t1 - t0);
}

/*
 * Boot CPU, before the APs start: installs the timer vector on every CPU
 * and takes the LAPIC timer's rate from the platform, or measures it.
 */
void kvm_timer_init(void)
{
	kvm_irq_set_global(KVM_VEC_TIMER, timer_irq, NULL);
	lapic_hz = kvm_bus_frequency();
	if (!lapic_hz)
		lapic_hz = lapic_measure();
	kvm_tcg_tlb_init();
}

static void arm(__nsec deadline)
{
	__nsec now = ukplat_monotonic_clock();
	__u64 count = 1;

	if (deadline > now) {
		__u64 ns = deadline - now;

		count = (__u64)(((unsigned __int128)ns * lapic_hz)
				/ UKARCH_NSEC_PER_SEC);
		count = MIN(MAX(count, 1ULL), MAX_COUNT);
	}
	kvm_lapic_timer_oneshot((__u32)count);
}

/*
 * The next event of this CPU's one-shot LAPIC timer: the deadline, or the
 * TCG TLB tick when that comes first (tcg_tlb.c); 0 when neither is set.
 */
static __nsec next_event(struct kvm_lcpu *l)
{
	__nsec d = l->timer_deadline;

	if (l->tlb_tick_at && (!d || l->tlb_tick_at < d))
		d = l->tlb_tick_at;
	return d;
}

/* Interrupts disabled. */
static void rearm(struct kvm_lcpu *l)
{
	__nsec d = next_event(l);

	if (d)
		arm(d);
	else
		kvm_lapic_timer_oneshot(0);
}

static int timer_irq(void *arg __unused)
{
	struct kvm_lcpu *l = kvm_lcpu_this();
	__nsec now = ukplat_monotonic_clock();
	__nsec deadline = l->timer_deadline;

	if (l->tlb_tick_at && now >= l->tlb_tick_at) {
		l->tlb_tick_at = now + KVM_TCG_TLB_TICK_NS;
		kvm_tcg_tlb_tick(l);
	}
	/* 0: cancelled meanwhile; not due: beyond one count range. */
	if (deadline && now >= deadline) {
		l->timer_deadline = 0;
		if (l->timer_fn)
			l->timer_fn(l->timer_arg);
	}
	rearm(l);
	return 1;
}

/*
 * Also where a CPU's TLB tick starts under TCG: its scheduler installs the
 * handler once it runs, after the boot-time TSC measurements, which a
 * tick could disturb.
 */
void ukplat_timer_set_handler(ukplat_timer_fn_t fn, void *arg)
{
	struct kvm_lcpu *l = kvm_lcpu_this();
	unsigned long f = ukplat_lcpu_save_irqf();

	l->timer_fn = fn;
	l->timer_arg = arg;
	if (kvm_tcg_tlb_enabled() && !l->tlb_tick_at) {
		l->tlb_tick_at = ukplat_monotonic_clock()
				 + KVM_TCG_TLB_TICK_NS;
		rearm(l);
	}
	ukplat_lcpu_restore_irqf(f);
}

void ukplat_timer_get_handler(ukplat_timer_fn_t *fn, void **arg)
{
	struct kvm_lcpu *l = kvm_lcpu_this();
	unsigned long f = ukplat_lcpu_save_irqf();

	*fn = l->timer_fn;
	*arg = l->timer_arg;
	ukplat_lcpu_restore_irqf(f);
}

void ukplat_timer_set(__nsec deadline)
{
	struct kvm_lcpu *l = kvm_lcpu_this();
	unsigned long f = ukplat_lcpu_save_irqf();

	l->timer_deadline = deadline ? deadline : 1;
	rearm(l);
	ukplat_lcpu_restore_irqf(f);
}

void ukplat_timer_cancel(void)
{
	struct kvm_lcpu *l = kvm_lcpu_this();
	unsigned long f = ukplat_lcpu_save_irqf();

	l->timer_deadline = 0;
	rearm(l);
	ukplat_lcpu_restore_irqf(f);
}

__u64 kvm_timer_frequency(void)
{
	return lapic_hz;
}
