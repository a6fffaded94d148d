/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for the PCI bus: the device set QEMU's pc and q35 machines
 * have (exactly, plus any virtio-rng-pci given with disable-legacy=on),
 * BARs as the firmware assigned them, capability walks, config access.
 */
#include <errno.h>
#include <stdio.h>
#include <uk/bus/pci.h>
#include <uk/test.h>

uk_testsuite_register(plat_pci, NULL);

struct known {
	__u8 dev, fn;
	__u16 vendor, device;
	__u32 class_id;
};

/* What -nodefaults leaves on each machine (QEMU 7.2). */
static const struct known pc_set[] = {
	{ 0, 0, 0x8086, 0x1237, 0x060000 },	/* i440FX host bridge */
	{ 1, 0, 0x8086, 0x7000, 0x060100 },	/* PIIX3 ISA bridge */
	{ 1, 1, 0x8086, 0x7010, 0x010180 },	/* PIIX3 IDE */
	{ 1, 3, 0x8086, 0x7113, 0x068000 },	/* PIIX4 ACPI/PM */
};
static const struct known q35_set[] = {
	{ 0, 0, 0x8086, 0x29c0, 0x060000 },	/* Q35 host bridge */
	{ 31, 0, 0x8086, 0x2918, 0x060100 },	/* ICH9 LPC */
	{ 31, 2, 0x8086, 0x2922, 0x010601 },	/* ICH9 AHCI */
	{ 31, 3, 0x8086, 0x2930, 0x0c0500 },	/* ICH9 SMBus */
};

#define VIRTIO_VENDOR	0x1af4
#define VIRTIO_RNG_MOD	0x1044	/* 0x1040 + device type 4 */
#define VIRTIO_RNG_TRANS 0x1005	/* transitional (without disable-legacy) */

static int is_rng(const struct pci_device *d)
{
	return d->id.vendor_id == VIRTIO_VENDOR
		&& (d->id.device_id == VIRTIO_RNG_MOD
		    || d->id.device_id == VIRTIO_RNG_TRANS);
}

static const struct known *find_known(const struct known *set,
				      unsigned int n,
				      const struct pci_device *d)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (d->addr.bus == 0 && d->addr.devid == set[i].dev
		    && d->addr.function == set[i].fn)
			return &set[i];
	return NULL;
}

#define CLASS_PCI_BRIDGE 0x060400

static unsigned int secondary_bus(const struct pci_device *bridge)
{
	return (uk_pci_conf_read32(bridge, 0x18) >> 8) & 0xff;
}

/* How many devices were found on bus. */
static unsigned int on_bus(unsigned int bus)
{
	unsigned int i, n = 0;

	for (i = 0; i < uk_pci_device_count(); i++)
		n += uk_pci_device_get(i)->addr.bus == bus;
	return n;
}

/* Whether a PCI-PCI bridge listed before d has d's bus as secondary bus. */
static int behind_a_bridge(const struct pci_device *d)
{
	unsigned int i;

	for (i = 0; i < uk_pci_device_count(); i++) {
		struct pci_device *b = uk_pci_device_get(i);

		if (b == d)
			return 0;
		if ((b->id.class_id & ~0xffU) == CLASS_PCI_BRIDGE
		    && secondary_bus(b) == d->addr.bus)
			return 1;
	}
	return 0;
}

/*
 * Also with a PCI-PCI bridge given (support/scripts/run-tests boots one
 * with a virtio-rng behind it): the bridge counts as a known device, the
 * bus behind it must have been scanned (the runner never boots an empty
 * bridge), and a device on another bus than 0 must come after the bridge
 * to its bus.
 */
UK_TESTCASE(plat_pci, exact_device_set_of_the_machine)
{
	struct pci_device *hb = uk_pci_device_get(0);
	const struct known *set, *k;
	unsigned int n, i, nset, found = 0, rng = 0, other = 0, bridges = 0;

	UK_TEST_REQUIRE(hb != NULL);
	if (hb->id.device_id == 0x29c0) {
		set = q35_set;
		nset = ARRAY_SIZE(q35_set);
	} else {
		set = pc_set;
		nset = ARRAY_SIZE(pc_set);
	}
	n = uk_pci_device_count();
	for (i = 0; i < n; i++) {
		struct pci_device *d = uk_pci_device_get(i);

		printf("  pci %02x:%02x.%x %04x:%04x class %06x rev %u\n",
		       d->addr.bus, d->addr.devid, d->addr.function,
		       d->id.vendor_id, d->id.device_id, d->id.class_id,
		       d->revision);
		if (d->addr.bus != 0)
			UK_TEST_EXPECT(behind_a_bridge(d));
		k = find_known(set, nset, d);
		if ((d->id.class_id & ~0xffU) == CLASS_PCI_BRIDGE) {
			UK_TEST_EXPECT_UNUM_EQ(d->header_type, 1);
			UK_TEST_EXPECT_UNUM_GE(on_bus(secondary_bus(d)), 1);
			bridges++;
		} else if (k) {
			UK_TEST_EXPECT_UNUM_EQ(d->id.vendor_id, k->vendor);
			UK_TEST_EXPECT_UNUM_EQ(d->id.device_id, k->device);
			UK_TEST_EXPECT_UNUM_EQ(d->id.class_id, k->class_id);
			found++;
		} else if (is_rng(d)) {
			/* virtio-rng: class "other"; modern-only: rev. 1. */
			UK_TEST_EXPECT_UNUM_EQ(d->id.class_id >> 16, 0x00);
			if (d->id.device_id == VIRTIO_RNG_MOD)
				UK_TEST_EXPECT_UNUM_GE(d->revision, 1);
			rng++;
		} else {
			other++;
		}
	}
	UK_TEST_EXPECT_UNUM_EQ(found, nset);
	UK_TEST_EXPECT_UNUM_EQ(other, 0);
	UK_TEST_EXPECT_UNUM_EQ(n, nset + rng + bridges);
	UK_TEST_EXPECT_PTR_EQ(uk_pci_device_get(n), NULL);
}

UK_TESTCASE(plat_pci, virtio_rng_bars_and_capabilities)
{
	unsigned int i, nvendor;
	struct pci_device *d = NULL;
	int cap, msix;

	for (i = 0; i < uk_pci_device_count() && !d; i++)
		if (is_rng(uk_pci_device_get(i)))
			d = uk_pci_device_get(i);
	if (!d) {
		printf("  skipped: no virtio-rng-pci (disable-legacy=on) given\n");
		UK_TEST_EXPECT_SNUM_EQ(uk_pci_cap_find(uk_pci_device_get(0),
						       PCI_CAP_ID_MSIX, 0),
				       -ENOENT);
		return;
	}
	/* Sized by the driver's side; a no-op when the driver took it. */
	uk_pci_bars_probe(d);
	UK_TEST_EXPECT_UNUM_EQ(d->bars_probed, 1);
	/* QEMU: MSI-X table in BAR1 (32-bit), registers in BAR4 (64-bit). */
	UK_TEST_EXPECT_UNUM_EQ(d->bar[1].flags, 0);
	UK_TEST_EXPECT_UNUM_GE(d->bar[1].size, 0x1000);
	UK_TEST_EXPECT(d->bar[4].flags & PCI_BAR_MEM64);
	UK_TEST_EXPECT_UNUM_EQ(d->bar[4].size, 0x4000);
	UK_TEST_EXPECT_UNUM_EQ(d->bar[5].size, 0);	/* upper half of 4 */
	UK_TEST_EXPECT(d->bar[4].base != 0 && IS_ALIGNED(d->bar[4].base,
							 d->bar[4].size));
	msix = uk_pci_cap_find(d, PCI_CAP_ID_MSIX, 0);
	UK_TEST_EXPECT_SNUM_GE(msix, 0x40);
	/* Five virtio vendor capabilities: common, notify, ISR, device, PCI. */
	nvendor = 0;
	for (cap = uk_pci_cap_find(d, PCI_CAP_ID_VNDR, 0); cap > 0;
	     cap = uk_pci_cap_find(d, PCI_CAP_ID_VNDR, cap))
		nvendor++;
	UK_TEST_EXPECT_UNUM_EQ(nvendor, 5);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_cap_find(d, 0x7f, 0), -ENOENT);
	UK_TEST_EXPECT_PTR_EQ(uk_pci_bar_map(d, 4, 0x4000, 1), NULL);
	UK_TEST_EXPECT_PTR_EQ(uk_pci_bar_map(d, 5, 0, 1), NULL);
	UK_TEST_EXPECT_NOT_NULL(uk_pci_bar_map(d, 4, 0x3000, 0x1000));
}

UK_TESTCASE(plat_pci, config_reads_agree_across_widths)
{
	struct pci_device *d = uk_pci_device_get(0);
	__u32 w;

	UK_TEST_REQUIRE(d != NULL);
	w = uk_pci_conf_read32(d, 0);
	UK_TEST_EXPECT_UNUM_EQ(uk_pci_conf_read16(d, 0), w & 0xffff);
	UK_TEST_EXPECT_UNUM_EQ(uk_pci_conf_read16(d, 2), w >> 16);
	UK_TEST_EXPECT_UNUM_EQ(uk_pci_conf_read8(d, 1), (w >> 8) & 0xff);
	UK_TEST_EXPECT_UNUM_EQ(uk_pci_conf_read8(d, 3), w >> 24);
	UK_TEST_EXPECT_UNUM_EQ(w & 0xffff, d->id.vendor_id);
}

static int fake_add(struct pci_device *dev __unused)
{
	return -EBUSY;
}

static const struct pci_device_id none_ids[] = {
	{ PCI_DEVICE_ID(0x1234, 0xfedc) },
	PCI_DEVICE_ID_END
};

static const struct pci_device_id hb_ids[] = {
	{ .vendor_id = 0x8086, .device_id = PCI_ANY_ID,
	  .subsystem_vendor_id = PCI_ANY_ID,
	  .subsystem_device_id = PCI_ANY_ID, .class_id = 0x060000 },
	PCI_DEVICE_ID_END
};

UK_TESTCASE(plat_pci, driver_matching)
{
	static struct pci_driver none = {
		.name = "none", .device_ids = none_ids, .add_dev = fake_add,
	};
	static struct pci_driver hb = {
		.name = "test-refuser", .device_ids = hb_ids,
		.add_dev = fake_add,
	};
	static struct pci_driver bad = { .name = "bad" };

	UK_TEST_EXPECT_SNUM_EQ(uk_pci_driver_register(&none), 0);
	/* Matches the host bridge, refuses it: it stays free. */
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_driver_register(&hb), 0);
	UK_TEST_EXPECT_NULL(uk_pci_device_get(0)->drv);
	UK_TEST_EXPECT(uk_pci_id_match(&hb_ids[0], uk_pci_device_get(0)));
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_driver_register(&bad), -EINVAL);
}
