/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The driver's side of uk/netdev.h (Unikraft's uk/netdev_driver.h):
 * registering a device and signalling receive events.
 */
#ifndef __UK_NETDEV_DRIVER__
#define __UK_NETDEV_DRIVER__

#include <uk/netdev.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Registers dev (ops, tx_one and rx_one set) under the next free ID with
 * state UNPROBED, or UNCONFIGURED when ops->probe is NULL. Boot CPU, init
 * table (before applications look for devices). Returns the ID, -ENOMEM,
 * or -ENOSPC (CONFIG_LIBUKNETDEV_MAXNBDEVS reached).
 */
int uk_netdev_drv_register(struct uk_netdev *dev, struct uk_alloc *a,
			   const char *drv_name);

/*
 * Frames arrived on RX queue queue_id: runs the application's callback,
 * if it configured one. From the queue's interrupt handler.
 */
static inline void uk_netdev_drv_rx_event(struct uk_netdev *dev,
					  uint16_t queue_id)
{
	struct uk_netdev_event_handler *h;

	UK_ASSERT(dev && dev->_data);
	UK_ASSERT(queue_id < CONFIG_LIBUKNETDEV_MAXNBQUEUES);
	h = &dev->_data->rxq_handler[queue_id];
	if (h->callback)
		h->callback(dev, queue_id, h->cookie);
}

#ifdef __cplusplus
}
#endif

#endif /* __UK_NETDEV_DRIVER__ */
