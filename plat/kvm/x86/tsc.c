/* Monotonic clock from the TSC, calibrated against the PIT at boot. */
#include <uk/arch/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/boot.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61	/* bit 0: ch2 gate, bit 1: speaker */
#define PIT_CH2_LATCH	0x80
#define CALIBRATE_MS	5
#define MEASURE_TRIES	8

static __u64 tsc_hz;
static __u64 ns_mult;	/* ns = (tsc delta * ns_mult) >> 32 */

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
		if ((w0 + w1) * 500 < *tsc_ticks)
			return 0;
	}
	return -1;
}

void kvm_tsc_init(void)
{
	__u64 tsc_ticks, pit_ticks;

	if (kvm_pit_tsc_measure(CALIBRATE_MS, &tsc_ticks, &pit_ticks) < 0)
		uk_pr_warn("TSC calibration was disturbed; clock may drift\n");
	tsc_hz = tsc_ticks * PIT_HZ / pit_ticks;
	ns_mult = (UKARCH_NSEC_PER_SEC << 32) / tsc_hz;
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
