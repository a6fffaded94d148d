/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Monotonic clock from the TSC, and the local APIC timer's rate.
 *
 * Where the platform states the TSC frequency (CPUID leaf 0x15, or the
 * hypervisor's timing leaf 0x40000010, which also gives the LAPIC timer's
 * bus clock) it is taken from there. Otherwise (QEMU TCG states nothing)
 * the TSC and the LAPIC timer are counted together over one window of a
 * reference clock of known rate: the HPET when ACPI lists one (100 MHz
 * under QEMU, one MMIO read), else PIT channel 2 (1.193182 MHz).
 *
 * Error bound of the TSC rate, from the measurement itself. Each end's
 * reference read is bracketed by two TSC reads: the read took place
 * inside the bracket, so the TSC interval between the two reads is known
 * to within half of each bracket's width, w0 / 2 + w1 / 2. A reference
 * count is the integer part of the time it has counted, so the reference
 * interval is known to within one count. Relative to the interval:
 *
 *	bound = (w0 + w1) / 2 / tsc_ticks + 1 / ref_ticks
 *
 * The window closes at the first end read that brings the bound to
 * CALIBRATE_PPM or below, so a vCPU that the host holds up at an end
 * (wide bracket) only makes the window longer, never the rate worse;
 * after MAX_WINDOW_US the rate is taken with the bound it has then.
 */
#include <stdio.h>
#include <uk/arch/lcpu.h>
#include <uk/assert.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/acpi.h>
#include <kvm/apic.h>
#include <kvm/boot.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61	/* bit 0: ch2 gate, bit 1: speaker */
#define PIT_CH2_LATCH	0x80
#define MEASURE_TRIES	8
#define HV_LEAF_BASE	0x40000000
#define HV_LEAF_TIMING	0x40000010	/* EAX: TSC kHz, EBX: bus kHz */

#define HPET_CAP	0x000	/* high dword: counter period in fs */
#define HPET_CONF	0x010
#define HPET_CONF_ON	0x1
#define HPET_COUNTER	0x0f0	/* low dword of the main counter */
#define HPET_MAX_FS	100000000ULL	/* the specification's longest period */
#define FS_PER_SEC	1000000000000000ULL

#define CALIBRATE_PPM	500
#define MAX_WINDOW_US	20000	/* under the PIT count's 54 ms wrap */
/* A reference that has not counted in this many TSC ticks is dead. */
#define DEAD_TSC_TICKS	(MAX_WINDOW_US * 10000ULL)	/* 20 ms at 10 GHz */
#define WARN_PPM	10000	/* 1 %: what plat_kvm's clock test allows */
#define START_TRIES	4	/* window start: the narrowest of these */
#define LAPIC_WINDOW_US	250

static __u64 tsc_hz;
static __u64 ns_mult;	/* ns = (tsc delta * ns_mult) >> 32 */
static __u64 bus_hz;	/* LAPIC timer ticks per second (divide by 1) */
static const char *tsc_from;	/* "CPUID 0x15", "HPET", ... */
static unsigned long tsc_ppm;	/* error bound when measured, else 0 */
static char source[64];		/* kvm_tsc_source()'s step name */

/* The TSC, read after every earlier instruction (an MMIO or port read). */
static inline __u64 tsc_fenced(void)
{
	__u32 lo, hi;

	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi)
			     : : "memory");
	return ((__u64)hi << 32) | lo;
}

/* --- reference clocks ------------------------------------------------ */

/*
 * One bracketed read of a reference counter: count counts up modulo
 * mask + 1; the read happened between TSC values tsc - width / 2 and
 * tsc + width / 2.
 */
struct ref_read {
	__u64 tsc;
	__u64 width;
	__u32 count;
};

struct ref_clock {
	const char *name;
	__u64 hz;
	__u32 mask;
	void (*read)(struct ref_read *r);
};

static volatile __u32 *hpet;	/* registers, while calibrating */

static void hpet_read(struct ref_read *r)
{
	__u64 a = tsc_fenced();

	r->count = hpet[HPET_COUNTER / 4];
	r->width = tsc_fenced() - a;
	r->tsc = a + r->width / 2;
}

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

	a = tsc_fenced();
	outb(PIT_CMD, PIT_CH2_LATCH);
	b = tsc_fenced();
	lo = inb(PIT_CH2);
	hi = inb(PIT_CH2);
	*tsc = a + (b - a) / 2;
	*width = b - a;
	return (__u16)(lo | hi << 8);
}

/* Channel 2 counts down in mode 0: its negation counts up. */
static void pit_read(struct ref_read *r)
{
	r->count = (__u16)-pit_ch2_latch(&r->tsc, &r->width);
}

/*
 * The HPET that ACPI lists, switched on (it may be off after the
 * firmware); its previous configuration goes to *conf. 0 when there is
 * none, it lies above the identity map, or its period is not one the
 * specification allows.
 */
static int hpet_setup(struct ref_clock *c, __u32 *conf)
{
	const __u8 *t = kvm_acpi_table("HPET");
	__u64 base, fs;

	/* 36-byte header, block ID, then the base address structure. */
	if (!t)
		return 0;
	__builtin_memcpy(&base, t + 44, 8);
	if (t[40] != 0 || !base || base >= (4ULL << 30))
		return 0;	/* not memory space, or not mapped */
	hpet = (volatile __u32 *)(unsigned long)base;
	fs = hpet[HPET_CAP / 4 + 1];
	if (!fs || fs > HPET_MAX_FS) {
		hpet = NULL;
		return 0;
	}
	*conf = hpet[HPET_CONF / 4];
	hpet[HPET_CONF / 4] = *conf | HPET_CONF_ON;
	*c = (struct ref_clock){ "HPET", FS_PER_SEC / fs, ~0U, hpet_read };
	return 1;
}

/* --- the window -------------------------------------------------------- */

/* The LAPIC timer's count, read between two TSC reads: their middle. */
static __u32 lapic_count_at(__u64 *tsc)
{
	__u64 a = tsc_fenced();
	__u32 n = kvm_lapic_timer_count();

	*tsc = a + (tsc_fenced() - a) / 2;
	return n;
}

/* The bound above, in ppm, rounded up. */
static unsigned long window_ppm(__u64 widths, __u64 tsc_ticks,
				__u64 ref_ticks)
{
	if (!tsc_ticks || !ref_ticks)
		return ~0UL;
	return (unsigned long)((widths * 500000 + tsc_ticks - 1) / tsc_ticks
			       + (1000000 + ref_ticks - 1) / ref_ticks);
}

/*
 * Counts the TSC and the LAPIC timer over one window of reference c (see
 * the top of the file); sets tsc_hz, bus_hz and tsc_ppm and returns 0, or
 * returns -1 when c did not count at all (a listed but dead HPET). Boot
 * CPU, its LAPIC enabled, interrupts off (the timer stops at the end).
 */
static int window_measure(const struct ref_clock *c)
{
	__u64 max_ticks = c->hz * MAX_WINDOW_US / 1000000, t0, t1, dt;
	struct ref_read r0, r1;
	__u32 l0, l1, dr;
	unsigned int i;

	kvm_lapic_timer_oneshot(0xffffffff);
	c->read(&r0);
	for (i = 1; i < START_TRIES; i++) {
		c->read(&r1);
		if (r1.width < r0.width)
			r0 = r1;
	}
	l0 = lapic_count_at(&t0);
	do {
		c->read(&r1);
		dt = r1.tsc - r0.tsc;
		dr = (r1.count - r0.count) & c->mask;
		tsc_ppm = window_ppm(r0.width + r1.width, dt, dr);
	} while (tsc_ppm > CALIBRATE_PPM && dr < max_ticks
		 && (dr || dt < DEAD_TSC_TICKS));
	l1 = lapic_count_at(&t1);
	kvm_lapic_timer_oneshot(0);
	if (!dr)
		return -1;
	tsc_hz = (__u64)((unsigned __int128)dt * c->hz / dr);
	if (!bus_hz)
		bus_hz = (__u64)((unsigned __int128)(l0 - l1) * tsc_hz
				 / (t1 - t0));
	if (tsc_ppm > WARN_PPM)
		uk_pr_warn("TSC calibration was disturbed (+-%lu ppm); the "
			   "clock may drift\n", tsc_ppm);
	return 0;
}

/*
 * The TSC and LAPIC rates from a window of the HPET, else (none, or it
 * does not count) of the PIT; without either the guest cannot keep time.
 */
static void measure(void)
{
	struct ref_clock c;
	__u32 conf = 0;

	if (hpet_setup(&c, &conf)) {
		int rc = window_measure(&c);

		hpet[HPET_CONF / 4] = conf;
		hpet = NULL;
		if (rc == 0) {
			tsc_from = c.name;
			return;
		}
		uk_pr_warn("the HPET does not count: TSC from the PIT\n");
	}
	c = (struct ref_clock){ "PIT", PIT_HZ, 0xffff, pit_read };
	pit_ch2_start();
	if (window_measure(&c) < 0)
		UK_CRASH("neither the HPET nor the PIT counts: no clock\n");
	tsc_from = c.name;
}

/* --- what the platform states ------------------------------------------ */

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
 * With the TSC's rate stated but not the LAPIC timer's (CPUID 0x15): LAPIC
 * ticks over LAPIC_WINDOW_US of TSC time. Only the timers' promptness
 * depends on it (an early interrupt re-arms for the rest).
 */
static void lapic_measure(void)
{
	__u64 t0, t1, window = tsc_hz * LAPIC_WINDOW_US / 1000000;
	__u32 l0, l1;

	kvm_lapic_timer_oneshot(0xffffffff);
	l0 = lapic_count_at(&t0);
	do
		l1 = lapic_count_at(&t1);
	while (t1 - t0 < window);
	kvm_lapic_timer_oneshot(0);
	bus_hz = (__u64)((unsigned __int128)(l0 - l1) * tsc_hz / (t1 - t0));
}

void kvm_tsc_init(void)
{
	if ((tsc_hz = cpuid_tsc_hz()))
		tsc_from = "CPUID 0x15";
	else if ((tsc_hz = hv_tsc_hz()))
		tsc_from = "CPUID 0x40000010";
	else
		measure();
	UK_ASSERT(tsc_hz);
	if (!bus_hz)
		lapic_measure();
	ns_mult = (UKARCH_NSEC_PER_SEC << 32) / tsc_hz;
}

/*
 * Formatted when asked (the boot's timing lines), not at boot: the first
 * use of the formatter costs more boot time than the whole window.
 */
const char *kvm_tsc_source(void)
{
	if (tsc_ppm)
		snprintf(source, sizeof(source), "plat: TSC, LAPIC timer from "
			 "%s, +-%lu ppm", tsc_from, tsc_ppm);
	else
		snprintf(source, sizeof(source), "plat: TSC from %s", tsc_from);
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

/* --- for the clock test ------------------------------------------------ */

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
		if ((w0 + w1) * 500 < *tsc_ticks)
			return 0;
	}
	return -1;
}
