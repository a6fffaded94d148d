/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Types of the network device API (Unikraft's uk/netdev_core.h names and
 * meanings): device information, configuration, queue configuration,
 * the driver's operations, status flags, statistics. Applications include
 * uk/netdev.h; drivers include uk/netdev_driver.h.
 *
 * Our additions, marked "(ours)": burst entry points (tx_burst,
 * rx_burst), per-queue statistics kept per CPU, the CPU that owns a
 * queue pair (queue_cpu), and link state (link_get).
 */
#ifndef __UK_NETDEV_CORE__
#define __UK_NETDEV_CORE__

#include <stdint.h>
#include <errno.h>
#include <sys/types.h>
#include <uk/alloc.h>
#include <uk/errptr.h>
#include <uk/essentials.h>
#include <uk/netbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(CONFIG_LIBUKNETDEV_MAXNBQUEUES)
#define CONFIG_LIBUKNETDEV_MAXNBQUEUES 1
#endif

struct uk_netdev;

/* Ethernet sizes. */
#define UK_ETH_ADDR_LEN			6
#define UK_ETH_TYPE_LEN			2
#define UK_ETH_8021Q_LEN		(UK_ETH_TYPE_LEN + 2)
#define UK_ETH_HDR_UNTAGGED_LEN		(2 * UK_ETH_ADDR_LEN + UK_ETH_TYPE_LEN)
#define UK_ETH_HDR_8021Q_LEN		(UK_ETH_HDR_UNTAGGED_LEN + \
					 UK_ETH_8021Q_LEN)
#define UK_ETH_HDR_8021AD_LEN		(UK_ETH_HDR_UNTAGGED_LEN + \
					 2 * UK_ETH_8021Q_LEN)
#define UK_ETH_PAYLOAD_MAXLEN		1500
#define UK_ETH_JPAYLOAD_MAXLEN		9000
#define UK_ETH_FRAME_MINLEN		60
#define UK_ETH_FRAME_UNTAGGED_MAXLEN	(UK_ETH_HDR_UNTAGGED_LEN + \
					 UK_ETH_PAYLOAD_MAXLEN)
#define UK_ETH_FRAME_8021Q_MAXLEN	(UK_ETH_HDR_8021Q_LEN + \
					 UK_ETH_PAYLOAD_MAXLEN)
#define UK_ETH_FRAME_8021AD_MAXLEN	(UK_ETH_HDR_8021AD_LEN + \
					 UK_ETH_PAYLOAD_MAXLEN)
#define UK_ETH_FRAME_MAXLEN		UK_ETH_FRAME_8021AD_MAXLEN

#define UK_NETDEV_HWADDR_LEN		UK_ETH_ADDR_LEN

struct uk_hwaddr {
	uint8_t addr_bytes[UK_NETDEV_HWADDR_LEN];
} __packed;

/* Device features (uk_netdev_info.features). */
#define UK_NETDEV_F_RXQ_INTR_BIT	0
#define UK_NETDEV_F_RXQ_INTR		(1UL << UK_NETDEV_F_RXQ_INTR_BIT)
#define UK_NETDEV_F_TXQ_INTR_BIT	1
#define UK_NETDEV_F_TXQ_INTR		(1UL << UK_NETDEV_F_TXQ_INTR_BIT)
#define UK_NETDEV_F_PARTIAL_CSUM_BIT	2
#define UK_NETDEV_F_PARTIAL_CSUM	(1UL << UK_NETDEV_F_PARTIAL_CSUM_BIT)
#define UK_NETDEV_F_TSO4_BIT		3
#define UK_NETDEV_F_TSO4		(1UL << UK_NETDEV_F_TSO4_BIT)

#define uk_netdev_rxintr_supported(feature)				\
	((feature) & UK_NETDEV_F_RXQ_INTR)
#define uk_netdev_txintr_supported(feature)				\
	((feature) & UK_NETDEV_F_TXQ_INTR)
#define uk_netdev_partial_csum_supported(feature)			\
	((feature) & UK_NETDEV_F_PARTIAL_CSUM)
#define uk_netdev_tso4_supported(feature)				\
	((feature) & UK_NETDEV_F_TSO4)

struct uk_netdev_info {
	uint16_t max_rx_queues;
	uint16_t max_tx_queues;
	int in_queue_pairs;	/* queues come in RX/TX pairs */
	uint16_t max_mtu;
	uint16_t nb_encap_tx;	/* headroom a TX netbuf should have */
	uint16_t nb_encap_rx;	/* headroom an RX netbuf must have */
	uint16_t ioalign;	/* alignment of packet buffers */
	uint32_t features;	/* UK_NETDEV_F_* */
};

struct uk_netdev_queue_info {
	uint16_t nb_max;	/* descriptors */
	uint16_t nb_min;
	uint16_t nb_align;
	int nb_is_power_of_two;
};

struct uk_netdev_conf {
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
};

/* Driver-private queue types. */
struct uk_netdev_tx_queue;
struct uk_netdev_rx_queue;

enum uk_netdev_state {
	UK_NETDEV_INVALID = 0,
	UK_NETDEV_UNPROBED,
	UK_NETDEV_UNCONFIGURED,
	UK_NETDEV_CONFIGURED,
	UK_NETDEV_RUNNING,
};

enum uk_netdev_einfo_type {
	UK_NETDEV_IPV4_ADDR,
	UK_NETDEV_IPV4_MASK,
	UK_NETDEV_IPV4_CIDR,
	UK_NETDEV_IPV4_GW,
	UK_NETDEV_IPV4_DNS0,
	UK_NETDEV_IPV4_DNS1,
	UK_NETDEV_IPV4_HOSTNAME,
	UK_NETDEV_IPV4_DOMAIN,
};

/*
 * A queue event: frames arrived on RX queue queue_id. Called in interrupt
 * context on the CPU the queue's interrupt is bound to (for virtio-net,
 * queue i's CPU, uk_netdev_queue_cpu()), with that queue's interrupts
 * off until uk_netdev_rx_one() finds the queue empty.
 */
typedef void (*uk_netdev_queue_event_t)(struct uk_netdev *dev,
					uint16_t queue_id, void *argp);

/*
 * Fills pkts[0..count) with fresh receive netbufs (headroom at least
 * nb_encap_rx); returns how many it gave. Called by the driver with the
 * queue's lock held, possibly in interrupt context.
 */
typedef uint16_t (*uk_netdev_alloc_rxpkts)(void *argp,
					   struct uk_netbuf *pkts[],
					   uint16_t count);

struct uk_netdev_rxqueue_conf {
	uk_netdev_queue_event_t callback;	/* NULL: polling only */
	void *callback_cookie;
	struct uk_alloc *a;			/* for descriptors */
	uk_netdev_alloc_rxpkts alloc_rxpkts;	/* required */
	void *alloc_rxpkts_argp;
};

struct uk_netdev_txqueue_conf {
	struct uk_alloc *a;			/* for descriptors */
};

/* Status flags returned by rx_one / tx_one (>= 0) and the bursts. */
#define UK_NETDEV_STATUS_SUCCESS	0x1
#define UK_NETDEV_STATUS_MORE		0x2
#define UK_NETDEV_STATUS_UNDERRUN	0x4

/* --- driver operations -------------------------------------------------- */

typedef int (*uk_netdev_probe_t)(struct uk_netdev *dev);
typedef void (*uk_netdev_info_get_t)(struct uk_netdev *dev,
				     struct uk_netdev_info *dev_info);
typedef const char *(*uk_netdev_einfo_get_t)(struct uk_netdev *dev,
					     enum uk_netdev_einfo_type econf);
typedef int (*uk_netdev_configure_t)(struct uk_netdev *dev,
				     const struct uk_netdev_conf *conf);
typedef int (*uk_netdev_rxq_info_get_t)(struct uk_netdev *dev,
	uint16_t queue_id, struct uk_netdev_queue_info *queue_info);
typedef int (*uk_netdev_txq_info_get_t)(struct uk_netdev *dev,
	uint16_t queue_id, struct uk_netdev_queue_info *queue_info);
typedef struct uk_netdev_tx_queue *(*uk_netdev_txq_configure_t)(
	struct uk_netdev *dev, uint16_t queue_id, uint16_t nb_desc,
	struct uk_netdev_txqueue_conf *tx_conf);
typedef struct uk_netdev_rx_queue *(*uk_netdev_rxq_configure_t)(
	struct uk_netdev *dev, uint16_t queue_id, uint16_t nb_desc,
	struct uk_netdev_rxqueue_conf *rx_conf);
typedef int (*uk_netdev_start_t)(struct uk_netdev *dev);
typedef const struct uk_hwaddr *(*uk_netdev_hwaddr_get_t)(
	struct uk_netdev *dev);
typedef int (*uk_netdev_hwaddr_set_t)(struct uk_netdev *dev,
				      const struct uk_hwaddr *hwaddr);
typedef unsigned int (*uk_netdev_promiscuous_get_t)(struct uk_netdev *dev);
typedef int (*uk_netdev_promiscuous_set_t)(struct uk_netdev *dev,
					   unsigned int mode);
typedef uint16_t (*uk_netdev_mtu_get_t)(struct uk_netdev *dev);
typedef int (*uk_netdev_mtu_set_t)(struct uk_netdev *dev, uint16_t mtu);
typedef int (*uk_netdev_rxq_intr_enable_t)(struct uk_netdev *dev,
					   struct uk_netdev_rx_queue *queue);
typedef int (*uk_netdev_rxq_intr_disable_t)(struct uk_netdev *dev,
					    struct uk_netdev_rx_queue *queue);
/* (ours) CPU owning queue pair queue_id, or -errno. */
typedef int (*uk_netdev_queue_cpu_t)(struct uk_netdev *dev,
				     uint16_t queue_id);
/* (ours) 1 link up, 0 down, -errno. */
typedef int (*uk_netdev_link_get_t)(struct uk_netdev *dev);

typedef int (*uk_netdev_rx_one_t)(struct uk_netdev *dev,
				  struct uk_netdev_rx_queue *queue,
				  struct uk_netbuf **pkt);
typedef int (*uk_netdev_tx_one_t)(struct uk_netdev *dev,
				  struct uk_netdev_tx_queue *queue,
				  struct uk_netbuf *pkt);
/* (ours) Up to *cnt frames; *cnt becomes how many were taken. */
typedef int (*uk_netdev_rx_burst_t)(struct uk_netdev *dev,
				    struct uk_netdev_rx_queue *queue,
				    struct uk_netbuf **pkt, uint16_t *cnt);
typedef int (*uk_netdev_tx_burst_t)(struct uk_netdev *dev,
				    struct uk_netdev_tx_queue *queue,
				    struct uk_netbuf **pkt, uint16_t *cnt);

struct uk_netdev_ops {
	uk_netdev_rxq_intr_enable_t rxq_intr_enable;	/* optional */
	uk_netdev_rxq_intr_disable_t rxq_intr_disable;	/* optional */
	uk_netdev_hwaddr_get_t hwaddr_get;		/* recommended */
	uk_netdev_hwaddr_set_t hwaddr_set;		/* optional */
	uk_netdev_mtu_get_t mtu_get;
	uk_netdev_mtu_set_t mtu_set;			/* optional */
	uk_netdev_promiscuous_set_t promiscuous_set;	/* optional */
	uk_netdev_promiscuous_get_t promiscuous_get;
	uk_netdev_info_get_t info_get;
	uk_netdev_txq_info_get_t txq_info_get;
	uk_netdev_rxq_info_get_t rxq_info_get;
	uk_netdev_einfo_get_t einfo_get;		/* optional */
	uk_netdev_probe_t probe;			/* optional */
	uk_netdev_configure_t configure;
	uk_netdev_txq_configure_t txq_configure;
	uk_netdev_rxq_configure_t rxq_configure;
	uk_netdev_start_t start;
	uk_netdev_queue_cpu_t queue_cpu;		/* (ours) optional */
	uk_netdev_link_get_t link_get;			/* (ours) optional */
};

struct uk_netdev_event_handler {
	uk_netdev_queue_event_t callback;
	void *cookie;
};

struct uk_netdev_data {
	enum uk_netdev_state state;
	struct uk_netdev_event_handler
		rxq_handler[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	const uint16_t id;		/* set at registration */
	const char *drv_name;
	/* (ours) what uk_netdev_configure() accepted */
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
};

/* --- statistics ---------------------------------------------------------- */

struct uk_netdev_tx_stats {
	size_t bytes;		/* frames handed to the device */
	size_t packets;
	size_t errors;		/* tx_one returned < 0 */
	size_t fifo;		/* ring full: tx_one without SUCCESS */
};

struct uk_netdev_rx_stats {
	size_t bytes;		/* frames received */
	size_t packets;
	size_t errors;		/* rx_one returned < 0 */
	size_t fifo;		/* UNDERRUN: ring not fully refilled */
};

struct uk_netdev_stats {
	struct uk_netdev_tx_stats tx_m;
	struct uk_netdev_rx_stats rx_m;
};

/*
 * (ours) One CPU's counters for one queue pair, a cache line of its own.
 * Only that CPU writes them (atomic adds: an interrupt on the same CPU
 * may count too); readers sum every CPU's.
 */
struct uk_netdev_qstats {
	struct uk_netdev_tx_stats tx;
	struct uk_netdev_rx_stats rx;
} __align(64);

struct uk_netdev {
	uk_netdev_tx_one_t tx_one;		/* by the driver */
	uk_netdev_rx_one_t rx_one;		/* by the driver */
	uk_netdev_tx_burst_t tx_burst;		/* (ours) optional */
	uk_netdev_rx_burst_t rx_burst;		/* (ours) optional */
	struct uk_netdev_data *_data;		/* the API's */
	const struct uk_netdev_ops *ops;	/* by the driver */
	struct uk_netdev_rx_queue *_rx_queue[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	struct uk_netdev_tx_queue *_tx_queue[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	/*
	 * (ours) [cpu * nb_queues + queue], allocated by
	 * uk_netdev_configure() (NULL before, or without
	 * CONFIG_LIBUKNETDEV_STATS); nb_queues = max(nb_rx, nb_tx).
	 */
	struct uk_netdev_qstats *_qstats;
};

#ifdef __cplusplus
}
#endif

#endif /* __UK_NETDEV_CORE__ */
