/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests for the PCI capability walk: well-formed lists, the end, loops
// (to itself, back to an earlier entry), pointers outside 0x40..0xfc, and
// lookups by ID that stop on a bad list instead of following it.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

extern "C" {
#include <kvm/pci.h>
}

namespace {

struct Cfg {
	uint8_t b[256];
	unsigned int reads = 0;

	Cfg() { memset(b, 0, sizeof(b)); }
	// Appends capability id at off, linked to next.
	void cap(unsigned int off, uint8_t id, uint8_t next)
	{
		b[off] = id;
		b[off + 1] = next;
	}
};

uint8_t rd8(const void *ctx, unsigned int off)
{
	Cfg *c = (Cfg *)ctx;

	EXPECT_LT(off, 256u);
	c->reads++;
	return c->b[off & 0xff];
}

TEST(PciCap, EmptyList)
{
	Cfg c;

	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), 0);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x11, 0), -ENOENT);
}

TEST(PciCap, WellFormedChainAndLookups)
{
	Cfg c;

	c.b[0x34] = 0x98;
	c.cap(0x98, 0x11, 0x84);	// MSI-X, then four vendor caps
	c.cap(0x84, 0x09, 0x70);
	c.cap(0x70, 0x09, 0x60);
	c.cap(0x60, 0x09, 0x50);
	c.cap(0x50, 0x09, 0x00);
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), 5);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x11, 0), 0x98);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x09, 0), 0x84);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x09, 0x84), 0x70);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x09, 0x60), 0x50);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x09, 0x50), -ENOENT);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x05, 0), -ENOENT);
}

TEST(PciCap, LowTwoBitsOfPointersIgnored)
{
	Cfg c;

	c.b[0x34] = 0x43;	// reserved bits set: means 0x40
	c.cap(0x40, 0x05, 0x51);
	c.cap(0x50, 0x11, 0x02);	// 0x02 masks to 0: end
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), 2);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x11, 0), 0x50);
}

TEST(PciCap, SelfLoopDetectedAndBounded)
{
	Cfg c;

	c.b[0x34] = 0x40;
	c.cap(0x40, 0x09, 0x40);
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), -ELOOP);
	EXPECT_LE(c.reads, 2u + KVM_PCI_CAP_MAX);
	c.reads = 0;
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x11, 0), -ENOENT);
	EXPECT_LE(c.reads, 1u + 2 * KVM_PCI_CAP_MAX);
}

TEST(PciCap, LoopBackToEarlierEntry)
{
	Cfg c;

	c.b[0x34] = 0x40;
	c.cap(0x40, 0x01, 0x80);
	c.cap(0x80, 0x05, 0xc0);
	c.cap(0xc0, 0x09, 0x80);
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), -ELOOP);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x09, 0), 0xc0);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x11, 0), -ENOENT);
}

TEST(PciCap, LongestLegalListIsNotALoop)
{
	Cfg c;
	unsigned int p;

	c.b[0x34] = 0x40;
	for (p = 0x40; p <= 0xfc; p += 4)
		c.cap(p, 0x09, p == 0xfc ? 0 : p + 4);
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), KVM_PCI_CAP_MAX);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x09, 0xf8), 0xfc);
}

TEST(PciCap, PointerIntoHeaderRejected)
{
	Cfg c;

	c.b[0x34] = 0x40;
	c.cap(0x40, 0x05, 0x3c);	// inside the standard header
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), -ERANGE);
	c.b[0x34] = 0x10;
	EXPECT_EQ(kvm_pci_cap_check(rd8, &c), -ERANGE);
	EXPECT_EQ(kvm_pci_cap_next(rd8, &c, 0x05, 0), -ENOENT);
}

} // namespace
