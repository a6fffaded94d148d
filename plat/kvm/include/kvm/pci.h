/* SPDX-License-Identifier: BSD-3-Clause */
/* plat/kvm internals of the PCI bus: the capability walk (host-tested). */
#ifndef __KVM_PCI_H__
#define __KVM_PCI_H__

#include <uk/essentials.h>

#define KVM_PCI_CAP_MAX	48	/* (256 - 64) / 4 entries at most */

/* Reads one byte of a configuration space at off (0..255). */
typedef __u8 (*kvm_pci_rd8_t)(const void *ctx, unsigned int off);

/*
 * Walks the whole capability list. Returns the number of capabilities,
 * -ERANGE (a pointer outside 0x40..0xfc) or -ELOOP (more entries than fit:
 * the list loops).
 */
int kvm_pci_cap_check(kvm_pci_rd8_t rd8, const void *ctx);

/*
 * The offset of the next capability with ID id after the one at from (0:
 * from the start), or -ENOENT (also when the list goes bad first).
 */
int kvm_pci_cap_next(kvm_pci_rd8_t rd8, const void *ctx, __u8 id,
		     unsigned int from);

#endif /* __KVM_PCI_H__ */
