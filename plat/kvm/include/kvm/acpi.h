/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * plat/kvm internals: firmware tables (acpi.c): ACPI table lookup and the
 * discovery of the CPUs, the local APIC and the IOAPIC.
 */
#ifndef __KVM_ACPI_H__
#define __KVM_ACPI_H__

#include <uk/essentials.h>

struct kvm_cpu_map {
	const char *source;		/* "ACPI MADT", "MP table", ... */
	unsigned int ncpus;		/* apic_id[0] is the boot CPU */
	unsigned int nskipped;		/* beyond CONFIG_UKPLAT_LCPU_MAXCOUNT */
	__u32 apic_id[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	__u64 lapic_base;
	__u64 ioapic_base;
	__u32 isa_gsi[16];		/* ISA IRQ -> IOAPIC input */
};

extern struct kvm_cpu_map kvm_cpus;

void kvm_cpu_discover(struct kvm_cpu_map *map, __u32 bsp_apic_id);
/*
 * The pieces of kvm_cpu_discover() that need no firmware memory (tested on
 * the host).
 */
void kvm_cpu_map_init(struct kvm_cpu_map *map);
void kvm_madt_parse(const void *madt, struct kvm_cpu_map *map);
void kvm_cpu_map_finish(struct kvm_cpu_map *map, __u32 bsp_apic_id);
/* The ACPI table with signature sig (checksum verified), or NULL. */
const void *kvm_acpi_table(const char *sig);

#endif /* __KVM_ACPI_H__ */
