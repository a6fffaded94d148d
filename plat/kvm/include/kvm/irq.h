/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * plat/kvm internals: interrupt vectors and the per-CPU handler tables
 * (irq.c).
 */
#ifndef __KVM_IRQ_H__
#define __KVM_IRQ_H__

#define KVM_VEC_ISA_BASE	0x20	/* legacy IRQ n -> vector 0x20 + n */
#define KVM_VEC_ALLOC_FIRST	0x30	/* ukplat_irq_alloc_vector() range */
#define KVM_VEC_ALLOC_LAST	0xdf
#define KVM_VEC_TIMER		0xe0
#define KVM_VEC_CALL		0xf0
#define KVM_VEC_WAKEUP		0xf1
#define KVM_VEC_SPURIOUS	0xff

#ifndef __ASSEMBLY__
struct kvm_lcpu;

struct kvm_irq_slot {
	int (*fn)(void *arg);
	void *arg;
};

/* Per-CPU tables, stubs, dispatch. */
void kvm_irq_init_cpu(struct kvm_lcpu *l);
void kvm_irq_set_global(unsigned int vector, int (*fn)(void *), void *arg);
#endif

#endif /* __KVM_IRQ_H__ */
