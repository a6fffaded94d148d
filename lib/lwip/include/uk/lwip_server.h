/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A TCP server loop on lib/lwip's sockets with flow affinity: the calling
 * thread accepts, each connection is served in a thread of its own on the
 * CPU whose receive queue takes the connection's segments (the queue the
 * host's flow hash picked, uk_lwip_sock_cpu()), so that reception,
 * wake-up and the server's work stay on one CPU.
 */
#ifndef __UK_LWIP_SERVER_H__
#define __UK_LWIP_SERVER_H__

struct uk_lwip_server {
	unsigned int port;		/* TCP port, all addresses */
	int affinity;			/* 0: round-robin over CPUs */
	unsigned long max_conns;	/* return after this many; 0: never */
	/* Serves connection fd; the server closes fd after it returns. */
	void (*serve)(int fd, void *arg);
	void *arg;
};

/*
 * Listens and serves until max_conns connections were served and their
 * threads joined. Thread context. 0, or a negative errno (socket, bind,
 * listen failed; -ENOMEM: no thread).
 */
int uk_lwip_serve(const struct uk_lwip_server *srv);

#endif /* __UK_LWIP_SERVER_H__ */
