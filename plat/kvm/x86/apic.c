/* SPDX-License-Identifier: BSD-3-Clause */
/* Local APIC through its xAPIC MMIO window (TCG has no x2APIC), and the IOAPIC. */
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>
#include <kvm/acpi.h>
#include <kvm/apic.h>
#include <kvm/irq.h>

#define LAPIC_ID	0x020
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ESR	0x280
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERR	0x370
#define LAPIC_TMR_INIT	0x380
#define LAPIC_TMR_CUR	0x390
#define LAPIC_TMR_DIV	0x3e0
#define SVR_ENABLE	0x100
#define LVT_MASKED	0x10000
#define ICR_PENDING	0x1000
#define ICR_NMI		0x400
#define ICR_ASSERT	0x4000
#define ICR_ALL_BUT_SELF 0xc0000
#define MSR_APIC_BASE	0x1b
#define APIC_BASE_EN	(1 << 11)
#define APIC_BASE_X2	(1 << 10)

#define IOAPIC_REGSEL	0x00
#define IOAPIC_WIN	0x10
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

static volatile __u32 *lapic_reg(unsigned int off)
{
	return (volatile __u32 *)(kvm_cpus.lapic_base + off);
}

static __u32 lapic_read(unsigned int off)
{
	return *lapic_reg(off);
}

static void lapic_write(unsigned int off, __u32 v)
{
	*lapic_reg(off) = v;
}

__u32 kvm_cpuid_apic_id(void)
{
	__u32 a, b, c, d;

	ukarch_cpuid(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

__u32 kvm_lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

/* Enables this CPU's LAPIC in xAPIC mode with every local source masked. */
void kvm_lapic_init(void)
{
	__u64 base = rdmsr(MSR_APIC_BASE);

	/* Firmware may have left x2APIC on (KVM): xAPIC needs it off first. */
	if (base & APIC_BASE_X2)
		wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_X2 | APIC_BASE_EN));
	wrmsr(MSR_APIC_BASE, (kvm_cpus.lapic_base & ~0xfffULL) | APIC_BASE_EN
	      | (base & 0x100 /* BSP flag */));
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | KVM_VEC_TIMER);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERR, LVT_MASKED);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | KVM_VEC_SPURIOUS);
	lapic_write(LAPIC_EOI, 0);
}

int kvm_lapic_irr_test(unsigned int vector)
{
	/* IRR: eight 32-bit registers, 16 bytes apart, from 0x200. */
	return (lapic_read(0x200 + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

void kvm_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void icr_wait(void)
{
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		ukarch_spinwait();
}

/*
 * Sends one IPI. ICR writes are not atomic (two registers), so interrupts
 * are off: a handler sending its own IPI in between would mix them up.
 */
void kvm_lapic_send_ipi(__u32 apic_id, __u32 icr_low)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	icr_wait();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_low);
	icr_wait();
	ukplat_lcpu_restore_irqf(f);
}

void kvm_lapic_send_nmi_others(void)
{
	icr_wait();
	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_NMI);
}

/* One-shot timer, divide by 1; count 0 stops it. */
void kvm_lapic_timer_oneshot(__u32 count)
{
	lapic_write(LAPIC_TMR_DIV, 0xb);
	lapic_write(LAPIC_LVT_TIMER, KVM_VEC_TIMER);
	lapic_write(LAPIC_TMR_INIT, count);
}

__u32 kvm_lapic_timer_count(void)
{
	return lapic_read(LAPIC_TMR_CUR);
}

static void ioapic_write(unsigned int reg, __u32 v)
{
	volatile __u32 *base = (volatile __u32 *)kvm_cpus.ioapic_base;

	base[IOAPIC_REGSEL / 4] = reg;
	base[IOAPIC_WIN / 4] = v;
}

/* Edge-triggered, active high, fixed delivery to one CPU (ISA lines). */
void kvm_ioapic_route(unsigned int gsi, unsigned int vector, __u32 apic_id)
{
	ioapic_write(IOAPIC_REDTBL(gsi) + 1, apic_id << 24);
	ioapic_write(IOAPIC_REDTBL(gsi), vector);
}

void kvm_ioapic_mask(unsigned int gsi)
{
	ioapic_write(IOAPIC_REDTBL(gsi), LVT_MASKED);
}
