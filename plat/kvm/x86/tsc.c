/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Monotonic clock from the TSC. Its frequency comes from where the
 * platform states it (CPUID leaf 0x15, the hypervisor's timing leaf
 * 0x40000010), otherwise from counting TSC ticks over CALIBRATE_MS of the
 * PIT (QEMU TCG states nothing), with an error bound computed from the
 * measurement itself.
 */
#include <stdio.h>
#include <uk/arch/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/boot.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61	/* bit 0: ch2 gate, bit 1: speaker */
#define PIT_CH2_LATCH	0x80
#define CALIBRATE_MS	2
#define MEASURE_TRIES	8
#define HV_LEAF_BASE	0x40000000
#define HV_LEAF_TIMING	0x40000010	/* EAX: TSC kHz, EBX: bus kHz */

static __u64 tsc_hz;
static __u64 ns_mult;	/* ns = (tsc delta * ns_mult) >> 32 */
static __u64 bus_hz;	/* LAPIC timer clock when stated, else 0 */
static char source[64];	/* where tsc_hz came from, with its bound */
static __u64 last_brackets;	/* of kvm_pit_tsc_measure()'s last try */

static void pit_ch2_start(void)
{
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);	/* channel 2, lo/hi byte, mode 0, binary */
	outb(PIT_CH2, 0xff);
	outb(PIT_CH2, 0xff);
}

/*
 * Latches channel 2's count between two TSC reads. The latch instant lies
 * in [a, b]; *tsc gets the middle and *width the uncertainty.
 */
static __u16 pit_ch2_latch(__u64 *tsc, __u64 *width)
{
	__u64 a, b;
	__u8 lo, hi;

	a = rdtsc();
	outb(PIT_CMD, PIT_CH2_LATCH);
	b = rdtsc();
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	*tsc = a + (b - a) / 2;
	*width = b - a;
	return (__u16)(lo | hi << 8);
}

/*
 * Counts TSC ticks against at least ms (<= 40) milliseconds of PIT ticks.
 * Both ends are bracketed by TSC reads, so a vCPU that the host preempts
 * in between (normal under TCG) does not skew the result; a try whose
 * brackets exceed 0.2 % of the window is repeated. Returns 0, or -1 when
 * no try was clean (the last one is stored anyway).
 */
int kvm_pit_tsc_measure(unsigned int ms, __u64 *tsc_ticks, __u64 *pit_ticks)
{
	__u64 want = PIT_HZ * ms / 1000, t0, t1, w0, w1;
	unsigned int try;
	__u16 c0, c1;

	for (try = 0; try < MEASURE_TRIES; try++) {
		pit_ch2_start();
		c0 = pit_ch2_latch(&t0, &w0);
		do
			c1 = pit_ch2_latch(&t1, &w1);
		while ((__u16)(c0 - c1) < want);
		*tsc_ticks = t1 - t0;
		*pit_ticks = (__u16)(c0 - c1);
		last_brackets = w0 + w1;
		if ((w0 + w1) * 500 < *tsc_ticks)
			return 0;
	}
	return -1;
}

/* CPUID leaf 0x15: TSC = crystal * EBX / EAX, when all three are given. */
static __u64 cpuid_tsc_hz(void)
{
	__u32 max, a, b, c, d;

	ukarch_cpuid(0, 0, &max, &b, &c, &d);
	if (max < 0x15)
		return 0;
	ukarch_cpuid(0x15, 0, &a, &b, &c, &d);
	if (!a || !b || !c)
		return 0;
	return (__u64)c * b / a;
}

/* The hypervisor's timing leaf (KVM with an invariant TSC, VMware). */
static __u64 hv_tsc_hz(void)
{
	__u32 max, a, b, c, d;

	ukarch_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c >> 31))		/* no hypervisor */
		return 0;
	ukarch_cpuid(HV_LEAF_BASE, 0, &max, &b, &c, &d);
	if (max < HV_LEAF_TIMING || max > HV_LEAF_BASE + 0xffff)
		return 0;
	ukarch_cpuid(HV_LEAF_TIMING, 0, &a, &b, &c, &d);
	if (!a)
		return 0;
	bus_hz = (__u64)b * 1000;
	return (__u64)a * 1000;
}

/*
 * Counts TSC ticks over CALIBRATE_MS of the PIT. The error bound: each
 * end's TSC bracket (the latch instant lies in it) plus one PIT count at
 * each end (a latched count is the integer part).
 */
static __u64 pit_tsc_hz(unsigned long *ppm)
{
	__u64 tsc_ticks, pit_ticks, hz;

	if (kvm_pit_tsc_measure(CALIBRATE_MS, &tsc_ticks, &pit_ticks) < 0)
		uk_pr_warn("TSC calibration was disturbed; clock may drift\n");
	hz = tsc_ticks * PIT_HZ / pit_ticks;
	*ppm = (unsigned long)(last_brackets * 1000000 / tsc_ticks
			       + 2 * 1000000 / pit_ticks + 1);
	return hz;
}

void kvm_tsc_init(void)
{
	unsigned long ppm;

	if ((tsc_hz = cpuid_tsc_hz())) {
		snprintf(source, sizeof(source),
			 "plat: TSC from CPUID 0x15");
	} else if ((tsc_hz = hv_tsc_hz())) {
		snprintf(source, sizeof(source),
			 "plat: TSC from CPUID 0x40000010");
	} else {
		tsc_hz = pit_tsc_hz(&ppm);
		snprintf(source, sizeof(source),
			 "plat: TSC from PIT %u ms, +-%lu ppm", CALIBRATE_MS,
			 ppm);
	}
	ns_mult = (UKARCH_NSEC_PER_SEC << 32) / tsc_hz;
}

const char *kvm_tsc_source(void)
{
	return source;
}

__u64 kvm_bus_frequency(void)
{
	return bus_hz;
}

__u64 ukplat_tsc_frequency(void)
{
	return tsc_hz;
}

__nsec kvm_tsc_to_ns(__u64 tsc)
{
	__u64 delta = tsc - kvm_boot_tsc;

	return (__nsec)(((unsigned __int128)delta * ns_mult) >> 32);
}

__nsec ukplat_monotonic_clock(void)
{
	return kvm_tsc_to_ns(rdtsc());
}
