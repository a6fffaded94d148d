/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukplat_virt(): what runs this kernel (hardware, a hypervisor, or QEMU's
 * TCG emulator), from CPUID, looked up once. The one place that reads the
 * hypervisor bit and signature; everything that tunes itself to the
 * machine (spinlock polling, TCG's TLB tick, the INIT-SIPI delay) asks here.
 */
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>

#define CPUID_ECX_HYPERVISOR	(1u << 31)
#define CPUID_HV_BASE		0x40000000u

/* UKPLAT_VIRT_* + 1; 0 until looked up (any CPU may, once or more). */
static int virt_plus1;

static enum ukplat_virt virt_lookup(void)
{
	static const char tcg[12] = "TCGTCGTCGTCG";
	__u32 a, r[3];

	ukarch_cpuid(1, 0, &a, &r[0], &r[1], &r[2]);
	if (!(r[1] & CPUID_ECX_HYPERVISOR))
		return UKPLAT_VIRT_NONE;
	/* The signature is in EBX, ECX, EDX, in that order. */
	ukarch_cpuid(CPUID_HV_BASE, 0, &a, &r[0], &r[1], &r[2]);
	if (!__builtin_memcmp(r, tcg, sizeof(r)))
		return UKPLAT_VIRT_EMU;
	return UKPLAT_VIRT_HV;
}

enum ukplat_virt ukplat_virt(void)
{
	/*
	 * Relaxed: every CPU finds the same value, so racing first callers
	 * store the same number; nothing else is published with it.
	 */
	int v = __atomic_load_n(&virt_plus1, __ATOMIC_RELAXED);

	if (likely(v))
		return (enum ukplat_virt)(v - 1);
	v = (int)virt_lookup() + 1;
	/* Relaxed: as above. */
	__atomic_store_n(&virt_plus1, v, __ATOMIC_RELAXED);
	return (enum ukplat_virt)(v - 1);
}
