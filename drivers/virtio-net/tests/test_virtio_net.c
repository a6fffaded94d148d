/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for virtio-net: two devices in one guest joined by QEMU
 * (a hub: run-tests gives netdev0 and netdev1) exchange raw frames.
 * Device A (netdev0) sends, device B (netdev1) receives in its queue
 * callbacks. Each frame carries its sender CPU, a per-CPU sequence number
 * and a checksum of its payload, so the receiver checks that exactly
 * N x M frames arrive, none twice, none corrupted, each CPU's in order.
 * Also: the pair count follows what the device offers; a frame over the
 * MTU is refused; B's buffers run out (UNDERRUN, counted), A's ring fills
 * (tx_one without SUCCESS, counted), and everything flows again once B's
 * buffers come back. Without two devices: checks none is half-registered.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/netbuf_pool.h>
#include <uk/netdev.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/spinlock.h>
#include <uk/test.h>
#include "../virtio_net.h"

#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define BUFSZ		2048
#define HEADROOM	64
/*
 * Pool sizes, per pair of the device: A's RX rings plus 2048 frames to
 * send; B's rings plus one ring's worth (so its refills find buffers).
 */
#define RING		VNET_QSIZE
#define A_POOL(p)	((p) * RING + 2048)
#define B_POOL(p)	(((p) + 1) * RING)
#define PER_CPU		300	/* frames per CPU and test */
/*
 * Frames all senders together may have on their way: below what B's ring
 * holds after a refill, so B never runs dry in the order tests (when it
 * does, QEMU's hub delivers frames it held back after newer ones).
 */
#define WINDOW		192
#define ETYPE		0x88b5	/* IEEE local experimental */
#define MAGIC		0x756b6e74
#define WAIT_NS		(60ULL * 1000000000ULL)
#define QUIET_NS	(50ULL * 1000000ULL)

uk_testsuite_register(virtio_net, NULL);

/* Netbuf pools (uk/netbuf_pool.h), usable from interrupt context. */
static struct uk_netbuf_pool pool_a, pool_b;

static int pool_init(struct uk_netbuf_pool *p, unsigned int n)
{
	return uk_netbuf_pool_init(p, uk_alloc_get_default(), n, BUFSZ,
				   HEADROOM);
}

/* --- frames -------------------------------------------------------------- */

struct tag {
	__u32 magic;
	__u16 cpu;
	__u16 round;
	__u32 seq;
	__u16 len;
	__u16 pad;
	__u32 sum;	/* over the bytes after the tag */
} __packed;

#define HDR_TAG	(UK_ETH_HDR_UNTAGGED_LEN + sizeof(struct tag))

static __u32 fnv(const __u8 *p, unsigned int n)
{
	__u32 h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* Frame length of (cpu, seq): all sizes from minimum to 1514. */
static __u16 frame_len(unsigned int cpu, __u32 seq)
{
	return (__u16)(UK_ETH_FRAME_MINLEN
		       + (seq * 37 + cpu * 101) % (UK_ETH_FRAME_UNTAGGED_MAXLEN
						   - UK_ETH_FRAME_MINLEN + 1));
}

static struct uk_netdev *dev_a, *dev_b;
static __u16 round_id;

static void frame_fill(struct uk_netbuf *nb, unsigned int cpu, __u32 seq)
{
	__u8 *d = nb->data;
	struct tag t = { MAGIC, (__u16)cpu, round_id, seq, 0, 0, 0 };
	unsigned int i;

	t.len = frame_len(cpu, seq);
	memcpy(d, uk_netdev_hwaddr_get(dev_b), 6);
	memcpy(d + 6, uk_netdev_hwaddr_get(dev_a), 6);
	d[12] = ETYPE >> 8;
	d[13] = ETYPE & 0xff;
	for (i = HDR_TAG; i < t.len; i++)
		d[i] = (__u8)(seq * 7 + cpu * 13 + i);
	t.sum = fnv(d + HDR_TAG, t.len - HDR_TAG);
	memcpy(d + UK_ETH_HDR_UNTAGGED_LEN, &t, sizeof(t));
	nb->len = t.len;
}

/* --- the receiver: B's queue callbacks ---------------------------------- */

/*
 * What B received in this round, protected by rec_lock: per sender CPU
 * a bitmap of sequence numbers seen (duplicates), the highest seen
 * (order), and counts.
 */
#define MAXSEQ		4096
static struct uk_spinlock rec_lock;
static struct {
	__u8 seen[MAXCPU][MAXSEQ / 8];
	__u32 count[MAXCPU];	/* read unlocked by senders: atomic */
	__u32 next[MAXCPU];	/* highest sequence number seen + 1 */
	unsigned long got, dup, order, corrupt, stray, wrong_cpu;
} rec;

static int hold;			/* keep frames instead of freeing */
static struct uk_netbuf **held;		/* B_POOL(B's pairs) entries */
static unsigned int nheld;

static void record(struct uk_netbuf *nb)
{
	const __u8 *d = nb->data;
	struct tag t;

	if (nb->len < HDR_TAG || d[12] != (ETYPE >> 8)
	    || d[13] != (ETYPE & 0xff)) {
		rec.stray++;	/* not ours (e.g. from a host side) */
		return;
	}
	memcpy(&t, d + UK_ETH_HDR_UNTAGGED_LEN, sizeof(t));
	if (t.magic != MAGIC || t.round != round_id || t.cpu >= MAXCPU
	    || t.seq >= MAXSEQ) {
		rec.stray++;
		return;
	}
	if (t.len != nb->len || t.len != frame_len(t.cpu, t.seq)
	    || fnv(d + HDR_TAG, t.len - HDR_TAG) != t.sum) {
		rec.corrupt++;
		return;
	}
	if (rec.seen[t.cpu][t.seq / 8] & 1 << t.seq % 8) {
		rec.dup++;
		return;
	}
	rec.seen[t.cpu][t.seq / 8] |= 1 << t.seq % 8;
	if (t.seq + 1 < rec.next[t.cpu])
		rec.order++;	/* an earlier one after a later one */
	rec.next[t.cpu] = MAX(rec.next[t.cpu], t.seq + 1);
	/* Relaxed: senders only pace themselves by it. */
	__atomic_store_n(&rec.count[t.cpu], rec.count[t.cpu] + 1,
			 __ATOMIC_RELAXED);
	rec.got++;
}

static void consume(struct uk_netbuf *nb)
{
	unsigned long f;
	int keep;

	uk_spin_lock_irqsave(&rec_lock, f);
	record(nb);
	keep = hold && nheld < pool_b.size;
	if (keep)
		held[nheld++] = nb;
	uk_spin_unlock_irqrestore(&rec_lock, f);
	if (!keep)
		uk_netbuf_free(nb);
}

/* Drains queue q of dev; returns the last status. */
static int drain(struct uk_netdev *dev, __u16 q)
{
	struct uk_netbuf *nb;
	int r;

	do {
		r = uk_netdev_rx_one(dev, q, &nb);
		if (r < 0)
			return r;
		if (r & UK_NETDEV_STATUS_SUCCESS) {
			if (dev == dev_b)
				consume(nb);
			else
				uk_netbuf_free(nb);
		}
	} while (uk_netdev_status_more(r));
	return r;
}

static void rx_event(struct uk_netdev *dev, __u16 q, void *arg __unused)
{
	if ((int)ukplat_lcpu_idx() != uk_netdev_queue_cpu(dev, q))
		__atomic_fetch_add(&rec.wrong_cpu, 1, __ATOMIC_RELAXED);
	drain(dev, q);
}

/* --- set-up --------------------------------------------------------------- */

static int up(struct uk_netdev *dev, struct uk_netbuf_pool *p,
	      uk_netdev_queue_event_t event)
{
	struct uk_netdev_info info;
	struct uk_netdev_conf conf;
	struct uk_netdev_rxqueue_conf rxc = {
		.callback = event,
		.alloc_rxpkts = uk_netbuf_pool_alloc_rxpkts,
		.alloc_rxpkts_argp = p,
	};
	struct uk_netdev_txqueue_conf txc = { 0 };
	__u16 q;
	int rc;

	uk_netdev_info_get(dev, &info);
	conf.nb_rx_queues = conf.nb_tx_queues = info.max_rx_queues;
	rc = uk_netdev_configure(dev, &conf);
	for (q = 0; !rc && q < conf.nb_rx_queues; q++) {
		rc = uk_netdev_rxq_configure(dev, q, 0, &rxc);
		if (!rc)
			rc = uk_netdev_txq_configure(dev, q, 0, &txc);
	}
	if (!rc)
		rc = uk_netdev_start(dev);
	for (q = 0; !rc && q < conf.nb_rx_queues; q++)
		if (uk_netdev_rxq_intr_enable(dev, q) == 1)
			drain(dev, q);
	return rc;
}

/* The pairs uk_netdev_configure() will be given (all it offers). */
static unsigned int pairs(struct uk_netdev *dev)
{
	struct uk_netdev_info info;

	uk_netdev_info_get(dev, &info);
	return info.max_rx_queues;
}

/* 1 when both devices run; 0 (after checking the absence) otherwise. */
static int devices(struct uk_testcase *esac)
{
	static int state;	/* 0 not tried, 1 up, -1 absent or failed */
	unsigned int na, nb;

	if (state == -1) {
		/* Absent (or set-up failed, already reported): still absent. */
		UK_TEST_EXPECT_UNUM_LE(uk_netdev_count(), 1);
		return 0;
	}

	if (state == 0) {
		state = -1;
		if (uk_netdev_count() < 2) {
			printf("  fewer than two virtio-net devices: checking "
			       "the registry only\n");
			if (uk_netdev_count() == 1)
				UK_TEST_EXPECT_SNUM_EQ(uk_netdev_state_get(
					uk_netdev_get(0)),
					UK_NETDEV_UNCONFIGURED);
			UK_TEST_EXPECT_NULL(uk_netdev_get(uk_netdev_count()));
			return 0;
		}
		uk_spin_init(&rec_lock);
		dev_a = uk_netdev_get(0);
		dev_b = uk_netdev_get(1);
		na = A_POOL(pairs(dev_a));
		nb = B_POOL(pairs(dev_b));
		held = uk_malloc(uk_alloc_get_default(), nb * sizeof(*held));
		UK_TEST_EXPECT_NOT_NULL(held);
		UK_TEST_EXPECT_ZERO(pool_init(&pool_a, na));
		UK_TEST_EXPECT_ZERO(pool_init(&pool_b, nb));
		if (!held || pool_a.nfree != na || pool_b.nfree != nb)
			return 0;
		UK_TEST_EXPECT_ZERO(up(dev_a, &pool_a, rx_event));
		UK_TEST_EXPECT_ZERO(up(dev_b, &pool_b, rx_event));
		if (uk_netdev_state_get(dev_a) != UK_NETDEV_RUNNING
		    || uk_netdev_state_get(dev_b) != UK_NETDEV_RUNNING)
			return 0;
		state = 1;
	}
	return state == 1;
}

/* --- senders: one thread per CPU ------------------------------------------ */

struct sender {
	unsigned int cpu;
	int same_queue;
	__u32 n;		/* frames to send */
	__u32 sent;
	unsigned long full;	/* tx_one without SUCCESS */
	long err;		/* first negative status */
	int stop_on_full;	/* return at the first full ring */
	__u32 window;		/* at most this many not yet received */
};

static struct sender senders[MAXCPU];

static void send_all(void *arg)
{
	struct sender *s = arg;
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	__u16 q = s->same_queue ? 0 : uk_netdev_txq_mine(dev_a);
	struct uk_netbuf *nb = NULL;
	int r;

	while (s->sent < s->n && ukplat_monotonic_clock() < end) {
		if (s->window && s->sent - __atomic_load_n(&rec.count[s->cpu],
				__ATOMIC_RELAXED) >= s->window) {
			uk_sched_yield();
			continue;
		}
		if (!nb) {
			nb = uk_netbuf_pool_get(&pool_a);
			if (!nb) {
				uk_sched_yield();
				continue;
			}
			frame_fill(nb, s->cpu, s->sent);
		}
		r = uk_netdev_tx_one(dev_a, q, nb);
		if (r < 0) {
			s->err = r;
			break;
		}
		if (!(r & UK_NETDEV_STATUS_SUCCESS)) {
			s->full++;
			if (s->stop_on_full)
				break;
			uk_sched_yield();	/* the device drains meanwhile */
			continue;
		}
		nb = NULL;
		s->sent++;
	}
	if (nb)
		uk_netbuf_free(nb);
}

static void round_begin(void)
{
	unsigned long f;

	uk_spin_lock_irqsave(&rec_lock, f);
	round_id++;
	memset(&rec, 0, sizeof(rec));
	uk_spin_unlock_irqrestore(&rec_lock, f);
}

static unsigned long rec_got(void)
{
	unsigned long f, got;

	uk_spin_lock_irqsave(&rec_lock, f);
	got = rec.got + rec.corrupt;
	uk_spin_unlock_irqrestore(&rec_lock, f);
	return got;
}

/* Waits until B recorded want frames (or the time is up), then a while. */
static void wait_received(unsigned long want)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;

	while (rec_got() < want && ukplat_monotonic_clock() < end)
		uk_sched_yield();
	end = ukplat_monotonic_clock() + QUIET_NS;
	while (ukplat_monotonic_clock() < end)
		uk_sched_yield();
}

/*
 * Until no frame arrived for 4 QUIET_NS periods in a row (at most
 * WAIT_NS): a backlog gone, also when the host delays B's QEMU thread.
 */
static void wait_drained(void)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	unsigned long last = rec_got(), now;
	int quiet = 0;

	while (quiet < 4 && ukplat_monotonic_clock() < end) {
		wait_received(0);
		now = rec_got();
		quiet = now == last ? quiet + 1 : 0;
		last = now;
	}
}

static size_t tx_packets(struct uk_netdev *dev)
{
	struct uk_netdev_stats st;

	uk_netdev_stats_get(dev, &st);
	return st.tx_m.packets;
}

static size_t rx_packets(struct uk_netdev *dev)
{
	struct uk_netdev_stats st;

	uk_netdev_stats_get(dev, &st);
	return st.rx_m.packets;
}

/*
 * The queues' state, printed when frames went missing: which side
 * stopped (posted buffers, interrupts asked for, callbacks run, entries
 * waiting, kicks sent and saved) tells a lost interrupt from a lost kick.
 */
static void dump_queues(const char *name, struct uk_netdev *dev)
{
	struct vnet *v = to_vnet(dev);
	struct virtqueue_stats r, t;
	__u16 q;

	for (q = 0; q < v->pairs; q++) {
		virtqueue_stats_get(v->rxq[q].vq, &r);
		virtqueue_stats_get(v->txq[q].vq, &t);
		printf("  %s q%u rx: posted %u intr_on %d events %lu "
		       "waiting %d enq %lu deq %lu kicks %lu saved %lu; "
		       "tx: enq %lu deq %lu kicks %lu saved %lu full %lu\n",
		       name, q, v->rxq[q].posted, v->rxq[q].intr_on,
		       v->rxq[q].events, virtqueue_has_used(v->rxq[q].vq),
		       r.enqueued, r.dequeued, r.kicks, r.kicks_saved,
		       t.enqueued, t.dequeued, t.kicks, t.kicks_saved,
		       v->txq[q].full);
	}
}

/* Every CPU sends PER_CPU frames (on queue 0 or its own); B checks them. */
static void every_cpu_sends(struct uk_testcase *esac, int same_queue)
{
	unsigned int n = ukplat_lcpu_count(), c, ok = 0;
	struct uk_thread *t[MAXCPU];
	size_t tx0 = tx_packets(dev_a), rx0 = rx_packets(dev_b);
	unsigned long full = 0;

	round_begin();
	for (c = 0; c < n; c++) {
		senders[c] = (struct sender){ .cpu = c,
			.same_queue = same_queue, .n = PER_CPU,
			.window = WINDOW / n };
		t[c] = uk_sched_thread_create_on((int)c, send_all, &senders[c],
						 "netsend");
		UK_TEST_REQUIRE(t[c] != NULL);
	}
	for (c = 0; c < n; c++) {
		uk_thread_join(t[c]);
		ok += senders[c].sent == PER_CPU && !senders[c].err;
		full += senders[c].full;
	}
	UK_TEST_EXPECT_UNUM_EQ(ok, n);
	wait_received((unsigned long)n * PER_CPU);
	if (rec.got != (unsigned long)n * PER_CPU) {
		dump_queues("A", dev_a);
		dump_queues("B", dev_b);
	}
	UK_TEST_EXPECT_UNUM_EQ(rec.got, (unsigned long)n * PER_CPU);
	UK_TEST_EXPECT_UNUM_EQ(rec.dup, 0);
	UK_TEST_EXPECT_UNUM_EQ(rec.order, 0);
	UK_TEST_EXPECT_UNUM_EQ(rec.corrupt, 0);
	UK_TEST_EXPECT_UNUM_EQ(rec.wrong_cpu, 0);
	for (c = 0; c < n; c++)
		UK_TEST_EXPECT_UNUM_EQ(rec.next[c], PER_CPU);
	UK_TEST_EXPECT_UNUM_EQ(tx_packets(dev_a) - tx0,
			       (unsigned long)n * PER_CPU);
	/* Stray frames (a tap's host side sends some) are counted too. */
	UK_TEST_EXPECT_UNUM_EQ(rx_packets(dev_b) - rx0,
			       (unsigned long)n * PER_CPU + rec.stray);
	printf("  %u CPUs x %d frames on %s of %u pair(s): %lu received, "
	       "%lu twice, %lu out of order, %lu corrupt; %lu ring-full "
	       "retries, %lu stray\n", n, PER_CPU,
	       same_queue ? "queue 0" : "their own queues",
	       to_vnet(dev_a)->pairs, rec.got, rec.dup, rec.order,
	       rec.corrupt, full, rec.stray);
}

/* --- cases --------------------------------------------------------------------- */

UK_TESTCASE(virtio_net, pairs_follow_what_the_device_offers)
{
	unsigned int i;

	if (!devices(esac))
		return;
	for (i = 0; i < uk_netdev_count(); i++) {
		struct uk_netdev *dev = uk_netdev_get(i);
		struct vnet *vn = to_vnet(dev);
		struct uk_netdev_info info;
		int mq = (vn->vdev.features >> VIRTIO_NET_F_MQ & 1)
			 && (vn->vdev.features >> VIRTIO_NET_F_CTRL_VQ & 1);
		unsigned int want = MIN3((unsigned int)vn->max_pairs,
					 ukplat_lcpu_count(),
					 (unsigned int)
					 CONFIG_LIBUKNETDEV_MAXNBQUEUES);

		UK_TEST_EXPECT_ZERO(strcmp(uk_netdev_drv_name_get(dev),
					   "virtio-net"));
		uk_netdev_info_get(dev, &info);
		if (!mq)
			UK_TEST_EXPECT_UNUM_EQ(vn->max_pairs, 1);
		UK_TEST_EXPECT_UNUM_EQ(info.max_rx_queues, want);
		UK_TEST_EXPECT_UNUM_EQ(vn->pairs, want);
		UK_TEST_EXPECT_SNUM_EQ(uk_netdev_link_get(dev), 1);
		UK_TEST_EXPECT_UNUM_EQ(uk_netdev_mtu_get(dev), 1500);
		printf("  netdev%u: %s, %u pair(s) offered, %u used\n", i,
		       mq ? "MQ" : "no MQ/CTRL_VQ", vn->max_pairs, vn->pairs);
	}
	/* Pair i's vectors on CPU i. */
	UK_TEST_EXPECT_SNUM_EQ(uk_netdev_queue_cpu(dev_a, 0), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_netdev_queue_cpu(dev_a,
		to_vnet(dev_a)->pairs - 1), to_vnet(dev_a)->pairs - 1);
}

UK_TESTCASE(virtio_net, frame_over_the_mtu_is_einval)
{
	struct uk_netbuf *nb;
	struct uk_netdev_tx_stats before, after;

	if (!devices(esac))
		return;
	nb = uk_netbuf_pool_get(&pool_a);
	UK_TEST_REQUIRE(nb != NULL);
	frame_fill(nb, 0, 0);
	uk_netdev_txq_stats_get(dev_a, 0, &before);
	nb->len = uk_netdev_mtu_get(dev_a) + UK_ETH_HDR_8021Q_LEN + 1;
	UK_TEST_EXPECT_SNUM_EQ(uk_netdev_tx_one(dev_a, 0, nb), -EINVAL);
	nb->len = 0;
	UK_TEST_EXPECT_SNUM_EQ(uk_netdev_tx_one(dev_a, 0, nb), -EINVAL);
	/* Still ours, untouched. */
	UK_TEST_EXPECT_UNUM_EQ(uk_netbuf_headroom(nb), HEADROOM);
	uk_netbuf_free(nb);
	uk_netdev_txq_stats_get(dev_a, 0, &after);
	UK_TEST_EXPECT_UNUM_EQ(after.errors - before.errors, 2);
	UK_TEST_EXPECT_UNUM_EQ(after.packets, before.packets);
}

UK_TESTCASE(virtio_net, every_cpu_sends_on_the_same_queue)
{
	if (devices(esac))
		every_cpu_sends(esac, 1);
}

UK_TESTCASE(virtio_net, every_cpu_sends_on_its_own_queue)
{
	if (devices(esac))
		every_cpu_sends(esac, 0);
}

/* Runs on B's queue's own CPU, in interrupt context like its callback. */
static void drain_b(void *arg)
{
	drain(dev_b, (__u16)(__uptr)arg);
}

/*
 * Frees what B held and lets its queues refill (rx_one refills), each on
 * its queue's CPU: a drain there cannot interleave with the callback's.
 */
static void release_held(void)
{
	unsigned long f;
	unsigned int i, n;
	__u16 q;

	uk_spin_lock_irqsave(&rec_lock, f);
	hold = 0;
	n = nheld;
	nheld = 0;
	uk_spin_unlock_irqrestore(&rec_lock, f);
	for (i = 0; i < n; i++)
		uk_netbuf_free(held[i]);
	for (q = 0; q < to_vnet(dev_b)->pairs; q++)
		ukplat_lcpu_call((unsigned int)uk_netdev_queue_cpu(dev_b, q),
				 drain_b, (void *)(__uptr)q, 1);
}

/* B's pool is empty and one of its rings has no buffer left. */
static int b_dry(void)
{
	struct vnet *b = to_vnet(dev_b);
	__u16 q;

	if (uk_netbuf_pool_free_count(&pool_b))
		return 0;
	for (q = 0; q < b->pairs; q++)
		/* Relaxed: a snapshot; the test only waits for it. */
		if (!__atomic_load_n(&b->rxq[q].posted, __ATOMIC_RELAXED))
			return 1;
	return 0;
}

/* How many of cpu's frames [from, to) B has seen. */
static __u32 seen_count(unsigned int cpu, __u32 from, __u32 to)
{
	unsigned long f;
	__u32 k, n = 0;

	uk_spin_lock_irqsave(&rec_lock, f);
	for (k = from; k < to && k < MAXSEQ; k++)
		n += !!(rec.seen[cpu][k / 8] & 1 << k % 8);
	uk_spin_unlock_irqrestore(&rec_lock, f);
	return n;
}

/* Frames A may send into a dry B before the back-end shows what it does. */
#define DRY_SENDS	1024

UK_TESTCASE(virtio_net, rx_exhaustion_and_ring_full_then_recovery)
{
	struct uk_netdev_stats sb0, sb1;
	struct uk_netdev_tx_stats ta0, ta1;
	struct vnet *a = to_vnet(dev_a), *b = to_vnet(dev_b);
	struct sender *s = &senders[0];
	unsigned long full0 = a->txq[0].full, full_dry = 0, lost;
	__u32 sent_dry = 0, r0;
	__nsec end;
	unsigned long f;
	__u16 q;

	if (!devices(esac))
		return;
	round_begin();
	uk_netdev_stats_get(dev_b, &sb0);
	uk_netdev_txq_stats_get(dev_a, 0, &ta0);
	uk_spin_lock_irqsave(&rec_lock, f);
	hold = 1;
	uk_spin_unlock_irqrestore(&rec_lock, f);
	/*
	 * B keeps every frame: its pool runs out, then one of its rings.
	 * Then the back-end either holds A's frames (QEMU's hub: A's ring
	 * fills; send until tx_one said "full" 8 times) or drops them (a
	 * tap's queue overflows: send DRY_SENDS more).
	 */
	*s = (struct sender){ .same_queue = 1, .stop_on_full = 1 };
	end = ukplat_monotonic_clock() + WAIT_NS;
	while (full_dry < 8 && sent_dry < DRY_SENDS && !s->err
	       && ukplat_monotonic_clock() < end) {
		unsigned long f0 = s->full;
		__u32 n0 = s->sent;
		int dry = b_dry();

		s->n = s->sent + 1;
		send_all(s);
		if (dry) {
			full_dry += s->full - f0;
			sent_dry += s->sent - n0;
		}
	}
	UK_TEST_EXPECT_ZERO(s->err);
	UK_TEST_EXPECT_UNUM_EQ(uk_netbuf_pool_free_count(&pool_b), 0);
	UK_TEST_EXPECT_UNUM_LE(nheld, pool_b.size);
	UK_TEST_REQUIRE(full_dry >= 8 || sent_dry >= DRY_SENDS);
	/* A ring-full report is counted by the driver and per queue. */
	uk_netdev_txq_stats_get(dev_a, 0, &ta1);
	UK_TEST_EXPECT_UNUM_EQ(ta1.fifo - ta0.fifo, s->full);
	UK_TEST_EXPECT_UNUM_EQ(a->txq[0].full - full0, s->full);
	/* B's rx_one reported UNDERRUN when it could not refill. */
	uk_netdev_stats_get(dev_b, &sb1);
	UK_TEST_EXPECT_UNUM_GE(sb1.rx_m.fifo - sb0.rx_m.fifo, 1);
	printf("  B dry: held %u frames; A sent %u, %lu ring-full (%lu while "
	       "B was dry), %lu underruns\n", nheld, s->sent, s->full,
	       full_dry, (unsigned long)(sb1.rx_m.fifo - sb0.rx_m.fifo));
	/*
	 * Recovery: B's buffers come back. A tap's kernel queue may still
	 * hold frames from the dry spell, and while B drains them the tap
	 * drops what A sends; so wait until nothing more arrives (bounded),
	 * then every frame sent from now must arrive.
	 */
	release_held();
	wait_drained();
	r0 = s->sent;
	s->stop_on_full = 0;
	s->n = s->sent + 200;
	send_all(s);
	UK_TEST_EXPECT_UNUM_EQ(s->sent, s->n);
	end = ukplat_monotonic_clock() + WAIT_NS;
	while (seen_count(0, r0, s->sent) < s->sent - r0
	       && ukplat_monotonic_clock() < end)
		uk_sched_yield();
	wait_received(0);	/* the quiet period: late duplicates */
	UK_TEST_EXPECT_UNUM_EQ(seen_count(0, r0, s->sent), s->sent - r0);
	/*
	 * Only frames sent while B was dry, or in A's ring when it went
	 * dry, may be lost, and only on a back-end that drops (a tap); the
	 * hub holds them. (A full ring alone does not tell the two apart:
	 * on a loaded host a tap's ring fills too.)
	 */
	lost = s->sent - rec.got;
	UK_TEST_EXPECT_UNUM_LE(lost, sent_dry + virtqueue_num(a->txq[0].vq));
	/* Each frame at most once (order: the hub reorders after a stall). */
	UK_TEST_EXPECT_UNUM_EQ(rec.dup, 0);
	UK_TEST_EXPECT_UNUM_EQ(rec.corrupt, 0);
	UK_TEST_EXPECT_UNUM_EQ(rec.wrong_cpu, 0);
	UK_TEST_EXPECT_UNUM_LE(rec.got, s->sent);
	for (q = 0; q < b->pairs; q++) {
		UK_TEST_EXPECT_UNUM_EQ(b->rxq[q].bad, 0);
		UK_TEST_EXPECT_UNUM_EQ(__atomic_load_n(
			&b->rxq[q].events_elsewhere, __ATOMIC_RELAXED), 0);
	}
	printf("  recovered: %lu of %u frames (%lu dropped by the back-end "
	       "while B was dry), %lu out of order; B's queue 0 kicked "
	       "anyway %lu time(s) after running dry\n", rec.got, s->sent,
	       lost, rec.order, b->rxq[0].kicks_forced);
}

/* --- multiqueue receive: one device on a tap, flows from the host ------- */

/*
 * support/scripts/net-flows (run-tests starts it in qemu-run's namespace)
 * sends rounds of MQ_K UDP frames over 16 flows; the tap steers flows to
 * queues by hash. One complete round must arrive whole, spread over more
 * than one queue when there are several, each callback on its queue's
 * CPU. Recorded under mq_lock by the callbacks.
 */
#define MQ_ROUNDS	64
#define MQ_K		512
#define MQ_WAIT_NS	(60ULL * 1000000000ULL)

static struct uk_spinlock mq_lock;
static struct uk_netbuf_pool pool_m;
static struct {
	__u8 seen[MQ_ROUNDS][MQ_K / 8];
	__u32 count[MQ_ROUNDS];
	__u32 perq[MQ_ROUNDS][CONFIG_LIBUKNETDEV_MAXNBQUEUES];
	unsigned long dup, corrupt, other, wrong_cpu;
	int complete;	/* a complete round + 1, or 0 */
} mq;

static __u32 be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

#define MQ_UDP	(UK_ETH_HDR_UNTAGGED_LEN + 20 + 8)	/* payload offset */

static void mq_record(const __u8 *d, unsigned int len, __u16 q)
{
	__u32 rnd, seq, j;

	if (len < MQ_UDP + 64 || d[12] != 0x08 || d[13] != 0x00 || d[23] != 17
	    || d[36] != 7777 >> 8 || d[37] != (7777 & 0xff)
	    || memcmp(d + MQ_UDP, "ukmq", 4)) {
		mq.other++;
		return;
	}
	rnd = be32(d + MQ_UDP + 4);
	seq = be32(d + MQ_UDP + 8);
	if (rnd >= MQ_ROUNDS || seq >= MQ_K || be32(d + MQ_UDP + 12) != MQ_K) {
		mq.other++;
		return;
	}
	for (j = 16; j < 64; j++)
		if (d[MQ_UDP + j] != ((seq + j) & 0xff)) {
			mq.corrupt++;
			return;
		}
	if (mq.seen[rnd][seq / 8] & 1 << seq % 8) {
		mq.dup++;
		return;
	}
	mq.seen[rnd][seq / 8] |= 1 << seq % 8;
	mq.perq[rnd][q]++;
	if (++mq.count[rnd] == MQ_K && !mq.complete)
		__atomic_store_n(&mq.complete, (int)rnd + 1, __ATOMIC_RELEASE);
}

static void mq_event(struct uk_netdev *dev, __u16 q, void *arg __unused)
{
	struct uk_netbuf *nb;
	unsigned long f;
	int r;

	if ((int)ukplat_lcpu_idx() != uk_netdev_queue_cpu(dev, q))
		__atomic_fetch_add(&mq.wrong_cpu, 1, __ATOMIC_RELAXED);
	do {
		r = uk_netdev_rx_one(dev, q, &nb);
		if (r < 0)
			return;
		if (r & UK_NETDEV_STATUS_SUCCESS) {
			uk_spin_lock_irqsave(&mq_lock, f);
			mq_record(nb->data, nb->len, q);
			uk_spin_unlock_irqrestore(&mq_lock, f);
			uk_netbuf_free(nb);
		}
	} while (uk_netdev_status_more(r));
}

UK_TESTCASE(virtio_net, multiqueue_receive_from_the_host)
{
	struct uk_netdev *dev;
	__nsec end;
	unsigned int pairs_m, q, used = 0, sum = 0, r;

	if (uk_netdev_count() != 1) {
		printf("  not one device (a tap with net-flows): skipped\n");
		UK_TEST_EXPECT_SNUM_NQ(uk_netdev_count(), 1);
		return;
	}
	dev = uk_netdev_get(0);
	pairs_m = pairs(dev);
	uk_spin_init(&mq_lock);
	UK_TEST_REQUIRE(pool_init(&pool_m, (pairs_m + 1) * RING) == 0);
	UK_TEST_REQUIRE(up(dev, &pool_m, mq_event) == 0);
	end = ukplat_monotonic_clock() + MQ_WAIT_NS;
	while (!__atomic_load_n(&mq.complete, __ATOMIC_ACQUIRE)
	       && ukplat_monotonic_clock() < end)
		uk_sched_yield();
	r = (unsigned int)__atomic_load_n(&mq.complete, __ATOMIC_ACQUIRE);
	if (!r) {
		struct uk_netdev_stats st;
		__u32 best = 0;

		for (q = 0; q < MQ_ROUNDS; q++)
			best = MAX(best, mq.count[q]);
		uk_netdev_stats_get(dev, &st);
		printf("  no complete round: best %u of %u, %lu other, %lu "
		       "corrupt, %zu received, %zu underruns\n", best, MQ_K,
		       mq.other, mq.corrupt, st.rx_m.packets, st.rx_m.fifo);
	}
	UK_TEST_REQUIRE(r > 0);
	r--;
	for (q = 0; q < pairs_m; q++) {
		used += mq.perq[r][q] > 0;
		sum += mq.perq[r][q];
		printf("  round %u: queue %u (CPU %d): %u frames\n", r, q,
		       uk_netdev_queue_cpu(dev, q), mq.perq[r][q]);
	}
	UK_TEST_EXPECT_UNUM_EQ(sum, MQ_K);
	UK_TEST_EXPECT_UNUM_GE(used, MIN(pairs_m, 2U));
	UK_TEST_EXPECT_UNUM_EQ(mq.dup, 0);
	UK_TEST_EXPECT_UNUM_EQ(mq.corrupt, 0);
	UK_TEST_EXPECT_UNUM_EQ(__atomic_load_n(&mq.wrong_cpu,
					       __ATOMIC_RELAXED), 0);
	printf("  %u pair(s): round %u complete (%u frames) on %u queue(s); "
	       "%lu other frames\n", pairs_m, r, sum, used, mq.other);
}
