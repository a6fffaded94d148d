/* SPDX-License-Identifier: BSD-3-Clause */
/* plat/kvm internals shared by the boot assembly and the C setup code. */
#ifndef __KVM_BOOT_H__
#define __KVM_BOOT_H__

#define KVM_BOOT_STACK_SIZE	(32 * 1024)
#define KVM_IST_STACK_SIZE	(8 * 1024)
#define KVM_GDT_KCODE		0x08
#define KVM_GDT_KDATA		0x10
#define KVM_GDT_TSS		0x18

#ifndef __ASSEMBLY__
#include <uk/essentials.h>

extern __u64 kvm_boot_tsc;		/* TSC at the first instruction */
extern char kvm_boot_stack[];
extern char kvm_boot_stack_guard[];	/* one unmapped page below the stack */
extern __u64 kvm_pd[];			/* 2048 PD entries: 0-4 GiB */
extern __u64 kvm_gdt64[];
extern char __kernel_start[], _etext[], __bss_start[], __bss_end[], _end[];

/* Multiboot v1 information structure (only the fields we read). */
struct multiboot_info {
	__u32 flags;
	__u32 mem_lower;	/* KiB, flags bit 0 */
	__u32 mem_upper;
	__u32 boot_device;
	__u32 cmdline;		/* flags bit 2 */
	__u32 mods_count;
	__u32 mods_addr;
	__u32 syms[4];
	__u32 mmap_length;	/* flags bit 6 */
	__u32 mmap_addr;
} __packed;

struct multiboot_mmap_entry {
	__u32 size;		/* of the rest of the entry */
	__u64 addr;
	__u64 len;
	__u32 type;		/* 1 = available RAM */
} __packed;

void kvm_serial_init(void);
void kvm_cpu_init(void);
void kvm_boot_stack_guard_init(void);
/* Drops every non-global translation of this CPU (reloads CR3). */
void kvm_tlb_flush_local(void);
/*
 * Boot CPU, after kvm_smp_init() (the LAPIC is on), interrupts off: the
 * TSC's and the LAPIC timer's rates, stated by the platform or measured
 * together in one window (tsc.c).
 */
void kvm_tsc_init(void);
/*
 * The boot step's name (after init): "plat: TSC, LAPIC timer from <clock>,
 * +-<bound> ppm" when measured, else "plat: TSC from <CPUID leaf>".
 */
const char *kvm_tsc_source(void);
/* The LAPIC timer's ticks per second at divide-by-1 (after init). */
__u64 kvm_bus_frequency(void);
/* Nanoseconds from the first instruction to TSC value tsc (after init). */
__nsec kvm_tsc_to_ns(__u64 tsc);
int kvm_pit_tsc_measure(unsigned int ms, __u64 *tsc_ticks, __u64 *pit_ticks);
void kvm_memregions_init(const struct multiboot_info *mi);
/*
 * Boot CPU, before main(): the machine cannot run this image. Prints
 * "boot: <why>" as one console line and exits with UKPLAT_EXIT_BADBOOT.
 */
void kvm_boot_refuse(const char *fmt, ...) __noreturn
	__attribute__((__format__(__printf__, 1, 2)));
void _kvm_entry64(__u32 mbi_phys) __noreturn;

#endif

#endif /* __KVM_BOOT_H__ */
