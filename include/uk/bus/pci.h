/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI bus: the devices the platform found at boot, their configuration
 * space, BARs and capabilities, driver registration by ID, and MSI-X.
 * Names follow Unikraft's uk/bus/pci.h (struct pci_device, pci_driver,
 * pci_device_id, PCI_REGISTER_DRIVER) where it has them.
 *
 * The platform enumerates the buses once, at boot, from the platform class
 * of the init table (0xCF8/0xCFC, or ECAM when ACPI has an MCFG): bus 0
 * and every bus behind a PCI-PCI bridge, as the firmware numbered them. A
 * device whose capability list is malformed (a loop, a pointer outside
 * the configuration header) is reported on the console and left out.
 * Devices never come or go afterwards: the list is read-only and any CPU
 * may read it without a lock. Only a device's bar[] is filled later, once,
 * by its driver's side (uk_pci_bars_probe()).
 */
#ifndef __UK_BUS_PCI_H__
#define __UK_BUS_PCI_H__

#include <uk/essentials.h>

/* The platform implements it only with its PCI option (plat/kvm). */
#if !defined(CONFIG_KVM_PCI)
#error "uk/bus/pci.h needs CONFIG_KVM_PCI"
#endif
#include <uk/init.h>
#include <uk/plat/irq.h>

#define PCI_ANY_ID		0xffff
#define PCI_CLASS_ANY_ID	0xffffffffU

/* Configuration space header offsets and bits used by drivers. */
#define PCI_COMMAND		0x04
#define PCI_COMMAND_IO		0x1
#define PCI_COMMAND_MEMORY	0x2
#define PCI_COMMAND_MASTER	0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_CAPABILITY_LIST	0x34

#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11

#define PCI_MAX_BARS		6

struct pci_address {
	__u16 domain;
	__u8 bus;
	__u8 devid;		/* 0..31 */
	__u8 function;		/* 0..7 */
};

/* IDs a driver matches; PCI_ANY_ID / PCI_CLASS_ANY_ID match anything. */
struct pci_device_id {
	__u16 vendor_id;
	__u16 device_id;
	__u16 subsystem_vendor_id;
	__u16 subsystem_device_id;
	__u32 class_id;		/* class << 16 | subclass << 8 | prog-if */
};

#define PCI_DEVICE_ID(v, d)						\
	.vendor_id = (v), .device_id = (d),				\
	.subsystem_vendor_id = PCI_ANY_ID,				\
	.subsystem_device_id = PCI_ANY_ID, .class_id = PCI_CLASS_ANY_ID
/* Ends a driver's ID table. */
#define PCI_DEVICE_ID_END	{ .vendor_id = 0 }

#define PCI_BAR_IO		0x1	/* else memory */
#define PCI_BAR_MEM64		0x2
#define PCI_BAR_PREFETCH	0x4

/* One BAR as the firmware assigned it; size 0: not implemented. */
struct pci_bar {
	__u64 base;		/* bus address (== physical; identity map) */
	__u64 size;
	unsigned int flags;	/* PCI_BAR_* */
};

struct pci_driver;
struct pci_msix;

struct pci_device {
	struct pci_device_id id;
	struct pci_address addr;
	__u8 revision;
	__u8 header_type;	/* without the multi-function bit */
	__u8 bars_probed;	/* bar[] is filled (uk_pci_bars_probe()) */
	/* Zero until the BARs are sized: see uk_pci_bars_probe(). */
	struct pci_bar bar[PCI_MAX_BARS];
	struct pci_driver *drv;	/* set once, when a driver took it */
	struct pci_msix *msix;	/* MSI-X state, after uk_pci_msix_enable() */
	void *priv;		/* the driver's */
};

/*
 * A driver: IDs it handles and add_dev(), called once for each listed
 * device that matches (in bus order), on the boot CPU, from the init
 * table (interrupts disabled, every CPU online). add_dev() returns 0 when
 * it took the device, a negative errno otherwise (the device stays free).
 */
struct pci_driver {
	const char *name;
	const struct pci_device_id *device_ids;	/* ends with vendor_id 0 */
	int (*init)(struct pci_driver *drv);	/* optional, before add_dev */
	int (*add_dev)(struct pci_device *dev);
	struct pci_driver *next;		/* registry, private */
};

/*
 * Registers drv and probes it against every device not yet taken.
 * Boot CPU, init table. Returns the number of devices it took (0 when
 * none matched), or -EINVAL (no add_dev or ID table), or init()'s error.
 */
int uk_pci_driver_register(struct pci_driver *drv);

/* Registers drv from the init table (library class). */
#define PCI_REGISTER_DRIVER(drv)					\
	static int __pci_register_##drv(void)				\
	{								\
		uk_pci_driver_register(drv);				\
		return 0;						\
	}								\
	uk_lib_initcall(__pci_register_##drv)

/* The devices found at boot, in bus order. Any CPU, any context. */
unsigned int uk_pci_device_count(void);
struct pci_device *uk_pci_device_get(unsigned int i);	/* NULL: out of range */

/* Whether id matches dev (PCI_ANY_ID fields match anything). */
int uk_pci_id_match(const struct pci_device_id *id,
		    const struct pci_device *dev);

/*
 * Configuration space access (offset < 256; aligned to the access size).
 * Any CPU, any context but NMI.
 */
__u8 uk_pci_conf_read8(const struct pci_device *dev, unsigned int off);
__u16 uk_pci_conf_read16(const struct pci_device *dev, unsigned int off);
__u32 uk_pci_conf_read32(const struct pci_device *dev, unsigned int off);
void uk_pci_conf_write16(const struct pci_device *dev, unsigned int off,
			 __u16 v);
void uk_pci_conf_write32(const struct pci_device *dev, unsigned int off,
			 __u32 v);

/*
 * The offset of the first capability with ID cap_id after offset from
 * (0: from the start of the list), or -ENOENT. The list was checked at
 * boot; the walk is bounded anyway (48 entries).
 */
int uk_pci_cap_find(const struct pci_device *dev, __u8 cap_id,
		    unsigned int from);

/*
 * Sizes dev's BARs into dev->bar[] unless that was done: decoding is off
 * while it runs. Not done at boot, because switching decoding costs the
 * hypervisor milliseconds per device; the bus does it before a driver's
 * add_dev() sees the device, and uk_pci_bar_map() and uk_pci_enable() do
 * it too. Boot CPU from the init table, or the device's driver; never
 * while the device is in use.
 */
void uk_pci_bars_probe(struct pci_device *dev);

/* Enables memory (and I/O) decoding and bus mastering. Returns 0. */
int uk_pci_enable(struct pci_device *dev);

/*
 * A pointer through which the driver reads and writes memory BAR bar
 * from offset off, len bytes; NULL when the BAR is not a memory BAR, the
 * range is outside it, or it lies above 4 GiB (not mapped by the
 * platform; the console says so).
 */
void *uk_pci_bar_map(struct pci_device *dev, unsigned int bar, __u64 off,
		     __u64 len);

/* --- MSI-X -------------------------------------------------------------- */

/*
 * Maps dev's MSI-X table and pending-bit array from their BARs, masks
 * every entry and enables MSI-X (INTx off). Entries start unbound. Call
 * once, from the driver's probe or thread context. Returns the number of
 * table entries, -ENODEV (no MSI-X capability or unusable BAR), -ENOMEM.
 */
int uk_pci_msix_enable(struct pci_device *dev);

/*
 * Binds table entry to a new vector on CPU cpu that calls fn(arg), and
 * writes the message; the entry stays masked until uk_pci_msix_unmask().
 * Thread context or init table. Returns 0, -EINVAL (bad entry, CPU, or
 * already bound), -ENOSPC (cpu has no free vector; nothing changed).
 */
int uk_pci_msix_bind(struct pci_device *dev, unsigned int entry,
		     unsigned int cpu, ukplat_irq_handler_t fn, void *arg);

/*
 * Masks the entry and gives its vector back. An interrupt the old CPU
 * had already accepted still runs fn once. Returns 0 or -EINVAL.
 */
int uk_pci_msix_unbind(struct pci_device *dev, unsigned int entry);

/*
 * Masks / unmasks one entry. While masked the device sets the entry's
 * pending bit instead of sending; unmasking sends a pending message
 * once. Any CPU, any context but NMI. Return 0 or -EINVAL.
 */
int uk_pci_msix_mask(struct pci_device *dev, unsigned int entry);
int uk_pci_msix_unmask(struct pci_device *dev, unsigned int entry);

/* Whether the entry's pending bit is set (1), clear (0), or -EINVAL. */
int uk_pci_msix_pending(struct pci_device *dev, unsigned int entry);

/*
 * Moves a bound entry to a new vector on CPU cpu at run time: masks it,
 * rewrites the message, restores the mask state; an interrupt raised
 * meanwhile is held pending by the device and delivered to cpu, and one
 * the old CPU had already accepted still runs fn there. Thread context,
 * interrupts enabled (the old vector is retired by a remote call).
 * bind/unbind/move of one entry must not run concurrently (the driver
 * serializes them); mask/unmask/pending may run at any time.
 * Returns 0, -EINVAL, or -ENOSPC (no free vector on cpu; unchanged).
 */
int uk_pci_msix_move(struct pci_device *dev, unsigned int entry,
		     unsigned int cpu);

/* The CPU an entry is bound to, or -EINVAL when unbound. */
int uk_pci_msix_cpu(struct pci_device *dev, unsigned int entry);

#endif /* __UK_BUS_PCI_H__ */
