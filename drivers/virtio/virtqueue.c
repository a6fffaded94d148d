/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueue, driver side (uk/virtqueue.h): descriptor allocation,
 * indirect tables, avail publication with notification suppression, used
 * consumption with validation of what the device wrote.
 *
 * Ring memory (one page-aligned block):
 *   desc[n] (16 B each) | avail: flags, idx, ring[n], used_event
 *   | page-aligned used: flags, idx, ring[n] {id, len}, avail_event
 *   | indirect tables: n x VIRTQ_INDIRECT_MAX descriptors, one per head.
 *
 * Descriptor ownership. Every descriptor is in exactly one place: the
 * producer's free list (free_head/nfree, private to the producer), a
 * buffer in flight (from enqueue to its used entry), or the hand-over
 * stack (returned: pushed by the consumer, taken whole by the producer
 * with one exchange). The chain links of a buffer and the free-list links
 * are the same private st[].next field, so a buffer's descriptors are
 * consecutive in the free list it came from. Invariant (checked with
 * UK_ASSERT where cheap): nfree never exceeds n, and a head in flight has
 * a non-NULL cookie while all its other descriptors have none.
 */
#include <errno.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/virtqueue.h>

#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_DESC_F_INDIRECT	4
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_USED_F_NO_NOTIFY	1
#define END			0xffff	/* no descriptor */
#define RING_ALIGN		4096

struct vring_desc {
	__u64 addr;
	__u32 len;
	__u16 flags;
	__u16 next;
};

struct vring_avail {
	__u16 flags;
	__u16 idx;
	__u16 ring[];	/* then used_event */
};

struct vring_used_elem {
	__u32 id;
	__u32 len;
};

struct vring_used {
	__u16 flags;
	__u16 idx;
	struct vring_used_elem ring[];	/* then avail_event */
};

struct desc_state {
	void *cookie;	/* heads in flight only; atomic (both sides) */
	__u32 wlen;	/* writable bytes of the buffer (heads) */
	__u16 ndesc;	/* descriptors of the buffer (heads) */
	__u16 next;	/* chain link, or free-list / hand-over link */
};

struct virtqueue {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	struct vring_desc *indirect;
	__u16 *used_event;		/* avail->ring[n] */
	__u16 *avail_event;		/* &used->ring[n] */
	__u16 idx, n;
	int event_idx, indirect_ok;
	virtqueue_notify_t notify;
	void *notify_arg;

	/* Producer side. */
	__u16 free_head, nfree;
	__u16 avail_idx;		/* next avail slot (avail->idx to be) */
	__u16 kicked_idx;		/* avail->idx at the last kick */
	unsigned long enqueued, kicks, kicks_saved;

	/* Hand-over stack: head descriptor index or END. */
	__u32 returned __align(64);

	/* Consumer side. */
	__u16 last_used __align(64);
	unsigned long dequeued, bad_used;

	struct desc_state st[];
};

/* Single-writer counters that stats_get may read from another CPU. */
static void stat_add(unsigned long *c, unsigned long v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
}

static size_t avail_bytes(__u16 n)
{
	return 6 + 2 * (size_t)n;
}

static size_t used_off(__u16 n)
{
	return ALIGN_UP(16 * (size_t)n + avail_bytes(n), (size_t)RING_ALIGN);
}

static size_t indirect_off(__u16 n)
{
	return ALIGN_UP(used_off(n) + 6 + 8 * (size_t)n, (size_t)16);
}

size_t virtqueue_ring_size(__u16 n)
{
	return ALIGN_UP(indirect_off(n)
			+ (size_t)n * VIRTQ_INDIRECT_MAX * 16,
			(size_t)RING_ALIGN);
}

size_t virtqueue_size(__u16 n)
{
	return sizeof(struct virtqueue) + (size_t)n * sizeof(struct desc_state);
}

int virtqueue_init(struct virtqueue *vq, __u16 idx, __u16 n, void *ring,
		   __u64 features, virtqueue_notify_t notify,
		   void *notify_arg)
{
	char *r = ring;
	__u16 i;

	if (!n || (n & (n - 1)) || n == 0x8000 || !notify
	    || !IS_ALIGNED((unsigned long)ring, RING_ALIGN))
		return -EINVAL;
	memset(vq, 0, virtqueue_size(n));
	memset(ring, 0, virtqueue_ring_size(n));
	vq->desc = (struct vring_desc *)r;
	vq->avail = (struct vring_avail *)(r + 16 * (size_t)n);
	vq->used = (struct vring_used *)(r + used_off(n));
	vq->indirect = (struct vring_desc *)(r + indirect_off(n));
	vq->used_event = &vq->avail->ring[n];
	vq->avail_event = (__u16 *)&vq->used->ring[n];
	vq->idx = idx;
	vq->n = n;
	vq->event_idx = !!(features & (1ULL << VIRTIO_F_RING_EVENT_IDX));
	vq->indirect_ok = !!(features & (1ULL << VIRTIO_F_INDIRECT_DESC));
	vq->notify = notify;
	vq->notify_arg = notify_arg;
	for (i = 0; i < n; i++)
		vq->st[i].next = i + 1 < n ? i + 1 : END;
	vq->free_head = 0;
	vq->nfree = n;
	vq->returned = END;
	return 0;
}

void virtqueue_ring_addrs(const struct virtqueue *vq, __u64 *desc,
			  __u64 *avail, __u64 *used)
{
	*desc = (__u64)(unsigned long)vq->desc;
	*avail = (__u64)(unsigned long)vq->avail;
	*used = (__u64)(unsigned long)vq->used;
}

__u16 virtqueue_index(const struct virtqueue *vq)
{
	return vq->idx;
}

__u16 virtqueue_num(const struct virtqueue *vq)
{
	return vq->n;
}

unsigned int virtqueue_free_count(const struct virtqueue *vq)
{
	return vq->nfree;
}

/* --- producer ----------------------------------------------------------- */

/* Moves the hand-over stack onto the free list (producer only). */
static void take_returned(struct virtqueue *vq)
{
	/*
	 * Acquire: pairs with the release of give_back(): the links and
	 * cleared cookies of the pushed chains are visible.
	 */
	__u32 head = __atomic_exchange_n(&vq->returned, END, __ATOMIC_ACQUIRE);
	__u16 tail, cnt = 1;

	if (head == END)
		return;
	for (tail = head; vq->st[tail].next != END; tail = vq->st[tail].next)
		cnt++;
	vq->st[tail].next = vq->free_head;
	vq->free_head = head;
	vq->nfree += cnt;
	UK_ASSERT(vq->nfree <= vq->n);
}

/* Takes k descriptors off the free list as one chain; returns the head. */
static __u16 chain_alloc(struct virtqueue *vq, unsigned int k, __u16 *last)
{
	__u16 head = vq->free_head, d = head;
	unsigned int i;

	for (i = 1; i < k; i++)
		d = vq->st[d].next;
	*last = d;
	vq->free_head = vq->st[d].next;
	vq->nfree -= k;
	return head;
}

static void desc_fill(struct vring_desc *d, const struct virtqueue_seg *s,
		      int writable, int more, __u16 next)
{
	d->addr = (__u64)(unsigned long)s->addr;
	d->len = s->len;
	d->flags = (writable ? VRING_DESC_F_WRITE : 0)
		| (more ? VRING_DESC_F_NEXT : 0);
	d->next = more ? next : 0;
}

int virtqueue_enqueue(struct virtqueue *vq, void *cookie,
		      const struct virtqueue_seg *seg, unsigned int nr,
		      unsigned int nw)
{
	unsigned int k = nr + nw, i, use_ind;
	__u16 head, last, d;
	__u32 wlen = 0;

	if (!k || !cookie || k > vq->n)
		return -EINVAL;
	for (i = 0; i < k; i++) {
		if (!seg[i].len)
			return -EINVAL;
		if (i >= nr)
			wlen += seg[i].len;
	}
	use_ind = vq->indirect_ok && k > 1 && k <= VIRTQ_INDIRECT_MAX;
	if (vq->nfree < (use_ind ? 1 : k))
		take_returned(vq);
	if (vq->nfree < (use_ind ? 1 : k))
		return -ENOSPC;
	head = chain_alloc(vq, use_ind ? 1 : k, &last);
	if (use_ind) {
		struct vring_desc *t = &vq->indirect[(size_t)head
						     * VIRTQ_INDIRECT_MAX];

		for (i = 0; i < k; i++)
			desc_fill(&t[i], &seg[i], i >= nr, i + 1 < k, i + 1);
		vq->desc[head] = (struct vring_desc){
			.addr = (__u64)(unsigned long)t,
			.len = k * sizeof(*t), .flags = VRING_DESC_F_INDIRECT,
		};
	} else {
		for (i = 0, d = head; i < k; i++, d = vq->st[d].next)
			desc_fill(&vq->desc[d], &seg[i], i >= nr, i + 1 < k,
				  vq->st[d].next);
	}
	vq->st[last].next = END;	/* the chain ends here (private) */
	vq->st[head].ndesc = use_ind ? 1 : k;
	vq->st[head].wlen = wlen;
	/* Relaxed: reaches the consumer via avail->idx and the device. */
	__atomic_store_n(&vq->st[head].cookie, cookie, __ATOMIC_RELAXED);
	vq->avail->ring[vq->avail_idx & (vq->n - 1)] = head;
	vq->avail_idx++;
	stat_add(&vq->enqueued, 1);
	return 0;
}

/* Whether an index moving from old to new passed event (spec 2.7.7.2). */
static int need_event(__u16 event, __u16 new, __u16 old)
{
	return (__u16)(new - event - 1) < (__u16)(new - old);
}

int virtqueue_kick(struct virtqueue *vq)
{
	__u16 old = vq->kicked_idx, new = vq->avail_idx;
	int notify;

	if (new == old)
		return 0;
	/*
	 * Seq-cst store (a release, and on x86 a locked write): the
	 * descriptors and ring entries written by enqueue are visible
	 * before the index, which pairs with the device's read barrier
	 * after it loads avail->idx; and, with the seq-cst load below, the
	 * store is ordered before the avail_event/flags load (the full
	 * barrier of spec 2.7.10), which pairs with the device's barrier
	 * between publishing avail_event and re-reading avail->idx. (A
	 * seq-cst pair rather than a fence: ThreadSanitizer checks it.)
	 */
	__atomic_store_n(&vq->avail->idx, new, __ATOMIC_SEQ_CST);
	vq->kicked_idx = new;
	if (vq->event_idx)
		notify = need_event(__atomic_load_n(vq->avail_event,
						    __ATOMIC_SEQ_CST),
				    new, old);
	else
		notify = !(__atomic_load_n(&vq->used->flags, __ATOMIC_SEQ_CST)
			   & VRING_USED_F_NO_NOTIFY);
	if (!notify) {
		stat_add(&vq->kicks_saved, 1);
		return 0;
	}
	vq->notify(vq, vq->notify_arg);
	stat_add(&vq->kicks, 1);
	return 1;
}

void virtqueue_kick_force(struct virtqueue *vq)
{
	if (virtqueue_kick(vq))
		return;
	vq->notify(vq, vq->notify_arg);
	stat_add(&vq->kicks, 1);
}

/* --- consumer ----------------------------------------------------------- */

/* Pushes the chain of head onto the hand-over stack (consumer only). */
static void give_back(struct virtqueue *vq, __u16 head)
{
	__u16 tail = head, i;
	__u32 top;

	for (i = 1; i < vq->st[head].ndesc; i++)
		tail = vq->st[tail].next;
	top = __atomic_load_n(&vq->returned, __ATOMIC_RELAXED);
	do {
		vq->st[tail].next = top;
		/*
		 * Release: the links and the cleared cookie are visible to the
		 * producer's acquire exchange in take_returned().
		 */
	} while (!__atomic_compare_exchange_n(&vq->returned, &top, head, 0,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

int virtqueue_has_used(struct virtqueue *vq)
{
	/* Acquire: pairs with the device's barrier before storing used->idx. */
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE)
		!= vq->last_used;
}

__u16 virtqueue_used_idx(struct virtqueue *vq)
{
	/* Acquire, as in virtqueue_has_used(). */
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
}

__u16 virtqueue_dev_pending(struct virtqueue *vq)
{
	/*
	 * Acquire, as in virtqueue_has_used(); a stale value only makes the
	 * answer larger, never smaller than the truth at the call.
	 */
	return (__u16)(vq->kicked_idx
		       - __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE));
}

int virtqueue_dequeue(struct virtqueue *vq, void **cookie, __u32 *len)
{
	struct vring_used_elem e;
	int bad_len;
	void *c;

	if (!virtqueue_has_used(vq))
		return 0;
	e = vq->used->ring[vq->last_used & (vq->n - 1)];
	vq->last_used++;
	c = e.id < vq->n ? __atomic_load_n(&vq->st[e.id].cookie,
					   __ATOMIC_RELAXED) : NULL;
	*cookie = c;
	*len = 0;
	if (!c) {	/* not a head in flight: never trust it */
		stat_add(&vq->bad_used, 1);
		return -EIO;
	}
	bad_len = e.len > vq->st[e.id].wlen;
	/* After give_back() the producer may reuse st[e.id]: read it first. */
	__atomic_store_n(&vq->st[e.id].cookie, NULL, __ATOMIC_RELAXED);
	give_back(vq, e.id);
	stat_add(&vq->dequeued, 1);
	if (bad_len) {
		stat_add(&vq->bad_used, 1);
		return -EIO;
	}
	*len = e.len;
	return 1;
}

int virtqueue_intr_enable(struct virtqueue *vq)
{
	/*
	 * Seq-cst store, then seq-cst load of used->idx: the request is
	 * visible before we re-read the index (store->load order, a full
	 * barrier); pairs with the device's barrier between storing
	 * used->idx and reading used_event/flags. Either it interrupts or
	 * we see the entry.
	 */
	if (vq->event_idx)
		__atomic_store_n(vq->used_event, vq->last_used,
				 __ATOMIC_SEQ_CST);
	else
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&vq->used->idx, __ATOMIC_SEQ_CST)
		!= vq->last_used;
}

void virtqueue_intr_disable(struct virtqueue *vq)
{
	/* Event index: the farthest point, no interrupt until it wraps. */
	if (vq->event_idx)
		__atomic_store_n(vq->used_event, (__u16)(vq->last_used - 1),
				 __ATOMIC_RELAXED);
	else
		__atomic_store_n(&vq->avail->flags, VRING_AVAIL_F_NO_INTERRUPT,
				 __ATOMIC_RELAXED);
}

void virtqueue_stats_get(const struct virtqueue *vq,
			 struct virtqueue_stats *st)
{
	st->enqueued = __atomic_load_n(&vq->enqueued, __ATOMIC_RELAXED);
	st->dequeued = __atomic_load_n(&vq->dequeued, __ATOMIC_RELAXED);
	st->kicks = __atomic_load_n(&vq->kicks, __ATOMIC_RELAXED);
	st->kicks_saved = __atomic_load_n(&vq->kicks_saved, __ATOMIC_RELAXED);
	st->bad_used = __atomic_load_n(&vq->bad_used, __ATOMIC_RELAXED);
}
