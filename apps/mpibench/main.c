/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpibench: ukmpi in the guest, one thread pinned per CPU, side by side in
 * one run (a program, not a test; doc/ukmpi.md has the command and the
 * tables):
 *  - CPU 0 <-> CPU 1: ping-pong round trip and one-way messages per second
 *    of 16-byte messages through the channel (blocking forms), a uk_mbox
 *    (pointers) and a queue of the same slots under a uk_mutex (the
 *    receiver polls: lock, look, unlock);
 *  - uk_mpi_barrier() and uk_mpi_allreduce() of 64 doubles on the first k
 *    CPUs, k = 2 .. the CPU count: microseconds per call.
 * Arguments: [round trips] [messages] (defaults 2000, 20000), or
 * "shapes [calls] [runs]" (defaults 20, 5): the collectives' production
 * shapes against flat, counter and ring alternatives (shapes.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/chan.h>
#include <uk/mbox.h>
#include <uk/mpi.h>
#include <uk/mutex.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include "mpibench.h"

#define MSG 16
#define QSLOTS UK_CHAN_SLOTS
#define COLL_ROUNDS 200

enum { V_CHAN, V_MBOX, V_MUTEXQ, NV };
static const char *const names[NV] = { "chan", "mbox", "mutexq" };

static unsigned long nrt = 2000, nmsgs = 20000;
static int variant;
static struct uk_mbox *mbox[2];

/* A ring of slots under a uk_mutex, one per receiving CPU. */
static struct mutexq {
	struct uk_mutex m;	/* protects head, tail, slot */
	unsigned long head, tail;
	unsigned char slot[QSLOTS][MSG];
} mq[2];

static int mq_try(struct mutexq *q, void *buf, int send)
{
	int ok;

	uk_mutex_lock(&q->m);
	ok = send ? q->head - q->tail < QSLOTS : q->head != q->tail;
	if (ok && send)
		memcpy(q->slot[q->head++ % QSLOTS], buf, MSG);
	else if (ok)
		memcpy(buf, q->slot[q->tail++ % QSLOTS], MSG);
	uk_mutex_unlock(&q->m);
	return ok;
}

static void xsend(unsigned int to, void *buf)
{
	if (variant == V_CHAN)
		uk_chan_send(to, buf, MSG);
	else if (variant == V_MBOX)
		uk_mbox_post(mbox[to], (void *)(uintptr_t)*(uint64_t *)buf);
	else
		while (!mq_try(&mq[to], buf, 1))
			ukarch_spinwait();
}

static void xrecv(unsigned int self, void *buf)
{
	void *p;

	if (variant == V_CHAN) {
		uk_chan_recv(!self, buf, MSG);
	} else if (variant == V_MBOX) {
		uk_mbox_recv(mbox[self], &p);
		*(uint64_t *)buf = (uintptr_t)p;
	} else {
		while (!mq_try(&mq[self], buf, 0))
			ukarch_spinwait();
	}
}

static void pingpong(unsigned int cpu)
{
	uint64_t buf[MSG / 8] = { 1 };
	unsigned long k;

	for (k = 0; k < nrt; k++) {
		if (cpu == 0) {
			xsend(1, buf);
			xrecv(0, buf);
		} else {
			xrecv(1, buf);
			xsend(0, buf);
		}
	}
}

static void oneway(unsigned int cpu)
{
	uint64_t buf[MSG / 8] = { 1 };
	unsigned long k;

	for (k = 0; k < nmsgs; k++) {
		if (cpu == 0)
			xsend(1, buf);
		else
			xrecv(1, buf);
	}
}

static void barriers(unsigned int cpu __unused, unsigned int k)
{
	struct uk_mpi_comm c = { k };
	int i;

	for (i = 0; i < COLL_ROUNDS; i++)
		uk_mpi_barrier(&c);
}

static void allreduces(unsigned int cpu, unsigned int k)
{
	struct uk_mpi_comm c = { k };
	double x[64], y[64];
	int i;

	for (i = 0; i < 64; i++)
		x[i] = cpu + i * 0.5;
	for (i = 0; i < COLL_ROUNDS; i++)
		uk_mpi_allreduce(x, y, 64, UK_MPI_DOUBLE, UK_MPI_SUM, &c);
}

/* ---- running a job on the first k CPUs ---------------------------------- */

static void (*job)(unsigned int cpu);
static void (*coll)(unsigned int cpu, unsigned int k);
static unsigned int job_k;
static __nsec t_start, t_end;	/* CPU 0's, read after the join */

static void job_main(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	struct uk_mpi_comm c = { job_k };

	uk_mpi_barrier(&c);	/* start together */
	if (!cpu)
		t_start = ukplat_monotonic_clock();
	if (job)
		job(cpu);
	else
		coll(cpu, job_k);
	uk_mpi_barrier(&c);	/* everybody is done */
	if (!cpu)
		t_end = ukplat_monotonic_clock();
}

/*
 * Nanoseconds of the job on CPUs 0..k-1, between two barriers (thread
 * creation not counted; one barrier is).
 */
static __nsec run(unsigned int k)
{
	struct uk_thread *t[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	unsigned int i;

	job_k = k;
	for (i = 0; i < k; i++)
		t[i] = uk_sched_thread_create_on((int)i, job_main,
						 (void *)(uintptr_t)i, "bench");
	for (i = 0; i < k; i++)
		uk_thread_join(t[i]);
	return t_end - t_start;
}

__nsec mpibench_run(unsigned int k, void (*fn)(unsigned int cpu,
					       unsigned int k))
{
	job = NULL;
	coll = fn;
	return run(k);
}

int main(int argc, char *argv[])
{
	unsigned int n = ukplat_lcpu_count(), k;
	double rt[NV], ow[NV];
	int v;

	if (argc > 1 && !strcmp(argv[1], "shapes"))
		return mpibench_shapes(argc > 2 ? atoi(argv[2]) : 20,
				       argc > 3 ? atoi(argv[3]) : 5);
	if (argc > 1)
		nrt = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		nmsgs = strtoul(argv[2], NULL, 0);
	printf("mpibench: %u CPUs, %lu round trips, %lu messages one way, "
	       "%d-byte messages, %d collective calls\n", n, nrt, nmsgs, MSG,
	       COLL_ROUNDS);
	if (n < 2) {
		printf("mpibench: needs 2 CPUs or more\n");
		return 1;
	}
	mbox[0] = uk_mbox_create(uk_alloc_get_default(), QSLOTS);
	mbox[1] = uk_mbox_create(uk_alloc_get_default(), QSLOTS);
	uk_mutex_init(&mq[0].m);
	uk_mutex_init(&mq[1].m);
	for (v = 0; v < NV; v++) {
		variant = v;
		job = pingpong;
		rt[v] = (double)run(2) / nrt / 1000.0;
		job = oneway;
		ow[v] = nmsgs / ((double)run(2) / 1e9);
	}
	printf("%-8s %16s %16s\n", "variant", "round trip us", "one-way msg/s");
	for (v = 0; v < NV; v++)
		printf("%-8s %16.1f %16.0f\n", names[v], rt[v], ow[v]);
	printf("chan/mutexq one-way %.2fx, round trip %.2fx faster\n",
	       ow[V_CHAN] / ow[V_MUTEXQ], rt[V_MUTEXQ] / rt[V_CHAN]);
	job = NULL;
	printf("%-6s %14s %18s\n", "CPUs", "barrier us", "allreduce64 us");
	for (k = 2; k <= n; k++) {
		double b, a;

		coll = barriers;
		b = (double)run(k) / COLL_ROUNDS / 1000.0;
		coll = allreduces;
		a = (double)run(k) / COLL_ROUNDS / 1000.0;
		printf("%-6u %14.1f %18.1f\n", k, b, a);
	}
	return 0;
}
