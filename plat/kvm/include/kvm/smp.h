/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * plat/kvm internals: starting the other CPUs (smp.c, x86/trampoline.S,
 * the AP entry of x86/multiboot.S). The per-CPU area is kvm/lcpu.h, the
 * CPUs' discovery kvm/acpi.h, the APIC kvm/apic.h, interrupts kvm/irq.h.
 */
#ifndef __KVM_SMP_H__
#define __KVM_SMP_H__

#define KVM_TRAMPOLINE_PADDR	0x8000	/* below 64 KiB: SIPI vector 0x08 */
#define KVM_AP_BOOT_STACK	0	/* offsets in struct kvm_ap_boot */
#define KVM_AP_BOOT_LCPU	8
#define KVM_AP_BOOT_ARRIVED	16
#define KVM_AP_BOOT_SIZE	24
#define KVM_AP_PARK		1	/* kvm_ap_boot.lcpu: do not come up */

#ifndef __ASSEMBLY__
#include <uk/essentials.h>

struct kvm_lcpu;

/* Start-up handshake of one AP slot (assembly reads it). */
struct kvm_ap_boot {
	__u64 stack_top;
	__u64 lcpu;		/* 0: wait, KVM_AP_PARK: park, else per-CPU */
	__u8 arrived;
	__u8 pad[7];
};

/* The assembly's offsets (KVM_AP_BOOT_*) must describe this layout. */
_Static_assert(__offsetof(struct kvm_ap_boot, stack_top) == KVM_AP_BOOT_STACK,
	       "KVM_AP_BOOT_STACK");
_Static_assert(__offsetof(struct kvm_ap_boot, lcpu) == KVM_AP_BOOT_LCPU,
	       "KVM_AP_BOOT_LCPU");
_Static_assert(__offsetof(struct kvm_ap_boot, arrived) == KVM_AP_BOOT_ARRIVED,
	       "KVM_AP_BOOT_ARRIVED");
_Static_assert(sizeof(struct kvm_ap_boot) == KVM_AP_BOOT_SIZE,
	       "KVM_AP_BOOT_SIZE");

extern struct kvm_ap_boot kvm_ap_boot[CONFIG_UKPLAT_LCPU_MAXCOUNT];
extern __u16 kvm_apic_slot[256];	/* APIC id -> AP slot */
extern char kvm_trampoline_start[], kvm_trampoline_end[];

void kvm_smp_init(void);
/*
 * Boot CPU, after kvm_smp_init(), clock calibrated or not: under a
 * hypervisor sends the other CPUs INIT and the first SIPI and returns at
 * once (on hardware nothing: INIT wants a delay on the clock);
 * ukplat_lcpu_start_all() finishes their start-up.
 */
void kvm_smp_kick(void);
/*
 * Boot CPU, before it starts an AP: the IDT an AP waits under, halted,
 * until it is released (x86/cpu.c, kvm_ap_entry64 in x86/multiboot.S).
 */
void kvm_cpu_ap_wait_init(void);
/* Per-CPU set-up shared by the boot CPU and the APs. */
void kvm_cpu_init_ap(struct kvm_lcpu *l, void *ist_base);
#endif

#endif /* __KVM_SMP_H__ */
