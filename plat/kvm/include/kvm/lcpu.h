/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * plat/kvm internals: the per-CPU area (struct kvm_lcpu, reached through
 * GS) and the remote calls and idle loop that run on it (lcpu.c).
 */
#ifndef __KVM_LCPU_H__
#define __KVM_LCPU_H__

#define KVM_LCPU_SELF_OFF	0	/* offsets in struct kvm_lcpu, for asm */
#define KVM_LCPU_IDX_OFF	8

#ifndef __ASSEMBLY__
#include <uk/essentials.h>
#include <uk/plat/lcpu.h>

struct kvm_irq_slot;
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
	__s64 tsc_offset;		/* vs CPU 0 (kvm_tsc_offset_measure()) */
	__u64 tsc_offset_err;		/* +- bound of that measurement */
	unsigned long calls_handled;
	void (*run_entry)(void);	/* set by ukplat_lcpu_run() */
	int left_idle;
} __align(UKARCH_CACHE_LINE_SIZE);

/* The assembly's offsets (KVM_LCPU_*_OFF) must describe this layout. */
_Static_assert(__offsetof(struct kvm_lcpu, self) == KVM_LCPU_SELF_OFF,
	       "KVM_LCPU_SELF_OFF");
_Static_assert(__offsetof(struct kvm_lcpu, idx) == KVM_LCPU_IDX_OFF,
	       "KVM_LCPU_IDX_OFF");

extern struct kvm_lcpu kvm_lcpus[CONFIG_UKPLAT_LCPU_MAXCOUNT];
extern unsigned int kvm_lcpu_online_count;

static inline struct kvm_lcpu *kvm_lcpu_this(void)
{
	struct kvm_lcpu *l;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(l));
	return l;
}

/* Remote calls (ukplat_lcpu_run() and friends): per-CPU pools. */
void kvm_call_pools_init(unsigned int ncpus);
/* Bytes of one CPU's call pool when ncpus CPUs run (for the memory check). */
__u64 kvm_call_pool_bytes(unsigned int ncpus);
void kvm_lcpu_calls_init(void);
/*
 * Measures CPU idx's TSC against the calling CPU's into its tsc_offset
 * and tsc_offset_err (1-5 request/answer rounds; idx must be online and
 * idle). Nothing corrects by the offset: the boot measures it only for
 * CONFIG_KVM_SMP_BOOT_LOG, and the SMP suite checks it is zero within its
 * bound. Called from CPU 0, one idx at a time.
 */
void kvm_tsc_offset_measure(unsigned int idx);
/* What a CPU with nothing to do runs until ukplat_lcpu_run() gives it work. */
void kvm_idle_loop(void) __noreturn;
#endif

#endif /* __KVM_LCPU_H__ */
