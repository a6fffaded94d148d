/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network device registry, life cycle and statistics (uk/netdev.h).
 *
 * Registry: drivers register devices from the init table on the boot CPU;
 * afterwards the table only grows by release stores of ndevs, read with
 * acquire, so lookups take no lock. Life cycle calls come from one thread
 * per device (the application's set-up), as in Unikraft: the state
 * machine is not locked. Statistics: one cache line per CPU and queue
 * pair (uk_netdev_qstats), summed here on read.
 *
 * Invariant (asserted where the state changes): a device is RUNNING only
 * with nb_rx_queues RX and nb_tx_queues TX queues set up, and _qstats
 * holds ukplat_lcpu_count() x max(nb_rx, nb_tx) entries once CONFIGURED
 * (with CONFIG_LIBUKNETDEV_STATS).
 */
#include <stddef.h>
#include <string.h>
#include <uk/netdev_driver.h>
#include <uk/print.h>

#if !defined(CONFIG_LIBUKNETDEV_MAXNBDEVS)
#define CONFIG_LIBUKNETDEV_MAXNBDEVS 8
#endif

static struct uk_netdev *devs[CONFIG_LIBUKNETDEV_MAXNBDEVS];
static unsigned int ndevs;

unsigned int uk_netdev_count(void)
{
	/* Acquire: pairs with the release in uk_netdev_drv_register(). */
	return __atomic_load_n(&ndevs, __ATOMIC_ACQUIRE);
}

struct uk_netdev *uk_netdev_get(unsigned int id)
{
	return id < uk_netdev_count() ? devs[id] : NULL;
}

int uk_netdev_drv_register(struct uk_netdev *dev, struct uk_alloc *a,
			   const char *drv_name)
{
	unsigned int id = ndevs;
	struct uk_netdev_data *d;

	UK_ASSERT(dev && dev->ops && dev->tx_one && dev->rx_one);
	if (id >= CONFIG_LIBUKNETDEV_MAXNBDEVS) {
		uk_pr_err("netdev: %s: more than %d devices\n", drv_name,
			  CONFIG_LIBUKNETDEV_MAXNBDEVS);
		return -ENOSPC;
	}
	d = uk_calloc(a, 1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	*DECONST(uint16_t *, &d->id) = (uint16_t)id;
	d->drv_name = drv_name;
	d->state = dev->ops->probe ? UK_NETDEV_UNPROBED
				   : UK_NETDEV_UNCONFIGURED;
	dev->_data = d;
	dev->_qstats = NULL;
	devs[id] = dev;
	/* Release: the device is complete before a reader can find it. */
	__atomic_store_n(&ndevs, id + 1, __ATOMIC_RELEASE);
	uk_pr_info("netdev%u: %s\n", id, drv_name);
	return (int)id;
}

uint16_t uk_netdev_id_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->_data);
	return dev->_data->id;
}

const char *uk_netdev_drv_name_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->_data);
	return dev->_data->drv_name;
}

enum uk_netdev_state uk_netdev_state_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->_data);
	return dev->_data->state;
}

int uk_netdev_probe(struct uk_netdev *dev)
{
	int rc = 0;

	UK_ASSERT(dev && dev->_data);
	if (dev->_data->state != UK_NETDEV_UNPROBED)
		return -EINVAL;
	if (dev->ops->probe)
		rc = dev->ops->probe(dev);
	if (rc >= 0)
		dev->_data->state = UK_NETDEV_UNCONFIGURED;
	return rc;
}

void uk_netdev_info_get(struct uk_netdev *dev,
			struct uk_netdev_info *dev_info)
{
	UK_ASSERT(dev && dev->ops && dev->ops->info_get && dev_info);
	memset(dev_info, 0, sizeof(*dev_info));
	dev->ops->info_get(dev, dev_info);
	/* This library cannot track more queues than it was built for. */
	dev_info->max_rx_queues = MIN(dev_info->max_rx_queues,
				      CONFIG_LIBUKNETDEV_MAXNBQUEUES);
	dev_info->max_tx_queues = MIN(dev_info->max_tx_queues,
				      CONFIG_LIBUKNETDEV_MAXNBQUEUES);
}

const char *uk_netdev_einfo_get(struct uk_netdev *dev,
				enum uk_netdev_einfo_type einfo)
{
	UK_ASSERT(dev && dev->ops);
	return dev->ops->einfo_get ? dev->ops->einfo_get(dev, einfo) : NULL;
}

#if CONFIG_LIBUKNETDEV_STATS
static int stats_alloc(struct uk_netdev *dev, uint16_t nq)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t n = (size_t)ukplat_lcpu_count() * nq;
	struct uk_netdev_qstats *s;

	s = uk_memalign(a, __alignof__(*s), n * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s, 0, n * sizeof(*s));
	dev->_qstats = s;
	return 0;
}
#endif

int uk_netdev_configure(struct uk_netdev *dev,
			const struct uk_netdev_conf *conf)
{
	struct uk_netdev_info info;
	int rc;

	UK_ASSERT(dev && dev->_data && dev->ops->configure && conf);
	if (dev->_data->state != UK_NETDEV_UNCONFIGURED)
		return -EINVAL;
	uk_netdev_info_get(dev, &info);
	if (!conf->nb_rx_queues || conf->nb_rx_queues > info.max_rx_queues
	    || !conf->nb_tx_queues || conf->nb_tx_queues > info.max_tx_queues)
		return -EINVAL;
#if CONFIG_LIBUKNETDEV_STATS
	rc = stats_alloc(dev, MAX(conf->nb_rx_queues, conf->nb_tx_queues));
	if (rc < 0)
		return rc;
#endif
	rc = dev->ops->configure(dev, conf);
	if (rc < 0) {
		uk_pr_err("netdev%u: configure: %d\n", dev->_data->id, rc);
		return rc;
	}
	dev->_data->nb_rx_queues = conf->nb_rx_queues;
	dev->_data->nb_tx_queues = conf->nb_tx_queues;
	dev->_data->state = UK_NETDEV_CONFIGURED;
	return 0;
}

int uk_netdev_rxq_info_get(struct uk_netdev *dev, uint16_t queue_id,
			   struct uk_netdev_queue_info *qi)
{
	UK_ASSERT(dev && dev->ops->rxq_info_get && qi);
	memset(qi, 0, sizeof(*qi));
	return dev->ops->rxq_info_get(dev, queue_id, qi);
}

int uk_netdev_txq_info_get(struct uk_netdev *dev, uint16_t queue_id,
			   struct uk_netdev_queue_info *qi)
{
	UK_ASSERT(dev && dev->ops->txq_info_get && qi);
	memset(qi, 0, sizeof(*qi));
	return dev->ops->txq_info_get(dev, queue_id, qi);
}

int uk_netdev_rxq_configure(struct uk_netdev *dev, uint16_t queue_id,
			    uint16_t nb_desc,
			    struct uk_netdev_rxqueue_conf *rx_conf)
{
	struct uk_netdev_rx_queue *q;

	UK_ASSERT(dev && dev->_data && dev->ops->rxq_configure && rx_conf);
	if (dev->_data->state != UK_NETDEV_CONFIGURED
	    || queue_id >= dev->_data->nb_rx_queues || !rx_conf->alloc_rxpkts)
		return -EINVAL;
	if (dev->_rx_queue[queue_id] && !PTRISERR(dev->_rx_queue[queue_id]))
		return -EBUSY;
	/* Before the queue exists: its interrupt may fire at once. */
	dev->_data->rxq_handler[queue_id].callback = rx_conf->callback;
	dev->_data->rxq_handler[queue_id].cookie = rx_conf->callback_cookie;
	q = dev->ops->rxq_configure(dev, queue_id, nb_desc, rx_conf);
	if (!q)
		q = ERR2PTR(-ENOMEM);
	dev->_rx_queue[queue_id] = q;
	if (PTRISERR(q)) {
		dev->_data->rxq_handler[queue_id].callback = NULL;
		return PTR2ERR(q);
	}
	return 0;
}

int uk_netdev_txq_configure(struct uk_netdev *dev, uint16_t queue_id,
			    uint16_t nb_desc,
			    struct uk_netdev_txqueue_conf *tx_conf)
{
	struct uk_netdev_tx_queue *q;

	UK_ASSERT(dev && dev->_data && dev->ops->txq_configure && tx_conf);
	if (dev->_data->state != UK_NETDEV_CONFIGURED
	    || queue_id >= dev->_data->nb_tx_queues)
		return -EINVAL;
	if (dev->_tx_queue[queue_id] && !PTRISERR(dev->_tx_queue[queue_id]))
		return -EBUSY;
	q = dev->ops->txq_configure(dev, queue_id, nb_desc, tx_conf);
	if (!q)
		q = ERR2PTR(-ENOMEM);
	dev->_tx_queue[queue_id] = q;
	return PTRISERR(q) ? PTR2ERR(q) : 0;
}

/* Whether every configured queue was set up. */
static int queues_ready(struct uk_netdev *dev)
{
	uint16_t q;

	for (q = 0; q < dev->_data->nb_rx_queues; q++)
		if (!dev->_rx_queue[q] || PTRISERR(dev->_rx_queue[q]))
			return 0;
	for (q = 0; q < dev->_data->nb_tx_queues; q++)
		if (!dev->_tx_queue[q] || PTRISERR(dev->_tx_queue[q]))
			return 0;
	return 1;
}

int uk_netdev_start(struct uk_netdev *dev)
{
	int rc;

	UK_ASSERT(dev && dev->_data && dev->ops->start);
	if (dev->_data->state != UK_NETDEV_CONFIGURED || !queues_ready(dev))
		return -EINVAL;
	rc = dev->ops->start(dev);
	if (rc < 0)
		return rc;
	UK_ASSERT(!CONFIG_LIBUKNETDEV_STATS || dev->_qstats);
	dev->_data->state = UK_NETDEV_RUNNING;
	return 0;
}

const struct uk_hwaddr *uk_netdev_hwaddr_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->ops);
	return dev->ops->hwaddr_get ? dev->ops->hwaddr_get(dev) : NULL;
}

int uk_netdev_hwaddr_set(struct uk_netdev *dev,
			 const struct uk_hwaddr *hwaddr)
{
	UK_ASSERT(dev && dev->ops && hwaddr);
	return dev->ops->hwaddr_set ? dev->ops->hwaddr_set(dev, hwaddr)
				    : -ENOTSUP;
}

unsigned int uk_netdev_promiscuous_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->ops);
	return dev->ops->promiscuous_get ? dev->ops->promiscuous_get(dev) : 0;
}

int uk_netdev_promiscuous_set(struct uk_netdev *dev, unsigned int mode)
{
	UK_ASSERT(dev && dev->ops);
	return dev->ops->promiscuous_set
		? dev->ops->promiscuous_set(dev, mode) : -ENOTSUP;
}

uint16_t uk_netdev_mtu_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->ops && dev->ops->mtu_get);
	return dev->ops->mtu_get(dev);
}

int uk_netdev_mtu_set(struct uk_netdev *dev, uint16_t mtu)
{
	UK_ASSERT(dev && dev->ops);
	return dev->ops->mtu_set ? dev->ops->mtu_set(dev, mtu) : -ENOTSUP;
}

int uk_netdev_link_get(struct uk_netdev *dev)
{
	UK_ASSERT(dev && dev->ops);
	return dev->ops->link_get ? dev->ops->link_get(dev) : -ENOTSUP;
}

int uk_netdev_queue_cpu(struct uk_netdev *dev, uint16_t queue_id)
{
	UK_ASSERT(dev && dev->_data);
	if (dev->_data->state < UK_NETDEV_CONFIGURED
	    || queue_id >= MAX(dev->_data->nb_rx_queues,
			       dev->_data->nb_tx_queues))
		return -EINVAL;
	return dev->ops->queue_cpu ? dev->ops->queue_cpu(dev, queue_id)
				   : -ENOTSUP;
}

uint16_t uk_netdev_txq_mine(struct uk_netdev *dev)
{
	unsigned int cpu = ukplat_lcpu_idx();
	uint16_t q, n;

	UK_ASSERT(dev && dev->_data);
	UK_ASSERT(dev->_data->state >= UK_NETDEV_CONFIGURED);
	n = dev->_data->nb_tx_queues;
	for (q = 0; q < n; q++)
		if (uk_netdev_queue_cpu(dev, q) == (int)cpu)
			return q;
	return (uint16_t)(cpu % n);
}

/* --- bursts without driver support: one frame at a time ---------------- */

int uk_netdev_rx_burst(struct uk_netdev *dev, uint16_t queue_id,
		       struct uk_netbuf **pkt, uint16_t *cnt)
{
	uint16_t want, got = 0;
	int ret, flags = 0;

	_UK_NETDEV_ASSERT_RXQ(dev, queue_id);
	UK_ASSERT(pkt && cnt);
	want = *cnt;
	if (dev->rx_burst) {
		ret = dev->rx_burst(dev, dev->_rx_queue[queue_id], pkt, cnt);
#if CONFIG_LIBUKNETDEV_STATS
		for (got = 0; ret >= 0 && got < *cnt; got++)
			_uk_netdev_rx_count(dev, queue_id,
					    UK_NETDEV_STATUS_SUCCESS,
					    pkt[got]);
		if (ret < 0 || (ret & UK_NETDEV_STATUS_UNDERRUN))
			_uk_netdev_rx_count(dev, queue_id,
					    ret < 0 ? ret
					    : UK_NETDEV_STATUS_UNDERRUN, NULL);
#endif
		return ret;
	}
	while (got < want) {
		ret = uk_netdev_rx_one(dev, queue_id, &pkt[got]);
		if (ret < 0 && !got) {
			*cnt = 0;
			return ret;
		}
		if (ret < 0)
			break;
		if (!(ret & UK_NETDEV_STATUS_SUCCESS)) {
			flags |= ret & UK_NETDEV_STATUS_UNDERRUN;
			break;
		}
		got++;
		flags = ret & (UK_NETDEV_STATUS_MORE
			       | UK_NETDEV_STATUS_UNDERRUN);
		if (!(ret & UK_NETDEV_STATUS_MORE))
			break;
	}
	*cnt = got;
	return got ? flags | UK_NETDEV_STATUS_SUCCESS
		   : flags & UK_NETDEV_STATUS_UNDERRUN;
}

#if CONFIG_LIBUKNETDEV_STATS
#define TX_CHUNK 32	/* frames per driver call: their sizes are kept */

/* One driver burst of at most TX_CHUNK frames, counted. */
static int tx_chunk(struct uk_netdev *dev, uint16_t queue_id,
		    struct uk_netbuf **pkt, uint16_t *cnt)
{
	size_t bytes[TX_CHUNK];
	uint16_t i, want = *cnt;
	struct uk_netbuf *nb;
	int ret;

	UK_ASSERT(want <= TX_CHUNK);
	for (i = 0; i < want; i++) {
		bytes[i] = 0;
		UK_NETBUF_CHAIN_FOREACH(nb, pkt[i])
			bytes[i] += nb->len;
	}
	ret = dev->tx_burst(dev, dev->_tx_queue[queue_id], pkt, cnt);
	for (i = 0; ret >= 0 && i < *cnt; i++)
		_uk_netdev_tx_count(dev, queue_id, UK_NETDEV_STATUS_SUCCESS,
				    bytes[i]);
	if (ret < 0 || *cnt < want)
		_uk_netdev_tx_count(dev, queue_id, ret < 0 ? ret : 0, 0);
	return ret;
}
#else
#define TX_CHUNK 0xffff
static int tx_chunk(struct uk_netdev *dev, uint16_t queue_id,
		    struct uk_netbuf **pkt, uint16_t *cnt)
{
	return dev->tx_burst(dev, dev->_tx_queue[queue_id], pkt, cnt);
}
#endif

int uk_netdev_tx_burst(struct uk_netdev *dev, uint16_t queue_id,
		       struct uk_netbuf **pkt, uint16_t *cnt)
{
	uint16_t want, sent = 0, n;
	int ret = 0;

	_UK_NETDEV_ASSERT_TXQ(dev, queue_id);
	UK_ASSERT(pkt && cnt);
	want = *cnt;
	while (sent < want) {
		if (dev->tx_burst) {
			n = MIN(want - sent, TX_CHUNK);
			ret = tx_chunk(dev, queue_id, pkt + sent, &n);
		} else {
			ret = uk_netdev_tx_one(dev, queue_id, pkt[sent]);
			n = ret >= 0 && (ret & UK_NETDEV_STATUS_SUCCESS);
		}
		if (ret < 0)
			break;
		sent += n;
		if (!n || !(ret & UK_NETDEV_STATUS_MORE))
			break;
	}
	*cnt = sent;
	if (ret < 0)
		return sent ? UK_NETDEV_STATUS_SUCCESS : ret;
	return sent ? (ret | UK_NETDEV_STATUS_SUCCESS)
		    : (ret & ~UK_NETDEV_STATUS_MORE);
}

/* --- statistics ----------------------------------------------------------- */

#if CONFIG_LIBUKNETDEV_STATS
/* A direction's counters read as an array: both have the same fields. */
#define NCOUNTERS (sizeof(struct uk_netdev_rx_stats) / sizeof(size_t))
UK_CTASSERT(sizeof(struct uk_netdev_rx_stats)
	    == sizeof(struct uk_netdev_tx_stats));

/* Adds every CPU's counters of queue q, direction at off, to out. */
static void q_sum(struct uk_netdev *dev, uint16_t q, size_t off,
		  size_t *out)
{
	uint16_t nq = MAX(dev->_data->nb_rx_queues, dev->_data->nb_tx_queues);
	unsigned int c, i;

	for (c = 0; c < ukplat_lcpu_count(); c++) {
		size_t *s = (size_t *)((char *)&dev->_qstats[c * nq + q]
				       + off);

		/* Relaxed: each counter on its own; a sum is a snapshot. */
		for (i = 0; i < NCOUNTERS; i++)
			out[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
	}
}

#endif

#define RX_OFF	offsetof(struct uk_netdev_qstats, rx)
#define TX_OFF	offsetof(struct uk_netdev_qstats, tx)

/* One queue's counters of one direction into out (NCOUNTERS sizes). */
static int dir_stats_get(struct uk_netdev *dev, uint16_t queue_id,
			 uint16_t nb, size_t off, size_t *out)
{
	UK_ASSERT(dev && dev->_data && out);
	memset(out, 0, sizeof(struct uk_netdev_rx_stats));
#if CONFIG_LIBUKNETDEV_STATS
	if (!dev->_qstats || queue_id >= nb)
		return -EINVAL;
	q_sum(dev, queue_id, off, out);
	return 0;
#else
	return -ENOTSUP;
#endif
}

int uk_netdev_rxq_stats_get(struct uk_netdev *dev, uint16_t queue_id,
			    struct uk_netdev_rx_stats *st)
{
	return dir_stats_get(dev, queue_id, dev->_data->nb_rx_queues,
			     RX_OFF, (size_t *)st);
}

int uk_netdev_txq_stats_get(struct uk_netdev *dev, uint16_t queue_id,
			    struct uk_netdev_tx_stats *st)
{
	return dir_stats_get(dev, queue_id, dev->_data->nb_tx_queues,
			     TX_OFF, (size_t *)st);
}

int uk_netdev_stats_get(struct uk_netdev *dev, struct uk_netdev_stats *st)
{
	UK_ASSERT(dev && dev->_data && st);
	memset(st, 0, sizeof(*st));
#if CONFIG_LIBUKNETDEV_STATS
	uint16_t q;

	if (!dev->_qstats)
		return -EINVAL;
	for (q = 0; q < dev->_data->nb_rx_queues; q++)
		q_sum(dev, q, RX_OFF, (size_t *)&st->rx_m);
	for (q = 0; q < dev->_data->nb_tx_queues; q++)
		q_sum(dev, q, TX_OFF, (size_t *)&st->tx_m);
	return 0;
#else
	return -ENOTSUP;
#endif
}
