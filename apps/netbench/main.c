/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * netbench: raw Ethernet frames per second through netdev0 (virtio-net),
 * no IP stack. TX: every CPU sends on the queue pair it owns, every CPU
 * sends on queue 0 (the shared, contended path), one CPU alone; RX: the
 * frames per second each queue receives from the host side while
 * support/scripts/net-flows sends (make run ... NSRUN=...). Ratios are
 * what matter under TCG; absolute rates are the emulator's.
 *
 * Arguments (key=value): frames=<per CPU and mode, 20000> burst=<frames
 * per tx_burst, 32> ring=<descriptors per queue, 256> rx=<seconds of RX,
 * 0: none> tx=<0: skip the TX runs>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/netbuf_pool.h>
#include <uk/netdev.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>

#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define MAXBURST	256
#define BUFSZ		2048
#define HEADROOM	64
#define FRAME_LEN	60

static unsigned int frames = 20000, burst = 32, ring = 256, rx_secs;
static unsigned int tx = 1;
static struct uk_netdev *dev;

/* Netbufs: one pool per CPU (uk/netbuf_pool.h), given back by whoever frees. */
static struct uk_netbuf_pool pools[MAXCPU];

/* --- receive: count per queue ---------------------------------------- */

struct qcount {
	unsigned long frames;
} __align(UKARCH_CACHE_LINE_SIZE);

static struct qcount rxc[CONFIG_LIBUKNETDEV_MAXNBQUEUES];

static void rx_event(struct uk_netdev *d, __u16 q, void *arg __unused)
{
	struct uk_netbuf *pkt[MAXBURST];
	__u16 n, i;
	int r;

	do {
		n = MAXBURST;
		r = uk_netdev_rx_burst(d, q, pkt, &n);
		for (i = 0; i < n; i++)
			uk_netbuf_free(pkt[i]);
		/* Relaxed: main reads a count, nothing else. */
		__atomic_fetch_add(&rxc[q].frames, n, __ATOMIC_RELAXED);
	} while (r > 0 && (r & UK_NETDEV_STATUS_MORE));
}

/* --- transmit ------------------------------------------------------------ */

enum mode { OWN, SHARED, ONE };
static const char *const mode_name[] = {
	"every CPU, own queue", "every CPU, queue 0", "one CPU, queue 0"
};

struct sender {
	unsigned int cpu;
	enum mode mode;
	unsigned long sent, full;
};

static struct sender senders[MAXCPU];
static unsigned int go, ready;

static void send_frames(void *arg)
{
	struct sender *s = arg;
	struct uk_netbuf *pkt[MAXBURST];
	__u16 q = s->mode == OWN ? uk_netdev_txq_mine(dev) : 0, n, k = 0, i;
	struct uk_netbuf_pool *p = &pools[s->cpu];
	int r;

	__atomic_add_fetch(&ready, 1, __ATOMIC_RELEASE);
	/*
	 * Acquire: pairs with main's release store of go. Yield: main may
	 * share this CPU (cooperative scheduling).
	 */
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		uk_sched_yield();
	while (s->sent < frames) {
		while (k < MIN(burst, frames - s->sent)
		       && (pkt[k] = uk_netbuf_pool_get(p))) {
			memset(pkt[k]->data, 0xff, 6);	/* broadcast */
			memset((char *)pkt[k]->data + 6, 0x02, 6);
			((__u8 *)pkt[k]->data)[12] = 0x88;
			((__u8 *)pkt[k]->data)[13] = 0xb5;
			pkt[k++]->len = FRAME_LEN;
		}
		if (!k) {	/* all our buffers in rings: let them drain */
			uk_sched_yield();
			continue;
		}
		n = k;
		r = uk_netdev_tx_burst(dev, q, pkt, &n);
		if (r < 0)
			break;
		s->sent += n;
		if (n < k) {	/* ring full: keep the rest for the next try */
			s->full++;
			for (i = n; i < k; i++)
				pkt[i - n] = pkt[i];
			uk_sched_yield();
		}
		k -= n;
	}
	for (i = 0; i < k; i++)
		uk_netbuf_free(pkt[i]);
}

/* One TX mode: returns frames per second of all senders together. */
static double tx_run(enum mode mode, unsigned long *full)
{
	unsigned int n = mode == ONE ? 1 : ukplat_lcpu_count(), c;
	struct uk_thread *t[MAXCPU];
	__nsec t0, t1;

	go = ready = 0;
	for (c = 0; c < n; c++) {
		senders[c] = (struct sender){ .cpu = c, .mode = mode };
		t[c] = uk_sched_thread_create_on((int)c, send_frames,
						 &senders[c], "netbench");
		if (!t[c])
			return 0;
	}
	while (__atomic_load_n(&ready, __ATOMIC_ACQUIRE) < n)
		uk_sched_yield();
	t0 = ukplat_monotonic_clock();
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	*full = 0;
	for (c = 0; c < n; c++) {
		uk_thread_join(t[c]);
		*full += senders[c].full;
	}
	t1 = ukplat_monotonic_clock();
	return (double)n * frames * 1e9 / (double)(t1 - t0);
}

static void args(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++) {
		unsigned int v = (unsigned int)strtoul(strchr(argv[i], '=')
			? strchr(argv[i], '=') + 1 : "0", NULL, 0);

		if (!strncmp(argv[i], "frames=", 7) && v)
			frames = v;
		else if (!strncmp(argv[i], "burst=", 6) && v)
			burst = MIN(v, (unsigned int)MAXBURST);
		else if (!strncmp(argv[i], "ring=", 5) && v)
			ring = v;
		else if (!strncmp(argv[i], "rx=", 3))
			rx_secs = v;
		else if (!strncmp(argv[i], "tx=", 3))
			tx = v;
		else
			printf("netbench: ignoring %s\n", argv[i]);
	}
}

static int setup(void)
{
	struct uk_netdev_info info;
	struct uk_netdev_conf conf;
	struct uk_netdev_rxqueue_conf rxq = { .callback = rx_event,
		.alloc_rxpkts = uk_netbuf_pool_alloc_rxpkts };
	struct uk_netdev_txqueue_conf txq = { 0 };
	unsigned int c, n = ukplat_lcpu_count();
	__u16 q;

	uk_netdev_info_get(dev, &info);
	conf.nb_rx_queues = conf.nb_tx_queues = info.max_rx_queues;
	for (c = 0; c < n; c++)
		if (uk_netbuf_pool_init(&pools[c], uk_alloc_get_default(),
					ring * (info.max_rx_queues + 2) / n
					+ ring + 2 * MAXBURST, BUFSZ,
					HEADROOM))
			return -1;
	if (uk_netdev_configure(dev, &conf))
		return -1;
	for (q = 0; q < conf.nb_rx_queues; q++) {
		rxq.alloc_rxpkts_argp = &pools[uk_netdev_queue_cpu(dev, q)
					       % n];
		if (uk_netdev_rxq_configure(dev, q, ring, &rxq)
		    || uk_netdev_txq_configure(dev, q, ring, &txq))
			return -1;
	}
	if (uk_netdev_start(dev))
		return -1;
	/* 1: frames came before events were on: take them, or none come. */
	for (q = 0; q < conf.nb_rx_queues; q++)
		if (uk_netdev_rxq_intr_enable(dev, q) == 1)
			rx_event(dev, q, NULL);
	return conf.nb_rx_queues;
}

static void rx_report(unsigned int pairs)
{
	unsigned long before[CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	__nsec t0, t1;
	unsigned int q;

	for (q = 0; q < pairs; q++)
		before[q] = __atomic_load_n(&rxc[q].frames, __ATOMIC_RELAXED);
	t0 = ukplat_monotonic_clock();
	while (ukplat_monotonic_clock() - t0 < rx_secs * 1000000000ULL)
		uk_sched_yield();
	t1 = ukplat_monotonic_clock();
	printf("\nRX from the host side over %u s:\n", rx_secs);
	printf("| queue | CPU | frames | frames/s | underruns | driver count |\n"
	       "|---|---|---|---|---|---|\n");
	for (q = 0; q < pairs; q++) {
		unsigned long d = __atomic_load_n(&rxc[q].frames,
						  __ATOMIC_RELAXED) - before[q];

		struct uk_netdev_rx_stats st;

		uk_netdev_rxq_stats_get(dev, q, &st);
		printf("| %u | %d | %lu | %.0f | %zu | %zu |\n", q,
		       uk_netdev_queue_cpu(dev, q), d,
		       (double)d * 1e9 / (double)(t1 - t0), st.fifo,
		       st.packets);
	}
}

int main(int argc, char *argv[])
{
	double pps[3];
	unsigned long full[3];
	int pairs, m;

	args(argc, argv);
	dev = uk_netdev_get(0);
	if (!dev) {
		printf("netbench: no network device (make run NET=tap "
		       "QUEUES=<n>, or NET=user)\n");
		return 1;
	}
	pairs = setup();
	if (pairs < 0) {
		printf("netbench: device set-up failed\n");
		return 1;
	}
	printf("netbench: %u CPUs, %d queue pair(s), ring %u, burst %u, "
	       "%u frames of %u bytes per CPU and mode\n", ukplat_lcpu_count(),
	       pairs, ring, burst, frames, FRAME_LEN);
	if (!tx)
		goto rx;
	for (m = OWN; m <= ONE; m++)
		pps[m] = tx_run(m, &full[m]);
	printf("\n| TX | frames/s | vs one CPU | ring-full waits |\n"
	       "|---|---|---|---|\n");
	for (m = OWN; m <= ONE; m++)
		printf("| %s | %.0f | %.2f | %lu |\n", mode_name[m], pps[m],
		       pps[m] / pps[ONE], full[m]);
	printf("\nown queues / shared queue 0: %.2f\n", pps[OWN] / pps[SHARED]);
rx:
	if (rx_secs)
		rx_report((unsigned int)pairs);
	return 0;
}
