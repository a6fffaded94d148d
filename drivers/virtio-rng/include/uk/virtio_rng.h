/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-rng: random bytes from the host (QEMU's virtio-rng-pci with
 * disable-legacy=on). The first such device is used; later ones are left
 * free. lib/ukrandom reseeds from it; applications may read it directly.
 */
#ifndef __UK_VIRTIO_RNG_H__
#define __UK_VIRTIO_RNG_H__

#include <sys/types.h>
#include <uk/essentials.h>

#define UK_VIRTIO_RNG_NONBLOCK	0x1

/*
 * Fills buf with len bytes from the device. Any CPU, thread context (or
 * with interrupts disabled, then it polls); several CPUs may read at once
 * and each request is answered. Blocking (flags 0): returns len, after
 * as many device requests as it takes (a large read is split into chunks
 * of at most 64 KiB). The waiting CPU halts between interrupts.
 * UK_VIRTIO_RNG_NONBLOCK: returns what the driver has buffered now (up to
 * 256 bytes) and asks the device for more; -EAGAIN when that is nothing.
 * Returns -ENODEV without a device, -EIO when the device answered with a
 * malformed completion before any byte was read.
 */
ssize_t uk_virtio_rng_read(void *buf, size_t len, int flags);

/* Whether a device was found and set up. */
int uk_virtio_rng_present(void);

#endif /* __UK_VIRTIO_RNG_H__ */
