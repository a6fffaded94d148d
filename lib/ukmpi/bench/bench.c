/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukmpi host benchmark: the per-CPU-pair channel against the queues a
 * user would otherwise pick, side by side in one run, threads pinned one
 * per host CPU (thread i on the i-th allowed CPU, mod their count):
 *
 *   chan      uk_chan_send / uk_chan_recv (blocking forms: poll, then sleep)
 *   mbox      uk_mbox_post / uk_mbox_recv (pointers; semaphores)
 *   mutexq    a bounded queue of the same slots under a pthread mutex with
 *             two condition variables (not full, not empty)
 *   line      (round trip only) one cache line bounced by two threads
 *             spinning on it: the floor for any message round trip
 *   chanspin  (-R only) the channel's fast path alone: uk_chan_send_try /
 *             uk_chan_recv_try retried until they succeed (never sleeps)
 *
 * Columns: ping-pong round trip between two threads (ns), one-way
 * messages per second from one thread to another, and all-to-all messages
 * per second with -n threads each sending -m / n messages to every other
 * thread round robin (chan and mutexq; mbox: one mailbox per receiver).
 * Messages are 16 bytes.
 * Usage: bench [-n threads] [-m messages] [-r round trips] [-R reps].
 * With -R it instead times reps rounds of -r round trips each of chanspin,
 * chan and line, interleaved, and prints the minimum and the median of
 * each (ns per round trip) and their ratios to the line's: on a shared
 * host the minimum is the round with the fewest preemptions.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uk/alloc.h>
#include <uk/chan.h>
#include <uk/mbox.h>
#include <uk/plat/lcpu.h>

#define MSG 16
#define QSLOTS UK_CHAN_SLOTS
#define MAXT 64

static unsigned int nthreads = 2;
static unsigned long nmsgs = 200000, nrt = 100000;
static unsigned int reps;
static int cpus[MAXT], ncpus;

/* ---- helpers ------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *heap_malloc(struct uk_alloc *a, size_t s)
{
	(void)a;
	return malloc(s);
}

static void heap_free(struct uk_alloc *a, void *p)
{
	(void)a;
	free(p);
}

static struct uk_alloc heap = {
	.malloc = heap_malloc, .free = heap_free, .flags = _UK_ALLOC_F_SELF,
};

static void pin(unsigned int i)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpus[i % ncpus], &s);
	pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
	ukplat_host_lcpu_set_idx(i);
}

/*
 * Runs fn(i) on n pinned threads; returns the seconds from the first
 * thread's start to the last one's end. The threads take the times
 * themselves: the unpinned main thread may be descheduled for longer than
 * the whole run on a loaded host.
 */
static pthread_barrier_t start_bar;
static void *(*thread_fn)(unsigned int);
static double t_begin[MAXT], t_finish[MAXT];

static void *trampoline(void *arg)
{
	unsigned int i = (unsigned int)(uintptr_t)arg;
	void *rv;

	pin(i);
	pthread_barrier_wait(&start_bar);
	t_begin[i] = now();
	rv = thread_fn(i);
	t_finish[i] = now();
	return rv;
}

static double run(unsigned int n, void *(*fn)(unsigned int))
{
	pthread_t t[MAXT];
	unsigned int i;
	double t0, t1;

	thread_fn = fn;
	pthread_barrier_init(&start_bar, NULL, n);
	for (i = 0; i < n; i++)
		pthread_create(&t[i], NULL, trampoline, (void *)(uintptr_t)i);
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start_bar);
	t0 = t_begin[0];
	t1 = t_finish[0];
	for (i = 1; i < n; i++) {
		t0 = MIN(t0, t_begin[i]);
		t1 = MAX(t1, t_finish[i]);
	}
	return t1 - t0;
}

/* ---- the mutex + condition variable queue ------------------------------ */

/*
 * The shared queues (mbox, mutexq) hold QSLOTS per sender, as many as the
 * channels give a receiver, so that all-to-all never fills one.
 */
static unsigned long qcap;

struct mq {
	pthread_mutex_t m;	/* protects everything below */
	pthread_cond_t not_full, not_empty;
	unsigned long head, tail;
	unsigned char slot[QSLOTS * MAXT][MSG];
};

static struct mq *mqs;	/* one per receiver */

static void mq_init(unsigned int n)
{
	unsigned int i;

	mqs = calloc(n, sizeof(*mqs));
	for (i = 0; i < n; i++) {
		pthread_mutex_init(&mqs[i].m, NULL);
		pthread_cond_init(&mqs[i].not_full, NULL);
		pthread_cond_init(&mqs[i].not_empty, NULL);
	}
}

static void mq_send(struct mq *q, const void *buf)
{
	pthread_mutex_lock(&q->m);
	while (q->head - q->tail == qcap)
		pthread_cond_wait(&q->not_full, &q->m);
	memcpy(q->slot[q->head++ % qcap], buf, MSG);
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->m);
}

static void mq_recv(struct mq *q, void *buf)
{
	pthread_mutex_lock(&q->m);
	while (q->head == q->tail)
		pthread_cond_wait(&q->not_empty, &q->m);
	memcpy(buf, q->slot[q->tail++ % qcap], MSG);
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->m);
}

/* ---- the variants: send to / receive from thread i ---------------------- */

enum { V_CHAN, V_MBOX, V_MUTEXQ, V_CHANSPIN };
static int variant;
static struct uk_mbox *mboxes[MAXT];

static void xsend(unsigned int to, const void *buf)
{
	if (variant == V_CHAN)
		uk_chan_send(to, buf, MSG);
	else if (variant == V_CHANSPIN)
		while (uk_chan_send_try(to, buf, MSG) == -EAGAIN)
			;
	else if (variant == V_MBOX)
		uk_mbox_post(mboxes[to], (void *)(uintptr_t)(*(uint64_t *)buf));
	else
		mq_send(&mqs[to], buf);
}

/* Receives from `from` (chan) or anyone (mbox, mutexq: one queue). */
static void xrecv(unsigned int self, unsigned int from, void *buf)
{
	void *p;
	int rc;

	if (variant == V_CHAN) {
		if (uk_chan_recv(from, buf, MSG) != MSG)
			abort();
	} else if (variant == V_CHANSPIN) {
		while ((rc = uk_chan_recv_try(from, buf, MSG)) == -EAGAIN)
			;
		if (rc != MSG)
			abort();
	} else if (variant == V_MBOX) {
		uk_mbox_recv(mboxes[self], &p);
		*(uint64_t *)buf = (uintptr_t)p;
	} else {
		mq_recv(&mqs[self], buf);
	}
}

static void *pingpong(unsigned int i)
{
	unsigned char buf[MSG] = { 1 };
	unsigned long k;

	for (k = 0; k < nrt; k++) {
		if (i == 0) {
			xsend(1, buf);
			xrecv(0, 1, buf);
		} else {
			xrecv(1, 0, buf);
			xsend(0, buf);
		}
	}
	return NULL;
}

static void *oneway(unsigned int i)
{
	unsigned char buf[MSG] = { 1 };
	unsigned long k;

	for (k = 0; k < nmsgs; k++) {
		if (i == 0)
			xsend(1, buf);
		else
			xrecv(1, 0, buf);
	}
	return NULL;
}

/*
 * Every thread sends m/n messages to each other thread, round robin, in
 * batches of QSLOTS/2 per destination, and receives as many (chan: from
 * each sender in turn; the others: from its one queue).
 */
static void *alltoall(unsigned int i)
{
	unsigned char buf[MSG] = { 1 };
	unsigned long per = nmsgs / nthreads, sent, got;
	unsigned int d, b, batch = QSLOTS / 2;

	for (sent = got = 0; sent < per; sent += batch) {
		for (d = 1; d < nthreads; d++)
			for (b = 0; b < batch; b++)
				xsend((i + d) % nthreads, buf);
		for (d = 1; d < nthreads; d++)
			for (b = 0; b < batch; b++, got++)
				xrecv(i, (i + nthreads - d) % nthreads, buf);
	}
	return NULL;
}

/* ---- one cache line ----------------------------------------------------- */

static unsigned long line __attribute__((aligned(64)));

static void *bounce(unsigned int i)
{
	unsigned long k;

	for (k = 0; k < nrt; k++) {
		/* Acquire/release: the turn passes with the value. */
		while (__atomic_load_n(&line, __ATOMIC_ACQUIRE) != 2 * k + i)
			;
		__atomic_store_n(&line, 2 * k + i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* ---- main --------------------------------------------------------------- */

static void setup(int v, unsigned int n)
{
	unsigned int i;

	variant = v;
	qcap = QSLOTS * (n - 1);
	if ((v == V_CHAN || v == V_CHANSPIN) && uk_chan_setup(&heap, n))
		abort();
	if (v == V_MBOX)
		for (i = 0; i < n; i++)
			mboxes[i] = uk_mbox_create(&heap, qcap);
	if (v == V_MUTEXQ)
		mq_init(n);
}

static void teardown(int v, unsigned int n)
{
	unsigned int i;

	if (v == V_CHAN || v == V_CHANSPIN)
		uk_chan_teardown();
	if (v == V_MBOX)
		for (i = 0; i < n; i++)
			uk_mbox_free(&heap, mboxes[i]);
	if (v == V_MUTEXQ)
		free(mqs);
}

/* ---- repeated round trips (-R) ------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ns per round trip of one round of nrt: row 0 line, 1 chanspin, 2 chan. */
static double rt_once(int row)
{
	static const int v[] = { -1, V_CHANSPIN, V_CHAN };
	double t;

	if (!row) {
		line = 0;
		return run(2, bounce) / nrt * 1e9;
	}
	setup(v[row], 2);
	t = run(2, pingpong) / nrt * 1e9;
	teardown(v[row], 2);
	return t;
}

static void rt_reps(void)
{
	static const char *names[] = { "line", "chanspin", "chan" };
	double *t[3], min[3], med[3];
	unsigned int r;
	int row;

	for (row = 0; row < 3; row++)
		t[row] = calloc(reps, sizeof(double));
	for (r = 0; r < reps; r++)
		for (row = 0; row < 3; row++)
			t[row][r] = rt_once(row);
	printf("%-9s %14s %14s %10s %10s\n", "variant", "min RT ns",
	       "median RT ns", "min/line", "med/line");
	for (row = 0; row < 3; row++) {
		qsort(t[row], reps, sizeof(double), cmp_double);
		min[row] = t[row][0];
		med[row] = t[row][reps / 2];
	}
	for (row = 0; row < 3; row++)
		printf("%-9s %14.0f %14.0f %9.2fx %9.2fx\n", names[row],
		       min[row], med[row], min[row] / min[0], med[row] / med[0]);
	for (row = 0; row < 3; row++)
		free(t[row]);
}

int main(int argc, char **argv)
{
	static const char *names[] = { "chan", "mbox", "mutexq" };
	double rt[3], ow[3], a2a[3], t;
	unsigned long a2a_msgs;
	cpu_set_t s;
	int c, v;

	while ((c = getopt(argc, argv, "n:m:r:R:")) != -1) {
		if (c == 'n')
			nthreads = (unsigned int)atoi(optarg);
		else if (c == 'm')
			nmsgs = strtoul(optarg, NULL, 0);
		else if (c == 'r')
			nrt = strtoul(optarg, NULL, 0);
		else if (c == 'R')
			reps = (unsigned int)atoi(optarg);
		else
			return 2;
	}
	if (nthreads < 2 || nthreads > MAXT)
		return 2;
	sched_getaffinity(0, sizeof(s), &s);
	for (c = 0; c < CPU_SETSIZE && ncpus < MAXT; c++)
		if (CPU_ISSET(c, &s))
			cpus[ncpus++] = c;
	ukplat_host_lcpu_set_count(nthreads);
	printf("ukmpi host bench: %d CPUs allowed, %lu round trips, %lu "
	       "messages one way, all-to-all %u threads, %d-byte messages\n",
	       ncpus, nrt, nmsgs, nthreads, MSG);
	if (reps) {
		rt_reps();
		return 0;
	}
	for (v = 0; v < 3; v++) {
		setup(v, 2);
		rt[v] = run(2, pingpong) / nrt * 1e9;
		teardown(v, 2);
		setup(v, 2);
		ow[v] = nmsgs / run(2, oneway);
		teardown(v, 2);
		setup(v, nthreads);
		t = run(nthreads, alltoall);
		a2a_msgs = (nmsgs / nthreads + QSLOTS / 2 - 1) /
			   (QSLOTS / 2) * (QSLOTS / 2) * (nthreads - 1) *
			   nthreads;
		a2a[v] = a2a_msgs / t;
		teardown(v, nthreads);
	}
	t = run(2, bounce) / nrt * 1e9;
	printf("%-8s %14s %16s %18s\n", "variant", "round trip ns",
	       "one-way msg/s", "all-to-all msg/s");
	for (v = 0; v < 3; v++)
		printf("%-8s %14.0f %16.0f %18.0f\n", names[v], rt[v], ow[v],
		       a2a[v]);
	printf("%-8s %14.0f %16s %18s\n", "line", t, "-", "-");
	printf("chan/mutexq one-way %.2fx, all-to-all %.2fx; chan round trip "
	       "%.2fx the line's\n", ow[0] / ow[2], a2a[0] / a2a[2], rt[0] / t);
	return 0;
}
