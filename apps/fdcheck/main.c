/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fdcheck: lwIP's sockets as descriptors of ukfd's table, with newlib
 * (lib/lwip/fdsock.c, lib/newlib/io.c). Each check prints "ok: <what>"
 * or "FAIL: <what>"; the last line is "fdcheck: N failed" and main()
 * returns 1 if any failed. Checks: sockets take the lowest free
 * descriptor from 3 and a closed one is reused; a closed descriptor is
 * EBADF, the console ENOTSOCK for socket calls; fstat/isatty on both;
 * poll() over a socket, the console and a closed descriptor; select()
 * ready, timed out and on a closed descriptor; a datagram to our own
 * address through sendto/poll/select/read; O_NONBLOCK via fcntl; close
 * while another thread is blocked in recv frees the number at once.
 *
 * Needs one network device and a static address (run.mk: QEMU's user
 * network, netdev.ip=10.0.2.15/24:10.0.2.2):
 *   make run A=apps/fdcheck SMP=2
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <uk/lwip.h>
#include <uk/sched.h>

#define PORT		5555
#define NSEC_PER_MSEC	1000000ULL

static int failed;

#define CHECK(cond)							\
	do {								\
		if (cond) {						\
			printf("ok: %s\n", #cond);			\
		} else {						\
			failed++;					\
			printf("FAIL: %s (line %d, errno %d)\n", #cond,	\
			       __LINE__, errno);			\
		}							\
	} while (0)

/* Numbering, EBADF, ENOTSOCK, fstat, isatty; returns a bound socket. */
static int check_numbers(int *other)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT) };
	struct stat st;
	char c;
	int a, b, s;

	a = socket(AF_INET, SOCK_DGRAM, 0);
	b = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(a == 3 && b == 4);
	CHECK(close(a) == 0);
	CHECK(recv(a, &c, 1, MSG_DONTWAIT) == -1 && errno == EBADF);
	CHECK(close(a) == -1 && errno == EBADF);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK(s == 3);
	CHECK(recv(1, &c, 1, 0) == -1 && errno == ENOTSOCK);
	CHECK(fstat(s, &st) == 0 && S_ISSOCK(st.st_mode));
	CHECK(!isatty(s) && errno == ENOTTY);
	CHECK(isatty(1) && fstat(1, &st) == 0 && S_ISCHR(st.st_mode));
	CHECK(write(1, "fdcheck: console\n", 17) == 17);
	CHECK(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	*other = b;
	return s;
}

/* poll/select/read with a datagram b sends to s at our own address. */
static void check_ready(int s, int b)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(PORT) };
	struct timeval tv = { .tv_sec = 1 };
	struct pollfd p[3] = {
		{ .fd = s, .events = POLLIN },
		{ .fd = 1, .events = POLLOUT },
		{ .fd = 77, .events = POLLIN },
	};
	char buf[64];
	fd_set rd;

	CHECK(poll(p, 3, 0) == 2 && p[0].revents == 0 &&
	      p[1].revents == POLLOUT && p[2].revents == POLLNVAL);
	to.sin_addr.s_addr = inet_addr("10.0.2.15");
	CHECK(sendto(b, "hello", 5, 0, (struct sockaddr *)&to,
		     sizeof(to)) == 5);
	CHECK(poll(p, 1, 2000) == 1 && (p[0].revents & POLLIN));
	FD_ZERO(&rd);
	FD_SET(s, &rd);
	CHECK(select(s + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(s, &rd));
	CHECK(read(s, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5));
	tv = (struct timeval){ .tv_usec = 100000 };
	CHECK(select(s + 1, &rd, NULL, NULL, &tv) == 0 && !FD_ISSET(s, &rd));
	FD_ZERO(&rd);
	FD_SET(9, &rd);
	CHECK(select(10, &rd, NULL, NULL, &tv) == -1 && errno == EBADF);
	CHECK(fcntl(s, F_SETFL, O_NONBLOCK) == 0);
	CHECK(fcntl(s, F_GETFL) & O_NONBLOCK);
	CHECK(recv(s, buf, 1, 0) == -1 && errno == EWOULDBLOCK);
}

static void blocked_reader(void *arg)
{
	char c;

	recv((int)(long)arg, &c, 1, 0);	/* nothing ever comes */
}

/* close() while a thread blocks in recv(): the number is free at once. */
static void check_close_busy(int b)
{
	struct sockaddr_in me;
	socklen_t ml = sizeof(me);

	CHECK(uk_sched_thread_create_on(UK_SCHED_CPU_ANY, blocked_reader,
					(void *)(long)b, "blocked") != NULL);
	uk_sched_thread_sleep(200 * NSEC_PER_MSEC);
	CHECK(close(b) == 0);
	CHECK(socket(AF_INET, SOCK_DGRAM, 0) == b);
	CHECK(getsockname(b, (struct sockaddr *)&me, &ml) == 0);
}

int main(int argc, char *argv[])
{
	int s, b;

	if (uk_lwip_up(argc, argv) <= 0) {
		printf("fdcheck: no interface has an address\n");
		return 1;
	}
	s = check_numbers(&b);
	check_ready(s, b);
	check_close_busy(b);
	printf("fdcheck: %d failed\n", failed);
	return failed ? 1 : 0;
}
