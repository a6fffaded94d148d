/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_lwip_serve(): an accept loop handing each connection to a worker
 * thread on the CPU that receives the connection's segments (flow
 * affinity, uk_lwip_sock_cpu()), or round-robin.
 *
 * Workers: each CPU has a mailbox of accepted sockets (uk/lwip_mbox.h)
 * and a set of worker threads pinned there that take one socket at a
 * time from it and serve it to the end. Workers are made when a
 * connection finds none free (up to WORKERS_PER_CPU) and are kept for the
 * next ones: making a thread per connection would cost a stack and guard
 * pages per connection and churn the scheduler.
 *
 * Free workers are counted in cpu->idle: a worker adds itself before it
 * waits for a socket; the accepting thread takes one off (a compare-and-
 * swap loop: only while it is above 0) for each socket it posts, or makes
 * a new worker that serves that socket first. When every worker of the
 * CPU is busy and none may be made, the socket waits in the mailbox.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/lwip.h>
#include <uk/lwip_mbox.h>
#include <uk/lwip_server.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/thread.h>

#define WORKERS_PER_CPU	64
#define QUEUED_PER_CPU	256
#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define NSEC_PER_MSEC	1000000ULL
#define STOP		((void *)-1L)	/* message: a worker ends */

struct server_cpu {
	struct uk_lwip_mbox q;		/* accepted sockets, fd + 1 */
	void *slot[QUEUED_PER_CPU];
	unsigned int idle;		/* workers free to take one */
	unsigned int nworkers;		/* accepting thread only */
	struct uk_thread *worker[WORKERS_PER_CPU];
	const struct uk_lwip_server *srv;
	unsigned long served;		/* connections ended here */
};

static void serve_one(struct server_cpu *c, void *m)
{
	int fd = (int)(long)m - 1;

	c->srv->serve(fd, c->srv->arg);
	close(fd);
	/* Relaxed: a count the accepting thread polls at the end. */
	__atomic_fetch_add(&c->served, 1, __ATOMIC_RELAXED);
}

/* arg: the CPU's state; the first socket is already reserved for us. */
static void worker(void *arg)
{
	struct server_cpu *c = arg;
	void *m;

	for (;;) {
		uk_lwip_mbox_fetch(&c->q, &m, 0);
		if (m == STOP)
			return;
		serve_one(c, m);
		/*
		 * Release: pairs with the acquire compare-and-swap of the
		 * accepting thread, which then posts a socket we take.
		 */
		__atomic_fetch_add(&c->idle, 1, __ATOMIC_RELEASE);
	}
}

/* Takes one free worker of c if there is one: 1, else 0. */
static int reserve_idle(struct server_cpu *c)
{
	unsigned int n = __atomic_load_n(&c->idle, __ATOMIC_RELAXED);

	while (n)
		if (__atomic_compare_exchange_n(&c->idle, &n, n - 1, 0,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return 1;
	return 0;
}

/* Hands fd to a worker of cpu. 0, or -ENOMEM (no thread). */
static int dispatch(struct server_cpu *c, unsigned int cpu, int fd)
{
	if (!reserve_idle(c) && c->nworkers < WORKERS_PER_CPU) {
		struct uk_thread *t;

		t = uk_sched_thread_create_on((int)cpu, worker, c,
					      "lwip-worker");
		if (!t && !c->nworkers)
			return -ENOMEM;
		if (t)
			c->worker[c->nworkers++] = t;
	}
	return uk_lwip_mbox_post(&c->q, (void *)(long)(fd + 1), 0);
}

static int listen_on(unsigned int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((u16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, e;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 255)) {
		e = errno;
		close(fd);
		return -e;
	}
	return fd;
}

/* Waits for every connection to end, then ends and joins the workers. */
static void stop(struct server_cpu *cs, unsigned int ncpu,
		 unsigned long accepted)
{
	unsigned long done;
	unsigned int c, w;

	do {
		uk_sched_thread_sleep(NSEC_PER_MSEC);
		for (done = 0, c = 0; c < ncpu; c++)
			/* Relaxed: a count; the mailbox orders the rest. */
			done += __atomic_load_n(&cs[c].served,
						__ATOMIC_RELAXED);
	} while (done < accepted);
	for (c = 0; c < ncpu; c++) {
		for (w = 0; w < cs[c].nworkers; w++)
			uk_lwip_mbox_post(&cs[c].q, STOP, 0);
		for (w = 0; w < cs[c].nworkers; w++)
			uk_thread_join(cs[c].worker[w]);
	}
}

int uk_lwip_serve(const struct uk_lwip_server *srv)
{
	unsigned int rr = 0, c, ncpu = ukplat_lcpu_count();
	unsigned long accepted = 0;
	struct server_cpu *cs;
	int lfd, cpu, one = 1;

	UK_ASSERT(ncpu <= MAXCPU);
	cs = uk_calloc(uk_alloc_get_default(), ncpu, sizeof(*cs));
	if (!cs)
		return -ENOMEM;
	for (c = 0; c < ncpu; c++) {
		uk_lwip_mbox_init(&cs[c].q, cs[c].slot, QUEUED_PER_CPU);
		cs[c].srv = srv;
	}
	lfd = listen_on(srv->port);
	if (lfd < 0) {
		uk_free(uk_alloc_get_default(), cs);
		return lfd;
	}
	while (!srv->max_conns || accepted < srv->max_conns) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0) {	/* out of sockets or memory: let some end */
			uk_sched_thread_sleep(NSEC_PER_MSEC);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		cpu = srv->affinity ? uk_lwip_sock_cpu(fd) : -1;
		if (cpu < 0 || (unsigned int)cpu >= ncpu)
			cpu = (int)(rr++ % ncpu);
		if (dispatch(&cs[cpu], (unsigned int)cpu, fd)) {
			close(fd);
			continue;
		}
		accepted++;
	}
	close(lfd);
	stop(cs, ncpu, accepted);
	uk_free(uk_alloc_get_default(), cs);
	return 0;
}
