/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite of the per-CPU-pair channels across real vCPUs: the
 * argument checks, every ordered pair ping-ponging, all pairs at once
 * (FIFO order, intact messages, exact totals), and the wake-up race
 * (CONFIG_LIBUKMPI_TEST_RACE_ROUNDS rounds) under a watchdog. At -smp 1
 * only the checks have pairs to work with; the rest says so and passes.
 */
#include <errno.h>
#include <stdio.h>
#include <uk/chan.h>
#include <uk/plat/lcpu.h>
#include <uk/test.h>
#include "guest_run.h"
#include "race.h"
#include "tmsg.h"

uk_testsuite_register(ukmpi_chan, NULL);

#define PINGS 200		/* round trips per ordered pair */
#define A2A 400			/* messages per ordered pair, all at once */
#define RACE_ROUNDS CONFIG_LIBUKMPI_TEST_RACE_ROUNDS

static unsigned long errors;	/* atomics: failed checks in the threads */

static void fail(void)
{
	/* Relaxed: read after the threads were joined. */
	__atomic_fetch_add(&errors, 1, __ATOMIC_RELAXED);
}

/* At -smp 1 there is no pair: the channels say so. */
static void one_cpu_checks(struct uk_testcase *esac)
{
	unsigned char buf[8] = { 0 };

	UK_TEST_EXPECT_UNUM_EQ(uk_chan_cpus(), 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_send_try(1, buf, 1), -EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_recv_try(1, buf, 8), -EINVAL);
	printf("    1 CPU: no pair\n");
}

UK_TESTCASE(ukmpi_chan, arguments_and_bounds)
{
	unsigned int n = ukplat_lcpu_count(), me = ukplat_lcpu_idx();
	unsigned char buf[UK_CHAN_MSG_MAX + 1] = { 0 };

	UK_TEST_EXPECT_UNUM_EQ(uk_chan_cpus(), n);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_send_try(me, buf, 1), -EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_send_try(n, buf, 1), -EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_recv_try(me, buf, 8), -EINVAL);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_recv_any_try(NULL, buf, 8), -EAGAIN);
	if (n < 2)
		return;
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_send_try(1, buf, UK_CHAN_MSG_MAX + 1),
			       -EMSGSIZE);
	UK_TEST_EXPECT_SNUM_EQ(uk_chan_recv_try(1, buf, 8), -EAGAIN);
}

/* Every ordered pair (a, b) in turn: a sends PINGS messages, b echoes. */
static void ping_pong(unsigned int cpu, void *arg)
{
	unsigned int n = *(unsigned int *)arg, a, b, i;
	unsigned char buf[UK_CHAN_MSG_MAX];
	int rc;

	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++) {
			if (a == b || (cpu != a && cpu != b))
				continue;
			for (i = 0; i < PINGS; i++) {
				if (cpu == a) {
					uk_chan_send(b, buf,
						     tmsg_fill(buf, a, b, i));
					rc = uk_chan_recv(b, buf, sizeof(buf));
					if (tmsg_check(buf, rc, b, a, i))
						fail();
				} else {
					rc = uk_chan_recv(a, buf, sizeof(buf));
					if (tmsg_check(buf, rc, a, b, i))
						fail();
					uk_chan_send(a, buf,
						     tmsg_fill(buf, b, a, i));
				}
			}
		}
}

UK_TESTCASE(ukmpi_chan, ping_pong_every_ordered_pair)
{
	unsigned int n = ukplat_lcpu_count();
	struct uk_chan_stats before, after;
	__nsec t0;

	if (n < 2) {
		one_cpu_checks(esac);
		return;
	}
	errors = 0;
	uk_chan_stats_get(0, &before);
	t0 = ukplat_monotonic_clock();
	UK_TEST_EXPECT_SNUM_EQ(run_on_cpus(0, n, ping_pong, &n, 120), 0);
	t0 = ukplat_monotonic_clock() - t0;
	uk_chan_stats_get(0, &after);
	UK_TEST_EXPECT_UNUM_EQ(errors, 0);
	/* CPU 0 sent PINGS to each other CPU and echoed PINGS of each. */
	UK_TEST_EXPECT_UNUM_EQ(after.sent - before.sent,
			       2UL * PINGS * (n - 1));
	printf("    %u ordered pairs, %d round trips each, %lu us per round "
	       "trip\n", n * (n - 1), PINGS,
	       (unsigned long)(t0 / 1000 / (n * (n - 1) * PINGS)));
}

struct a2a {
	unsigned int n;
	unsigned long got[RUN_MAX_CPUS];	/* per receiver: total */
};

/* Sends A2A messages to every other CPU while taking everyone's. */
static void all_to_all(unsigned int cpu, void *arg)
{
	struct a2a *x = arg;
	unsigned int n = x->n, to = (cpu + 1) % n, from;
	unsigned long next[RUN_MAX_CPUS] = { 0 }, seen[RUN_MAX_CPUS] = { 0 };
	unsigned long sent = 0, rcvd = 0, want = (unsigned long)A2A * (n - 1);
	unsigned char buf[UK_CHAN_MSG_MAX];
	int rc, moved;

	while (sent < want || rcvd < want) {
		moved = 0;
		if (sent < want) {
			if (to == cpu)
				to = (to + 1) % n;
			if (next[to] < A2A &&
			    !uk_chan_send_try(to, buf, tmsg_fill(buf, cpu, to,
								 next[to]))) {
				next[to]++;
				sent++;
				moved = 1;
			}
			to = (to + 1) % n;
		}
		rc = uk_chan_recv_any_try(&from, buf, sizeof(buf));
		if (rc != -EAGAIN) {
			if (from >= n || tmsg_check(buf, rc, from, cpu,
						    seen[from])) {
				fail();
				return;
			}
			seen[from]++;
			rcvd++;
			moved = 1;
		}
		if (!moved)
			ukarch_spinwait();
	}
	x->got[cpu] = rcvd;
}

UK_TESTCASE(ukmpi_chan, all_to_all_fifo_and_totals)
{
	static struct a2a x;
	unsigned int n = ukplat_lcpu_count(), i;
	unsigned long total = 0;

	if (n < 2) {
		one_cpu_checks(esac);
		return;
	}
	errors = 0;
	x.n = n;
	UK_TEST_EXPECT_SNUM_EQ(run_on_cpus(0, n, all_to_all, &x, 120), 0);
	UK_TEST_EXPECT_UNUM_EQ(errors, 0);
	for (i = 0; i < n; i++) {
		UK_TEST_EXPECT_UNUM_EQ(x.got[i], (unsigned long)A2A * (n - 1));
		total += x.got[i];
	}
	UK_TEST_EXPECT_UNUM_EQ(total, (unsigned long)A2A * n * (n - 1));
	printf("    %u CPUs, %d messages per ordered pair at once, %lu in all\n",
	       n, A2A, total);
}

static void race_side(unsigned int i, void *arg)
{
	struct race *r = arg;

	if (i == 0)
		race_side_a(r);
	else
		race_side_b(r);
}

/* The two last CPUs (0 and 1 at -smp 2): away from the test's thread. */
UK_TESTCASE(ukmpi_chan, wakeup_race)
{
	static struct race r;
	unsigned int n = ukplat_lcpu_count();
	struct uk_chan_stats sa0, sb0, sa, sb;
	__nsec t0;

	if (n < 2) {
		one_cpu_checks(esac);
		return;
	}
	r = (struct race){ .a = n - 2, .b = n - 1, .rounds = RACE_ROUNDS };
	uk_chan_stats_get(r.a, &sa0);
	uk_chan_stats_get(r.b, &sb0);
	t0 = ukplat_monotonic_clock();
	UK_TEST_EXPECT_SNUM_EQ(run_on_cpus(n - 2, 2, race_side, &r, 600), 0);
	t0 = ukplat_monotonic_clock() - t0;
	uk_chan_stats_get(r.a, &sa);
	uk_chan_stats_get(r.b, &sb);
	UK_TEST_EXPECT_SNUM_EQ(r.err, 0);
	UK_TEST_EXPECT_UNUM_EQ(r.done_a, RACE_ROUNDS);
	UK_TEST_EXPECT_UNUM_EQ(r.done_b, RACE_ROUNDS);
	/* Every 32nd round (race.h) waits until b blocks. */
	UK_TEST_EXPECT_UNUM_EQ(r.waited_for_sleep, (RACE_ROUNDS + 31) / 32);
	UK_TEST_EXPECT_UNUM_GE(sb.sleeps - sb0.sleeps,
			       (RACE_ROUNDS + 31) / 32);
	printf("    CPUs %u -> %u, %u rounds in %lu ms: %lu blocked, %lu found "
	       "it after announcing sleep, %lu wake-ups sent (err %d at %lu)\n",
	       r.a, r.b, (unsigned int)RACE_ROUNDS, (unsigned long)(t0 / 1000000),
	       sb.sleeps - sb0.sleeps, sb.rechecks - sb0.rechecks,
	       sa.wakeups - sa0.wakeups, r.err, r.err_round);
}
