/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI bus (x86_64): configuration access, enumeration at boot, BARs,
 * capabilities and the driver registry behind uk/bus/pci.h.
 *
 * Configuration space is reached through ECAM when ACPI has an MCFG (q35)
 * and through ports 0xCF8/0xCFC otherwise (pc). Enumeration runs once, in
 * the platform class of the init table, and fills pci_devs[]; after it,
 * the array and pci_ndevs never change, so readers need no lock. Drivers
 * register later (library class) and are probed against it; a device's
 * BARs are sized when a driver is offered it (uk_pci_bars_probe()).
 *
 * Invariant: every device in pci_devs[] has a well-formed capability list
 * (or none); a device whose list loops or points outside 0x40..0xfc was
 * reported and left out.
 */
#include <errno.h>
#include <string.h>
#include <uk/bus/pci.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>
#include <kvm/pci.h>
#include <kvm/acpi.h>

#define CF8_ADDR	0xcf8
#define CF8_DATA	0xcfc
#define CF8_ENABLE	0x80000000U
#define PCI_VENDOR_NONE	0xffff
#define PCI_BAR0	0x10
#define PCI_HDR_TYPE	0x0e
#define PCI_HDR_MULTIFN	0x80
#define MEM_4G		(1ULL << 32)	/* the identity map's end */

static struct pci_device pci_devs[CONFIG_KVM_PCI_MAXDEV];
static unsigned int pci_ndevs;
static struct pci_driver *pci_drivers;	/* boot CPU only (init table) */

/* ECAM window for segment 0 buses ecam_bus0..ecam_bus1; 0: use 0xCF8. */
static __u64 ecam_base;
static unsigned int ecam_bus0, ecam_bus1;

/*
 * Protects the 0xCF8 address / 0xCFC data pair: one CPU's address write
 * must not be followed by another's data access. ECAM needs no lock.
 */
static volatile int cf8_lock;

static unsigned long cf8_take(void)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	/* Acquire: pairs with the release in cf8_give() of the last user. */
	while (__atomic_exchange_n(&cf8_lock, 1, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	return f;
}

static void cf8_give(unsigned long f)
{
	/* Release: our port accesses are done before the next user's. */
	__atomic_store_n(&cf8_lock, 0, __ATOMIC_RELEASE);
	ukplat_lcpu_restore_irqf(f);
}

static __u32 cf8_addr(const struct pci_address *a, unsigned int off)
{
	return CF8_ENABLE | (__u32)a->bus << 16 | (__u32)a->devid << 11
		| (__u32)a->function << 8 | (off & 0xfc);
}

static volatile void *ecam_ptr(const struct pci_address *a, unsigned int off)
{
	if (!ecam_base || a->bus < ecam_bus0 || a->bus > ecam_bus1)
		return NULL;
	return (volatile void *)(unsigned long)(ecam_base
		+ ((__u64)(a->bus - ecam_bus0) << 20)
		+ ((__u64)a->devid << 15) + ((__u64)a->function << 12) + off);
}

static __u32 pci_inl(__u16 port)
{
	__u32 v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* The aligned dword that holds off (smaller reads extract from it). */
static __u32 conf_read32(const struct pci_address *a, unsigned int off)
{
	volatile __u32 *e = ecam_ptr(a, off & 0xfc);
	unsigned long f;
	__u32 v;

	if (e)
		return *e;
	f = cf8_take();
	outl(CF8_ADDR, cf8_addr(a, off));
	v = pci_inl(CF8_DATA);
	cf8_give(f);
	return v;
}

/* Writes the low size (2 or 4) bytes of v at off (aligned to size). */
static void conf_write(const struct pci_address *a, unsigned int off,
		       __u32 v, unsigned int size)
{
	volatile void *e = ecam_ptr(a, off & ~(size - 1));
	unsigned long f;

	if (e && size == 4)
		*(volatile __u32 *)e = v;
	else if (e)
		*(volatile __u16 *)e = v;
	if (e)
		return;
	f = cf8_take();
	outl(CF8_ADDR, cf8_addr(a, off));
	if (size == 4)
		outl(CF8_DATA, v);
	else
		outw(CF8_DATA + (off & 2), v);
	cf8_give(f);
}

__u32 uk_pci_conf_read32(const struct pci_device *dev, unsigned int off)
{
	return conf_read32(&dev->addr, off);
}

__u16 uk_pci_conf_read16(const struct pci_device *dev, unsigned int off)
{
	return conf_read32(&dev->addr, off) >> ((off & 2) * 8);
}

__u8 uk_pci_conf_read8(const struct pci_device *dev, unsigned int off)
{
	return conf_read32(&dev->addr, off) >> ((off & 3) * 8);
}

void uk_pci_conf_write32(const struct pci_device *dev, unsigned int off,
			 __u32 v)
{
	conf_write(&dev->addr, off, v, 4);
}

void uk_pci_conf_write16(const struct pci_device *dev, unsigned int off,
			 __u16 v)
{
	conf_write(&dev->addr, off, v, 2);
}

/* --- capabilities ------------------------------------------------------- */

static __u8 dev_rd8(const void *ctx, unsigned int off)
{
	return uk_pci_conf_read8(ctx, off);
}

int uk_pci_cap_find(const struct pci_device *dev, __u8 cap_id,
		    unsigned int from)
{
	if (!(uk_pci_conf_read16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return -ENOENT;
	return kvm_pci_cap_next(dev_rd8, dev, cap_id, from);
}

/* --- BARs --------------------------------------------------------------- */

/* Sizes BAR i (decoding is off); returns the number of slots it used. */
static unsigned int bar_probe(struct pci_device *d, unsigned int i)
{
	unsigned int off = PCI_BAR0 + 4 * i;
	struct pci_bar *b = &d->bar[i];
	__u32 lo = uk_pci_conf_read32(d, off), szlo, hi = 0, szhi = ~0U;
	__u64 mask;

	conf_write(&d->addr, off, ~0U, 4);
	szlo = uk_pci_conf_read32(d, off);
	conf_write(&d->addr, off, lo, 4);
	if (lo & 1) {
		b->flags = PCI_BAR_IO;
		b->base = lo & ~3U;
		mask = (szlo & ~3U) | 0xffff0000U;
		b->size = szlo ? (__u32)(~mask + 1) : 0;
		return 1;
	}
	b->flags = lo & 0x8 ? PCI_BAR_PREFETCH : 0;
	if ((lo & 0x6) == 0x4 && i + 1 < PCI_MAX_BARS) {
		b->flags |= PCI_BAR_MEM64;
		hi = uk_pci_conf_read32(d, off + 4);
		conf_write(&d->addr, off + 4, ~0U, 4);
		szhi = uk_pci_conf_read32(d, off + 4);
		conf_write(&d->addr, off + 4, hi, 4);
	}
	mask = ((__u64)szhi << 32) | (szlo & ~0xfU);
	b->base = ((__u64)hi << 32) | (lo & ~0xfU);
	b->size = (szlo & ~0xfU) ? ~mask + 1 : 0;
	return b->flags & PCI_BAR_MEM64 ? 2 : 1;
}

/*
 * Sizing is left to the first use (a driver is offered the device, or
 * asks): switching decoding off and on makes QEMU rebuild its address
 * spaces, 0.1-7 ms per device under TCG (most for the IDE controller of
 * the pc machine), which no boot should pay for a device nobody drives.
 */
void uk_pci_bars_probe(struct pci_device *d)
{
	unsigned int n = d->header_type == 0 ? 6 : d->header_type == 1 ? 2 : 0;
	unsigned int i;
	__u16 cmd;

	if (d->bars_probed)
		return;
	cmd = uk_pci_conf_read16(d, PCI_COMMAND);
	/* No decoding while a BAR reads as all ones (it would claim it). */
	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY))
		conf_write(&d->addr, PCI_COMMAND,
			   cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY), 2);
	for (i = 0; i < n;)
		i += bar_probe(d, i);
	if (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY))
		conf_write(&d->addr, PCI_COMMAND, cmd, 2);
	d->bars_probed = 1;
}

void *uk_pci_bar_map(struct pci_device *dev, unsigned int bar, __u64 off,
		     __u64 len)
{
	struct pci_bar *b;

	if (bar >= PCI_MAX_BARS)
		return NULL;
	uk_pci_bars_probe(dev);
	b = &dev->bar[bar];
	if ((b->flags & PCI_BAR_IO) || !b->size || off > b->size
	    || len > b->size - off)
		return NULL;
	if (b->base + off + len > MEM_4G) {
		uk_pr_err("pci %02x:%02x.%x: BAR%u at %#llx is above 4 GiB, not mapped\n",
			  dev->addr.bus, dev->addr.devid, dev->addr.function,
			  bar, (unsigned long long)b->base);
		return NULL;
	}
	return (void *)(unsigned long)(b->base + off);
}

int uk_pci_enable(struct pci_device *dev)
{
	unsigned int i;
	__u16 cmd;

	uk_pci_bars_probe(dev);
	cmd = uk_pci_conf_read16(dev, PCI_COMMAND);
	cmd |= PCI_COMMAND_MASTER;
	for (i = 0; i < PCI_MAX_BARS; i++)
		if (dev->bar[i].size)
			cmd |= dev->bar[i].flags & PCI_BAR_IO
				? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	uk_pci_conf_write16(dev, PCI_COMMAND, cmd);
	return 0;
}

/* --- enumeration -------------------------------------------------------- */

static void ecam_init(void)
{
	const __u8 *mcfg = kvm_acpi_table("MCFG");
	__u32 len;
	__u64 base;

	/* 36-byte header, 8 reserved, then 16-byte allocations. */
	if (!mcfg)
		return;
	memcpy(&len, mcfg + 4, 4);
	if (len < 44 + 16)
		return;
	memcpy(&base, mcfg + 44, 8);
	if (mcfg[44 + 8] || mcfg[44 + 9] || base + (1ULL << 28) > MEM_4G)
		return;		/* not segment 0, or not identity-mapped */
	ecam_bus0 = mcfg[44 + 10];
	ecam_bus1 = mcfg[44 + 11];
	ecam_base = base;
}

/*
 * Records function a, whose dwords 0 (IDs) and 0x0c (header type) the scan
 * already read; returns its header type (0 device, 1 PCI-PCI bridge).
 */
static unsigned int dev_add(const struct pci_address *a, __u32 idreg,
			    __u32 hdr)
{
	struct pci_device *d;
	__u32 cls, sub = 0;
	int ncap = 0;

	if (pci_ndevs == CONFIG_KVM_PCI_MAXDEV) {
		uk_pr_warn("pci %02x:%02x.%x: more than %d devices, left out\n",
			   a->bus, a->devid, a->function,
			   CONFIG_KVM_PCI_MAXDEV);
		return (hdr >> 16) & 0x7f;
	}
	d = &pci_devs[pci_ndevs];
	memset(d, 0, sizeof(*d));
	d->addr = *a;
	cls = conf_read32(a, 0x08);
	d->header_type = (hdr >> 16) & 0x7f;
	if (d->header_type == 0)
		sub = conf_read32(a, 0x2c);
	d->id = (struct pci_device_id){
		.vendor_id = idreg, .device_id = idreg >> 16,
		.subsystem_vendor_id = sub, .subsystem_device_id = sub >> 16,
		.class_id = cls >> 8,
	};
	d->revision = cls;
	if (uk_pci_conf_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST)
		ncap = kvm_pci_cap_check(dev_rd8, d);
	if (ncap < 0) {
		uk_pr_warn("pci %02x:%02x.%x %04x:%04x: capability list %s, device skipped\n",
			   a->bus, a->devid, a->function, d->id.vendor_id,
			   d->id.device_id, ncap == -ELOOP ? "loops"
			   : "points outside config space");
		return d->header_type;
	}
	pci_ndevs++;
	return d->header_type;
}

/* Buses the scan visited (boot CPU, init table). */
static __u8 bus_scanned[256 / 8];

static void scan_bus(unsigned int bus);

/* A bridge's secondary bus, scanned unless seen or not above ours. */
static void scan_bridge(const struct pci_address *a)
{
	unsigned int sec = (conf_read32(a, 0x18) >> 8) & 0xff;

	if (sec > a->bus)
		scan_bus(sec);
}

static void scan_slot(unsigned int bus, unsigned int slot)
{
	struct pci_address a = { .bus = bus, .devid = slot };
	unsigned int fn, nfn = 1;
	__u32 id, hdr;

	for (fn = 0; fn < nfn; fn++) {
		a.function = fn;
		id = conf_read32(&a, 0);
		if ((id & 0xffff) == PCI_VENDOR_NONE)
			continue;
		hdr = conf_read32(&a, PCI_HDR_TYPE & 0xfc);
		if (fn == 0 && ((hdr >> 16) & PCI_HDR_MULTIFN))
			nfn = 8;
		if (dev_add(&a, id, hdr) == 1)
			scan_bridge(&a);
	}
}

/* Recursion depth is bounded: every level is a higher bus number. */
static void scan_bus(unsigned int bus)
{
	unsigned int slot;

	if (bus_scanned[bus / 8] & (1 << (bus % 8)))
		return;		/* two bridges claim it: the firmware erred */
	bus_scanned[bus / 8] |= 1 << (bus % 8);
	for (slot = 0; slot < 32; slot++)
		scan_slot(bus, slot);
}

/*
 * The scan visits only what exists: bus 0, then the secondary bus of each
 * PCI-PCI bridge found (bus numbers as the firmware assigned them), each
 * bus once; on a bus, function 0 of each of the 32 slots, and functions
 * 1-7 only where function 0's header says multi-function. One dword read
 * per check. On QEMU's pc machine (-nodefaults) that is 43 reads to find
 * its four functions, where a scan of all 256 buses made 8,275 (2.5 ms
 * of port I/O under TCG).
 */
static int pci_enumerate(void)
{
	ecam_init();
	scan_bus(0);
	uk_pr_info("pci: %u devices (%s)\n", pci_ndevs,
		   ecam_base ? "ECAM" : "ports 0xcf8/0xcfc");
	return 0;
}
uk_plat_initcall(pci_enumerate);

unsigned int uk_pci_device_count(void)
{
	return pci_ndevs;
}

struct pci_device *uk_pci_device_get(unsigned int i)
{
	return i < pci_ndevs ? &pci_devs[i] : NULL;
}

/* --- drivers ------------------------------------------------------------ */

int uk_pci_id_match(const struct pci_device_id *id,
		    const struct pci_device *d)
{
	return (id->vendor_id == PCI_ANY_ID
		|| id->vendor_id == d->id.vendor_id)
		&& (id->device_id == PCI_ANY_ID
		    || id->device_id == d->id.device_id)
		&& (id->subsystem_vendor_id == PCI_ANY_ID
		    || id->subsystem_vendor_id == d->id.subsystem_vendor_id)
		&& (id->subsystem_device_id == PCI_ANY_ID
		    || id->subsystem_device_id == d->id.subsystem_device_id)
		&& (id->class_id == PCI_CLASS_ANY_ID
		    || id->class_id == d->id.class_id);
}

static int drv_matches(const struct pci_driver *drv,
		       const struct pci_device *d)
{
	const struct pci_device_id *id;

	for (id = drv->device_ids; id->vendor_id; id++)
		if (uk_pci_id_match(id, d))
			return 1;
	return 0;
}

int uk_pci_driver_register(struct pci_driver *drv)
{
	unsigned int i;
	int rc, taken = 0;

	if (!drv->add_dev || !drv->device_ids)
		return -EINVAL;
	if (drv->init) {
		rc = drv->init(drv);
		if (rc < 0) {
			uk_pr_err("pci: driver %s: init failed: %d\n",
				  drv->name, rc);
			return rc;
		}
	}
	drv->next = pci_drivers;
	pci_drivers = drv;
	for (i = 0; i < pci_ndevs; i++) {
		struct pci_device *d = &pci_devs[i];

		if (d->drv || !drv_matches(drv, d))
			continue;
		/* Marked taken first: add_dev may look at dev->drv. */
		d->drv = drv;
		uk_pci_bars_probe(d);
		rc = drv->add_dev(d);
		if (rc < 0) {
			d->drv = NULL;
			uk_pr_warn("pci %02x:%02x.%x: driver %s refused it: %d\n",
				   d->addr.bus, d->addr.devid, d->addr.function,
				   drv->name, rc);
			continue;
		}
		taken++;
	}
	return taken;
}
