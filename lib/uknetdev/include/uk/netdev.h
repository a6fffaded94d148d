/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network devices (Unikraft's uk/netdev.h names and meanings), for
 * applications and network stacks.
 *
 * Life cycle, from one thread (any CPU), in this order:
 *   dev = uk_netdev_get(i)                 registered by a driver at boot
 *   uk_netdev_info_get(dev, &info)         max queues, headroom, MTU
 *   uk_netdev_configure(dev, &conf)        UNCONFIGURED -> CONFIGURED
 *   uk_netdev_rxq_configure(dev, q, ...)   each queue 0..nb-1
 *   uk_netdev_txq_configure(dev, q, ...)
 *   uk_netdev_start(dev)                   CONFIGURED -> RUNNING
 * Each returns 0 or a negative errno (-EINVAL in the wrong state).
 *
 * Data path (RUNNING): any CPU may call uk_netdev_tx_one()/_tx_burst()
 * on any TX queue at any time, including from a receive callback; the
 * driver serializes callers of one queue. RX queue q is processed by one
 * CPU at a time (the driver serializes that too); its callback runs on
 * uk_netdev_queue_cpu(dev, q). Counters (uk_netdev_*stats_get) are read
 * from any CPU; a sum read while frames flow is a snapshot, not atomic.
 *
 * Return values of rx/tx: status flags (>= 0, UK_NETDEV_STATUS_*) or a
 * negative errno; test them with uk_netdev_status_successful() etc.
 */
#ifndef __UK_NETDEV__
#define __UK_NETDEV__

#include <uk/netdev_core.h>
#include <uk/assert.h>
#include <uk/plat/lcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Registered devices; uk_netdev_get(): NULL when id >= count. */
unsigned int uk_netdev_count(void);
struct uk_netdev *uk_netdev_get(unsigned int id);
uint16_t uk_netdev_id_get(struct uk_netdev *dev);
const char *uk_netdev_drv_name_get(struct uk_netdev *dev);
enum uk_netdev_state uk_netdev_state_get(struct uk_netdev *dev);

/* UNPROBED -> UNCONFIGURED (driver's probe, if any). 0 or -errno. */
int uk_netdev_probe(struct uk_netdev *dev);

void uk_netdev_info_get(struct uk_netdev *dev,
			struct uk_netdev_info *dev_info);

/* NULL when the driver has no such information. */
const char *uk_netdev_einfo_get(struct uk_netdev *dev,
				enum uk_netdev_einfo_type einfo);

/*
 * Sets the number of queues (at most info's max_*_queues; virtio-net:
 * pairs, nb_rx == nb_tx). -EINVAL: wrong state or too many queues;
 * -ENOMEM: no memory for the statistics.
 */
int uk_netdev_configure(struct uk_netdev *dev,
			const struct uk_netdev_conf *dev_conf);

int uk_netdev_rxq_info_get(struct uk_netdev *dev, uint16_t queue_id,
			   struct uk_netdev_queue_info *queue_info);
/*
 * Sets up RX queue queue_id with nb_desc descriptors (0: the driver's
 * default). -EINVAL: wrong state or queue; -EBUSY: already set up; or
 * the driver's error.
 */
int uk_netdev_rxq_configure(struct uk_netdev *dev, uint16_t queue_id,
			    uint16_t nb_desc,
			    struct uk_netdev_rxqueue_conf *rx_conf);
int uk_netdev_txq_info_get(struct uk_netdev *dev, uint16_t queue_id,
			   struct uk_netdev_queue_info *queue_info);
int uk_netdev_txq_configure(struct uk_netdev *dev, uint16_t queue_id,
			    uint16_t nb_desc,
			    struct uk_netdev_txqueue_conf *tx_conf);

/* CONFIGURED -> RUNNING, every queue set up. 0 or -errno. */
int uk_netdev_start(struct uk_netdev *dev);

const struct uk_hwaddr *uk_netdev_hwaddr_get(struct uk_netdev *dev);
int uk_netdev_hwaddr_set(struct uk_netdev *dev,
			 const struct uk_hwaddr *hwaddr);	/* -ENOTSUP */
unsigned int uk_netdev_promiscuous_get(struct uk_netdev *dev);
int uk_netdev_promiscuous_set(struct uk_netdev *dev, unsigned int mode);
uint16_t uk_netdev_mtu_get(struct uk_netdev *dev);
int uk_netdev_mtu_set(struct uk_netdev *dev, uint16_t mtu);

/* (ours) 1: link up, 0: down, -ENOTSUP: the driver does not know. */
int uk_netdev_link_get(struct uk_netdev *dev);

/*
 * (ours) The CPU that owns queue pair queue_id: its receive callback
 * runs there and TX from there is the uncontended path. -ENOTSUP when
 * the driver does not place queues, -EINVAL for a queue not configured.
 */
int uk_netdev_queue_cpu(struct uk_netdev *dev, uint16_t queue_id);

/*
 * (ours) The TX queue the calling CPU should use: the pair it owns, or,
 * on a CPU that owns none, its index modulo the number of TX queues.
 * Device CONFIGURED or RUNNING.
 */
uint16_t uk_netdev_txq_mine(struct uk_netdev *dev);

/* --- statistics (ours: per queue, summed over CPUs) --------------------- */

/* Sums of all queues. -ENOTSUP without CONFIG_LIBUKNETDEV_STATS. */
int uk_netdev_stats_get(struct uk_netdev *dev, struct uk_netdev_stats *st);
int uk_netdev_rxq_stats_get(struct uk_netdev *dev, uint16_t queue_id,
			    struct uk_netdev_rx_stats *st);
int uk_netdev_txq_stats_get(struct uk_netdev *dev, uint16_t queue_id,
			    struct uk_netdev_tx_stats *st);

#if CONFIG_LIBUKNETDEV_STATS
/* This CPU's counters of queue pair q (drivers and the inlines below). */
static inline struct uk_netdev_qstats *_uk_netdev_qstats(
	struct uk_netdev *dev, uint16_t q)
{
	uint16_t nq = MAX(dev->_data->nb_rx_queues,
			  dev->_data->nb_tx_queues);

	return &dev->_qstats[ukplat_lcpu_idx() * nq + q];
}

/* Relaxed: a counter orders nothing; the add is atomic against IRQs. */
#define _uk_netdev_count(field, n)					\
	__atomic_fetch_add(&(field), (n), __ATOMIC_RELAXED)

static inline void _uk_netdev_rx_count(struct uk_netdev *dev, uint16_t q,
				       int ret, struct uk_netbuf *pkt)
{
	struct uk_netdev_rx_stats *s = &_uk_netdev_qstats(dev, q)->rx;
	struct uk_netbuf *nb;
	size_t bytes = 0;

	if (ret < 0) {
		_uk_netdev_count(s->errors, 1);
		return;
	}
	if (ret & UK_NETDEV_STATUS_UNDERRUN)
		_uk_netdev_count(s->fifo, 1);
	if (!(ret & UK_NETDEV_STATUS_SUCCESS))
		return;
	UK_NETBUF_CHAIN_FOREACH(nb, pkt)
		bytes += nb->len;
	_uk_netdev_count(s->packets, 1);
	_uk_netdev_count(s->bytes, bytes);
}

static inline void _uk_netdev_tx_count(struct uk_netdev *dev, uint16_t q,
				       int ret, size_t bytes)
{
	struct uk_netdev_tx_stats *s = &_uk_netdev_qstats(dev, q)->tx;

	if (ret < 0) {
		_uk_netdev_count(s->errors, 1);
		return;
	}
	if (!(ret & UK_NETDEV_STATUS_SUCCESS)) {
		_uk_netdev_count(s->fifo, 1);
		return;
	}
	_uk_netdev_count(s->packets, 1);
	_uk_netdev_count(s->bytes, bytes);
}
#endif /* CONFIG_LIBUKNETDEV_STATS */

#define _UK_NETDEV_ASSERT_RXQ(dev, q)					\
	do {								\
		UK_ASSERT(dev && (dev)->_data);				\
		UK_ASSERT((dev)->_data->state == UK_NETDEV_RUNNING);	\
		UK_ASSERT((q) < (dev)->_data->nb_rx_queues);		\
		UK_ASSERT((dev)->_rx_queue[q]				\
			  && !PTRISERR((dev)->_rx_queue[q]));		\
	} while (0)

#define _UK_NETDEV_ASSERT_TXQ(dev, q)					\
	do {								\
		UK_ASSERT(dev && (dev)->_data);				\
		UK_ASSERT((dev)->_data->state == UK_NETDEV_RUNNING);	\
		UK_ASSERT((q) < (dev)->_data->nb_tx_queues);		\
		UK_ASSERT((dev)->_tx_queue[q]				\
			  && !PTRISERR((dev)->_tx_queue[q]));		\
	} while (0)

/*
 * Asks for a receive event when frames arrive. Returns 0 (on), 1 (frames
 * are already waiting: interrupts stay off until rx_one empties the
 * queue), -ENOTSUP.
 */
static inline int uk_netdev_rxq_intr_enable(struct uk_netdev *dev,
					    uint16_t queue_id)
{
	_UK_NETDEV_ASSERT_RXQ(dev, queue_id);
	if (unlikely(!dev->ops->rxq_intr_enable))
		return -ENOTSUP;
	return dev->ops->rxq_intr_enable(dev, dev->_rx_queue[queue_id]);
}

/* No more receive events on the queue. 0 or -ENOTSUP. */
static inline int uk_netdev_rxq_intr_disable(struct uk_netdev *dev,
					     uint16_t queue_id)
{
	_UK_NETDEV_ASSERT_RXQ(dev, queue_id);
	if (unlikely(!dev->ops->rxq_intr_disable))
		return -ENOTSUP;
	return dev->ops->rxq_intr_disable(dev, dev->_rx_queue[queue_id]);
}

/*
 * Takes one received frame and refills the ring. Returns flags:
 * SUCCESS (*pkt is a frame; without it nothing was received), MORE
 * (more are waiting; interrupts stay off until a call returns without
 * MORE), UNDERRUN (alloc_rxpkts could not refill every free slot); or
 * a negative errno (no frame).
 */
static inline int uk_netdev_rx_one(struct uk_netdev *dev, uint16_t queue_id,
				   struct uk_netbuf **pkt)
{
	int ret;

	_UK_NETDEV_ASSERT_RXQ(dev, queue_id);
	UK_ASSERT(pkt);
	ret = dev->rx_one(dev, dev->_rx_queue[queue_id], pkt);
#if CONFIG_LIBUKNETDEV_STATS
	_uk_netdev_rx_count(dev, queue_id, ret, *pkt);
#endif
	return ret;
}

/*
 * Queues pkt for sending; the driver frees it once sent. Returns flags:
 * SUCCESS (queued; without it the ring was full and pkt is still the
 * caller's), MORE (with SUCCESS: room for another); or a negative errno
 * (-EINVAL: larger than the MTU allows; pkt is the caller's).
 */
static inline int uk_netdev_tx_one(struct uk_netdev *dev, uint16_t queue_id,
				   struct uk_netbuf *pkt)
{
	int ret;
#if CONFIG_LIBUKNETDEV_STATS
	struct uk_netbuf *nb;
	size_t bytes = 0;

	/* Before the call: afterwards pkt belongs to the driver. */
	UK_NETBUF_CHAIN_FOREACH(nb, pkt)
		bytes += nb->len;
#endif
	_UK_NETDEV_ASSERT_TXQ(dev, queue_id);
	UK_ASSERT(pkt);
	ret = dev->tx_one(dev, dev->_tx_queue[queue_id], pkt);
#if CONFIG_LIBUKNETDEV_STATS
	_uk_netdev_tx_count(dev, queue_id, ret, bytes);
#endif
	return ret;
}

/*
 * (ours) Receives up to *cnt frames into pkt[]; *cnt becomes how many.
 * Flags as rx_one for the burst as a whole (SUCCESS when *cnt > 0).
 * One lock round and one refill for the burst where the driver has it.
 */
int uk_netdev_rx_burst(struct uk_netdev *dev, uint16_t queue_id,
		       struct uk_netbuf **pkt, uint16_t *cnt);

/*
 * (ours) Queues pkt[0..*cnt) in order, stopping at the first that does
 * not fit or fails; *cnt becomes how many were queued (those belong to
 * the driver now, the rest to the caller). Flags as tx_one: SUCCESS when
 * *cnt > 0, MORE when room is left; a negative errno when the first
 * frame failed. One lock round and one notification where the driver has
 * it.
 */
int uk_netdev_tx_burst(struct uk_netdev *dev, uint16_t queue_id,
		       struct uk_netbuf **pkt, uint16_t *cnt);

#define uk_netdev_status_test_set(status, flag)				\
	(((int)(status) & ((int)(flag) | INT_MIN)) == (flag))
#define uk_netdev_status_test_unset(status, flag)			\
	(((int)(status) & ((int)(flag) | INT_MIN)) == 0x0)
#define uk_netdev_status_successful(status)				\
	uk_netdev_status_test_set((status), UK_NETDEV_STATUS_SUCCESS)
#define uk_netdev_status_notready(status)				\
	uk_netdev_status_test_unset((status), UK_NETDEV_STATUS_SUCCESS)
#define uk_netdev_status_more(status)					\
	uk_netdev_status_test_set((status), (UK_NETDEV_STATUS_SUCCESS	\
					     | UK_NETDEV_STATUS_MORE))

#ifdef __cplusplus
}
#endif

#endif /* __UK_NETDEV__ */
