/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net driver (modern virtio-net-pci) behind uk/netdev.h: one
 * queue pair per CPU where the device offers several, transmit from any
 * CPU on any queue.
 *
 * Queues (spec 5.1.2): receiveq i = 2i, transmitq i = 2i + 1, the control
 * queue at 2 * max_pairs (the device's maximum, not what we use). Pair i
 * has its RX and TX interrupts on CPU i (MSI-X entries 1 + 2i, 2 + 2i);
 * the control queue's on CPU 0, unused (commands are polled).
 *
 * Who may call what:
 *   - add_dev (boot CPU, init table): features, MAC, link, max pairs;
 *     registers the netdev. Configure/queue set-up/start: the
 *     application's set-up thread, once (uk/netdev.h's life cycle).
 *   - tx_one/tx_burst: any CPU, any context, any queue; the queue's lock
 *     keeps two CPUs out of one virtqueue.
 *   - rx_one/rx_burst/rxq_intr_*: any CPU; the queue's lock makes RX of a
 *     queue run on one CPU at a time. Receive events run on the queue's
 *     CPU (its MSI-X vector is bound there).
 *   - pair i's watchdog thread, on pair i's CPU (with uksched,
 *     LIBVIRTIONET_WATCHDOG): wakes every WATCH_NS and, under each
 *     queue's lock, kicks a TX queue whose frames the device left unused
 *     (tx_watch()) and an RX queue whose buffers the device stopped
 *     filling, and runs the receive event again for frames nobody took
 *     (rx_watch()).
 *
 * Invariants (UK_ASSERTed where they change): rxq->posted never exceeds
 * the ring size and counts exactly the netbufs in the RX ring; a TX
 * netbuf is the driver's from a successful enqueue until its used entry
 * is taken, then freed once. Memory orders of the rings are
 * uk/virtqueue.h's; everything else here is under a queue lock.
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#if CONFIG_LIBVIRTIONET_WATCHDOG
#include <uk/sched.h>
#endif
#include "virtio_net.h"

/* Device configuration (virtio_net_config), byte offsets. */
#define CFG_MAC			0
#define CFG_STATUS		6
#define CFG_MAX_PAIRS		8
#define CFG_MTU			10
#define NET_S_LINK_UP		1

#define CTRL_MQ			4
#define CTRL_MQ_VQ_PAIRS_SET	0
#define CTRL_OK			0
#define CTRL_WAIT_NS		(1000ULL * 1000000ULL)
#define TX_STUCK_NS		(1000000ULL)	/* queued, idle: kick anyway */
#define WATCH_NS		(10000000ULL)	/* the watchdog's period */
#define RX_REKICK		100		/* idle RX: kick every 1 s */

#define WANTED_FEATURES							\
	(1ULL << VIRTIO_NET_F_CSUM | 1ULL << VIRTIO_NET_F_GUEST_CSUM	\
	 | 1ULL << VIRTIO_NET_F_MTU | 1ULL << VIRTIO_NET_F_MAC		\
	 | 1ULL << VIRTIO_NET_F_MRG_RXBUF | 1ULL << VIRTIO_NET_F_STATUS	\
	 | 1ULL << VIRTIO_NET_F_CTRL_VQ | 1ULL << VIRTIO_NET_F_MQ	\
	 | 1ULL << VIRTIO_F_RING_EVENT_IDX				\
	 | 1ULL << VIRTIO_F_INDIRECT_DESC)

static int has(struct vnet *vn, unsigned int bit)
{
	return !!(vn->vdev.features & 1ULL << bit);
}

/* Largest frame accepted for sending: MTU + Ethernet header + one tag. */
static unsigned int frame_max(struct vnet *vn)
{
	return vn->mtu + UK_ETH_HDR_8021Q_LEN;
}

/* Device-readable header of frames without headroom: all zero. */
static const struct virtio_net_hdr zero_hdr;

/* --- receive --------------------------------------------------------------- */

/*
 * Publishes the buffers just posted; left is what the device still had
 * before them. When it had (almost) nothing left it may have stopped
 * reading its back-end and be waiting for a kick: notify it even if its
 * event index asks for none. QEMU's receive path has had this kind of
 * lost kick (doc/virtio-net.md, "Lost RX kick"); one notification each
 * time the device ran dry costs nothing next to a receive that stops
 * for good. Lock held.
 */
static void rx_kick(struct uk_netdev_rx_queue *rxq, __u16 left)
{
	if (virtqueue_kick(rxq->vq) || left > VNET_RX_LOW)
		return;
	virtqueue_kick_force(rxq->vq);	/* all published: notifies only */
	rxq->kicks_forced++;
}

/*
 * Posts fresh buffers until the ring is full or the application's
 * allocator gives no more; returns 1 when it could not fill every slot
 * (UNDERRUN). Lock held.
 */
static int rx_refill(struct uk_netdev_rx_queue *rxq)
{
	struct uk_netbuf *nb[VNET_RX_BATCH];
	struct virtqueue_seg seg;
	__u16 n = virtqueue_num(rxq->vq), want, got, i;
	__u16 left = virtqueue_dev_pending(rxq->vq);
	int posted = 0, underrun = 0, stop = 0;

	while (rxq->posted < n) {
		want = MIN((__u16)(n - rxq->posted), (__u16)VNET_RX_BATCH);
		got = rxq->alloc(rxq->alloc_argp, nb, want);
		for (i = 0; i < got; i++) {
			/* The header goes into the netbuf's headroom. */
			if (uk_netbuf_header(nb[i], VNET_HDR_LEN) != 1) {
				uk_netbuf_free(nb[i]);	/* no headroom: */
				rxq->bad++;		/* the app's bug */
				stop = 1;		/* after this batch */
				continue;
			}
			seg.addr = nb[i]->data;
			seg.len = (__u32)((char *)nb[i]->buf + nb[i]->buflen
					  - (char *)nb[i]->data);
			if (virtqueue_enqueue(rxq->vq, nb[i], &seg, 0, 1)) {
				uk_netbuf_free(nb[i]);	/* cannot happen: */
				rxq->bad++;		/* posted < n */
				stop = 1;
				continue;
			}
			rxq->posted++;
			posted = 1;
		}
		if (got < want || stop) {
			underrun = 1;
			break;
		}
	}
	UK_ASSERT(rxq->posted <= n);
	if (posted)
		rx_kick(rxq, left);
	return underrun;
}

/* Turns a used buffer into a frame; 0 when it must be dropped. */
static int rx_frame(struct uk_netdev_rx_queue *rxq, struct uk_netbuf *nb,
		    __u32 len)
{
	struct virtio_net_hdr h;

	if (len < VNET_HDR_LEN) {
		rxq->bad++;
		return 0;
	}
	memcpy(&h, nb->data, sizeof(h));
	if (h.num_buffers > 1) {
		/* Larger than one buffer (never posted that small): drop. */
		rxq->skip = h.num_buffers - 1;
		rxq->bad++;
		return 0;
	}
	nb->len = (__u16)len;
	nb->flags = 0;
	uk_netbuf_header(nb, -(int16_t)VNET_HDR_LEN);
	if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		nb->flags |= UK_NETBUF_F_PARTIAL_CSUM;
		nb->csum_start = h.csum_start;	/* from the frame's start */
		nb->csum_offset = h.csum_offset;
	}
	if (h.flags & VIRTIO_NET_HDR_F_DATA_VALID)
		nb->flags |= UK_NETBUF_F_DATA_VALID;
	return 1;
}

/* Takes one frame from the used ring into *pkt; 1, or 0 if none. Lock held. */
static int rx_take(struct uk_netdev_rx_queue *rxq, struct uk_netbuf **pkt)
{
	void *ck;
	__u32 len;
	int rc;

	while ((rc = virtqueue_dequeue(rxq->vq, &ck, &len)) != 0) {
		if (!ck)
			continue;	/* an ID the device got wrong: counted */
		UK_ASSERT(rxq->posted > 0);
		rxq->posted--;
		rxq->taken++;
		if (rc < 0 || rxq->skip) {
			if (rxq->skip)
				rxq->skip--;
			uk_netbuf_free(ck);
			continue;
		}
		if (!rx_frame(rxq, ck, len)) {
			uk_netbuf_free(ck);
			continue;
		}
		*pkt = ck;
		return 1;
	}
	return 0;
}

/*
 * Whether more frames are waiting after a take; when none are and events
 * are on, re-arms the interrupt (and reports frames that raced in).
 */
static int rx_more(struct uk_netdev_rx_queue *rxq)
{
	if (virtqueue_has_used(rxq->vq))
		return 1;
	return rxq->intr_on && virtqueue_intr_enable(rxq->vq);
}

static int rx_burst_locked(struct uk_netdev_rx_queue *rxq,
			   struct uk_netbuf **pkt, __u16 *cnt)
{
	__u16 got = 0;
	int flags = 0;

	while (got < *cnt && rx_take(rxq, &pkt[got]))
		got++;
	/* Refill after taking: the slots just freed get buffers too. */
	if (rxq->posted + VNET_RX_BATCH <= virtqueue_num(rxq->vq)
	    || rxq->posted < VNET_RX_BATCH)
		flags |= rx_refill(rxq) ? UK_NETDEV_STATUS_UNDERRUN : 0;
	/*
	 * Nothing taken: re-arm, and take what raced in meanwhile. Loop: if
	 * every raced-in entry is dropped, the event index we armed is
	 * already behind the device's and no interrupt would come, so arm
	 * again until we either hold a frame or armed with nothing pending.
	 */
	while (!got && *cnt && rx_more(rxq))
		if (rx_take(rxq, &pkt[got]))
			got++;
	*cnt = got;
	if (got) {
		flags |= UK_NETDEV_STATUS_SUCCESS;
		if (rx_more(rxq))
			flags |= UK_NETDEV_STATUS_MORE;
	}
	return flags;
}

static int vnet_rx_burst(struct uk_netdev *dev __unused,
			 struct uk_netdev_rx_queue *rxq,
			 struct uk_netbuf **pkt, __u16 *cnt)
{
	unsigned long f;
	int ret;

	uk_spin_lock_irqsave(&rxq->lock, f);
	ret = rx_burst_locked(rxq, pkt, cnt);
	uk_spin_unlock_irqrestore(&rxq->lock, f);
	return ret;
}

static int vnet_rx_one(struct uk_netdev *dev, struct uk_netdev_rx_queue *rxq,
		       struct uk_netbuf **pkt)
{
	__u16 one = 1;

	return vnet_rx_burst(dev, rxq, pkt, &one);
}

static int rx_irq(void *arg)
{
	struct uk_netdev_rx_queue *rxq = arg;
	int on;

	if (ukplat_lcpu_idx() == rxq->cpu)	/* only this CPU writes it */
		__atomic_store_n(&rxq->events, rxq->events + 1,
				 __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&rxq->events_elsewhere, 1,
				   __ATOMIC_RELAXED);
	/* Relaxed: intr_on only gates a hint; rx_one re-checks under lock. */
	on = __atomic_load_n(&rxq->intr_on, __ATOMIC_RELAXED);
	if (on) {
		virtqueue_intr_disable(rxq->vq);
		uk_netdev_drv_rx_event(&rxq->vn->netdev, rxq->id);
	}
	return 1;
}

static int vnet_rxq_intr_enable(struct uk_netdev *dev __unused,
				struct uk_netdev_rx_queue *rxq)
{
	unsigned long f;
	int more;

	uk_spin_lock_irqsave(&rxq->lock, f);
	__atomic_store_n(&rxq->intr_on, 1, __ATOMIC_RELAXED);
	more = virtqueue_intr_enable(rxq->vq);
	uk_spin_unlock_irqrestore(&rxq->lock, f);
	return more ? 1 : 0;
}

static int vnet_rxq_intr_disable(struct uk_netdev *dev __unused,
				 struct uk_netdev_rx_queue *rxq)
{
	unsigned long f;

	uk_spin_lock_irqsave(&rxq->lock, f);
	__atomic_store_n(&rxq->intr_on, 0, __ATOMIC_RELAXED);
	virtqueue_intr_disable(rxq->vq);
	uk_spin_unlock_irqrestore(&rxq->lock, f);
	return 0;
}

/* --- transmit ------------------------------------------------------------- */

/* Frees the frames the device has sent; how many. Lock held. */
static unsigned int tx_reclaim(struct uk_netdev_tx_queue *txq)
{
	unsigned int n = 0;
	void *ck;
	__u32 len;

	while (virtqueue_dequeue(txq->vq, &ck, &len) != 0)
		if (ck) {
			uk_netbuf_free(ck);
			n++;
		}
	return n;
}

/*
 * Frames are in flight and the device has taken none of them for
 * TX_STUCK_NS: notify it although its event index asks for no kick.
 * QEMU 7.2's virtio-net, resuming after the tap back-end blocked, sends
 * one burst (256 frames) from its completion callback and then neither
 * reschedules itself nor asks for a kick we would send: its avail_event
 * is left where it stopped, behind what we already published. Seen
 * first with a full ring (-smp 1 under wrk: avail 256 ahead of used,
 * the ring full), then with a few frames stuck and the ring far from
 * full (-smp 1: ping got 4 of 5 replies, lwIP had sent all 5).
 * Called by every transmit, before it queues more. Lock held.
 */
static void tx_watch(struct uk_netdev_tx_queue *txq, unsigned int reclaimed)
{
	__nsec now;

	if (reclaimed || !virtqueue_dev_pending(txq->vq)) {
		txq->stuck_since = 0;
		return;
	}
	now = ukplat_monotonic_clock();
	if (!txq->stuck_since) {
		txq->stuck_since = now;
		return;
	}
	if (now - txq->stuck_since < TX_STUCK_NS)
		return;
	virtqueue_kick_force(txq->vq);
	if (!txq->kicks_forced++)	/* once per queue: then counted */
		uk_pr_info("virtio-net: txq %u: device idle for 1 ms with "
			   "frames queued: kicked anyway (lost-kick "
			   "workaround)\n", txq->id);
	txq->stuck_since = now;
}

/*
 * Segments of pkt: its header (in its headroom when there is room,
 * else the shared zero header) then each netbuf of the chain. Returns
 * the number of segments, -EINVAL (too long, too many pieces, or a
 * partial checksum without headroom). *hdr_in_nb says whether the
 * netbuf's window was grown by the header (undo on failure).
 */
static int tx_segs(struct vnet *vn, struct uk_netbuf *pkt,
		   struct virtqueue_seg *seg, int *hdr_in_nb)
{
	struct virtio_net_hdr *h;
	struct uk_netbuf *nb;
	unsigned int len = 0;
	int n = 1;

	UK_NETBUF_CHAIN_FOREACH(nb, pkt) {
		if (n == VIRTQ_INDIRECT_MAX)
			return -EINVAL;
		len += nb->len;
		seg[n].addr = nb->data;
		seg[n++].len = nb->len;
	}
	if (len > frame_max(vn) || !len)
		return -EINVAL;
	*hdr_in_nb = uk_netbuf_headroom(pkt) >= VNET_HDR_LEN;
	if (!*hdr_in_nb) {
		if (pkt->flags & UK_NETBUF_F_PARTIAL_CSUM)
			return -EINVAL;
		seg[0].addr = (void *)(__uptr)&zero_hdr;
		seg[0].len = VNET_HDR_LEN;
		return n;
	}
	h = (struct virtio_net_hdr *)((char *)pkt->data - VNET_HDR_LEN);
	memset(h, 0, sizeof(*h));
	if ((pkt->flags & UK_NETBUF_F_PARTIAL_CSUM)
	    && has(vn, VIRTIO_NET_F_CSUM)) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = pkt->csum_start;
		h->csum_offset = pkt->csum_offset;
	}
	/* Header and first piece are one segment. */
	uk_netbuf_header(pkt, VNET_HDR_LEN);
	seg[1].addr = pkt->data;
	seg[1].len = pkt->len;
	return n;
}

/* Queues one frame; 1 on success, 0 ring full, -EINVAL. Lock held. */
static int tx_put(struct uk_netdev_tx_queue *txq, struct uk_netbuf *pkt)
{
	struct virtqueue_seg seg[VIRTQ_INDIRECT_MAX];
	int n, in_nb, rc;

	n = tx_segs(txq->vn, pkt, seg, &in_nb);
	if (n < 0)
		return n;
	rc = in_nb ? virtqueue_enqueue(txq->vq, pkt, seg + 1, n - 1, 0)
		   : virtqueue_enqueue(txq->vq, pkt, seg, n, 0);
	if (rc == 0)
		return 1;
	if (in_nb)
		uk_netbuf_header(pkt, -(int16_t)VNET_HDR_LEN);
	if (rc != -ENOSPC)
		return -EINVAL;	/* an empty piece in the chain */
	txq->full++;
	return 0;
}

/* Room for another frame of one piece? (2 descriptors without indirect) */
static int tx_room(struct uk_netdev_tx_queue *txq)
{
	return virtqueue_free_count(txq->vq)
		>= (has(txq->vn, VIRTIO_F_INDIRECT_DESC) ? 1U : 2U);
}

static int vnet_tx_burst(struct uk_netdev *dev __unused,
			 struct uk_netdev_tx_queue *txq,
			 struct uk_netbuf **pkt, __u16 *cnt)
{
	unsigned int reclaimed;
	unsigned long f;
	__u16 sent = 0;
	int rc = 0, more;

	uk_spin_lock_irqsave(&txq->lock, f);
	reclaimed = tx_reclaim(txq);
	tx_watch(txq, reclaimed);
	while (sent < *cnt && (rc = tx_put(txq, pkt[sent])) == 1)
		sent++;
	if (sent) {
		virtqueue_kick(txq->vq);
		if (ukplat_lcpu_idx() != txq->cpu)
			txq->foreign += sent;
	}
	more = tx_room(txq);
	uk_spin_unlock_irqrestore(&txq->lock, f);
	*cnt = sent;
	if (rc < 0 && !sent)
		return rc;
	if (!sent)
		return 0;
	return UK_NETDEV_STATUS_SUCCESS | (more ? UK_NETDEV_STATUS_MORE : 0);
}

#if CONFIG_LIBVIRTIONET_WATCHDOG
/*
 * What the watchdog does for an RX queue, every WATCH_NS. Lock held,
 * interrupts off (as in rx_irq(), which the event may then nest in).
 *
 * - Frames waited in the used ring at the last look and still do, events
 *   are on, and nothing was taken meanwhile: the interrupt or the
 *   wake-up it caused was lost. Run the event again, as rx_irq() would;
 *   a receiver that was only slow gets a second wake-up, which costs
 *   nothing.
 * - Buffers are posted and the device filled none since the last look:
 *   kick the queue, once as the quiet spell starts, then every RX_REKICK
 *   looks. QEMU 7.2's virtio-net can stop reading its back-end and wait
 *   for a notification that the event index it wrote never asks for
 *   (doc/virtio-net.md, "Lost RX kick"); on a quiet link the kick only
 *   makes it look, and find nothing.
 * Returns whether to run the event (after the lock is dropped).
 */
static int rx_watch(struct uk_netdev_rx_queue *rxq)
{
	__u16 used = virtqueue_used_idx(rxq->vq);
	int waiting = virtqueue_has_used(rxq->vq), lost = 0;

	if (rxq->intr_on && waiting && rxq->watch_waiting
	    && rxq->taken == rxq->watch_taken) {
		virtqueue_intr_disable(rxq->vq);
		rxq->watch_events++;
		lost = 1;
	}
	rxq->watch_waiting = waiting;
	if (rxq->posted && used == rxq->watch_used) {
		if (rxq->watch_idle++ % RX_REKICK == 0) {
			virtqueue_kick_force(rxq->vq);
			rxq->watch_kicks++;
		}
	} else {
		rxq->watch_idle = 0;
	}
	rxq->watch_used = used;
	rxq->watch_taken = rxq->taken;
	return lost;
}

/*
 * Pair q's watchdog, on the pair's CPU (so that a receive event it runs
 * again runs where uk/netdev.h says events run). tx_watch() runs when a
 * queue's user transmits, but a sender that waits for replies before it
 * transmits again would wait for good behind frames the device left
 * unused; receiving has no such second chance at all. Every WATCH_NS
 * it does for the TX queue what a transmit does first (reclaim, then
 * watch) and rx_watch() for the RX queue, each under its lock. Frees
 * netbufs on its CPU, which any transmitting CPU may do too.
 */
static void watchdog(void *arg)
{
	struct uk_netdev_rx_queue *rxq = arg;
	struct vnet *vn = rxq->vn;
	struct uk_netdev_tx_queue *txq = &vn->txq[rxq->id];
	unsigned long f;
	int lost;

	for (;;) {
		uk_sched_thread_sleep(WATCH_NS);
		uk_spin_lock_irqsave(&txq->lock, f);
		tx_watch(txq, tx_reclaim(txq));
		uk_spin_unlock_irqrestore(&txq->lock, f);

		uk_spin_lock_irqsave(&rxq->lock, f);
		lost = rx_watch(rxq);
		uk_spin_unlock(&rxq->lock);
		if (lost)	/* interrupts still off, as in rx_irq() */
			uk_netdev_drv_rx_event(&vn->netdev, rxq->id);
		ukplat_lcpu_restore_irqf(f);
	}
}

/* Starts each pair's watchdog once; 0 or -ENOMEM. Set-up thread. */
static int watchdog_start(struct vnet *vn)
{
	__u16 q;

	for (q = 0; q < vn->pairs; q++) {
		if (vn->watchdog[q])
			continue;
		vn->watchdog[q] = uk_sched_thread_create_on(
			(int)vn->rxq[q].cpu, watchdog, &vn->rxq[q],
			"virtio-net-watch");
		if (!vn->watchdog[q])
			return -ENOMEM;
	}
	return 0;
}
#else
static int watchdog_start(struct vnet *vn __unused)
{
	return 0;
}
#endif

static int vnet_tx_one(struct uk_netdev *dev, struct uk_netdev_tx_queue *txq,
		       struct uk_netbuf *pkt)
{
	__u16 one = 1;

	return vnet_tx_burst(dev, txq, &pkt, &one);
}

/* TX completions are reclaimed by the next transmit: nothing to do. */
static int quiet_irq(void *arg __unused)
{
	return 1;
}

/* --- control queue ---------------------------------------------------------- */

/* VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, polled. 0, -EIO, -ETIMEDOUT. */
static int ctrl_pairs_set(struct vnet *vn, __u16 pairs)
{
	struct virtqueue_seg seg[3] = {
		{ &vn->ctrl.cls, 2 }, { &vn->ctrl.pairs, 2 },
		{ &vn->ctrl.ack, 1 },
	};
	__nsec end = ukplat_monotonic_clock() + CTRL_WAIT_NS;
	void *ck = NULL;
	__u32 len;
	int rc;

	vn->ctrl.cls = CTRL_MQ;
	vn->ctrl.cmd = CTRL_MQ_VQ_PAIRS_SET;
	vn->ctrl.pairs = pairs;
	vn->ctrl.ack = 0xff;
	rc = virtqueue_enqueue(vn->ctrlq, &vn->ctrl, seg, 2, 1);
	if (rc)
		return -EIO;
	virtqueue_kick(vn->ctrlq);
	while ((rc = virtqueue_dequeue(vn->ctrlq, &ck, &len)) == 0
	       && ukplat_monotonic_clock() < end)
		ukarch_spinwait();
	if (rc == 0)
		return -ETIMEDOUT;
	/* dequeue's acquire made the device's ack visible. */
	return rc > 0 && ck == &vn->ctrl && vn->ctrl.ack == CTRL_OK ? 0 : -EIO;
}

/* --- netdev operations -------------------------------------------------------- */

static void vnet_info_get(struct uk_netdev *dev, struct uk_netdev_info *i)
{
	struct vnet *vn = to_vnet(dev);

	i->max_rx_queues = vn->usable_pairs;
	i->max_tx_queues = vn->usable_pairs;
	i->in_queue_pairs = 1;
	i->max_mtu = vn->mtu;
	i->nb_encap_tx = VNET_HDR_LEN;
	i->nb_encap_rx = VNET_HDR_LEN;
	i->ioalign = 1;
	i->features = UK_NETDEV_F_RXQ_INTR
		| (has(vn, VIRTIO_NET_F_CSUM) ? UK_NETDEV_F_PARTIAL_CSUM : 0);
}

static int vnet_configure(struct uk_netdev *dev,
			  const struct uk_netdev_conf *conf)
{
	if (conf->nb_rx_queues != conf->nb_tx_queues)
		return -EINVAL;	/* pairs only */
	to_vnet(dev)->pairs = conf->nb_rx_queues;
	return 0;
}

static int q_info(struct uk_netdev *dev, __u16 q,
		  struct uk_netdev_queue_info *qi)
{
	if (q >= to_vnet(dev)->usable_pairs)
		return -EINVAL;
	qi->nb_min = 1;
	qi->nb_max = 32768;
	qi->nb_align = 1;
	qi->nb_is_power_of_two = 1;
	return 0;
}

/* CPU of pair q: pair i on CPU i (usable_pairs <= CPUs). */
static unsigned int pair_cpu(__u16 q)
{
	return q % ukplat_lcpu_count();
}

static struct uk_netdev_rx_queue *vnet_rxq_configure(
	struct uk_netdev *dev, __u16 q, __u16 nb_desc,
	struct uk_netdev_rxqueue_conf *conf)
{
	struct vnet *vn = to_vnet(dev);
	struct uk_netdev_rx_queue *rxq = &vn->rxq[q];

	uk_spin_init(&rxq->lock);
	rxq->vn = vn;
	rxq->id = q;
	rxq->cpu = pair_cpu(q);
	rxq->alloc = conf->alloc_rxpkts;
	rxq->alloc_argp = conf->alloc_rxpkts_argp;
	rxq->vq = virtio_vq_setup(&vn->vdev, 2 * q, nb_desc ? nb_desc
				  : VNET_QSIZE, rxq->cpu, rx_irq, rxq);
	if (!rxq->vq)
		return ERR2PTR(-ENOSPC);
	virtqueue_intr_disable(rxq->vq);	/* until rxq_intr_enable */
	return rxq;
}

static struct uk_netdev_tx_queue *vnet_txq_configure(
	struct uk_netdev *dev, __u16 q, __u16 nb_desc,
	struct uk_netdev_txqueue_conf *conf __unused)
{
	struct vnet *vn = to_vnet(dev);
	struct uk_netdev_tx_queue *txq = &vn->txq[q];

	uk_spin_init(&txq->lock);
	txq->vn = vn;
	txq->id = q;
	txq->cpu = pair_cpu(q);
	txq->vq = virtio_vq_setup(&vn->vdev, 2 * q + 1, nb_desc ? nb_desc
				  : VNET_QSIZE, txq->cpu, quiet_irq, txq);
	if (!txq->vq)
		return ERR2PTR(-ENOSPC);
	virtqueue_intr_disable(txq->vq);	/* reclaimed on transmit */
	return txq;
}

static int vnet_start(struct uk_netdev *dev)
{
	struct vnet *vn = to_vnet(dev);
	unsigned long f;
	__u16 q;
	int rc;

	if (vn->pairs > 1) {
		vn->ctrlq = virtio_vq_setup(&vn->vdev, 2 * vn->max_pairs, 8, 0,
					    quiet_irq, vn);
		if (!vn->ctrlq)
			return -ENOSPC;
		virtqueue_intr_disable(vn->ctrlq);
	}
	for (q = 0; q < vn->pairs; q++) {
		uk_spin_lock_irqsave(&vn->rxq[q].lock, f);
		rx_refill(&vn->rxq[q]);
		uk_spin_unlock_irqrestore(&vn->rxq[q].lock, f);
	}
	rc = virtio_ready(&vn->vdev);
	if (rc == 0 && vn->pairs > 1)
		rc = ctrl_pairs_set(vn, vn->pairs);
	if (rc == 0)
		rc = watchdog_start(vn);
	if (rc < 0) {
		uk_pr_err("virtio-net: start failed (%d)\n", rc);
		virtio_fail(&vn->vdev);
		return rc;
	}
	uk_pr_info("virtio-net: netdev%u: %u queue pair%s (device offers %u), "
		   "pair i on CPU i, ring %u\n", uk_netdev_id_get(dev),
		   vn->pairs, vn->pairs > 1 ? "s" : "", vn->max_pairs,
		   virtqueue_num(vn->rxq[0].vq));
	return 0;
}

static const struct uk_hwaddr *vnet_hwaddr_get(struct uk_netdev *dev)
{
	return &to_vnet(dev)->mac;
}

static __u16 vnet_mtu_get(struct uk_netdev *dev)
{
	return to_vnet(dev)->mtu;
}

static unsigned int vnet_promisc_get(struct uk_netdev *dev __unused)
{
	return 1;	/* without CTRL_RX the device delivers everything */
}

static int vnet_queue_cpu(struct uk_netdev *dev __unused, __u16 q)
{
	return (int)pair_cpu(q);
}

static int vnet_link_get(struct uk_netdev *dev)
{
	struct vnet *vn = to_vnet(dev);
	__u16 st;

	if (!vn->link_known)
		return 1;	/* without STATUS the link is always up */
	if (virtio_config_read(&vn->vdev, CFG_STATUS, &st, 2))
		return -EIO;
	return !!(st & NET_S_LINK_UP);
}

static const struct uk_netdev_ops vnet_ops = {
	.rxq_intr_enable = vnet_rxq_intr_enable,
	.rxq_intr_disable = vnet_rxq_intr_disable,
	.hwaddr_get = vnet_hwaddr_get,
	.mtu_get = vnet_mtu_get,
	.promiscuous_get = vnet_promisc_get,
	.info_get = vnet_info_get,
	.txq_info_get = q_info,
	.rxq_info_get = q_info,
	.configure = vnet_configure,
	.txq_configure = vnet_txq_configure,
	.rxq_configure = vnet_rxq_configure,
	.start = vnet_start,
	.queue_cpu = vnet_queue_cpu,
	.link_get = vnet_link_get,
};

/* --- probe ------------------------------------------------------------------ */

/* MAC, MTU, link and the number of pairs from the device's configuration. */
static void read_config(struct vnet *vn)
{
	static __u8 next_local = 1;
	__u16 v;

	if (!has(vn, VIRTIO_NET_F_MAC)
	    || virtio_config_read(&vn->vdev, CFG_MAC, vn->mac.addr_bytes, 6)) {
		/* Locally administered, unique within this guest. */
		memcpy(vn->mac.addr_bytes, "\x02\x00\x00\x00\x00", 5);
		vn->mac.addr_bytes[5] = next_local++;
	}
	vn->mtu = UK_ETH_PAYLOAD_MAXLEN;
	if (has(vn, VIRTIO_NET_F_MTU)
	    && !virtio_config_read(&vn->vdev, CFG_MTU, &v, 2) && v >= 68)
		vn->mtu = v;
	vn->link_known = has(vn, VIRTIO_NET_F_STATUS);
	vn->max_pairs = 1;
	/* MQ needs the control queue to be used (spec 5.1.3.1). */
	if (has(vn, VIRTIO_NET_F_MQ) && has(vn, VIRTIO_NET_F_CTRL_VQ)
	    && !virtio_config_read(&vn->vdev, CFG_MAX_PAIRS, &v, 2) && v)
		vn->max_pairs = v;
}

/*
 * Pairs we can use: one per CPU at most, within uknetdev's queue limit,
 * the transport's queue table (the control queue sits at 2 * max_pairs)
 * and the MSI-X table (entry 1 + queue index).
 */
static __u16 usable_pairs(struct vnet *vn)
{
	unsigned int p = MIN3((unsigned int)vn->max_pairs, ukplat_lcpu_count(),
			      (unsigned int)CONFIG_LIBUKNETDEV_MAXNBQUEUES);

	if (p > 1 && (2U * vn->max_pairs >= VIRTIO_MAX_QUEUES
		      || 2 * vn->max_pairs + 1 >= vn->vdev.msix_entries)) {
		uk_pr_warn("virtio-net: control queue %u out of reach "
			   "(%d MSI-X entries): one pair\n", 2 * vn->max_pairs,
			   vn->vdev.msix_entries);
		p = 1;
	}
	p = MIN(p, (unsigned int)(vn->vdev.msix_entries - 1) / 2);
	return (__u16)MAX(p, 1U);
}

static int vnet_add(struct pci_device *pdev)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct vnet *vn;
	int rc;

	vn = uk_calloc(a, 1, sizeof(*vn));
	if (!vn)
		return -ENOMEM;
	rc = virtio_pci_init(&vn->vdev, pdev, WANTED_FEATURES);
	if (rc < 0) {
		uk_free(a, vn);
		return rc;
	}
	read_config(vn);
	vn->usable_pairs = usable_pairs(vn);
	vn->netdev.ops = &vnet_ops;
	vn->netdev.tx_one = vnet_tx_one;
	vn->netdev.rx_one = vnet_rx_one;
	vn->netdev.tx_burst = vnet_tx_burst;
	vn->netdev.rx_burst = vnet_rx_burst;
	rc = uk_netdev_drv_register(&vn->netdev, a, "virtio-net");
	if (rc < 0) {
		virtio_fail(&vn->vdev);
		uk_free(a, vn);
		return rc;
	}
	pdev->priv = vn;
	if (vn->usable_pairs < MIN(ukplat_lcpu_count(),
				   (unsigned int)CONFIG_LIBUKNETDEV_MAXNBQUEUES))
		uk_pr_warn("virtio-net: netdev%d: %u queue pair%s for %u CPUs "
			   "(the device offers %u%s)\n", rc, vn->usable_pairs,
			   vn->usable_pairs > 1 ? "s" : "", ukplat_lcpu_count(),
			   vn->max_pairs, vn->max_pairs > 1 ? ""
			   : ": no MQ/CTRL_VQ, e.g. user/hub back-end");
	uk_pr_info("virtio-net: %02x:%02x.%x netdev%d mac "
		   "%02x:%02x:%02x:%02x:%02x:%02x mtu %u, %u pair%s offered "
		   "(%s), %u usable, features %#llx\n", pdev->addr.bus,
		   pdev->addr.devid, pdev->addr.function, rc,
		   vn->mac.addr_bytes[0], vn->mac.addr_bytes[1],
		   vn->mac.addr_bytes[2], vn->mac.addr_bytes[3],
		   vn->mac.addr_bytes[4], vn->mac.addr_bytes[5], vn->mtu,
		   vn->max_pairs, vn->max_pairs > 1 ? "s" : "",
		   has(vn, VIRTIO_NET_F_MQ) && has(vn, VIRTIO_NET_F_CTRL_VQ)
		   ? "MQ" : "no MQ/CTRL_VQ", vn->usable_pairs,
		   (unsigned long long)vn->vdev.features);
	return 0;
}

static const struct pci_device_id vnet_ids[] = {
	{ PCI_DEVICE_ID(VIRTIO_PCI_VENDOR, VIRTIO_PCI_MODERN_BASE
			+ VIRTIO_ID_NET) },
	{ PCI_DEVICE_ID(VIRTIO_PCI_VENDOR, 0x1000) },	/* transitional */
	PCI_DEVICE_ID_END
};

static struct pci_driver vnet_driver = {
	.name = "virtio-net",
	.device_ids = vnet_ids,
	.add_dev = vnet_add,
};

static int vnet_register(void)
{
	if (uk_pci_driver_register(&vnet_driver) <= 0)
		uk_pr_info("virtio-net: no device\n");
	return 0;
}
uk_lib_initcall(vnet_register);
