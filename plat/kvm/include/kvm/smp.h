/* SPDX-License-Identifier: BSD-3-Clause */
/* plat/kvm internals for SMP: discovered CPUs, per-CPU area, APIC, interrupts, start-up. */
#ifndef __KVM_SMP_H__
#define __KVM_SMP_H__

#define KVM_TRAMPOLINE_PADDR	0x8000	/* below 64 KiB: SIPI vector 0x08 */
#define KVM_LCPU_SELF_OFF	0	/* offsets in struct kvm_lcpu, for asm */
#define KVM_LCPU_IDX_OFF	8
#define KVM_AP_BOOT_STACK	0	/* offsets in struct kvm_ap_boot */
#define KVM_AP_BOOT_LCPU	8
#define KVM_AP_BOOT_ARRIVED	16
#define KVM_AP_BOOT_SIZE	24
#define KVM_AP_PARK		1	/* kvm_ap_boot.lcpu: do not come up */

#define KVM_VEC_ISA_BASE	0x20	/* legacy IRQ n -> vector 0x20 + n */
#define KVM_VEC_ALLOC_FIRST	0x30	/* ukplat_irq_alloc_vector() range */
#define KVM_VEC_ALLOC_LAST	0xdf
#define KVM_VEC_TIMER		0xe0
#define KVM_VEC_CALL		0xf0
#define KVM_VEC_WAKEUP		0xf1
#define KVM_VEC_SPURIOUS	0xff

#ifndef __ASSEMBLY__
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>

struct kvm_cpu_map {
	const char *source;		/* "ACPI MADT", "MP table", ... */
	unsigned int ncpus;		/* apic_id[0] is the boot CPU */
	unsigned int nskipped;		/* beyond CONFIG_UKPLAT_LCPU_MAXCOUNT */
	__u32 apic_id[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	__u64 lapic_base;
	__u64 ioapic_base;
	__u32 isa_gsi[16];		/* ISA IRQ -> IOAPIC input */
};

struct kvm_irq_slot {
	int (*fn)(void *arg);
	void *arg;
};

struct kvm_call;

/* Per-CPU area; GS base points at it from the CPU's first C instruction. */
struct kvm_lcpu {
	struct kvm_lcpu *self;		/* KVM_LCPU_SELF_OFF */
	unsigned int idx;		/* KVM_LCPU_IDX_OFF */
	__u32 apic_id;
	volatile int online;
	void *ist;			/* #DF and NMI stacks (APs) */
	struct kvm_irq_slot *irq;	/* 256 handlers of this CPU */
	struct kvm_call *calls;		/* pending remote calls (MPSC stack) */
	void (*timer_fn)(void *arg);
	void *timer_arg;
	__u64 timer_deadline;
	__u64 tlb_tick_at;		/* next TCG TLB tick (tcg_tlb.c); 0: off */
	__u64 irq_rip;			/* where the interrupt being handled came in */
	unsigned long tlb_ticks;	/* TCG TLB ticks on this CPU ... */
	unsigned long tlb_flushes;	/* ... those that flushed (busy) ... */
	unsigned long tlb_idle;		/* ... and those that woke it from hlt */
	__u64 tss[13];			/* 104-byte 64-bit TSS */
	__u64 gdt[5];			/* null, code, data, TSS (2 slots) */
	volatile __u64 sync_req;	/* TSC handshake with the boot CPU */
	volatile __u64 sync_resp;
	volatile __u64 sync_tsc;
	__s64 tsc_offset;		/* vs the boot CPU, measured at start */
	__u64 tsc_offset_err;		/* +- bound of that measurement */
	unsigned long calls_handled;
	void (*run_entry)(void);	/* set by ukplat_lcpu_run() */
	int left_idle;
} __align(UKARCH_CACHE_LINE_SIZE);

/* Start-up handshake of one AP slot (assembly reads it). */
struct kvm_ap_boot {
	__u64 stack_top;
	__u64 lcpu;		/* 0: wait, KVM_AP_PARK: park, else per-CPU */
	__u8 arrived;
	__u8 pad[7];
};

extern struct kvm_lcpu kvm_lcpus[CONFIG_UKPLAT_LCPU_MAXCOUNT];
extern struct kvm_ap_boot kvm_ap_boot[CONFIG_UKPLAT_LCPU_MAXCOUNT];
extern __u16 kvm_apic_slot[256];
extern struct kvm_cpu_map kvm_cpus;
extern unsigned int kvm_lcpu_online_count;
extern char kvm_trampoline_start[], kvm_trampoline_end[];

static inline struct kvm_lcpu *kvm_lcpu_this(void)
{
	struct kvm_lcpu *l;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(l));
	return l;
}

void kvm_cpu_discover(struct kvm_cpu_map *map, __u32 bsp_apic_id);
/* The pieces of kvm_cpu_discover() that need no firmware memory (tested on the host). */
void kvm_cpu_map_init(struct kvm_cpu_map *map);
void kvm_madt_parse(const void *madt, struct kvm_cpu_map *map);
void kvm_cpu_map_finish(struct kvm_cpu_map *map, __u32 bsp_apic_id);
__u32 kvm_cpuid_apic_id(void);
/* The ACPI table with signature sig (checksum verified), or NULL. */
const void *kvm_acpi_table(const char *sig);

/*
 * Memory for platform structures, taken from the free regions at boot.
 * Never NULL: when memory is short the guest says how much it needs and
 * exits with UKPLAT_EXIT_BADBOOT.
 */
void *kvm_mem_reserve(__u64 len, __u64 align);
/*
 * Exits the same way unless the largest free region has need bytes; what
 * names them in the message ("the per-CPU structures of 4 CPUs").
 */
void kvm_mem_reserve_check(__u64 need, const char *what);

/* Local APIC (xAPIC, MMIO) and IOAPIC. */
void kvm_lapic_init(void);
void kvm_lapic_eoi(void);
/* Whether vector is requested (IRR) on the calling CPU's local APIC. */
int kvm_lapic_irr_test(unsigned int vector);
__u32 kvm_lapic_id(void);
void kvm_lapic_send_ipi(__u32 apic_id, __u32 icr_low);
void kvm_lapic_send_nmi_others(void);
void kvm_lapic_timer_oneshot(__u32 count);
__u32 kvm_lapic_timer_count(void);
void kvm_ioapic_route(unsigned int gsi, unsigned int vector, __u32 apic_id);
void kvm_ioapic_mask(unsigned int gsi);

/* Interrupts: per-CPU tables, stubs, dispatch. */
void kvm_irq_init_cpu(struct kvm_lcpu *l);
void kvm_irq_set_global(unsigned int vector, int (*fn)(void *), void *arg);

/* Per-CPU set-up shared by the boot CPU and the APs. */
void kvm_cpu_init_ap(struct kvm_lcpu *l, void *ist_base);
void kvm_lcpu_init_this(struct kvm_lcpu *l);
void kvm_lcpu_process_calls(void);
void kvm_call_pools_init(unsigned int ncpus);
/*
 * Boot CPU, after kvm_smp_init(): starts the other CPUs' trampoline and
 * returns at once; ukplat_lcpu_start_all() finishes their start-up.
 */
void kvm_smp_kick(void);
/* Bytes of one CPU's call pool when ncpus CPUs run (for the memory check). */
__u64 kvm_call_pool_bytes(unsigned int ncpus);
void kvm_lcpu_calls_init(void);
void kvm_smp_init(void);
void kvm_timer_init(void);

/* Under QEMU TCG, the TLB tick (tcg_tlb.c): detection, then per tick. */
void kvm_tcg_tlb_init(void);
int kvm_tcg_tlb_enabled(void);
void kvm_tcg_tlb_tick(struct kvm_lcpu *l);
#define KVM_TCG_TLB_TICK_NS	10000000ULL	/* 10 ms */
void kvm_idle_loop(void) __noreturn;
#endif

#endif /* __KVM_SMP_H__ */
