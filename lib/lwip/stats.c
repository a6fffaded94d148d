/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_lwip_stats_print(): lwIP's protocol counters (what was dropped and
 * why), its memory in use and the receive queues' counters, on the
 * console. Tests read these lines (support/scripts/lwip-tests).
 */
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

void uk_lwip_stats_print(void)
{
	struct uk_lwip_rxq_stats st;
	unsigned int d, q;

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
