/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI capability lists: the bounded walk used by enumeration (to reject a
 * malformed list) and by uk_pci_cap_find(). Reads go through a callback so
 * that the host tests can feed it any configuration space.
 *
 * A list is well formed when every pointer is 0 (the end) or lies in
 * 0x40..0xfc, dword aligned after masking the two low bits, and the walk
 * ends within KVM_PCI_CAP_MAX steps. 48 is the most entries the 192 bytes
 * after the header can hold at 4 bytes each: a longer walk revisits one.
 */
#include <errno.h>
#include <kvm/pci.h>

static int ptr_ok(unsigned int p)
{
	return p >= 0x40 && p <= 0xfc;
}

int kvm_pci_cap_check(kvm_pci_rd8_t rd8, const void *ctx)
{
	unsigned int p = rd8(ctx, 0x34) & 0xfc, n = 0;

	while (p) {
		if (!ptr_ok(p))
			return -ERANGE;
		if (++n > KVM_PCI_CAP_MAX)
			return -ELOOP;
		p = rd8(ctx, p + 1) & 0xfc;
	}
	return (int)n;
}

int kvm_pci_cap_next(kvm_pci_rd8_t rd8, const void *ctx, __u8 id,
		     unsigned int from)
{
	unsigned int p, n = 0;

	p = from ? rd8(ctx, from + 1) : rd8(ctx, 0x34);
	for (p &= 0xfc; p && ptr_ok(p) && n < KVM_PCI_CAP_MAX; n++) {
		if (rd8(ctx, p) == id)
			return (int)p;
		p = rd8(ctx, p + 1) & 0xfc;
	}
	return -ENOENT;
}
