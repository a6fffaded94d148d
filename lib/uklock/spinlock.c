/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock: the waiting part of the spinlock (queue, backoff, skipping a
 * preempted waiter) and, with CONFIG_LIBUKLOCK_DEBUG, the owner checks and
 * the per-CPU count of held spinlocks. The fast paths are inline in
 * uk/spinlock.h; design notes in doc/uklock.md.
 */
#include <uk/essentials.h>
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>
#include <uk/spinlock.h>
#if CONFIG_LIBUKLOCK_DEBUG
#include <stdio.h>
#include <uk/assert.h>
#include <uk/plat/bootstrap.h>
#endif

/*
 * A waiter n places behind the one whose turn it is takes the lock out of
 * turn once it has seen the lock free, with `head` not moving, for
 * n * UK_SPIN_SKIP_PAUSES pause instructions. A waiter that runs takes its
 * turn within a few polls (a cache line transfer), so this only fires when
 * that waiter does not run.
 */
#define UK_SPIN_SKIP_PAUSES	512

/* _UK_SPIN_BATCH (uk/spinlock.h) is counted in one byte of `word`. */
#if _UK_SPIN_BATCH < 0 || _UK_SPIN_BATCH > 255
#error "_UK_SPIN_BATCH must fit in the batch byte of struct uk_spinlock"
#endif

/*
 * The waiter at the head, seeing the lock free while the batch is not used
 * up, leaves it alone for this many more polls (one pause each), so that the
 * CPU that just released it can take it back: it needs two locked
 * instructions for that, and a waiter that takes the line in between ends
 * the batch early. 0: grab at once. On the device, 0 gave more 2-thread
 * throughput but left 4 threads on 2 cores at the edge of the goal (half
 * the 2-thread figure), 2 kept it with a margin
 * (doc/uklock-measurements.md).
 */
#define UK_SPIN_DEFER_POLLS	2

/* The two above as values (no "always false" warnings when 0). */
static const unsigned int defer_polls = UK_SPIN_DEFER_POLLS;
static const __u32 batch_full = (__u32)_UK_SPIN_BATCH << _UK_SPIN_BATCH_SHIFT;

/* Pauses n times. */
static inline void spin_pause(unsigned int n)
{
	while (n--)
		ukarch_spinwait();
}

/*
 * How often waiters look at the lock. Every look takes the cache line out
 * of the holder's cache, and the holder then needs it back to release the
 * lock and to take it again within its batch: on the 16-core Intel device,
 * a waiter at the head polling every pause cut 2-thread throughput to
 * 0.4-0.5x of pthread_spin_lock, because batches broke up and every
 * acquisition paid for line transfers. So the waiter at the head polls a
 * held lock every `spacing` pause instructions, and a waiter `place` places
 * behind it every min(place, SPIN_BEHIND_PLACES_MAX) * spacing (the
 * further back, the longer until its turn). A lock seen free is polled
 * every pause (see UK_SPIN_DEFER_POLLS), so the hand-over itself is not
 * delayed.
 *
 * `spacing` depends on what runs the CPU. On hardware, and under KVM, it
 * is 32 (with 32 the device gave 1.2-1.8x pthread_spin_lock with 2 threads
 * and 2x with 16, max/min below 1.2: doc/uklock-measurements.md, "Polling
 * less").
 * Under an emulator (ukplat_virt(), QEMU TCG) there are no
 * cache-line transfers to save, and 32 pauses per poll left the lock idle
 * for most of each hand-over (2.5-3 Mops/s with 2-4 vCPUs against 7-10
 * with 1 and with 4), so there it is 4.
 */
#define SPIN_SPACING_HW		32
#define SPIN_SPACING_TCG	4
#define SPIN_BEHIND_PLACES_MAX	32	/* backoff grows up to this place */

/* Pauses per poll; 0 until looked up (any CPU may, once or more). */
static unsigned int spin_spacing;

/*
 * SPIN_SPACING_TCG under an emulator, SPIN_SPACING_HW otherwise, and
 * always where the platform cannot tell (upstream Unikraft has no
 * ukplat_virt(): doc/reuse.md).
 */
static unsigned int __noinline find_spacing(void)
{
#if UKPLAT_HAVE_VIRT
	if (ukplat_virt() == UKPLAT_VIRT_EMU)
		return SPIN_SPACING_TCG;
#endif
	return SPIN_SPACING_HW;
}

static inline unsigned int head_spacing(void)
{
	/*
	 * Relaxed: the value only tunes polling, and every CPU finds the same
	 * one, so racing writers store the same number.
	 */
	unsigned int n = __atomic_load_n(&spin_spacing, __ATOMIC_RELAXED);

	if (likely(n))
		return n;
	n = find_spacing();
	/* Relaxed: as above. */
	__atomic_store_n(&spin_spacing, n, __ATOMIC_RELAXED);
	return n;
}

static inline unsigned int behind_spacing(unsigned int place)
{
	unsigned int n = head_spacing();

	return MIN(place, (unsigned int)SPIN_BEHIND_PLACES_MAX) * n;
}

/* Distance from a to b in ticket space (tickets wrap at 2^16). */
static inline __u16 ticket_dist(__u16 a, __u16 b)
{
	return (__u16)(b - a);
}

static inline __u16 tail_of(__u32 word)
{
	return (__u16)(word >> _UK_SPIN_TICKET_SHIFT);
}

/*
 * Called right after the caller took the lock with ticket t: when t is still
 * queued, moves `head` past it (and past any waiter skipped before it), so
 * the next waiter's turn comes, and starts a new batch for that waiter. When
 * t is no longer queued (the caller was skipped between deciding and
 * taking), leaves both alone.
 */
static void take_turn(struct uk_spinlock *lock, __u16 t)
{
	/*
	 * Relaxed: only the lock holder writes `head`, and holders are
	 * ordered by the lock's acquire/release, so we read the latest value.
	 */
	__u16 head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
	/* Relaxed: `tail` only grows; an older value is still past t. */
	__u16 tail = tail_of(__atomic_load_n(&lock->word, __ATOMIC_RELAXED));

	if (ticket_dist(head, t) < ticket_dist(head, tail)) {
#if _UK_SPIN_BATCH
		/*
		 * New batch: a byte store into `word`, like the release in
		 * uk_spin_unlock(). The batch byte changes only while the lock
		 * is free (by the atomic operation that takes it) or by the
		 * holder, which we are. Relaxed: the release store of the
		 * unlock orders it before the lock is free again.
		 */
		__atomic_store_n((__u8 *)&lock->word + 1, 0, __ATOMIC_RELAXED);
#endif
		/*
		 * Relaxed: waiters read it only to decide when to try;
		 * the next holder sees it through the lock's release/acquire.
		 */
		__atomic_store_n(&lock->head, (__u16)(t + 1), __ATOMIC_RELAXED);
	}
}

/* Sets the held bit of a lock seen free; 1 when we got it. */
static inline int grab(struct uk_spinlock *lock)
{
	/* Acquire: pairs with the release store of the previous holder. */
	return !(__atomic_fetch_or(&lock->word, _UK_SPIN_HELD, __ATOMIC_ACQUIRE)
		 & _UK_SPIN_HELD);
}

void _uk_spin_lock_contended(struct uk_spinlock *lock)
{
	__u16 t, last_head;
	unsigned int stuck = 0, free_polls = 0;

	/*
	 * Queue: one fetch-and-add, which always succeeds, right after the
	 * failed compare-and-swap of the fast path (which brought the cache
	 * line here), so nobody gets in between. Relaxed: a ticket only
	 * orders waiters; the lock is taken with an acquire operation below.
	 */
	t = tail_of(__atomic_fetch_add(&lock->word, _UK_SPIN_TICKET,
				       __ATOMIC_RELAXED));
	last_head = t;

	for (;;) {
		/*
		 * Relaxed loads: they decide when to try to set the held bit,
		 * which alone grants the lock. `head` first: `tail` read
		 * afterwards is at least as new, so tail - head is a valid
		 * queue length.
		 */
		__u16 head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
		__u32 word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);
		__u16 place = ticket_dist(head, t);
		unsigned int backoff;

		if (place >= ticket_dist(head, tail_of(word))) {
			/*
			 * Skipped while we did not run: queue again. Relaxed:
			 * as for the first ticket.
			 */
			t = tail_of(__atomic_fetch_add(&lock->word,
						       _UK_SPIN_TICKET,
						       __ATOMIC_RELAXED));
			last_head = head;
			stuck = 0;
			continue;
		}
		if (place == 0) {
			/*
			 * Our turn: take it when it is free, and, while the
			 * releasing CPU may still take it back (batch not
			 * used up), has been free for UK_SPIN_DEFER_POLLS
			 * polls in a row.
			 */
			if (!(word & _UK_SPIN_HELD)) {
				if (free_polls < defer_polls &&
				    (word & _UK_SPIN_BATCH_MASK) < batch_full)
					free_polls++;
				else if (grab(lock)) {
					take_turn(lock, t);
					return;
				}
				ukarch_spinwait();
			} else {
				free_polls = 0;
				spin_pause(head_spacing());
			}
			continue;
		}
		backoff = behind_spacing(place);
		if (head != last_head) {
			last_head = head;
			stuck = 0;
		} else if (!(word & _UK_SPIN_HELD)) {
			/*
			 * Free, but the waiter whose turn it is has not taken
			 * it: after long enough, it is not running.
			 */
			stuck += backoff;
			if (stuck >= (unsigned int)place * UK_SPIN_SKIP_PAUSES
			    && grab(lock)) {
				take_turn(lock, t);
				return;
			}
		}
		spin_pause(backoff);
	}
}

#if CONFIG_LIBUKLOCK_DEBUG

#ifdef CONFIG_UKPLAT_LCPU_MAXCOUNT
#define SPIN_MAXCPU	CONFIG_UKPLAT_LCPU_MAXCOUNT
#else
#define SPIN_MAXCPU	64
#endif

/* Spinlocks each CPU holds; a cache line each (no false sharing). */
static struct {
	unsigned int n;
} __align(UKARCH_CACHE_LINE_SIZE) held_count[SPIN_MAXCPU];

static unsigned int this_cpu(void)
{
	unsigned int cpu = ukplat_lcpu_idx();

	UK_ASSERT(cpu < SPIN_MAXCPU);
	return cpu;
}

/* A code address as "name+0xoff [0xaddr]", or "0xaddr" without symbols. */
struct where {
	char s[96];
};

static void describe(struct where *w, unsigned long addr)
{
	unsigned long off = 0;
	const char *sym = addr ? ukplat_symbol(addr, &off) : NULL;
	int n;

	if (sym)
		n = snprintf(w->s, sizeof(w->s), "%s+0x%lx [0x%lx]", sym,
			     off, addr);
	else
		n = snprintf(w->s, sizeof(w->s), "0x%lx", addr);
	if (n < 0)
		w->s[0] = '\0';
}

/* Records the calling CPU as holder; called with the lock just taken. */
static void set_owner(struct uk_spinlock *lock, unsigned int cpu,
		      unsigned long ra)
{
	/*
	 * Relaxed: the owner fields are written by the holder only; other
	 * CPUs read them for checks against their own index and messages.
	 */
	__atomic_store_n(&lock->owner_ra, ra, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, cpu + 1, __ATOMIC_RELAXED);
	/* Relaxed: this CPU's counter, touched by this CPU only. */
	__atomic_fetch_add(&held_count[cpu].n, 1, __ATOMIC_RELAXED);
}

void __noinline _uk_spin_lock_debug(struct uk_spinlock *lock)
{
	unsigned long ra = (unsigned long)__builtin_return_address(0);
	unsigned int cpu = this_cpu();
	/*
	 * Relaxed: only this CPU ever stores cpu + 1 there, and it clears it
	 * before releasing, so reading cpu + 1 means we hold the lock.
	 */
	__u32 owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);

	if (owner == cpu + 1) {
		struct where held_at, now_at;

		describe(&held_at, __atomic_load_n(&lock->owner_ra,
						   __ATOMIC_RELAXED));
		describe(&now_at, ra);
		UK_CRASH("spinlock %p: recursive acquisition: CPU %u, which "
			 "holds it (taken at %s), takes it again at %s",
			 (void *)lock, cpu, held_at.s, now_at.s);
	}
	if (!_uk_spin_take(lock, _UK_SPIN_BATCH))
		_uk_spin_lock_contended(lock);
	set_owner(lock, cpu, ra);
}

int __noinline _uk_spin_trylock_debug(struct uk_spinlock *lock)
{
	unsigned long ra = (unsigned long)__builtin_return_address(0);
	unsigned int cpu = this_cpu();

	if (!_uk_spin_try(lock))
		return 0;
	set_owner(lock, cpu, ra);
	return 1;
}

void __noinline _uk_spin_unlock_debug(struct uk_spinlock *lock)
{
	unsigned long ra = (unsigned long)__builtin_return_address(0);
	unsigned int cpu = this_cpu();
	/* Relaxed: see _uk_spin_lock_debug(); other values are only printed. */
	__u32 owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);

	if (owner != cpu + 1) {
		struct where held_at, now_at;

		describe(&now_at, ra);
		if (!owner)
			UK_CRASH("spinlock %p: unlocked at %s by CPU %u, but "
				 "nobody holds it", (void *)lock, now_at.s,
				 cpu);
		describe(&held_at, __atomic_load_n(&lock->owner_ra,
						   __ATOMIC_RELAXED));
		UK_CRASH("spinlock %p: unlocked at %s by CPU %u, but CPU %u "
			 "holds it (taken at %s)", (void *)lock, now_at.s,
			 cpu, owner - 1, held_at.s);
	}
	/* Relaxed: ordered before the release store below. */
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner_ra, 0, __ATOMIC_RELAXED);
	/* Relaxed: this CPU's counter, touched by this CPU only. */
	__atomic_fetch_sub(&held_count[cpu].n, 1, __ATOMIC_RELAXED);
	/* Release: as in uk_spin_unlock(). */
	__atomic_store_n((__u8 *)&lock->word, 0, __ATOMIC_RELEASE);
}

void __noinline _uk_spin_assert_held_debug(struct uk_spinlock *lock)
{
	unsigned long ra = (unsigned long)__builtin_return_address(0);
	unsigned int cpu = this_cpu();
	/* Relaxed: see _uk_spin_lock_debug(); other values are only printed. */
	__u32 owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	struct where held_at, now_at;

	if (owner == cpu + 1)
		return;
	describe(&now_at, ra);
	if (!owner)
		UK_CRASH("spinlock %p: CPU %u asserts at %s that it holds it, "
			 "but nobody does", (void *)lock, cpu, now_at.s);
	describe(&held_at, __atomic_load_n(&lock->owner_ra, __ATOMIC_RELAXED));
	UK_CRASH("spinlock %p: CPU %u asserts at %s that it holds it, but "
		 "CPU %u does (taken at %s)", (void *)lock, cpu, now_at.s,
		 owner - 1, held_at.s);
}

unsigned int uk_spin_held_count(void)
{
	/* Relaxed: this CPU's own counter. */
	return __atomic_load_n(&held_count[this_cpu()].n, __ATOMIC_RELAXED);
}

#else /* !CONFIG_LIBUKLOCK_DEBUG */

unsigned int uk_spin_held_count(void)
{
	return 0;
}

#endif /* CONFIG_LIBUKLOCK_DEBUG */
