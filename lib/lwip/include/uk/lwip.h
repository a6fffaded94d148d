/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/lwip: lwIP 2.1.3 on every CPU over uknetdev devices (doc/lwip.md).
 * Applications use the BSD socket calls of <sys/socket.h> (lwIP's,
 * thread-safe) after uk_lwip_up() brought the network up.
 */
#ifndef __UK_LWIP_H__
#define __UK_LWIP_H__

#include <uk/essentials.h>

/*
 * Starts lwIP (once) and makes every uknetdev device an interface with all
 * its queue pairs. Addresses come from argv: "netdev.ip=A.B.C.D/P[:GW]"
 * for device 0, "netdevN.ip=..." for device N; a device without one asks
 * DHCP (CONFIG_LWIP_DHCP) and is waited for up to
 * CONFIG_LWIP_DHCP_WAIT_MS. Prints each interface's address, MAC and
 * queue count. Thread context, one caller (main). Returns the number of
 * interfaces with an address, or a negative errno (-ENODEV: no device,
 * -ENOMEM, or the device's set-up error).
 */
int uk_lwip_up(int argc, char *argv[]);

/* What the receive thread of one queue did (uk_lwip_rxq_stats()). */
struct uk_lwip_rxq_stats {
	unsigned long frames;		/* handed to lwIP */
	unsigned long bursts;		/* rx_burst calls that gave frames */
	unsigned long wakeups;		/* interrupts that woke the thread */
	unsigned long dropped;		/* no memory for a pbuf */
	unsigned long dev_frames;	/* the driver's count (uknetdev) */
	unsigned long dev_underruns;	/* the ring could not be refilled */
	int cpu;			/* where the thread runs (pinned) */
	int ran_elsewhere;		/* bursts processed off that CPU */
};

/*
 * Counters of queue q of interface dev (0-based, as uknetdev numbers
 * them). Any thread. -EINVAL when there is no such queue.
 */
int uk_lwip_rxq_stats(unsigned int dev, unsigned int q,
		      struct uk_lwip_rxq_stats *st);

/* Queue pairs interface dev uses; 0 when it does not exist. */
unsigned int uk_lwip_queue_count(unsigned int dev);

/*
 * The CPU whose receive thread took the last segment of TCP socket fd's
 * connection (the queue the host's flow hash picked), or -1 when unknown
 * (not TCP, nothing received yet). An accepting server moves the thread
 * serving fd there (flow affinity, doc/lwip.md). Thread context.
 */
int uk_lwip_sock_cpu(int fd);

/* Times of lwIP's core lock (CONFIG_LWIP_CORE_LOCK_STATS), in ns. */
#define UK_LWIP_LOCK_HIST	40	/* bucket k: [2^(k-1), 2^k) ns */
struct uk_lwip_lock_stats {
	unsigned long acquisitions;
	unsigned long contended;	/* found it held: waited */
	unsigned long long wait_total, wait_max;
	unsigned long long hold_total, hold_max;
	unsigned long wait_hist[UK_LWIP_LOCK_HIST];
	unsigned long hold_hist[UK_LWIP_LOCK_HIST];
};

/*
 * Copies the core lock's times since boot to *st (a consistent snapshot:
 * taken while holding the lock). Thread context. 0, or -ENOTSUP without
 * CONFIG_LWIP_CORE_LOCK_STATS.
 */
int uk_lwip_core_lock_stats(struct uk_lwip_lock_stats *st);

/*
 * Prints lwIP's statistics (drops, checksum and length errors per
 * protocol, memory in use) and per-queue counters to the console.
 */
void uk_lwip_stats_print(void);

#endif /* __UK_LWIP_H__ */
