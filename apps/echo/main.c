/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo: TCP and UDP echo (RFC 862) on port 7 over lwIP (lib/lwip).
 * TCP: every byte received on a connection is sent back until the peer
 * closes (uk_lwip_serve(): a worker per connection on its CPU, flow
 * affinity). UDP: one socket read by udp-readers threads (2 by default,
 * on different CPUs), each sending every datagram it gets back to where
 * it came from: several threads on one socket, which lib/lwip serialises
 * per socket (sockrx.c; before that, two readers crashed on a pbuf freed
 * twice: lwIP's leftover-data slot is unlocked; doc/lwip.md).
 *
 * Arguments: netdev.ip=... (uk/lwip.h), port=<7>, udp-readers=<2>,
 * exit-after=<TCP connections, 0: never> (tests: main then prints the
 * statistics and returns 0), quit=1 (tests: a UDP datagram "uk-echo-quit"
 * prints them and powers off with 0).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <uk/assert.h>
#include <uk/lwip.h>
#include <uk/lwip_server.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>

#define BUF	65536

static unsigned int port = 7, udp_readers = 2;
static unsigned long exit_after;
static int quit;
#define MAX_READERS	16
static unsigned long udp_echoed;	/* datagrams sent back */
static unsigned long udp_got[MAX_READERS];	/* received, per reader */
static int udp_fd;

static void tcp_echo(int fd, void *arg __unused)
{
	char *buf = malloc(BUF);
	ssize_t r, w, off;

	if (!buf)
		return;
	while ((r = recv(fd, buf, BUF, 0)) > 0)
		for (off = 0; off < r; off += w) {
			w = send(fd, buf + off, (size_t)(r - off), 0);
			if (w <= 0)
				goto out;
		}
out:
	free(buf);
}

/* Prints how many datagrams each reader received: "echo: readers a b". */
static void print_readers(void)
{
	unsigned int i;

	printf("echo: readers");
	for (i = 0; i < udp_readers; i++)
		/* Relaxed: statistics. */
		printf(" %lu", __atomic_load_n(&udp_got[i], __ATOMIC_RELAXED));
	printf("\n");
}

/* arg: the reader's index. */
static void udp_echo(void *arg)
{
	unsigned long me = (unsigned long)arg;
	int fd = udp_fd;
	char *buf = malloc(BUF);
	struct sockaddr_in from;

	if (!buf)
		UK_CRASH("echo: no memory for the UDP buffer\n");
	for (;;) {
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(fd, buf, BUF, 0,
				     (struct sockaddr *)&from, &fl);

		if (r < 0)
			continue;
		/* Relaxed: a statistic. */
		__atomic_fetch_add(&udp_got[me], 1, __ATOMIC_RELAXED);
		if (quit && r == 12 && !memcmp(buf, "uk-echo-quit", 12)) {
			uk_lwip_stats_print();
			print_readers();
			printf("echo: quit, %lu UDP datagrams echoed\n",
			       __atomic_load_n(&udp_echoed, __ATOMIC_RELAXED));
			ukplat_exit(0);
		}
		if (sendto(fd, buf, (size_t)r, 0, (struct sockaddr *)&from,
			   fl) == r)
			/* Relaxed: a statistic. */
			__atomic_fetch_add(&udp_echoed, 1, __ATOMIC_RELAXED);
	}
}

/* One UDP socket on port and its readers, round-robin over the CPUs. */
static int udp_start(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((u16_t)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), rcvbuf = 1 << 20;
	unsigned long i;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	udp_fd = fd;
	for (i = 0; i < udp_readers; i++)
		if (!uk_sched_thread_create_on((int)(i % ukplat_lcpu_count()),
					       udp_echo, (void *)i, "udp-echo"))
			return -1;
	return 0;
}

int main(int argc, char *argv[])
{
	struct uk_lwip_server srv = { .serve = tcp_echo, .affinity = 1 };
	int i, r;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "port=", 5))
			port = (unsigned int)strtoul(argv[i] + 5, NULL, 10);
		else if (!strncmp(argv[i], "udp-readers=", 12))
			udp_readers = (unsigned int)strtoul(argv[i] + 12,
							    NULL, 10);
		else if (!strncmp(argv[i], "quit=", 5))
			quit = !!strtoul(argv[i] + 5, NULL, 10);
		else if (!strncmp(argv[i], "exit-after=", 11))
			exit_after = strtoul(argv[i] + 11, NULL, 10);
	}
	if (!udp_readers || udp_readers > MAX_READERS)
		udp_readers = 2;
	if (uk_lwip_up(argc, argv) <= 0) {
		printf("echo: no interface has an address\n");
		return 1;
	}
	if (udp_start()) {
		printf("echo: cannot start UDP echo on port %u\n", port);
		return 1;
	}
	srv.port = port;
	srv.max_conns = exit_after;
	printf("echo: TCP and UDP port %u, %u CPUs, %u UDP readers\n", port,
	       ukplat_lcpu_count(), udp_readers);
	r = uk_lwip_serve(&srv);
	if (r) {
		printf("echo: cannot serve TCP on port %u: %d\n", port, r);
		return 1;
	}
	uk_lwip_stats_print();
	print_readers();
	printf("echo: %lu TCP connections, %lu UDP datagrams echoed\n",
	       exit_after, __atomic_load_n(&udp_echoed, __ATOMIC_RELAXED));
	return 0;
}
