/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * plat/kvm internals: the local APIC (xAPIC, MMIO: IPIs, EOI, its timer)
 * and the IOAPIC (x86/apic.c).
 */
#ifndef __KVM_APIC_H__
#define __KVM_APIC_H__

#include <uk/essentials.h>

void kvm_lapic_init(void);
void kvm_lapic_eoi(void);
/* Whether vector is requested (IRR) on the calling CPU's local APIC. */
int kvm_lapic_irr_test(unsigned int vector);
__u32 kvm_lapic_id(void);
/* The calling CPU's APIC id as CPUID leaf 1 tells it. */
__u32 kvm_cpuid_apic_id(void);
void kvm_lapic_send_ipi(__u32 apic_id, __u32 icr_low);
void kvm_lapic_send_nmi_others(void);
void kvm_lapic_timer_oneshot(__u32 count);
__u32 kvm_lapic_timer_count(void);
void kvm_ioapic_route(unsigned int gsi, unsigned int vector, __u32 apic_id);
void kvm_ioapic_mask(unsigned int gsi);

#endif /* __KVM_APIC_H__ */
