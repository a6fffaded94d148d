/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One receiver at a time per socket, so that several threads may read one
 * socket: uk_lwip_recv(), uk_lwip_recvfrom(), uk_lwip_recvmsg(),
 * uk_lwip_read(), uk_lwip_readv() call lwIP's with the socket's receive
 * mutex held. <sys/socket.h> names them recv(), recvfrom(), ... (nolibc)
 * and fdsock.c calls them (newlib).
 *
 * Why: lwIP 2.1.3 keeps a socket's partly read pbuf (lastdata) without a
 * lock: two threads in recvfrom() on one UDP socket both took and freed
 * one datagram (pbuf_free: p->ref > 0). Serialising receivers closes
 * that race; each datagram (each byte of a stream) goes to exactly one
 * of them, the others wait for the mutex as they would wait for data.
 *
 * A call with MSG_DONTWAIT does not wait for the mutex either: it fails
 * with EWOULDBLOCK while another thread receives. A second blocking
 * reader's SO_RCVTIMEO counts from when it gets the mutex.
 */
#include <errno.h>
#include <sys/socket.h>
#include <uk/assert.h>
#include <uk/mutex.h>
#include <lwip/opt.h>

#define NSOCK	MEMP_NUM_NETCONN	/* lwIP's socket numbers: 0..NSOCK-1 */

UK_CTASSERT(LWIP_SOCKET_OFFSET == 0);

/* rx[s] protects socket s's receive state (lwIP's lastdata) across calls. */
static struct uk_mutex rx[NSOCK];
static int rx_ready;	/* rx[] set up: uk_lwip_rx_init() */

void uk_lwip_rx_init(void)
{
	int s;

	for (s = 0; s < NSOCK; s++)
		uk_mutex_init(&rx[s]);
	/* Release: uk_lwip_up() runs before any socket call (doc). */
	__atomic_store_n(&rx_ready, 1, __ATOMIC_RELEASE);
}

/* 0 with s's mutex held (or s not a socket number: lwIP says EBADF). */
static int rx_enter(int s, int flags)
{
	UK_ASSERT(__atomic_load_n(&rx_ready, __ATOMIC_ACQUIRE));
	if (s < 0 || s >= NSOCK)
		return 0;
	if (!(flags & MSG_DONTWAIT)) {
		uk_mutex_lock(&rx[s]);
		return 0;
	}
	if (uk_mutex_trylock(&rx[s]))
		return 0;
	errno = EWOULDBLOCK;
	return -1;
}

/* Gives s's mutex back, keeping the call's errno. */
static ssize_t rx_exit(int s, ssize_t r)
{
	if (s >= 0 && s < NSOCK)
		uk_mutex_unlock(&rx[s]);
	return r;
}

ssize_t uk_lwip_recv(int s, void *mem, size_t len, int flags)
{
	if (rx_enter(s, flags))
		return -1;
	return rx_exit(s, lwip_recv(s, mem, len, flags));
}

ssize_t uk_lwip_recvfrom(int s, void *mem, size_t len, int flags,
			 struct sockaddr *from, socklen_t *fromlen)
{
	if (rx_enter(s, flags))
		return -1;
	return rx_exit(s, lwip_recvfrom(s, mem, len, flags, from, fromlen));
}

ssize_t uk_lwip_recvmsg(int s, struct msghdr *message, int flags)
{
	if (rx_enter(s, flags))
		return -1;
	return rx_exit(s, lwip_recvmsg(s, message, flags));
}

ssize_t uk_lwip_read(int s, void *mem, size_t len)
{
	rx_enter(s, 0);
	return rx_exit(s, lwip_read(s, mem, len));
}

ssize_t uk_lwip_readv(int s, const struct iovec *iov, int iovcnt)
{
	rx_enter(s, 0);
	return rx_exit(s, lwip_readv(s, iov, iovcnt));
}
