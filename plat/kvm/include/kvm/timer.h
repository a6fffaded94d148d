/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * plat/kvm internals: the per-CPU timer (x86/timer.c) and, under QEMU TCG,
 * the TLB tick it drives (x86/tcg_tlb.c).
 */
#ifndef __KVM_TIMER_H__
#define __KVM_TIMER_H__

struct kvm_lcpu;

void kvm_timer_init(void);

/* Under QEMU TCG, the TLB tick (tcg_tlb.c): detection, then per tick. */
void kvm_tcg_tlb_init(void);
int kvm_tcg_tlb_enabled(void);
void kvm_tcg_tlb_tick(struct kvm_lcpu *l);
#define KVM_TCG_TLB_TICK_NS	10000000ULL	/* 10 ms */

#endif /* __KVM_TIMER_H__ */
