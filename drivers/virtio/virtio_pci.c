/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio 1.x PCI transport, modern interface (uk/virtio.h): finds the
 * common/notify/ISR/device configuration windows from the vendor
 * capabilities, runs the status and feature sequence, sets up split
 * queues with one MSI-X entry each, and reads the device configuration.
 *
 * Register access: the windows are MMIO in BARs mapped by the platform
 * (identity map, uncached by the firmware's MTRRs). Every access is a
 * volatile load or store of the register's own width; x86 keeps MMIO
 * accesses in program order, so no further barrier is needed between
 * them. Ring memory is ordinary RAM: its orders are in virtqueue.c.
 *
 * MSI-X entries: 0 is the configuration change, 1 + i is queue i.
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/print.h>
#include <uk/plat/time.h>
#include <uk/virtio.h>

#define CAP_CFG_TYPE	3	/* offsets in a virtio vendor capability */
#define CAP_BAR		4
#define CAP_OFFSET	8
#define CAP_LENGTH	12
#define CAP_NOTIFY_MULT	16
#define CFG_COMMON	1
#define CFG_NOTIFY	2
#define CFG_ISR		3
#define CFG_DEVICE	4

/* struct virtio_pci_common_cfg (spec 4.1.4.3), byte offsets. */
#define C_DFSELECT	0
#define C_DF		4
#define C_GFSELECT	8
#define C_GF		12
#define C_MSIX_CONFIG	16
#define C_NUM_QUEUES	18
#define C_STATUS	20
#define C_CFG_GEN	21
#define C_Q_SELECT	22
#define C_Q_SIZE	24
#define C_Q_MSIX	26
#define C_Q_ENABLE	28
#define C_Q_NOFF	30
#define C_Q_DESC	32
#define C_Q_DRIVER	40
#define C_Q_DEVICE	48
#define NO_VECTOR	0xffff
#define RESET_WAIT_NS	(1000ULL * 1000000ULL)

#define R8(p, o)	(*(volatile __u8 *)((p) + (o)))
#define R16(p, o)	(*(volatile __u16 *)((p) + (o)))
#define R32(p, o)	(*(volatile __u32 *)((p) + (o)))

static void w64(volatile __u8 *p, unsigned int off, __u64 v)
{
	R32(p, off) = (__u32)v;
	R32(p, off + 4) = v >> 32;
}

static void pr_dev(struct pci_device *d, const char *what, int rc)
{
	uk_pr_err("virtio %02x:%02x.%x (%04x:%04x): %s (%d)\n", d->addr.bus,
		  d->addr.devid, d->addr.function, d->id.vendor_id,
		  d->id.device_id, what, rc);
}

__u8 virtio_status(struct virtio_dev *vdev)
{
	return R8(vdev->common, C_STATUS);
}

static void status_set(struct virtio_dev *vdev, __u8 bit)
{
	R8(vdev->common, C_STATUS) = virtio_status(vdev) | bit;
}

void virtio_fail(struct virtio_dev *vdev)
{
	status_set(vdev, VIRTIO_STATUS_FAILED);
}

void virtio_reset(struct virtio_dev *vdev)
{
	__nsec end = ukplat_monotonic_clock() + RESET_WAIT_NS;

	R8(vdev->common, C_STATUS) = 0;
	/* The reset is done when the status reads back 0 (spec 4.1.4.3.2). */
	while (virtio_status(vdev) && ukplat_monotonic_clock() < end)
		;
}

/* Maps the window a vendor capability at cap describes; NULL if unusable. */
static volatile __u8 *cap_map(struct pci_device *d, int cap, __u32 *len)
{
	__u8 bar = uk_pci_conf_read8(d, cap + CAP_BAR);
	__u32 off = uk_pci_conf_read32(d, cap + CAP_OFFSET);

	*len = uk_pci_conf_read32(d, cap + CAP_LENGTH);
	return uk_pci_bar_map(d, bar, off, *len);
}

static int caps_find(struct virtio_dev *vdev, struct pci_device *d)
{
	__u32 len, common_len = 0, isr_len;
	int cap;

	for (cap = uk_pci_cap_find(d, PCI_CAP_ID_VNDR, 0); cap > 0;
	     cap = uk_pci_cap_find(d, PCI_CAP_ID_VNDR, cap)) {
		switch (uk_pci_conf_read8(d, cap + CAP_CFG_TYPE)) {
		case CFG_COMMON:	/* the first of each kind is the one */
			if (!vdev->common)
				vdev->common = cap_map(d, cap, &common_len);
			break;
		case CFG_NOTIFY:
			if (!vdev->notify) {
				vdev->notify = cap_map(d, cap, &len);
				vdev->notify_mult = uk_pci_conf_read32(
					d, cap + CAP_NOTIFY_MULT);
			}
			break;
		case CFG_ISR:
			if (!vdev->isr)
				vdev->isr = cap_map(d, cap, &isr_len);
			break;
		case CFG_DEVICE:
			if (!vdev->devcfg)
				vdev->devcfg = cap_map(d, cap,
						       &vdev->devcfg_len);
			break;
		}
	}
	if (!vdev->common || common_len < C_Q_DEVICE + 8 || !vdev->notify)
		return -ENODEV;
	return 0;
}

static __u64 features_read(struct virtio_dev *vdev)
{
	R32(vdev->common, C_DFSELECT) = 0;
	__u64 lo = R32(vdev->common, C_DF);

	R32(vdev->common, C_DFSELECT) = 1;
	return lo | (__u64)R32(vdev->common, C_DF) << 32;
}

static void features_write(struct virtio_dev *vdev, __u64 f)
{
	R32(vdev->common, C_GFSELECT) = 0;
	R32(vdev->common, C_GF) = (__u32)f;
	R32(vdev->common, C_GFSELECT) = 1;
	R32(vdev->common, C_GF) = f >> 32;
}

int virtio_pci_init(struct virtio_dev *vdev, struct pci_device *pdev,
		    __u64 wanted)
{
	__u16 id = pdev->id.device_id;
	__u64 offered;
	int rc;

	memset(vdev, 0, sizeof(*vdev));
	vdev->pdev = pdev;
	vdev->type = id >= VIRTIO_PCI_MODERN_BASE
		? id - VIRTIO_PCI_MODERN_BASE : pdev->id.subsystem_device_id;
	rc = caps_find(vdev, pdev);
	if (rc < 0) {
		pr_dev(pdev, "no modern virtio capabilities: legacy-only "
		       "devices are not supported (use disable-legacy=on)", rc);
		return rc;
	}
	uk_pci_enable(pdev);
	vdev->msix_entries = uk_pci_msix_enable(pdev);
	if (vdev->msix_entries < 1) {
		pr_dev(pdev, "no usable MSI-X", vdev->msix_entries);
		return -ENODEV;
	}
	virtio_reset(vdev);
	status_set(vdev, VIRTIO_STATUS_ACK);
	status_set(vdev, VIRTIO_STATUS_DRIVER);
	offered = features_read(vdev);
	vdev->features = offered & (wanted | 1ULL << VIRTIO_F_VERSION_1);
	if (!(vdev->features & 1ULL << VIRTIO_F_VERSION_1)) {
		pr_dev(pdev, "device lacks VIRTIO_F_VERSION_1", -ENOTSUP);
		virtio_fail(vdev);
		return -ENOTSUP;
	}
	features_write(vdev, vdev->features);
	status_set(vdev, VIRTIO_STATUS_FEATURES_OK);
	/* The device may refuse the subset: it then clears FEATURES_OK. */
	if (!(virtio_status(vdev) & VIRTIO_STATUS_FEATURES_OK)) {
		pr_dev(pdev, "device refused the features", -ENOTSUP);
		virtio_fail(vdev);
		return -ENOTSUP;
	}
	vdev->num_queues = R16(vdev->common, C_NUM_QUEUES);
	return 0;
}

/* Any CPU: the address was cached at set-up (queue_select is shared). */
static void vq_notify(struct virtqueue *vq, void *arg)
{
	struct virtio_dev *vdev = arg;
	__u16 idx = virtqueue_index(vq);

	*vdev->qnotify[idx] = idx;
}

static __u16 pow2_floor(__u16 v)
{
	__u16 p = 1;

	while (p <= v / 2)
		p *= 2;
	return p;
}

/* Allocates ring and state for n entries; NULL when out of memory. */
static struct virtqueue *vq_alloc(struct virtio_dev *vdev, __u16 idx,
				  __u16 n)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct virtqueue *vq = uk_malloc(a, virtqueue_size(n));
	void *ring = uk_memalign(a, 4096, virtqueue_ring_size(n));

	if (!vq || !ring) {
		uk_free(a, vq);
		uk_free(a, ring);
		return NULL;
	}
	virtqueue_init(vq, idx, n, ring, vdev->features, vq_notify, vdev);
	return vq;
}

struct virtqueue *virtio_vq_setup(struct virtio_dev *vdev, __u16 idx,
				  __u16 max_size, unsigned int cpu,
				  ukplat_irq_handler_t fn, void *arg)
{
	volatile __u8 *c = vdev->common;
	struct virtqueue *vq;
	__u64 d, av, u;
	__u16 n;
	int rc;

	if (idx >= vdev->num_queues || idx >= VIRTIO_MAX_QUEUES
	    || (int)idx + 1 >= vdev->msix_entries || !max_size) {
		pr_dev(vdev->pdev, "no such queue", idx);
		return NULL;
	}
	R16(c, C_Q_SELECT) = idx;
	n = R16(c, C_Q_SIZE);
	if (!n)
		return NULL;
	n = pow2_floor(MIN(n, max_size));
	vq = vq_alloc(vdev, idx, n);
	if (!vq) {
		pr_dev(vdev->pdev, "no memory for a queue", -ENOMEM);
		return NULL;
	}
	rc = uk_pci_msix_bind(vdev->pdev, 1 + idx, cpu, fn, arg);
	if (rc < 0) {
		pr_dev(vdev->pdev, "no interrupt vector for a queue", rc);
		return NULL;	/* the memory stays: the device is failed */
	}
	R16(c, C_Q_SELECT) = idx;
	R16(c, C_Q_SIZE) = n;
	R16(c, C_Q_MSIX) = 1 + idx;
	if (R16(c, C_Q_MSIX) == NO_VECTOR) {
		pr_dev(vdev->pdev, "device refused the queue vector", -EIO);
		return NULL;
	}
	vdev->qnotify[idx] = (volatile __u16 *)(vdev->notify
		+ (__u32)R16(c, C_Q_NOFF) * vdev->notify_mult);
	virtqueue_ring_addrs(vq, &d, &av, &u);
	w64(c, C_Q_DESC, d);
	w64(c, C_Q_DRIVER, av);
	w64(c, C_Q_DEVICE, u);
	R16(c, C_Q_ENABLE) = 1;
	vdev->vq[idx] = vq;
	return vq;
}

int virtio_config_irq(struct virtio_dev *vdev, unsigned int cpu,
		      ukplat_irq_handler_t fn, void *arg)
{
	int rc = uk_pci_msix_bind(vdev->pdev, 0, cpu, fn, arg);

	if (rc < 0)
		return rc;
	R16(vdev->common, C_MSIX_CONFIG) = 0;
	return R16(vdev->common, C_MSIX_CONFIG) == NO_VECTOR ? -EIO : 0;
}

int virtio_ready(struct virtio_dev *vdev)
{
	int i;

	status_set(vdev, VIRTIO_STATUS_DRIVER_OK);
	if (virtio_status(vdev) & VIRTIO_STATUS_FAILED)
		return -EIO;
	for (i = 0; i < vdev->msix_entries; i++)
		if (uk_pci_msix_cpu(vdev->pdev, i) >= 0)
			uk_pci_msix_unmask(vdev->pdev, i);
	return 0;
}

int virtio_config_read(struct virtio_dev *vdev, unsigned int off, void *buf,
		       unsigned int len)
{
	__u8 gen, *b = buf;
	unsigned int i;

	if (!vdev->devcfg || off > vdev->devcfg_len
	    || len > vdev->devcfg_len - off)
		return -EINVAL;
	/* Fields are read at their natural width (spec 4.1.3.1). */
	do {
		gen = R8(vdev->common, C_CFG_GEN);
		if (len == 4 && IS_ALIGNED(off, 4)) {
			__u32 v = R32(vdev->devcfg, off);

			memcpy(b, &v, 4);
		} else if (len == 2 && IS_ALIGNED(off, 2)) {
			__u16 v = R16(vdev->devcfg, off);

			memcpy(b, &v, 2);
		} else {
			for (i = 0; i < len; i++)
				b[i] = R8(vdev->devcfg, off + i);
		}
	} while (gen != R8(vdev->common, C_CFG_GEN));
	return 0;
}
