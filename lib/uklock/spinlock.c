/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock: the waiting part of the spinlock (queue, backoff, skipping a
 * preempted waiter, the bound on skipping) and, with CONFIG_LIBUKLOCK_DEBUG,
 * the owner checks and the per-CPU count of held spinlocks. The fast paths
 * are inline in uk/spinlock.h; design notes in doc/uklock.md.
 *
 * The bound. A waiter is passed over when another CPU takes the lock
 * between the waiter's ticket and its own acquisition. With n CPUs using
 * the lock, no waiter is passed over more than _UK_SPIN_PASSES_MAX(n) =
 * _UK_SPIN_SKIP_LIMIT + n (_UK_SPIN_BATCH + 3) times, whether it, the
 * holder or anybody else is preempted; and a skipped waiter that runs
 * again gets the lock before anybody but other skipped waiters (at most
 * n - 2 of them). Proof sketch (doc/uklock.md, "The bound"):
 *
 * - While queued, a waiter W is passed by the turns of the tickets ahead of
 *   it (at most n - 1, one per other CPU), by batches (at most
 *   _UK_SPIN_BATCH per value of `head`, and `head` takes at most n values
 *   before W's turn) and by returning skipped waiters (one per other CPU:
 *   below). A skip by a waiter behind W moves `head` past W's ticket: W
 *   is then a skipped waiter.
 * - A skip adds the tickets it skips to the `missing` count of `skipped`.
 *   From then until all of them have had the lock, every release adds one
 *   to `since` (uk_spin_unlock()), and the release that brings it to
 *   _UK_SPIN_SKIP_LIMIT sets the closed bit of `word`. A closed lock is
 *   taken only by skipped waiters (each once, and each then leaves
 *   `missing`); it opens again when no skipped waiter runs and waits
 *   (`present`) and `since` is below the limit or none is missing. So a
 *   skipped waiter is passed at most _UK_SPIN_SKIP_LIMIT + n - 2 times
 *   after its skip, even if it does not run for a long time: the others
 *   then wait for it, which is the price of the bound.
 * - A skipped waiter that runs again does not queue: it counts itself in
 *   `present`, sets the wanted bit of `word` and takes the lock at the
 *   next release. While that bit is set the fast paths fail and queued
 *   waiters leave a free lock alone, unless it stays free for
 *   UK_SPIN_SKIP_PAUSES pauses (the skipped waiter was preempted again:
 *   it is still protected by the limit).
 *
 * Invariants (UK_ASSERTed in debug builds, at every acquisition):
 * present <= missing; missing == 0 implies skipped == 0 and since == 0;
 * the batch count is at most _UK_SPIN_BATCH; since <= _UK_SPIN_SKIP_LIMIT +
 * SPIN_MAXCPU; and the passes of a waiter that got the lock are at most
 * _UK_SPIN_PASSES_MAX(SPIN_MAXCPU) (CONFIG_UKPLAT_LCPU_MAXCOUNT CPUs).
 *
 * State changes: `word` as held,batch,wanted,closed; `skipped`, `since`.
 *   take ahead (fast path)    0,b,0,0 -> 1,b+1,0,0   b < _UK_SPIN_BATCH
 *   turn or skip (queued)     0,b,w,0 -> 1,0,w,0     missing += skipped
 *                                      (w = 1 only after the wanted wait)
 *   skipped, running again    wanted := 1            present += 1
 *   skipped, takes it         0,b,w,c -> 1,b,w,c     missing -= 1,
 *                                 present -= 1; since := 0 at missing 0
 *   release, missing > 0      closed := 1 at the limit   since += 1
 *   skipped, after taking it  wanted := 0 and (since < limit or
 *                             missing == 0: closed := 0) when present == 0
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

/* _UK_SPIN_BATCH (uk/spinlock.h) is counted in 6 bits of `word`. */
#if _UK_SPIN_BATCH < 0 || _UK_SPIN_BATCH > 63
#error "_UK_SPIN_BATCH must fit in the batch bits of struct uk_spinlock"
#endif

#ifdef CONFIG_UKPLAT_LCPU_MAXCOUNT
#define SPIN_MAXCPU	CONFIG_UKPLAT_LCPU_MAXCOUNT
#else
#define SPIN_MAXCPU	64
#endif

/*
 * `since` counts past the limit by up to one per CPU; `skipped` counts at
 * most one waiter per CPU in 8 bits.
 */
#if _UK_SPIN_SKIP_LIMIT < 1 || _UK_SPIN_SKIP_LIMIT > 0xffffffffu - SPIN_MAXCPU
#error "_UK_SPIN_SKIP_LIMIT must leave room for SPIN_MAXCPU in 32 bits"
#endif
#if SPIN_MAXCPU > 255
#error "the skipped counts of struct uk_spinlock hold 255 CPUs at most"
#endif

/* An invariant, UK_ASSERTed in debug builds. */
#if CONFIG_LIBUKLOCK_DEBUG
#define SPIN_CHECK(x)	UK_ASSERT(x)
#else
#define SPIN_CHECK(x)	do { } while (0)
#endif

/* The two counts in `skipped`. */
static inline unsigned int skipped_missing(__u16 skipped)
{
	return skipped & 0xff;
}

static inline unsigned int skipped_present(__u16 skipped)
{
	return skipped >> 8;
}

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
 * Called by a skipped waiter right after it took the lock (present: what
 * it added to `skipped` when it ran again, 0 if it took the lock before it
 * noticed the skip): it leaves the counts, and opens the lock again unless
 * another skipped waiter runs and waits, or one is still missing and the
 * limit was reached.
 */
static void served_after_skip(struct uk_spinlock *lock, __u16 present)
{
	/*
	 * Relaxed: `skipped` only decides who may take the lock; every change
	 * to it is an atomic operation, so none is lost, and its other
	 * writers are holders (ordered with us by the lock) or skipped
	 * waiters adding to `present`, which set the wanted bit again if we
	 * clear it too early (wait_after_skip()).
	 */
	__u16 old = __atomic_load_n(&lock->skipped, __ATOMIC_RELAXED), next;
	/* Relaxed: written by holders only, ordered by the lock. */
	__u32 since = __atomic_load_n(&lock->since, __ATOMIC_RELAXED);

	do {
		SPIN_CHECK(skipped_missing(old) >= 1);
		next = (__u16)(old - _UK_SPIN_SKIPPED_ONE - present);
	} while (!__atomic_compare_exchange_n(&lock->skipped, &old, next, 0,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	if (skipped_missing(next) == 0) {
		/* The last one: `since` starts again at the next skip. */
		SPIN_CHECK(next == 0);
		since = 0;
		/* Relaxed: as above. */
		__atomic_store_n(&lock->since, 0, __ATOMIC_RELAXED);
	}
	if (skipped_present(next) == 0) {
		/* Nobody waits to go first; closed while a limit holds. */
		__u32 clear = _UK_SPIN_WANTED;

		if (since < _UK_SPIN_SKIP_LIMIT)
			clear |= _UK_SPIN_CLOSED;
		/*
		 * Relaxed: the bits only keep others from taking the lock;
		 * the release store of our unlock orders our critical
		 * section.
		 */
		if (__atomic_load_n(&lock->word, __ATOMIC_RELAXED) & clear)
			__atomic_fetch_and(&lock->word, ~clear,
					   __ATOMIC_RELAXED);
	}
}

/*
 * Called right after the caller took the lock with ticket t: when t is still
 * queued, moves `head` past it (and past the waiters skipped before it,
 * which it counts in `skipped`), so the next waiter's turn comes, and starts a
 * new batch for that waiter. When t is no longer queued (the caller was
 * skipped between deciding and taking), it is a skipped waiter served.
 */
static void take_turn(struct uk_spinlock *lock, __u16 t)
{
	/*
	 * Relaxed: only the lock holder writes `head`, and holders are
	 * ordered by the lock's acquire/release, so we read the latest value.
	 */
	__u16 head = __atomic_load_n(&lock->head, __ATOMIC_RELAXED);
	/* Relaxed: `tail` only grows; an older value is still past t. */
	__u32 word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);
	__u16 skipped = ticket_dist(head, t);

	if (skipped >= ticket_dist(head, tail_of(word))) {
		served_after_skip(lock, 0);
		return;
	}
	if (skipped)
		/*
		 * Relaxed: read by holders (ordered by the lock) and by the
		 * skipped waiters, after they see the release store of
		 * `head` below.
		 */
		__atomic_fetch_add(&lock->skipped,
				   (__u16)(skipped * _UK_SPIN_SKIPPED_ONE),
				   __ATOMIC_RELAXED);
#if _UK_SPIN_BATCH
	/*
	 * New batch. An atomic AND, since a skipped waiter may set the wanted
	 * bit next to the count at any time. Relaxed: the release store of
	 * the unlock orders it before the lock is free again.
	 */
	if (word & _UK_SPIN_BATCH_MASK)
		__atomic_fetch_and(&lock->word, ~_UK_SPIN_BATCH_MASK,
				   __ATOMIC_RELAXED);
#endif
	/*
	 * Release: pairs with the acquire load of `head` by a skipped waiter,
	 * which then sees itself counted in `skipped`. The next holder sees it
	 * through the lock's release/acquire anyway.
	 */
	__atomic_store_n(&lock->head, (__u16)(t + 1), __ATOMIC_RELEASE);
}

/*
 * Sets the held bit of a lock that is free and, unless `any`, not closed;
 * retried while only other bits change. 1 when we got it.
 */
static inline int grab(struct uk_spinlock *lock, int any)
{
	__u32 stop = _UK_SPIN_HELD | (any ? 0 : _UK_SPIN_CLOSED);
	/* Relaxed: the compare-and-swap below checks it again. */
	__u32 word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

	while (!(word & stop))
		/*
		 * Acquire on success: pairs with the release store of the
		 * previous holder. Relaxed on failure: we only look at the
		 * word it returns.
		 */
		if (__atomic_compare_exchange_n(&lock->word, &word,
						word | _UK_SPIN_HELD, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return 1;
	return 0;
}

/*
 * A skipped waiter that runs again: it says so in `present` and in the
 * wanted bit, so that the others leave the lock to it at the next release.
 */
static void wait_after_skip(struct uk_spinlock *lock)
{
	/*
	 * Relaxed: we are counted as missing (we saw the release store of
	 * `head` that follows that count), so this only adds to a non-zero
	 * `skipped`; the holder that reads it decides about reopening only.
	 */
	__atomic_fetch_add(&lock->skipped, _UK_SPIN_SKIPPED_PRESENT,
			   __ATOMIC_RELAXED);
	for (;;) {
		/* Relaxed: grab() decides. */
		__u32 word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

		if (!(word & _UK_SPIN_HELD)) {
			if (grab(lock, 1))
				break;
			continue;
		}
		if (!(word & _UK_SPIN_WANTED))
			/*
			 * Relaxed: the bit only asks others to wait; who
			 * takes the lock is decided by the compare-and-swap.
			 */
			__atomic_fetch_or(&lock->word, _UK_SPIN_WANTED,
					  __ATOMIC_RELAXED);
		spin_pause(head_spacing());
	}
	served_after_skip(lock, _UK_SPIN_SKIPPED_PRESENT);
}

void _uk_spin_count_pass(struct uk_spinlock *lock)
{
	/*
	 * Relaxed: only holders write `since`, ordered by the lock; the
	 * closed bit set below comes before our release store of the same
	 * word, so whoever finds the lock free finds it closed.
	 */
	__u32 since = __atomic_load_n(&lock->since, __ATOMIC_RELAXED) + 1;

	__atomic_store_n(&lock->since, since, __ATOMIC_RELAXED);
	if (since >= _UK_SPIN_SKIP_LIMIT
	    && !(__atomic_load_n(&lock->word, __ATOMIC_RELAXED)
		 & _UK_SPIN_CLOSED))
		__atomic_fetch_or(&lock->word, _UK_SPIN_CLOSED,
				  __ATOMIC_RELAXED);
}

#if CONFIG_LIBUKLOCK_DEBUG
static void note_passes(struct uk_spinlock *lock, __u32 clock0);
#endif

void _uk_spin_lock_contended(struct uk_spinlock *lock)
{
	__u16 t, last_head;
	unsigned int stuck = 0, free_polls = 0, wanted = 0;
#if CONFIG_LIBUKLOCK_DEBUG
	__u32 clock0;
#endif

	/*
	 * Queue: one fetch-and-add, which always succeeds, right after the
	 * failed compare-and-swap of the fast path (which brought the cache
	 * line here), so nobody gets in between. Relaxed: a ticket only
	 * orders waiters; the lock is taken with an acquire operation below.
	 */
	t = tail_of(__atomic_fetch_add(&lock->word, _UK_SPIN_TICKET,
				       __ATOMIC_RELAXED));
#if CONFIG_LIBUKLOCK_DEBUG
	/* Relaxed: the holders' count; at most one behind (the holder now). */
	clock0 = __atomic_load_n(&lock->clock, __ATOMIC_RELAXED);
#endif
	last_head = t;

	for (;;) {
		/*
		 * Relaxed load of `word`: it decides when to try to set the
		 * held bit, which alone grants the lock. `head` first, with
		 * acquire (pairs with take_turn()'s release store: a skip we
		 * see is counted in `skipped`): `tail` read afterwards is at
		 * least as new, so tail - head is a valid queue length.
		 */
		__u16 head = __atomic_load_n(&lock->head, __ATOMIC_ACQUIRE);
		__u32 word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);
		__u16 place = ticket_dist(head, t);
		int open = !(word & (_UK_SPIN_HELD | _UK_SPIN_CLOSED));
		unsigned int backoff;

		if (place >= ticket_dist(head, tail_of(word))) {
			/* Skipped while we did not run. */
			wait_after_skip(lock);
			break;
		}
		if (!(word & _UK_SPIN_WANTED)) {
			wanted = 0;
		} else if (open && wanted < UK_SPIN_SKIP_PAUSES) {
			/*
			 * A skipped waiter runs again and goes first, unless
			 * it leaves the lock free for as long as it takes to
			 * skip a waiter (it was preempted again).
			 */
			wanted += head_spacing();
			spin_pause(head_spacing());
			continue;
		} else if (open) {
			/*
			 * It was: clear the bit, or every acquisition would
			 * wait as long again; it sets it again when it runs.
			 * Relaxed: the bit only asks others to wait.
			 */
			__atomic_fetch_and(&lock->word, ~_UK_SPIN_WANTED,
					   __ATOMIC_RELAXED);
			wanted = 0;
		}
		if (place == 0) {
			/*
			 * Our turn: take it when it is free, and, while the
			 * releasing CPU may still take it back (batch not
			 * used up), has been free for UK_SPIN_DEFER_POLLS
			 * polls in a row.
			 */
			if (open) {
				if (free_polls < defer_polls &&
				    (word & _UK_SPIN_BATCH_MASK) < batch_full)
					free_polls++;
				else if (grab(lock, 0)) {
					take_turn(lock, t);
					break;
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
		} else if (open) {
			/*
			 * Free, but the waiter whose turn it is has not taken
			 * it: after long enough, it is not running. (Closed
			 * does not count: then skipped waiters go first.)
			 */
			stuck += backoff;
			if (stuck >= (unsigned int)place * UK_SPIN_SKIP_PAUSES
			    && grab(lock, 0)) {
				take_turn(lock, t);
				break;
			}
		}
		spin_pause(backoff);
	}
#if CONFIG_LIBUKLOCK_DEBUG
	note_passes(lock, clock0);
#endif
}

#if CONFIG_LIBUKLOCK_DEBUG

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

/*
 * The invariants of the top of this file that a holder can check. Relaxed
 * loads: `skipped` and `word` change under us only by skipped waiters
 * adding to `present` and closing, which keeps each check true; `since` is
 * written by holders only.
 */
static void check_invariants(struct uk_spinlock *lock)
{
	__u16 skipped = __atomic_load_n(&lock->skipped, __ATOMIC_RELAXED);
	__u32 since = __atomic_load_n(&lock->since, __ATOMIC_RELAXED);
	__u32 word = __atomic_load_n(&lock->word, __ATOMIC_RELAXED);

	UK_ASSERT(skipped_present(skipped) <= skipped_missing(skipped));
	UK_ASSERT(skipped_missing(skipped) || (!skipped && !since));
	UK_ASSERT(since <= _UK_SPIN_SKIP_LIMIT + SPIN_MAXCPU);
	UK_ASSERT(((word & _UK_SPIN_BATCH_MASK) >> _UK_SPIN_BATCH_SHIFT)
		  <= _UK_SPIN_BATCH);
}

/*
 * Called by a waiter that queued when clock was clock0, right after it got
 * the lock: checks and records its passes.
 */
static void note_passes(struct uk_spinlock *lock, __u32 clock0)
{
	/* Relaxed: `clock` and `max_passes` are written by holders only. */
	__u32 passes = __atomic_load_n(&lock->clock, __ATOMIC_RELAXED) - clock0;

	UK_ASSERT(passes <= _UK_SPIN_PASSES_MAX(SPIN_MAXCPU));
	if (passes > __atomic_load_n(&lock->max_passes, __ATOMIC_RELAXED))
		__atomic_store_n(&lock->max_passes, passes, __ATOMIC_RELAXED);
}

/* Records the calling CPU as holder; called with the lock just taken. */
static void set_owner(struct uk_spinlock *lock, unsigned int cpu,
		      unsigned long ra)
{
	check_invariants(lock);
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
	/* Relaxed: written by holders only, ordered by the lock. */
	__atomic_store_n(&lock->clock,
			 __atomic_load_n(&lock->clock, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	/* Relaxed: as in uk_spin_unlock(). */
	if (__atomic_load_n(&lock->skipped, __ATOMIC_RELAXED))
		_uk_spin_count_pass(lock);
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
