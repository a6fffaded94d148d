/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Per-CPU-pair channels: from every CPU to every other CPU one
 * single-producer single-consumer ring of fixed-size slots (Toro's
 * VirtIOBus: a core has one receive queue per other core). A message is
 * copied into the destination's ring for the sender; no lock and no atomic
 * read-modify-write is on the path of a message.
 *
 * Who may call: threads only (not interrupt handlers), and a thread must
 * stay on its CPU during a call (pinned; the cooperative scheduler does
 * not preempt it), because "the producer of ring a->b" is whatever runs on
 * CPU a and "its consumer" whatever runs on CPU b. Several threads of one
 * CPU may use the channels: none is interrupted inside a ring operation.
 *
 * Memory orders (each slot carries the sequence number of its message;
 * the receiver's index has a cache line of its own):
 *  - the sender fills a slot, then stores the slot's sequence number with
 *    release (seq_cst); the receiver loads it with acquire (seq_cst)
 *    before reading the slot, so a message that fits one cache line
 *    moves as that one line;
 *  - the receiver copies the slot out, then stores its index (tail) with
 *    release; the sender loads tail with acquire before it reuses the
 *    slot, and only when its private copy of tail says the ring is full.
 * The sleeping receiver and the sender's wake-up pair sequentially
 * consistent accesses; doc/ukmpi.md, "Sleep and wake-up", has the protocol.
 */
#ifndef __UK_CHAN_H__
#define __UK_CHAN_H__

#include <uk/essentials.h>

#ifndef CONFIG_LIBUKMPI_CHAN_SLOT_SIZE
#define CONFIG_LIBUKMPI_CHAN_SLOT_SIZE 256
#endif
#ifndef CONFIG_LIBUKMPI_CHAN_SLOTS
#define CONFIG_LIBUKMPI_CHAN_SLOTS 32
#endif
#ifndef CONFIG_LIBUKMPI_CHAN_SPIN
#define CONFIG_LIBUKMPI_CHAN_SPIN 256
#endif

/* Bytes of one slot (a power of two, at least a cache line). */
#define UK_CHAN_SLOT_SIZE	CONFIG_LIBUKMPI_CHAN_SLOT_SIZE
/* Slots of one ring (a power of two): messages in flight per pair. */
#define UK_CHAN_SLOTS		CONFIG_LIBUKMPI_CHAN_SLOTS
/* Largest message: a slot less its 8-byte header (length, sequence). */
#define UK_CHAN_MSG_MAX		(UK_CHAN_SLOT_SIZE - 8)

struct uk_alloc;

/*
 * Creates the rings between CPUs 0..ncpus-1 (ncpus^2 rings of
 * UK_CHAN_SLOTS * UK_CHAN_SLOT_SIZE bytes each) from allocator a. The
 * library does it at boot for every online CPU (default allocator); host
 * programs and tests call it themselves. One thread, before any other
 * call. Returns 0, -EINVAL (ncpus is 0 or above the platform's maximum),
 * -EBUSY (already set up) or -ENOMEM.
 */
int uk_chan_setup(struct uk_alloc *a, unsigned int ncpus);

/*
 * Frees what uk_chan_setup() created (messages still queued are lost).
 * Host tests only: nobody may use the channels during or after it.
 */
void uk_chan_teardown(void);

/* CPUs the channels connect (0: not set up). Any context. */
unsigned int uk_chan_cpus(void);

/*
 * Copies len bytes (at most UK_CHAN_MSG_MAX; 0 is a valid message) from buf
 * into a slot of the ring from the calling CPU to CPU to, and wakes a
 * receiver of to that sleeps. _try returns -EAGAIN when the ring is full;
 * uk_chan_send() instead waits for room (polling, and yielding the CPU to
 * its other threads). Returns 0, -EINVAL (to is the caller's CPU or not
 * connected), -EMSGSIZE (len too large), -EAGAIN (_try, full).
 */
int uk_chan_send_try(unsigned int to, const void *buf, unsigned int len);
int uk_chan_send(unsigned int to, const void *buf, unsigned int len);

/*
 * Takes the oldest message of the ring from CPU from to the calling CPU
 * and copies it into buf (size bytes). Returns its length, -EAGAIN (_try:
 * none), -EINVAL (from is the caller or not connected) or -EMSGSIZE (it is
 * longer than size: it stays queued). uk_chan_recv() waits: it polls the
 * ring a while (CONFIG_LIBUKMPI_CHAN_SPIN times), then announces that it
 * sleeps and blocks the thread; the sender's wake-up makes it runnable and
 * sends an IPI if its CPU halted.
 */
int uk_chan_recv_try(unsigned int from, void *buf, unsigned int size);
int uk_chan_recv(unsigned int from, void *buf, unsigned int size);

/*
 * As above, from whichever CPU has a message: the oldest of that sender's,
 * the senders being visited round robin (none is starved). *from (if not
 * NULL) is set to the sender. Returns the length, -EAGAIN (_try: nothing
 * queued), -EMSGSIZE (the chosen message is longer than size; *from says
 * whose: it stays queued) or -EINVAL (not set up).
 */
int uk_chan_recv_any_try(unsigned int *from, void *buf, unsigned int size);
int uk_chan_recv_any(unsigned int *from, void *buf, unsigned int size);

/* Counters of one CPU since setup (each written by that CPU only). */
struct uk_chan_stats {
	unsigned long sent;		/* messages it sent */
	unsigned long received;		/* messages it took */
	unsigned long sleeps;		/* times a receiver of it blocked */
	unsigned long rechecks;		/* ...announced it, then found one */
	unsigned long wakeups;		/* wake-ups it sent to sleepers */
};

/* Reads CPU cpu's counters (each one atomically). Any context. */
void uk_chan_stats_get(unsigned int cpu, struct uk_chan_stats *st);

#endif /* __UK_CHAN_H__ */
