/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio 1.x over PCI, modern interface only: what a virtio device driver
 * (virtio-rng, virtio-net) calls to bring a device up, set up its queues
 * with one MSI-X vector each on a CPU it names, and read its
 * configuration. Split rings are uk/virtqueue.h.
 *
 * Call order (from the driver's pci add_dev, boot CPU, init table):
 *   virtio_pci_init()        reset, ACKNOWLEDGE, DRIVER, features,
 *                            FEATURES_OK (re-read)
 *   virtio_vq_setup() ...    per queue: ring, MSI-X entry, enable
 *   virtio_config_irq()      optional: config-change interrupt
 *   virtio_ready()           DRIVER_OK, vectors unmasked
 * Any failure after virtio_pci_init() began: virtio_fail() (FAILED).
 * virtio_reset() on removal. The device and queue list do not change after
 * virtio_ready(); queues follow uk/virtqueue.h's rules.
 */
#ifndef __UK_VIRTIO_H__
#define __UK_VIRTIO_H__

#include <uk/bus/pci.h>
#include <uk/virtqueue.h>

#define VIRTIO_PCI_VENDOR	0x1af4
#define VIRTIO_PCI_MODERN_BASE	0x1040	/* device ID = base + type */
#define VIRTIO_ID_NET		1
#define VIRTIO_ID_RNG		4

#define VIRTIO_STATUS_ACK	0x01
#define VIRTIO_STATUS_DRIVER	0x02
#define VIRTIO_STATUS_DRIVER_OK	0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_FAILED	0x80

#define VIRTIO_MAX_QUEUES	16

struct virtio_pci_regs;

struct virtio_dev {
	struct pci_device *pdev;
	unsigned int type;		/* VIRTIO_ID_* */
	__u64 features;			/* negotiated */
	unsigned int num_queues;	/* the device offers */
	int msix_entries;		/* table size */
	struct virtqueue *vq[VIRTIO_MAX_QUEUES];
	/* Transport registers (mapped BAR windows), private. */
	volatile __u8 *common, *isr, *devcfg, *notify;
	volatile __u16 *qnotify[VIRTIO_MAX_QUEUES];
	__u32 notify_mult;
	__u32 devcfg_len;
};

/*
 * Brings a modern virtio-pci device to FEATURES_OK with the features both
 * sides have among wanted (VIRTIO_F_VERSION_1 is always asked for and
 * required). Returns 0, -ENODEV (no modern capabilities: a legacy-only
 * device, refused with a message; or no MSI-X), -ENOTSUP (the device
 * refused the features or lacks VERSION_1; FAILED is set).
 */
int virtio_pci_init(struct virtio_dev *vdev, struct pci_device *pdev,
		    __u64 wanted);

/*
 * Sets up queue idx with at most max_size entries (the device's size if
 * smaller), its interrupt as MSI-X entry 1 + idx on CPU cpu calling
 * fn(arg) (masked until virtio_ready()), and enables it. Memory from the
 * default allocator. Returns the queue, or NULL (errno-style reason on
 * the console): no such queue, no memory, -ENOSPC from the vector
 * allocator.
 */
struct virtqueue *virtio_vq_setup(struct virtio_dev *vdev, __u16 idx,
				  __u16 max_size, unsigned int cpu,
				  ukplat_irq_handler_t fn, void *arg);

/* The config-change interrupt (MSI-X entry 0) on CPU cpu. Returns 0/-errno. */
int virtio_config_irq(struct virtio_dev *vdev, unsigned int cpu,
		      ukplat_irq_handler_t fn, void *arg);

/* DRIVER_OK, then unmasks the vectors. Returns 0 or -EIO (device FAILED). */
int virtio_ready(struct virtio_dev *vdev);

/* Sets FAILED (after an error during set-up). */
void virtio_fail(struct virtio_dev *vdev);

/* Resets the device (status 0) and waits until it reads back 0. */
void virtio_reset(struct virtio_dev *vdev);

__u8 virtio_status(struct virtio_dev *vdev);

/*
 * Copies len bytes of device configuration from off, retrying until the
 * configuration generation is stable. Returns 0 or -EINVAL (outside it).
 */
int virtio_config_read(struct virtio_dev *vdev, unsigned int off, void *buf,
		       unsigned int len);

#endif /* __UK_VIRTIO_H__ */
