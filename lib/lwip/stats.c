/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_lwip_stats_print(): lwIP's protocol counters (what was dropped and
 * why), its memory in use and the receive queues' counters, on the
 * console. Tests read these lines (support/scripts/lwip-tests).
 */
#include <errno.h>
#include <stdio.h>
#include <uk/lwip.h>
#include <lwip/stats.h>
#include <lwip/tcpip.h>

#if LWIP_STATS
static void proto(const char *name, const struct stats_proto *p)
{
	printf("lwip-stats: %s xmit %u recv %u drop %u chkerr %u lenerr %u "
	       "memerr %u proterr %u opterr %u err %u\n", name, p->xmit,
	       p->recv, p->drop, p->chkerr, p->lenerr, p->memerr, p->proterr,
	       p->opterr, p->err);
}

/* Core lock held: the counters are lwIP's, written under it. */
static void lwip_counters(void)
{
	proto("link", &lwip_stats.link);
	proto("etharp", &lwip_stats.etharp);
	proto("ip", &lwip_stats.ip);
	proto("ipfrag", &lwip_stats.ip_frag);
	proto("icmp", &lwip_stats.icmp);
	proto("udp", &lwip_stats.udp);
	proto("tcp", &lwip_stats.tcp);
	printf("lwip-stats: mem used %lu max %lu err %u\n",
	       (unsigned long)lwip_stats.mem.used,
	       (unsigned long)lwip_stats.mem.max, lwip_stats.mem.err);
}
#endif

int uk_lwip_core_lock_stats(struct uk_lwip_lock_stats *st)
{
#if CONFIG_LWIP_CORE_LOCK_STATS
	LOCK_TCPIP_CORE();
	*st = lock_tcpip_core.st;
	UNLOCK_TCPIP_CORE();
	return 0;
#else
	(void)st;
	return -ENOTSUP;
#endif
}

#if CONFIG_LWIP_CORE_LOCK_STATS
/*
 * Upper bound (ns) of the bucket that holds the p-th percentile of h
 * (its own count: the hold in progress is in no hold bucket yet).
 */
static unsigned long long percentile(const unsigned long *h, unsigned int p)
{
	unsigned long n = 0, want, seen = 0;
	unsigned int k;

	for (k = 0; k < UK_LWIP_LOCK_HIST; k++)
		n += h[k];
	want = (n * p + 99) / 100;
	for (k = 0; k < UK_LWIP_LOCK_HIST; k++) {
		seen += h[k];
		if (seen >= want)
			return k ? 1ULL << k : 0;
	}
	return 1ULL << (UK_LWIP_LOCK_HIST - 1);
}

static void core_lock_line(void)
{
	struct uk_lwip_lock_stats st;
	unsigned long n;

	uk_lwip_core_lock_stats(&st);
	n = st.acquisitions ? st.acquisitions : 1;
	/* Times in ns; p50/p99: upper bounds of their log2 buckets. */
	printf("lwip-stats: core-lock acquisitions %lu contended %lu "
	       "wait-total %llu wait-avg %llu wait-p50 %llu wait-p99 %llu "
	       "wait-max %llu hold-total %llu hold-avg %llu hold-p50 %llu "
	       "hold-p99 %llu hold-max %llu\n",
	       st.acquisitions, st.contended, st.wait_total,
	       st.wait_total / n, percentile(st.wait_hist, 50),
	       percentile(st.wait_hist, 99), st.wait_max, st.hold_total,
	       st.hold_total / n, percentile(st.hold_hist, 50),
	       percentile(st.hold_hist, 99), st.hold_max);
}
#endif

void uk_lwip_stats_print(void)
{
	struct uk_lwip_rxq_stats st;
	unsigned int d, q;

#if CONFIG_LWIP_CORE_LOCK_STATS
	core_lock_line();
#endif

#if LWIP_STATS
	LOCK_TCPIP_CORE();
	lwip_counters();
	UNLOCK_TCPIP_CORE();
#endif
	for (d = 0; uk_lwip_queue_count(d); d++)
		for (q = 0; !uk_lwip_rxq_stats(d, q, &st); q++)
			printf("lwip-stats: en%u rxq %u cpu %d frames %lu "
			       "bursts %lu wakeups %lu dropped %lu "
			       "elsewhere %d driver %lu underruns %lu\n", d, q,
			       st.cpu, st.frames, st.bursts, st.wakeups,
			       st.dropped, st.ran_elsewhere, st.dev_frames,
			       st.dev_underruns);
}
