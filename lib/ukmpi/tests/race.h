/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The wake-up race test of ukmpi's suites (guest and host): CPU a sends
 * CPU b message i, b echoes it, for `rounds` rounds, both receiving with
 * the blocking uk_chan_recv(). a times its sends so that they land in
 * every phase of b's receive: at once, during b's polling, at the moment
 * b gives up polling, and just after b counted itself asleep (a waits for
 * b's sleeps counter to move, then sends: b is between announcing its
 * sleep and blocking, or already blocked) in 1 round of 32, near the end
 * of b's polling in 4, anywhere up to twice its polling time in 4, at
 * once in the rest (a sleeping round costs a halt and an IPI, slow under
 * TCG). A lost wake-up hangs b; the caller's watchdog turns that into a
 * failure. Progress and errors are in struct race; every message is
 * checked (tmsg.h). With a deadline, a stops at the first round that
 * starts after it (an empty message stops b): host suites bound their
 * time on a loaded machine that way and check the rounds they got.
 */
#ifndef __UKMPI_RACE_H__
#define __UKMPI_RACE_H__

#include <uk/arch/lcpu.h>
#include <uk/chan.h>
#include <uk/plat/time.h>
#include "tmsg.h"

/* Polls a receiver makes, less 32: b is about to give up polling. */
#define RACE_EDGE							\
	(CONFIG_LIBUKMPI_CHAN_SPIN > 32 ? CONFIG_LIBUKMPI_CHAN_SPIN - 32 : 0)

struct race {
	unsigned int a, b;
	unsigned long rounds;
	__nsec deadline;		/* a stops after it (0: never) */
	unsigned long done_a, done_b;	/* rounds completed (atomics) */
	int err;			/* first error: tmsg code, or errno */
	unsigned long err_round;
	unsigned long waited_for_sleep;	/* rounds sent after b slept */
	unsigned long b_round;		/* b is receiving round b_round - 1 */
	unsigned long b_base;		/* b's sleeps count before it */
};

static inline void race_fail(struct race *r, int err, unsigned long i)
{
	int zero = 0;

	/* Relaxed: read after both sides were joined. */
	if (__atomic_compare_exchange_n(&r->err, &zero, err, 0,
					__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		__atomic_store_n(&r->err_round, i, __ATOMIC_RELAXED);
}

static inline void race_delay(unsigned long pauses)
{
	while (pauses--)
		ukarch_spinwait();
}

static inline unsigned long race_sleeps(unsigned int cpu)
{
	struct uk_chan_stats st;

	uk_chan_stats_get(cpu, &st);
	return st.sleeps;
}

static inline void race_side_a(struct race *r)
{
	unsigned char buf[UK_CHAN_MSG_MAX];
	unsigned long i, rnd = 88172645463325252UL, slept;
	unsigned int len;
	int rc;

	for (i = 0; i < r->rounds; i++) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		switch (i % 32) {
		case 0:	/* b counted itself asleep: it is blocking now */
			/* Acquire: pairs with b's release of b_round. */
			while (__atomic_load_n(&r->b_round, __ATOMIC_ACQUIRE)
			       != i + 1)
				ukarch_spinwait();
			slept = r->b_base;
			while (race_sleeps(r->b) == slept)
				ukarch_spinwait();
			r->waited_for_sleep++;
			break;
		case 1 ... 4:	/* when b stops polling */
			race_delay(RACE_EDGE + rnd % 64);
			break;
		case 5 ... 8:	/* somewhere in b's polling or later */
			race_delay(rnd % (2 * CONFIG_LIBUKMPI_CHAN_SPIN + 1));
			break;
		default: /* soon: b is still polling, or not there yet */
			race_delay(rnd % 16);
			break;
		}
		if (r->deadline && ukplat_monotonic_clock() > r->deadline) {
			/* An empty message tells b to stop too. */
			uk_chan_send(r->b, NULL, 0);
			return;
		}
		len = tmsg_fill(buf, r->a, r->b, i);
		rc = uk_chan_send(r->b, buf, len);
		if (rc) {
			race_fail(r, rc, i);
			return;
		}
		rc = uk_chan_recv(r->b, buf, sizeof(buf));
		rc = rc < 0 ? rc : tmsg_check(buf, rc, r->b, r->a, i);
		if (rc) {
			race_fail(r, rc, i);
			return;
		}
		/* Relaxed: progress for the watchdog's report. */
		__atomic_store_n(&r->done_a, i + 1, __ATOMIC_RELAXED);
	}
}

static inline void race_side_b(struct race *r)
{
	unsigned char buf[UK_CHAN_MSG_MAX];
	unsigned long i;
	int rc;

	for (i = 0; i < r->rounds; i++) {
		r->b_base = race_sleeps(r->b);
		/* Release: b_base is written before a reads it. */
		__atomic_store_n(&r->b_round, i + 1, __ATOMIC_RELEASE);
		rc = uk_chan_recv(r->a, buf, sizeof(buf));
		if (rc == 0)
			return;		/* a ran out of time */
		rc = rc < 0 ? rc : tmsg_check(buf, rc, r->a, r->b, i);
		if (!rc)
			rc = uk_chan_send(r->a, buf,
					  tmsg_fill(buf, r->b, r->a, i));
		if (rc) {
			race_fail(r, rc, i);
			return;
		}
		__atomic_store_n(&r->done_b, i + 1, __ATOMIC_RELAXED);
	}
}

#endif /* __UKMPI_RACE_H__ */
