/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU-pair channels (uk/chan.h): the rings, send and receive, and the
 * receiver's sleep with its wake-up. Entry points: uk_chan_send_try() and
 * uk_chan_recv_any() (everything else is a variant of one of them).
 *
 * Invariant of every ring, checked where the indices move:
 *	cons.tail <= prod.head <= cons.tail + UK_CHAN_SLOTS
 * (free-running counters; message i lives in slot i % UK_CHAN_SLOTS).
 * Slots [tail, head) hold messages and belong to the receiver, the others
 * to the sender. head is the sender's alone (no other CPU reads it), tail
 * is written only by the receiver. A slot says itself whether it holds
 * message i: its seq is i + 1 (low 32 bits), stored last by the sender;
 * a free slot holds the seq of the message one lap earlier (or 0 before
 * its first use). So a receiver polls the one line of the slot it waits
 * for, not an index line as well: a 16-byte message moves from CPU to CPU
 * as one cache line, the floor that a bare cache-line ping-pong measures
 * (FastForward's idea, seed 002, with Lamport's indices kept for room).
 *
 * Sleep and wake-up (doc/ukmpi.md has the full argument): a receiver that
 * found nothing while polling, each time round,
 *	R1 lists itself on its CPU's wait queue, marked blocked (under the
 *	   queue's lock);
 *	R2 stores its CPU's sleepers count, raised by one (seq_cst store);
 *	R3 looks at its rings again (seq_cst loads of the awaited slots'
 *	   seq), and blocks only if they are still empty.
 * A sender
 *	S1 publishes the message (seq_cst store of its slot's seq);
 *	S2 reads the destination's sleepers count (seq_cst load) and, if it
 *	   is not 0, wakes the destination's wait queue (uk_thread_wake: an
 *	   IPI if that CPU halted).
 * R2, R3, S1 and S2 are in the single total order of seq_cst operations.
 * If R3 misses S1 (reads the slot's older seq), R3 precedes S1 there (a
 * seq_cst load precedes the store it does not see), so R2 precedes S2,
 * and S2 reads R2's count (or a later one): the sender wakes the queue,
 * and R1, which came before R2 (release/acquire through the count), has
 * listed the receiver there; a wake-up that comes before the block makes
 * the block return at once. So no wake-up is lost, and none is sent while
 * nobody sleeps. (seq_cst accesses rather than fences: the same cost on
 * x86, an xchg for S1, and ThreadSanitizer checks them.)
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/chan.h>
#include <uk/plat/lcpu.h>
#include <uk/wait.h>
#ifdef CONFIG_HOST_TEST
#include <sched.h>
#else
#include <uk/sched.h>
#endif

#define CL UKARCH_CACHE_LINE_SIZE

UK_CTASSERT((UK_CHAN_SLOT_SIZE & (UK_CHAN_SLOT_SIZE - 1)) == 0);
UK_CTASSERT((UK_CHAN_SLOTS & (UK_CHAN_SLOTS - 1)) == 0);
UK_CTASSERT(UK_CHAN_SLOT_SIZE >= CL);

struct chan_slot {
	unsigned int len;
	unsigned int seq;	/* index + 1 of the message it holds or held */
	unsigned char data[UK_CHAN_MSG_MAX];
};
UK_CTASSERT(sizeof(struct chan_slot) == UK_CHAN_SLOT_SIZE);

struct chan_ring {
	struct {
		unsigned long head;	/* next slot to fill (sender's only) */
		unsigned long tail;	/* sender's copy of cons.tail */
	} prod __align(CL);
	struct {
		unsigned long tail;	/* next slot to take (receiver) */
	} cons __align(CL);
	struct chan_slot slots[UK_CHAN_SLOTS] __align(CL);
};

/*
 * What belongs to one CPU. sleepers has a cache line of its own: every
 * sender to this CPU reads it after each message (S2), and it changes only
 * when a receiver goes to sleep, so it stays shared in the senders' caches.
 * Next to the counters, which this CPU writes on every message, each
 * send would pull the line back from the receiver (two more line
 * transfers per message in a ping-pong).
 */
struct chan_cpu {
	unsigned int sleepers __align(CL); /* its threads between R2 and waking */
	unsigned int next_any __align(CL); /* recv_any's next sender to look at */
	struct uk_waitq wq;	/* its sleeping receivers */
	struct uk_chan_stats st;
} __align(CL);

static struct {
	unsigned int n;
	void *mem;		/* what setup allocated */
	struct uk_alloc *a;
	struct chan_ring *rings;	/* rings[to * n + from] */
	struct chan_cpu *cpus;
} ch;

/* The ring from CPU from to CPU to. */
static struct chan_ring *ring(unsigned int to, unsigned int from)
{
	return &ch.rings[to * ch.n + from];
}

/* Counters: written by their CPU only, read by anyone: relaxed is enough. */
static void stat_inc(unsigned long *c)
{
	__atomic_store_n(c, *c + 1, __ATOMIC_RELAXED);
}

int uk_chan_setup(struct uk_alloc *a, unsigned int ncpus)
{
	size_t rsz = sizeof(struct chan_ring) * ncpus * ncpus;
	size_t csz = sizeof(struct chan_cpu) * ncpus;
	unsigned int i;
	char *p;

	if (!ncpus || ncpus > CONFIG_UKPLAT_LCPU_MAXCOUNT)
		return -EINVAL;
	if (ch.n)
		return -EBUSY;
	p = uk_malloc(a, rsz + csz + CL);
	if (!p)
		return -ENOMEM;
	ch.mem = p;
	ch.a = a;
	p = (char *)ALIGN_UP((unsigned long)p, CL);
	memset(p, 0, rsz + csz);
	ch.rings = (struct chan_ring *)p;
	ch.cpus = (struct chan_cpu *)(p + rsz);
	for (i = 0; i < ncpus; i++)
		uk_waitq_init(&ch.cpus[i].wq);
	/* Release: the rings are ready before anyone sees n (uk_chan_cpus). */
	__atomic_store_n(&ch.n, ncpus, __ATOMIC_RELEASE);
	return 0;
}

void uk_chan_teardown(void)
{
	if (!ch.n)
		return;
	uk_free(ch.a, ch.mem);
	memset(&ch, 0, sizeof(ch));
}

unsigned int uk_chan_cpus(void)
{
	/* Acquire: pairs with the release in uk_chan_setup(). */
	return __atomic_load_n(&ch.n, __ATOMIC_ACQUIRE);
}

/* ---- sending ------------------------------------------------------------ */

/* S2: wakes CPU to's sleeping receivers, if it has any. */
static void notify(unsigned int to, struct chan_cpu *me)
{
	struct chan_cpu *dst = &ch.cpus[to];

	/* Seq_cst: S2, pairs with R2 (top of this file). */
	if (!__atomic_load_n(&dst->sleepers, __ATOMIC_SEQ_CST))
		return;
	stat_inc(&me->st.wakeups);
	uk_waitq_wake_up(&dst->wq);
}

int uk_chan_send_try(unsigned int to, const void *buf, unsigned int len)
{
	unsigned int self = ukplat_lcpu_idx();
	struct chan_ring *r;
	struct chan_slot *s;
	unsigned long head;

	if (to >= uk_chan_cpus() || to == self)
		return -EINVAL;
	if (len > UK_CHAN_MSG_MAX)
		return -EMSGSIZE;
	r = ring(to, self);
	head = r->prod.head;	/* ours: no other CPU touches it */
	if (head - r->prod.tail == UK_CHAN_SLOTS) {
		/*
		 * Acquire: pairs with the receiver's release of tail after
		 * it copied the slot out; we may overwrite it now.
		 */
		r->prod.tail = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
		UK_ASSERT(head - r->prod.tail <= UK_CHAN_SLOTS);
		if (head - r->prod.tail == UK_CHAN_SLOTS)
			return -EAGAIN;
	}
	s = &r->slots[head & (UK_CHAN_SLOTS - 1)];
	s->len = len;
	if (len)	/* buf may be NULL then */
		memcpy(s->data, buf, len);
	/*
	 * S1. Release would do for len and data (pairs with the receiver's
	 * load of seq in take()); seq_cst for the sleep protocol.
	 */
	__atomic_store_n(&s->seq, (unsigned int)(head + 1), __ATOMIC_SEQ_CST);
	r->prod.head = head + 1;
	stat_inc(&ch.cpus[self].st.sent);
	notify(to, &ch.cpus[self]);
	return 0;
}

/*
 * Lets the other threads of this CPU run while a ring stays full: uksched's
 * yield in the guest; host builds (support/host) have no scheduler of
 * their own to yield to, so they give the host CPU away.
 */
static void relax(void)
{
#ifdef CONFIG_HOST_TEST
	sched_yield();
#else
	uk_sched_yield();
#endif
}

int uk_chan_send(unsigned int to, const void *buf, unsigned int len)
{
	int rc;

	while ((rc = uk_chan_send_try(to, buf, len)) == -EAGAIN)
		relax();
	return rc;
}

/* ---- receiving ---------------------------------------------------------- */

/*
 * Takes the oldest message of ring from -> self into buf: its length,
 * -EAGAIN (empty) or -EMSGSIZE (it stays).
 */
static int take(unsigned int self, unsigned int from, void *buf,
		unsigned int size)
{
	struct chan_ring *r = ring(self, from);
	unsigned long tail = r->cons.tail;	/* ours */
	struct chan_slot *s = &r->slots[tail & (UK_CHAN_SLOTS - 1)];
	unsigned int want = (unsigned int)(tail + 1), seq, len;

	/*
	 * Acquire would do for len and data (pairs with S1); seq_cst for
	 * R3. On x86 both are a plain load.
	 */
	seq = __atomic_load_n(&s->seq, __ATOMIC_SEQ_CST);
	if (seq != want) {
		/* Free: last lap's message, or never used yet. */
		UK_ASSERT(seq == want - UK_CHAN_SLOTS ||
			  (!seq && tail < UK_CHAN_SLOTS));
		return -EAGAIN;
	}
	len = s->len;
	UK_ASSERT(len <= UK_CHAN_MSG_MAX);
	if (len > size)
		return -EMSGSIZE;
	if (len)
		memcpy(buf, s->data, len);
	/* Release: pairs with the sender's acquire load of tail. */
	__atomic_store_n(&r->cons.tail, tail + 1, __ATOMIC_RELEASE);
	stat_inc(&ch.cpus[self].st.received);
	return (int)len;
}

/*
 * One look at the rings the caller waits on: from (or every sender when
 * from is ch.n, for recv_any, starting at next_any). Sets *who.
 */
static int poll_once(unsigned int self, unsigned int from, unsigned int *who,
		     void *buf, unsigned int size)
{
	struct chan_cpu *me = &ch.cpus[self];
	unsigned int i, f;
	int rc;

	if (from < ch.n) {
		*who = from;
		return take(self, from, buf, size);
	}
	for (i = 0; i < ch.n; i++) {
		f = (me->next_any + i) % ch.n;
		if (f == self)
			continue;
		rc = take(self, f, buf, size);
		if (rc == -EAGAIN)
			continue;
		*who = f;
		me->next_any = (f + 1) % ch.n;
		return rc;
	}
	return -EAGAIN;
}

static void set_sleepers(struct chan_cpu *me, unsigned int v)
{
	/*
	 * Seq_cst: R2, pairs with S2 (top of this file). Only this CPU's
	 * threads write it, never two at once (cooperative scheduling), so
	 * a load and a store make the increment.
	 */
	__atomic_store_n(&me->sleepers, v, __ATOMIC_SEQ_CST);
}

/* R1..R3 until poll_once() finds a message; blocks in between. */
static int sleep_until(unsigned int self, unsigned int from, unsigned int *who,
		       void *buf, unsigned int size)
{
	struct chan_cpu *me = &ch.cpus[self];
	struct uk_waitq_entry e = { 0 };
	unsigned int sleepers = me->sleepers + 1;
	int rc;

	for (;;) {
		uk_waitq_prepare(&me->wq, &e);				/* R1 */
		set_sleepers(me, sleepers);				/* R2 */
		rc = poll_once(self, from, who, buf, size);		/* R3 */
		if (rc != -EAGAIN) {
			stat_inc(&me->st.rechecks);
			break;
		}
		stat_inc(&me->st.sleeps);
		uk_sched_switch_out();
		rc = poll_once(self, from, who, buf, size);
		if (rc != -EAGAIN)
			break;
	}
	set_sleepers(me, sleepers - 1);
	uk_waitq_finish(&me->wq, &e);
	return rc;
}

static int recv_wait(unsigned int from, unsigned int *who, void *buf,
		     unsigned int size)
{
	unsigned int self = ukplat_lcpu_idx(), i;
	int rc;

	for (i = 0; i < CONFIG_LIBUKMPI_CHAN_SPIN; i++) {
		rc = poll_once(self, from, who, buf, size);
		if (rc != -EAGAIN)
			return rc;
		ukarch_spinwait();
	}
	return sleep_until(self, from, who, buf, size);
}

int uk_chan_recv_try(unsigned int from, void *buf, unsigned int size)
{
	unsigned int self = ukplat_lcpu_idx();

	if (from >= uk_chan_cpus() || from == self)
		return -EINVAL;
	return take(self, from, buf, size);
}

int uk_chan_recv(unsigned int from, void *buf, unsigned int size)
{
	unsigned int who;

	if (from >= uk_chan_cpus() || from == ukplat_lcpu_idx())
		return -EINVAL;
	return recv_wait(from, &who, buf, size);
}

int uk_chan_recv_any_try(unsigned int *from, void *buf, unsigned int size)
{
	unsigned int who = 0;
	int rc;

	if (!uk_chan_cpus())
		return -EINVAL;
	rc = poll_once(ukplat_lcpu_idx(), ch.n, &who, buf, size);
	if (from && rc != -EAGAIN)
		*from = who;
	return rc;
}

int uk_chan_recv_any(unsigned int *from, void *buf, unsigned int size)
{
	unsigned int who = 0;
	int rc;

	if (!uk_chan_cpus())
		return -EINVAL;
	rc = recv_wait(ch.n, &who, buf, size);
	if (from)
		*from = who;
	return rc;
}

void uk_chan_stats_get(unsigned int cpu, struct uk_chan_stats *st)
{
	struct uk_chan_stats *s;

	memset(st, 0, sizeof(*st));
	if (cpu >= uk_chan_cpus())
		return;
	s = &ch.cpus[cpu].st;
	/* Relaxed: statistics, each counter on its own. */
	st->sent = __atomic_load_n(&s->sent, __ATOMIC_RELAXED);
	st->received = __atomic_load_n(&s->received, __ATOMIC_RELAXED);
	st->sleeps = __atomic_load_n(&s->sleeps, __ATOMIC_RELAXED);
	st->rechecks = __atomic_load_n(&s->rechecks, __ATOMIC_RELAXED);
	st->wakeups = __atomic_load_n(&s->wakeups, __ATOMIC_RELAXED);
}
