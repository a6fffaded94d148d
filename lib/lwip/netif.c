/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP interfaces on uknetdev devices, one per device with all its queue
 * pairs, and the boot-time address configuration (uk/lwip.h).
 *
 * Receive: queue q has a thread pinned on the CPU that owns the queue
 * (uk_netdev_queue_cpu(), where its MSI-X interrupt lands). The interrupt
 * only sets rxq->pending and wakes the thread; the thread takes frames in
 * bursts of RX_BURST, copies each into a pbuf (completing a checksum the
 * host left partial) and hands the burst to lwIP under the core lock,
 * once per burst. While the device reports more frames it keeps polling
 * (yielding between bursts so other threads of its CPU run); once a burst
 * finds the queue empty the driver has re-armed the interrupt, and the
 * thread sleeps until the next one.
 *
 * No lost wake-up: pending is set before the wake, and the thread tests
 * it (exchanging it for 0) while already on its wait queue.
 *
 * Transmit: lwIP calls linkoutput under the core lock from whatever thread
 * produced the segment; the frame goes to the TX queue of the calling CPU
 * (uk_netdev_txq_mine()), whose lock the driver takes.
 *
 * Invariant: rxq->cpu is the only CPU that runs rx_thread(rxq) (pinned;
 * counted in ran_elsewhere and asserted).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lwip.h>
#include <uk/netbuf_pool.h>
#include <uk/netdev.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/sched.h>
#include <uk/thread.h>
#include <uk/wait.h>
#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/inet_chksum.h>
#include <lwip/init.h>
#include <lwip/netif.h>
#include <lwip/priv/sockets_priv.h>
#include <lwip/api.h>
#include <lwip/stats.h>
#include <lwip/tcp.h>
#include <lwip/tcpip.h>
#include <netif/ethernet.h>
#if CONFIG_LIBNEWLIB
#include "fdsock.h"
#endif
#include "sockrx.h"
#if LWIP_IPV6
#include <lwip/ethip6.h>
#endif

#define RX_BURST	32
#define RX_RING		256
#define RX_BUFSZ	2048
#define RX_POOL		(RX_RING + 2 * RX_BURST)
#define TX_WAIT_NS	(10ULL * 1000000ULL)	/* ring full: give up after */
#define MAXQ		CONFIG_LIBUKNETDEV_MAXNBQUEUES
#define MAXDEV		CONFIG_LIBUKNETDEV_MAXNBDEVS

struct lw_dev;

struct lw_rxq {
	struct lw_dev *d;
	uint16_t id;
	unsigned int pending;		/* IRQ sets, the thread exchanges */
	struct uk_waitq wq;		/* the thread, asleep */
	struct uk_netbuf_pool pool;	/* RX buffers of this queue */
	struct uk_thread *thread;
	struct uk_lwip_rxq_stats st;	/* written by the thread only */
} __align(UKARCH_CACHE_LINE_SIZE);

struct lw_dev {
	struct netif nif;
	struct uk_netdev *dev;
	unsigned int nq;
	uint16_t tx_headroom;
	struct lw_rxq q[MAXQ];
};

/*
 * A counter of one writer (the queue's thread): a relaxed store, so that
 * readers on other CPUs (uk_lwip_rxq_stats) read whole values.
 */
#define BUMP(f, n)	__atomic_store_n(&(f), (f) + (n), __ATOMIC_RELAXED)

/* Set up by uk_lwip_up() before any thread reads them; never freed. */
static struct lw_dev *devs[MAXDEV];
static unsigned int ndevs;
static u8_t cpu_ext_id;

/* --- receive --------------------------------------------------------------- */

/* The host left the L4 checksum to us: [start, len) summed, at start+off. */
static void csum_complete(u8_t *f, size_t len, size_t start, size_t off)
{
	u16_t sum;

	if (start + off + 2 > len)
		return;		/* lwIP drops it as malformed or bad sum */
	sum = inet_chksum(f + start, (u16_t)(len - start));
	memcpy(f + start + off, &sum, sizeof(sum));
}

/* Copies a received frame (chain) into a new pbuf; frees the netbuf. */
static struct pbuf *to_pbuf(struct uk_netbuf *pkt)
{
	struct uk_netbuf *nb;
	struct pbuf *p;
	size_t len = 0, at = 0;

	UK_NETBUF_CHAIN_FOREACH(nb, pkt)
		len += nb->len;
	p = len <= 0xffff ? pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM) : NULL;
	if (p) {
		UK_NETBUF_CHAIN_FOREACH(nb, pkt) {
			memcpy((u8_t *)p->payload + at, nb->data, nb->len);
			at += nb->len;
		}
		if (pkt->flags & UK_NETBUF_F_PARTIAL_CSUM)
			csum_complete(p->payload, len, pkt->csum_start,
				      pkt->csum_offset);
	}
	uk_netbuf_free(pkt);
	return p;
}

static void rx_event(struct uk_netdev *dev __unused, uint16_t q __unused,
		     void *arg)
{
	struct lw_rxq *rq = arg;

	/* Release: pairs with the thread's acquire exchange. */
	__atomic_store_n(&rq->pending, 1, __ATOMIC_RELEASE);
	uk_waitq_wake_up(&rq->wq);
}

/* Hands n frames to lwIP under one core-lock round. */
static void rx_input(struct lw_rxq *rq, struct uk_netbuf **pkt, uint16_t n)
{
	struct pbuf *p[RX_BURST];
	struct netif *nif = &rq->d->nif;
	uint16_t i, k = 0;

	for (i = 0; i < n; i++) {
		p[k] = to_pbuf(pkt[i]);
		if (p[k])
			k++;
		else
			BUMP(rq->st.dropped, 1);
	}
	LOCK_TCPIP_CORE();
	for (i = 0; i < k; i++)
		if (nif->input(p[i], nif) != ERR_OK)
			pbuf_free(p[i]);
	UNLOCK_TCPIP_CORE();
	BUMP(rq->st.frames, k);
}

static void rx_thread(void *arg)
{
	struct lw_rxq *rq = arg;
	struct uk_netbuf *pkt[RX_BURST];
	uint16_t n;
	int r;

	for (;;) {
		n = RX_BURST;
		r = uk_netdev_rx_burst(rq->d->dev, rq->id, pkt, &n);
		if (n) {
			BUMP(rq->st.bursts, 1);
			if ((int)ukplat_lcpu_idx() != rq->st.cpu)
				BUMP(rq->st.ran_elsewhere, 1);
			rx_input(rq, pkt, n);
		}
		if (uk_netdev_status_more(r)) {
			uk_sched_yield();
			continue;
		}
		/*
		 * Empty: the driver re-armed the interrupt. Acquire: pairs
		 * with rx_event()'s release store.
		 */
		uk_waitq_wait_event(&rq->wq,
				    __atomic_exchange_n(&rq->pending, 0,
							__ATOMIC_ACQUIRE));
		BUMP(rq->st.wakeups, 1);
	}
}

/* --- transmit ---------------------------------------------------------------- */

static err_t linkoutput(struct netif *nif, struct pbuf *p)
{
	struct lw_dev *d = nif->state;
	struct uk_netbuf *nb;
	__nsec give_up = 0;
	uint16_t q;
	int r;

	nb = uk_netbuf_alloc_buf(uk_alloc_get_default(),
				 d->tx_headroom + p->tot_len, 8,
				 d->tx_headroom, 0, NULL);
	if (!nb) {
		LINK_STATS_INC(link.memerr);
		return ERR_MEM;
	}
	pbuf_copy_partial(p, nb->data, p->tot_len, 0);
	nb->len = p->tot_len;
	q = uk_netdev_txq_mine(d->dev);
	for (;;) {
		r = uk_netdev_tx_one(d->dev, q, nb);
		if (uk_netdev_status_successful(r)) {
			LINK_STATS_INC(link.xmit);
			return ERR_OK;
		}
		/* Ring full: the host is behind; it drains by itself. */
		if (r >= 0 && !give_up)
			give_up = ukplat_monotonic_clock() + TX_WAIT_NS;
		if (r < 0 || ukplat_monotonic_clock() > give_up)
			break;
	}
	uk_netbuf_free(nb);
	LINK_STATS_INC(link.drop);
	return ERR_IF;
}

/* --- flow affinity --------------------------------------------------------- */

/* LWIP_HOOK_TCP_INPACKET_PCB: core lock held, in a receive thread. */
signed char uk_lwip_tcp_inpacket(void *arg)
{
	struct tcp_pcb *pcb = arg;
	uintptr_t cpu = ukplat_lcpu_idx() + 1;

	if (pcb->state != LISTEN
	    && (uintptr_t)tcp_ext_arg_get(pcb, cpu_ext_id) != cpu)
		tcp_ext_arg_set(pcb, cpu_ext_id, (void *)cpu);
	return ERR_OK;
}

/* The CPU of lwIP socket number sock (see uk_lwip_sock_cpu()). */
static int sock_cpu(int sock)
{
	struct lwip_sock *s = lwip_socket_dbg_get_socket(sock);
	uintptr_t cpu = 0;

	if (!s || !s->conn || NETCONNTYPE_GROUP(s->conn->type) != NETCONN_TCP)
		return -1;
	LOCK_TCPIP_CORE();
	if (s->conn->pcb.tcp && s->conn->pcb.tcp->state != LISTEN)
		cpu = (uintptr_t)tcp_ext_arg_get(s->conn->pcb.tcp, cpu_ext_id);
	UNLOCK_TCPIP_CORE();
	return cpu ? (int)cpu - 1 : -1;
}

int uk_lwip_sock_cpu(int fd)
{
#if CONFIG_LIBNEWLIB
	struct uk_fd_file *f;
	int s = uk_lwip_fd_get(fd, &f), cpu;

	if (s < 0)
		return -1;
	cpu = sock_cpu(s);
	uk_lwip_fd_put(f);
	return cpu;
#else
	return sock_cpu(fd);
#endif
}

/* --- set-up ----------------------------------------------------------------- */

static err_t nif_init(struct netif *nif)
{
	struct lw_dev *d = nif->state;
	const struct uk_hwaddr *mac = uk_netdev_hwaddr_get(d->dev);

	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->output = etharp_output;
#if LWIP_IPV6
	nif->output_ip6 = ethip6_output;
#endif
	nif->linkoutput = linkoutput;
	nif->mtu = uk_netdev_mtu_get(d->dev);
	if (!nif->mtu || nif->mtu > 1500)
		nif->mtu = 1500;
	nif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(nif->hwaddr, mac->addr_bytes, ETH_HWADDR_LEN);
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP
		     | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	return ERR_OK;
}

static int queues_setup(struct lw_dev *d)
{
	struct uk_netdev_info info;
	struct uk_netdev_conf conf = { 0 };
	struct uk_netdev_rxqueue_conf rxc = { .callback = rx_event,
		.alloc_rxpkts = uk_netbuf_pool_alloc_rxpkts };
	struct uk_netdev_txqueue_conf txc = { 0 };
	struct uk_alloc *a = uk_alloc_get_default();
	uint16_t q;
	int r;

	uk_netdev_info_get(d->dev, &info);
	d->nq = MIN(info.max_rx_queues, info.max_tx_queues);
	d->nq = MIN(d->nq, (unsigned int)MAXQ);
	d->tx_headroom = info.nb_encap_tx;
	conf.nb_rx_queues = conf.nb_tx_queues = (uint16_t)d->nq;
	r = uk_netdev_configure(d->dev, &conf);
	if (r)
		return r;
	for (q = 0; q < d->nq; q++) {
		struct lw_rxq *rq = &d->q[q];

		rq->d = d;
		rq->id = q;
		uk_waitq_init(&rq->wq);
		if (uk_netbuf_pool_init(&rq->pool, a, RX_POOL, RX_BUFSZ,
					info.nb_encap_rx))
			return -ENOMEM;
		r = uk_netdev_queue_cpu(d->dev, q);
		rq->st.cpu = r >= 0 ? r : (int)(q % ukplat_lcpu_count());
		rxc.callback_cookie = rq;
		rxc.alloc_rxpkts_argp = &rq->pool;
		r = uk_netdev_rxq_configure(d->dev, q, RX_RING, &rxc);
		if (!r)
			r = uk_netdev_txq_configure(d->dev, q, 0, &txc);
		if (r)
			return r;
	}
	return uk_netdev_start(d->dev);
}

/* Receive threads, then events on; frames that came first: pending. */
static int queues_start(struct lw_dev *d)
{
	unsigned int q;

	for (q = 0; q < d->nq; q++) {
		struct lw_rxq *rq = &d->q[q];

		rq->thread = uk_sched_thread_create_on(rq->st.cpu, rx_thread,
						       rq, "lwip-rx");
		if (!rq->thread)
			return -ENOMEM;
		if (uk_netdev_rxq_intr_enable(d->dev, q) == 1)
			rx_event(d->dev, q, rq);
	}
	return 0;
}

/* "A.B.C.D/P[:GW]" into addr, mask, gw. 0, or -EINVAL. */
static int parse_ip(const char *s, ip4_addr_t *addr, ip4_addr_t *mask,
		    ip4_addr_t *gw)
{
	char buf[64], *slash, *colon;
	unsigned long p = 24;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = '\0';
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		p = strtoul(slash, NULL, 10);
	}
	if (!ip4addr_aton(buf, addr) || p > 32
	    || (colon && !ip4addr_aton(colon, gw)))
		return -EINVAL;
	if (!colon)
		ip4_addr_set_zero(gw);
	ip4_addr_set_u32(mask, p ? lwip_htonl(~0U << (32 - p)) : 0);
	return 0;
}

/* The value of "netdev.ip=" (device 0) or "netdev<i>.ip=", or NULL. */
static const char *ip_arg(unsigned int i, int argc, char *argv[])
{
	char key[24];
	int a;

	for (a = 1; a < argc; a++) {
		snprintf(key, sizeof(key), "netdev%u.ip=", i);
		if (!strncmp(argv[a], key, strlen(key)))
			return argv[a] + strlen(key);
		if (i == 0 && !strncmp(argv[a], "netdev.ip=", 10))
			return argv[a] + 10;
	}
	return NULL;
}

static void print_nif(struct lw_dev *d, const char *how)
{
	const u8_t *m = d->nif.hwaddr;
	char a[16], nm[16], g[16];

	ip4addr_ntoa_r(netif_ip4_addr(&d->nif), a, sizeof(a));
	ip4addr_ntoa_r(netif_ip4_netmask(&d->nif), nm, sizeof(nm));
	ip4addr_ntoa_r(netif_ip4_gw(&d->nif), g, sizeof(g));
	printf("lwip: %c%c%u: %s %s netmask %s gateway %s mac "
	       "%02x:%02x:%02x:%02x:%02x:%02x queues %u mtu %u\n",
	       d->nif.name[0], d->nif.name[1], d->nif.num, how, a, nm, g,
	       m[0], m[1], m[2], m[3], m[4], m[5], d->nq, d->nif.mtu);
}

static int dev_up(unsigned int i, int argc, char *argv[])
{
	struct lw_dev *d;
	ip4_addr_t addr, mask, gw;
	const char *ipa = ip_arg(i, argc, argv);
	int r;

	d = uk_calloc(uk_alloc_get_default(), 1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->dev = uk_netdev_get(i);
	ip4_addr_set_zero(&addr);
	ip4_addr_set_zero(&mask);
	ip4_addr_set_zero(&gw);
	if (ipa && parse_ip(ipa, &addr, &mask, &gw)) {
		printf("lwip: netdev%u: cannot read address \"%s\" "
		       "(netdev.ip=A.B.C.D/P[:GW])\n", i, ipa);
		return -EINVAL;
	}
	r = queues_setup(d);
	if (r) {
		printf("lwip: netdev%u: set-up failed: %d\n", i, r);
		return r;
	}
	LOCK_TCPIP_CORE();
	if (!netif_add(&d->nif, &addr, &mask, &gw, d, nif_init,
		       ethernet_input)) {
		UNLOCK_TCPIP_CORE();
		return -ENOMEM;
	}
	if (i == 0)
		netif_set_default(&d->nif);
	netif_set_up(&d->nif);
	netif_set_link_up(&d->nif);
	UNLOCK_TCPIP_CORE();
	devs[ndevs++] = d;
	r = queues_start(d);
	if (r)
		return r;
	if (ipa) {
		print_nif(d, "static");
		return 1;
	}
#if LWIP_DHCP
	{
		__nsec until = ukplat_monotonic_clock()
			+ CONFIG_LWIP_DHCP_WAIT_MS * 1000000ULL;
		int got;

		LOCK_TCPIP_CORE();
		r = dhcp_start(&d->nif);
		UNLOCK_TCPIP_CORE();
		if (r != ERR_OK)
			return -ENOMEM;
		do {
			uk_sched_thread_sleep(20 * 1000000ULL);
			LOCK_TCPIP_CORE();
			got = dhcp_supplied_address(&d->nif);
			UNLOCK_TCPIP_CORE();
		} while (!got && ukplat_monotonic_clock() < until);
		print_nif(d, got ? "dhcp" : "dhcp pending, no address yet:");
		return got;
	}
#else
	print_nif(d, "no address (netdev.ip= not given):");
	return 0;
#endif
}

static void tcpip_ready(void *arg)
{
	uk_semaphore_up(arg);
}

int uk_lwip_up(int argc, char *argv[])
{
	struct uk_semaphore ready;
	unsigned int i, n = uk_netdev_count();
	int r, up = 0;

	UK_ASSERT(!ndevs);
	if (!n) {
		printf("lwip: no network device\n");
		return -ENODEV;
	}
	uk_lwip_rx_init();
	uk_semaphore_init(&ready, 0);
	tcpip_init(tcpip_ready, &ready);
	uk_semaphore_down(&ready);
	LOCK_TCPIP_CORE();
	cpu_ext_id = tcp_ext_arg_alloc_id();
	UNLOCK_TCPIP_CORE();
	for (i = 0; i < n && i < MAXDEV; i++) {
		r = dev_up(i, argc, argv);
		if (r < 0)
			return r;
		up += r;
	}
	return up;
}

/* --- statistics -------------------------------------------------------------- */

unsigned int uk_lwip_queue_count(unsigned int dev)
{
	return dev < ndevs ? devs[dev]->nq : 0;
}

int uk_lwip_rxq_stats(unsigned int dev, unsigned int q,
		      struct uk_lwip_rxq_stats *st)
{
	const struct uk_lwip_rxq_stats *s;
	struct uk_netdev_rx_stats ds = { 0 };

	if (dev >= ndevs || q >= devs[dev]->nq)
		return -EINVAL;
	uk_netdev_rxq_stats_get(devs[dev]->dev, (uint16_t)q, &ds);
	st->dev_frames = ds.packets;
	st->dev_underruns = ds.fifo;
	s = &devs[dev]->q[q].st;
	/* Relaxed: counters of one writer, read as a snapshot. */
	st->frames = __atomic_load_n(&s->frames, __ATOMIC_RELAXED);
	st->bursts = __atomic_load_n(&s->bursts, __ATOMIC_RELAXED);
	st->wakeups = __atomic_load_n(&s->wakeups, __ATOMIC_RELAXED);
	st->dropped = __atomic_load_n(&s->dropped, __ATOMIC_RELAXED);
	st->cpu = s->cpu;
	st->ran_elsewhere = __atomic_load_n(&s->ran_elsewhere,
					    __ATOMIC_RELAXED);
	return 0;
}
