/* Monotonic clock from the TSC, calibrated against the PIT at boot. */
#include <uk/arch/lcpu.h>
#include <uk/plat/time.h>
#include <kvm/boot.h>

#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61	/* bit 0: ch2 gate, bit 1: speaker, bit 5: out */
#define CALIBRATE_MS	10

static __u64 tsc_hz;
static __u64 ns_mult;	/* ns = (tsc delta * ns_mult) >> 32 */

/* Busy-waits ms milliseconds on PIT channel 2 and returns the TSC ticks. */
__u64 kvm_pit_measure_tsc(unsigned int ms)
{
	__u64 count = PIT_HZ * ms / 1000, t0, t1;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);	/* channel 2, lo/hi byte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, (count >> 8) & 0xff);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		;
	t1 = rdtsc();
	return t1 - t0;
}

void kvm_tsc_init(void)
{
	tsc_hz = kvm_pit_measure_tsc(CALIBRATE_MS) * (1000 / CALIBRATE_MS);
	ns_mult = (UKARCH_NSEC_PER_SEC << 32) / tsc_hz;
}

__u64 ukplat_tsc_frequency(void)
{
	return tsc_hz;
}

__nsec ukplat_monotonic_clock(void)
{
	__u64 delta = rdtsc() - kvm_boot_tsc;

	return (__nsec)(((unsigned __int128)delta * ns_mult) >> 32);
}
