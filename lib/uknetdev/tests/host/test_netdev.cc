/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of the uk/netdev.h layer against a device written here: the
// registry, the life-cycle state machine and its refusals, tx/rx status
// flags (ring full, oversized frame, underrun), bursts with and without
// driver support, the queue-placement helper, and per-queue statistics
// that add up when 4 threads (4 shim CPUs) send at once.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "malloc_alloc.h"

extern "C" {
#include <uk/netdev_driver.h>
}

// One queue of the test device: room for `room` more frames (TX), or a
// count of frames to hand out (RX). The API's opaque queue types.
struct uk_netdev_tx_queue {
	std::atomic<int> room{0};
};
struct uk_netdev_rx_queue {
	std::atomic<int> pending{0};
	uk_netdev_alloc_rxpkts alloc = nullptr;
	void *argp = nullptr;
};

namespace {

const uint16_t NQ = 4;

struct TestDev {
	struct uk_netdev dev;	// first
	uk_netdev_tx_queue txq[NQ];
	uk_netdev_rx_queue rxq[NQ];
	std::atomic<int> burst_calls{0};
};

TestDev *of(struct uk_netdev *d)
{
	return (TestDev *)d;
}

void info_get(struct uk_netdev *, struct uk_netdev_info *i)
{
	i->max_rx_queues = NQ;
	i->max_tx_queues = NQ;
	i->in_queue_pairs = 1;
	i->max_mtu = 1500;
}

int configure(struct uk_netdev *, const struct uk_netdev_conf *)
{
	return 0;
}

struct uk_netdev_tx_queue *txq_configure(struct uk_netdev *d, uint16_t q,
					 uint16_t, struct uk_netdev_txqueue_conf *)
{
	return &of(d)->txq[q];
}

struct uk_netdev_rx_queue *rxq_configure(struct uk_netdev *d, uint16_t q,
					 uint16_t nb,
					 struct uk_netdev_rxqueue_conf *c)
{
	if (nb == 3)
		return (struct uk_netdev_rx_queue *)ERR2PTR(-ENOSPC);
	of(d)->rxq[q].alloc = c->alloc_rxpkts;
	of(d)->rxq[q].argp = c->alloc_rxpkts_argp;
	return &of(d)->rxq[q];
}

int start(struct uk_netdev *)
{
	return 0;
}

uint16_t mtu_get(struct uk_netdev *)
{
	return 1500;
}

int queue_cpu(struct uk_netdev *, uint16_t q)
{
	return q + 1;	// queue q on CPU q + 1: CPU 0 owns none
}

int tx_one(struct uk_netdev *, struct uk_netdev_tx_queue *q,
	   struct uk_netbuf *pkt)
{
	int r;

	if (pkt->len > 1514)
		return -EINVAL;
	r = q->room.load();
	do {
		if (r <= 0)
			return 0;	// full: pkt stays the caller's
	} while (!q->room.compare_exchange_weak(r, r - 1));
	uk_netbuf_free(pkt);
	return UK_NETDEV_STATUS_SUCCESS | (r > 1 ? UK_NETDEV_STATUS_MORE : 0);
}

int tx_burst(struct uk_netdev *d, struct uk_netdev_tx_queue *q,
	     struct uk_netbuf **pkt, uint16_t *cnt)
{
	uint16_t i;
	int ret = 0;

	of(d)->burst_calls++;
	for (i = 0; i < *cnt; i++) {
		ret = tx_one(d, q, pkt[i]);
		if (ret <= 0 || !(ret & UK_NETDEV_STATUS_SUCCESS))
			break;
	}
	if (ret < 0 && !i)
		return ret;
	*cnt = i;
	return i ? (ret > 0 ? ret : UK_NETDEV_STATUS_SUCCESS) : 0;
}

int rx_one(struct uk_netdev *, struct uk_netdev_rx_queue *q,
	   struct uk_netbuf **pkt)
{
	int left = q->pending.load();
	struct uk_netbuf *nb = nullptr;

	if (left <= 0)
		return 0;
	if (q->alloc(q->argp, &nb, 1) != 1)
		return UK_NETDEV_STATUS_UNDERRUN;
	q->pending--;
	nb->len = 60;
	*pkt = nb;
	return UK_NETDEV_STATUS_SUCCESS
		| (left > 1 ? UK_NETDEV_STATUS_MORE : 0);
}

const struct uk_netdev_ops ops = {
	.rxq_intr_enable = nullptr,
	.rxq_intr_disable = nullptr,
	.hwaddr_get = nullptr,
	.hwaddr_set = nullptr,
	.mtu_get = mtu_get,
	.mtu_set = nullptr,
	.promiscuous_set = nullptr,
	.promiscuous_get = nullptr,
	.info_get = info_get,
	.txq_info_get = nullptr,
	.rxq_info_get = nullptr,
	.einfo_get = nullptr,
	.probe = nullptr,
	.configure = configure,
	.txq_configure = txq_configure,
	.rxq_configure = rxq_configure,
	.start = start,
	.queue_cpu = queue_cpu,
	.link_get = nullptr,
};

MallocAlloc *alloc = malloc_alloc_new();
std::atomic<int> rx_budget{0};

uint16_t alloc_rx(void *, struct uk_netbuf *pkts[], uint16_t count)
{
	uint16_t i;

	for (i = 0; i < count && rx_budget.load() > 0; i++) {
		rx_budget--;
		pkts[i] = uk_netbuf_alloc_buf(&alloc->a, 128, 0, 12, 0,
					      nullptr);
	}
	return i;
}

struct uk_netbuf *frame(uint16_t len)
{
	struct uk_netbuf *nb = uk_netbuf_alloc_buf(&alloc->a, 2048, 0, 0, 0,
						   nullptr);

	nb->len = len;
	return nb;
}

// Registers a device and brings it to RUNNING with nq queue pairs.
TestDev *running(uint16_t nq, bool with_burst)
{
	static struct uk_alloc *set = (uk_alloc_set_default(&alloc->a),
				       &alloc->a);
	TestDev *t = new TestDev();
	struct uk_netdev_conf conf = { nq, nq };
	struct uk_netdev_rxqueue_conf rxc = {};
	struct uk_netdev_txqueue_conf txc = {};

	(void)set;
	// Each thread is a shim CPU: this one and every sender of each
	// send_from_four() (indexes are not reused).
	ukplat_host_lcpu_set_count(32);
	t->dev.ops = &ops;
	t->dev.tx_one = tx_one;
	t->dev.rx_one = rx_one;
	t->dev.tx_burst = with_burst ? tx_burst : nullptr;
	EXPECT_GE(uk_netdev_drv_register(&t->dev, &alloc->a, "test"), 0);
	EXPECT_EQ(uk_netdev_configure(&t->dev, &conf), 0);
	rxc.alloc_rxpkts = alloc_rx;
	for (uint16_t q = 0; q < nq; q++) {
		EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, q, 0, &rxc), 0);
		EXPECT_EQ(uk_netdev_txq_configure(&t->dev, q, 0, &txc), 0);
	}
	EXPECT_EQ(uk_netdev_start(&t->dev), 0);
	return t;
}

TEST(Netdev, LifeCycleRefusals)
{
	TestDev *t = new TestDev();
	struct uk_netdev_conf conf = { 2, 2 }, big = { NQ + 1, NQ + 1 };
	struct uk_netdev_rxqueue_conf rxc = {};
	struct uk_netdev_txqueue_conf txc = {};
	unsigned int before = uk_netdev_count();
	int id;

	uk_alloc_set_default(&alloc->a);
	t->dev.ops = &ops;
	t->dev.tx_one = tx_one;
	t->dev.rx_one = rx_one;
	id = uk_netdev_drv_register(&t->dev, &alloc->a, "test");
	ASSERT_EQ(id, (int)before);
	EXPECT_EQ(uk_netdev_count(), before + 1);
	EXPECT_EQ(uk_netdev_get(id), &t->dev);
	EXPECT_EQ(uk_netdev_get(id + 1), nullptr);
	EXPECT_EQ(uk_netdev_id_get(&t->dev), id);
	EXPECT_STREQ(uk_netdev_drv_name_get(&t->dev), "test");
	// No probe op: straight to UNCONFIGURED.
	EXPECT_EQ(uk_netdev_state_get(&t->dev), UK_NETDEV_UNCONFIGURED);
	EXPECT_EQ(uk_netdev_probe(&t->dev), -EINVAL);
	rxc.alloc_rxpkts = alloc_rx;
	EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, 0, 0, &rxc), -EINVAL);
	EXPECT_EQ(uk_netdev_start(&t->dev), -EINVAL);
	EXPECT_EQ(uk_netdev_configure(&t->dev, &big), -EINVAL);
	EXPECT_EQ(uk_netdev_configure(&t->dev, &conf), 0);
	EXPECT_EQ(uk_netdev_configure(&t->dev, &conf), -EINVAL);
	EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, 2, 0, &rxc), -EINVAL);
	EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, 0, 3, &rxc), -ENOSPC);
	EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, 0, 0, &rxc), 0);
	EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, 0, 0, &rxc), -EBUSY);
	EXPECT_EQ(uk_netdev_txq_configure(&t->dev, 0, 0, &txc), 0);
	// Queue pair 1 is missing: not startable yet.
	EXPECT_EQ(uk_netdev_start(&t->dev), -EINVAL);
	EXPECT_EQ(uk_netdev_rxq_configure(&t->dev, 1, 0, &rxc), 0);
	EXPECT_EQ(uk_netdev_txq_configure(&t->dev, 1, 0, &txc), 0);
	EXPECT_EQ(uk_netdev_start(&t->dev), 0);
	EXPECT_EQ(uk_netdev_state_get(&t->dev), UK_NETDEV_RUNNING);
	EXPECT_EQ(uk_netdev_start(&t->dev), -EINVAL);
	EXPECT_EQ(uk_netdev_mtu_get(&t->dev), 1500);
	EXPECT_EQ(uk_netdev_mtu_set(&t->dev, 9000), -ENOTSUP);
	EXPECT_EQ(uk_netdev_link_get(&t->dev), -ENOTSUP);
	EXPECT_EQ(uk_netdev_hwaddr_get(&t->dev), nullptr);
	EXPECT_EQ(uk_netdev_queue_cpu(&t->dev, 1), 2);
	EXPECT_EQ(uk_netdev_queue_cpu(&t->dev, 2), -EINVAL);
}

TEST(Netdev, TxStatusFlagsAndCounters)
{
	TestDev *t = running(1, false);
	struct uk_netdev_tx_stats ts;
	struct uk_netbuf *nb;

	t->txq[0].room = 2;
	EXPECT_EQ(uk_netdev_tx_one(&t->dev, 0, frame(100)),
		  UK_NETDEV_STATUS_SUCCESS | UK_NETDEV_STATUS_MORE);
	EXPECT_TRUE(uk_netdev_status_successful(
		uk_netdev_tx_one(&t->dev, 0, frame(200))));
	nb = frame(300);
	int r = uk_netdev_tx_one(&t->dev, 0, nb);	// ring full
	EXPECT_TRUE(uk_netdev_status_notready(r));
	EXPECT_FALSE(uk_netdev_status_successful(r));
	nb->len = 1515;				// over the MTU
	EXPECT_EQ(uk_netdev_tx_one(&t->dev, 0, nb), -EINVAL);
	uk_netbuf_free(nb);			// still ours both times
	ASSERT_EQ(uk_netdev_txq_stats_get(&t->dev, 0, &ts), 0);
	EXPECT_EQ(ts.packets, 2u);
	EXPECT_EQ(ts.bytes, 300u);
	EXPECT_EQ(ts.fifo, 1u);
	EXPECT_EQ(ts.errors, 1u);
	EXPECT_EQ(uk_netdev_txq_stats_get(&t->dev, 1, &ts), -EINVAL);
}

TEST(Netdev, RxFlagsUnderrunAndBurstFallback)
{
	TestDev *t = running(2, false);
	struct uk_netdev_rx_stats rs;
	struct uk_netbuf *pkts[8];
	uint16_t cnt;

	t->rxq[1].pending = 5;
	rx_budget = 3;
	cnt = 8;
	// 3 buffers for 5 frames: 3 come, then the underrun is reported.
	EXPECT_EQ(uk_netdev_rx_burst(&t->dev, 1, pkts, &cnt),
		  UK_NETDEV_STATUS_SUCCESS | UK_NETDEV_STATUS_MORE
		  | UK_NETDEV_STATUS_UNDERRUN);
	EXPECT_EQ(cnt, 3);
	cnt = 8;
	EXPECT_EQ(uk_netdev_rx_burst(&t->dev, 1, pkts + 3, &cnt),
		  UK_NETDEV_STATUS_UNDERRUN);
	EXPECT_EQ(cnt, 0);
	struct uk_netbuf *one = nullptr;
	EXPECT_EQ(uk_netdev_rx_one(&t->dev, 1, &one),
		  UK_NETDEV_STATUS_UNDERRUN);
	rx_budget = 10;		// buffers are back: recovery
	cnt = 8;
	EXPECT_EQ(uk_netdev_rx_burst(&t->dev, 1, pkts + 3, &cnt),
		  UK_NETDEV_STATUS_SUCCESS);
	EXPECT_EQ(cnt, 2);
	for (int i = 0; i < 5; i++)
		uk_netbuf_free(pkts[i]);
	ASSERT_EQ(uk_netdev_rxq_stats_get(&t->dev, 1, &rs), 0);
	EXPECT_EQ(rs.packets, 5u);
	EXPECT_EQ(rs.bytes, 300u);
	EXPECT_EQ(rs.fifo, 3u);		// each rx_one that could not refill
	ASSERT_EQ(uk_netdev_rxq_stats_get(&t->dev, 0, &rs), 0);
	EXPECT_EQ(rs.packets, 0u);
}

// 4 threads (shim CPUs 0-3) each send PER frames, on their own queue or
// all on queue 0, through tx_one or tx_burst (driver burst or fallback);
// per-queue counters summed over CPUs add up to what was sent.
void send_from_four(TestDev *t, bool same_queue, bool burst)
{
	const int T = 4, PER = 3000;
	std::vector<std::thread> th;

	for (uint16_t q = 0; q < NQ; q++)
		t->txq[q].room = 1 << 30;
	for (int i = 0; i < T; i++)
		th.emplace_back([=] {
			uint16_t q = same_queue ? 0 : uk_netdev_txq_mine(&t->dev);
			int sent = 0;

			while (sent < PER) {
				struct uk_netbuf *p[10];
				uint16_t n = burst ? 10 : 1;

				for (uint16_t k = 0; k < n; k++)
					p[k] = frame((uint16_t)(60 + i));
				if (burst) {
					EXPECT_EQ(uk_netdev_tx_burst(&t->dev, q,
								     p, &n),
						  UK_NETDEV_STATUS_SUCCESS
						  | UK_NETDEV_STATUS_MORE);
					EXPECT_EQ(n, 10);
				} else {
					EXPECT_TRUE(uk_netdev_status_successful(
						uk_netdev_tx_one(&t->dev, q,
								 p[0])));
				}
				sent += n;
			}
		});
	for (auto &x : th)
		x.join();
	struct uk_netdev_stats st;
	size_t pk = 0;
	ASSERT_EQ(uk_netdev_stats_get(&t->dev, &st), 0);
	EXPECT_EQ(st.tx_m.packets, (size_t)T * PER);
	EXPECT_EQ(st.tx_m.bytes, (size_t)PER * (60 + 61 + 62 + 63));
	EXPECT_EQ(st.tx_m.fifo + st.tx_m.errors, 0u);
	for (uint16_t q = 0; q < NQ; q++) {
		struct uk_netdev_tx_stats ts;

		ASSERT_EQ(uk_netdev_txq_stats_get(&t->dev, q, &ts), 0);
		if (same_queue && q)
			EXPECT_EQ(ts.packets, 0u);
		pk += ts.packets;
	}
	EXPECT_EQ(pk, (size_t)T * PER);
}

TEST(Netdev, CountersAddUpOwnQueues)
{
	send_from_four(running(NQ, false), false, false);
}

TEST(Netdev, CountersAddUpSameQueue)
{
	send_from_four(running(NQ, false), true, false);
}

TEST(Netdev, CountersAddUpDriverBurst)
{
	TestDev *t = running(NQ, true);

	send_from_four(t, false, true);
	EXPECT_GE(t->burst_calls.load(), 4 * 3000 / 10);
}

TEST(Netdev, CountersAddUpBurstFallback)
{
	send_from_four(running(NQ, false), true, true);
}

TEST(Netdev, BurstStopsAtRingFull)
{
	TestDev *t = running(1, true);
	struct uk_netbuf *p[40];
	struct uk_netdev_tx_stats ts;
	uint16_t n = 40;

	for (auto &x : p)
		x = frame(64);
	t->txq[0].room = 35;	// the second chunk of 32 stops at 3
	EXPECT_EQ(uk_netdev_tx_burst(&t->dev, 0, p, &n),
		  UK_NETDEV_STATUS_SUCCESS);
	EXPECT_EQ(n, 35);
	for (int i = 35; i < 40; i++)
		uk_netbuf_free(p[i]);
	ASSERT_EQ(uk_netdev_txq_stats_get(&t->dev, 0, &ts), 0);
	EXPECT_EQ(ts.packets, 35u);
	EXPECT_EQ(ts.fifo, 1u);
}

} // namespace
