/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU one-shot timers on the local APIC timer (its rate comes from
 * tsc.c); under QEMU TCG also the TLB tick (tcg_tlb.c).
 */
#include <uk/assert.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/boot.h>
#include <kvm/apic.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>
#include <kvm/timer.h>

#define MAX_COUNT	0xffffffffULL

/* LAPIC timer ticks per second (divide by 1), from tsc.c. */
static __u64 lapic_hz;

static int timer_irq(void *arg);

/*
 * Boot CPU, before the APs start, after kvm_tsc_init() (which states or
 * measures the LAPIC timer's rate): installs the timer vector on every CPU.
 */
void kvm_timer_init(void)
{
	kvm_irq_set_global(KVM_VEC_TIMER, timer_irq, NULL);
	lapic_hz = kvm_bus_frequency();
	UK_ASSERT(lapic_hz);
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
