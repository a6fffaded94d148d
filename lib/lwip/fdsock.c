/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sockets as descriptors of ukfd's table (uk/fd.h), with newlib as the C
 * library: socket() and accept() register each new lwIP socket there and
 * return the descriptor, so the console (0-2) and sockets share one
 * numbering, and newlib's read()/write()/close()/fcntl() reach lwIP
 * through the table's ops below. The other BSD calls look the descriptor
 * up, call lwIP with its own socket number, and put the reference back.
 *
 * Receive calls go through sockrx.c (one receiver at a time per socket).
 *
 * The reference held across each call is what makes a concurrent close()
 * safe: close() unlinks the descriptor at once, and lwip_close() runs when
 * the last call in flight on it returns (ukfd's release), so lwIP never
 * sees a socket number closed and reused under a running call.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <uk/assert.h>
#include <uk/fd.h>
#include "fdsock.h"

#define POLL_ON_STACK	16

/* ---- the table's ops: what read(), write(), close(), fcntl() do -------- */

static int sock_of(void *obj)
{
	return (int)(intptr_t)obj;
}

static ssize_t sock_read(void *obj, void *buf, size_t n)
{
	ssize_t r = uk_lwip_read(sock_of(obj), buf, n);

	return r < 0 ? -errno : r;
}

static ssize_t sock_write(void *obj, const void *buf, size_t n)
{
	ssize_t r = lwip_write(sock_of(obj), buf, n);

	return r < 0 ? -errno : r;
}

static int sock_fcntl(void *obj, int cmd, int arg)
{
	int r = lwip_fcntl(sock_of(obj), cmd, arg);

	return r < 0 ? -errno : r;
}

static int sock_release(void *obj)
{
	return lwip_close(sock_of(obj)) < 0 ? -errno : 0;
}

static const struct uk_fd_ops sock_ops = {
	.kind = UK_FD_SOCKET,
	.read = sock_read,
	.write = sock_write,
	.fcntl = sock_fcntl,
	.release = sock_release,
};

/* ---- lookups -------------------------------------------------------------- */

int uk_lwip_fd_get(int fd, struct uk_fd_file **f)
{
	*f = uk_fd_get(fd);
	if (!*f) {
		errno = EBADF;
		return -1;
	}
	if ((*f)->ops != &sock_ops) {
		uk_fd_put(*f);
		errno = ENOTSOCK;
		return -1;
	}
	return sock_of((*f)->obj);
}

/* Gives back what uk_lwip_fd_get() took, keeping the call's errno. */
void uk_lwip_fd_put(struct uk_fd_file *f)
{
	int e = errno;

	uk_fd_put(f);
	errno = e;
}

/* A new lwIP socket s (or s < 0, errno set) as a descriptor. */
static int new_fd(int s)
{
	int fd;

	if (s < 0)
		return -1;
	fd = uk_fd_open(&sock_ops, (void *)(intptr_t)s);
	if (fd < 0) {
		lwip_close(s);
		errno = -fd;
		return -1;
	}
	return fd;
}

/*
 * ret = call, with s the lwIP socket behind descriptor fd; -1 with
 * EBADF/ENOTSOCK when fd is no socket.
 */
#define ON_SOCK(fd, s, call)						\
	({								\
		struct uk_fd_file *f_;					\
		int s = uk_lwip_fd_get((fd), &f_);			\
		__typeof__(call) r_ = -1;				\
									\
		if (s >= 0) {						\
			r_ = (call);					\
			uk_lwip_fd_put(f_);				\
		}							\
		r_;							\
	})

/* ---- the BSD calls -------------------------------------------------------- */

int socket(int domain, int type, int protocol)
{
	return new_fd(lwip_socket(domain, type, protocol));
}

int accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{
	int ns = ON_SOCK(fd, s, lwip_accept(s, addr, addrlen));

	return new_fd(ns);
}

int bind(int fd, const struct sockaddr *name, socklen_t namelen)
{
	return ON_SOCK(fd, s, lwip_bind(s, name, namelen));
}

int connect(int fd, const struct sockaddr *name, socklen_t namelen)
{
	return ON_SOCK(fd, s, lwip_connect(s, name, namelen));
}

int listen(int fd, int backlog)
{
	return ON_SOCK(fd, s, lwip_listen(s, backlog));
}

int shutdown(int fd, int how)
{
	return ON_SOCK(fd, s, lwip_shutdown(s, how));
}

int getpeername(int fd, struct sockaddr *name, socklen_t *namelen)
{
	return ON_SOCK(fd, s, lwip_getpeername(s, name, namelen));
}

int getsockname(int fd, struct sockaddr *name, socklen_t *namelen)
{
	return ON_SOCK(fd, s, lwip_getsockname(s, name, namelen));
}

int getsockopt(int fd, int level, int optname, void *optval,
	       socklen_t *optlen)
{
	return ON_SOCK(fd, s, lwip_getsockopt(s, level, optname, optval,
					      optlen));
}

int setsockopt(int fd, int level, int optname, const void *optval,
	       socklen_t optlen)
{
	return ON_SOCK(fd, s, lwip_setsockopt(s, level, optname, optval,
					      optlen));
}

ssize_t recv(int fd, void *mem, size_t len, int flags)
{
	return ON_SOCK(fd, s, uk_lwip_recv(s, mem, len, flags));
}

ssize_t recvfrom(int fd, void *mem, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen)
{
	return ON_SOCK(fd, s, uk_lwip_recvfrom(s, mem, len, flags, from,
					       fromlen));
}

ssize_t recvmsg(int fd, struct msghdr *message, int flags)
{
	return ON_SOCK(fd, s, uk_lwip_recvmsg(s, message, flags));
}

ssize_t send(int fd, const void *dataptr, size_t size, int flags)
{
	return ON_SOCK(fd, s, lwip_send(s, dataptr, size, flags));
}

ssize_t sendto(int fd, const void *dataptr, size_t size, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	return ON_SOCK(fd, s, lwip_sendto(s, dataptr, size, flags, to, tolen));
}

ssize_t sendmsg(int fd, const struct msghdr *message, int flags)
{
	return ON_SOCK(fd, s, lwip_sendmsg(s, message, flags));
}

int ioctl(int fd, long cmd, void *argp)
{
	return ON_SOCK(fd, s, lwip_ioctl(s, cmd, argp));
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	return lwip_inet_ntop(af, src, dst, size);
}

int inet_pton(int af, const char *src, void *dst)
{
	return lwip_inet_pton(af, src, dst);
}

/* ---- poll() and select() -------------------------------------------------- */

/*
 * What the console is ready for (0: end of file to read; 1, 2: writes
 * never block), or POLLNVAL for a descriptor that is not open.
 */
static short fixed_revents(int fd, short events, int kind)
{
	if (kind < 0)
		return POLLNVAL;
	return (short)(events & (fd == 0 ? POLLIN : POLLOUT));
}

/*
 * lw[i] is fds[i] with lwIP's socket number, or -1 (lwIP skips it) for
 * the console and closed descriptors, whose revents are decided here.
 * The references taken (f[i]) keep every socket open until lwIP is done.
 */
static int poll_with(struct pollfd *fds, nfds_t n, int timeout,
		     struct pollfd *lw, struct uk_fd_file **f)
{
	nfds_t i;
	int ready = 0, r, kind;

	for (i = 0; i < n; i++) {
		lw[i] = (struct pollfd){ .fd = -1, .events = fds[i].events };
		f[i] = NULL;
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f[i] = uk_fd_get(fds[i].fd);
		if (f[i] && f[i]->ops == &sock_ops) {
			lw[i].fd = sock_of(f[i]->obj);
			continue;
		}
		kind = f[i] ? (int)f[i]->ops->kind : -EBADF;
		fds[i].revents = fixed_revents(fds[i].fd, fds[i].events, kind);
		ready += fds[i].revents != 0;
	}
	/* Something is ready already: lwIP only looks, it does not wait. */
	r = lwip_poll(lw, n, ready ? 0 : timeout);
	for (i = 0; i < n; i++) {
		if (lw[i].fd >= 0) {
			fds[i].revents = lw[i].revents;
			ready += lw[i].revents != 0;
		}
		if (f[i])
			uk_lwip_fd_put(f[i]);
	}
	return r < 0 ? -1 : ready;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	struct pollfd lw_stack[POLL_ON_STACK], *lw = lw_stack;
	struct uk_fd_file *f_stack[POLL_ON_STACK], **f = f_stack;
	int r;

	if (n > POLL_ON_STACK) {
		lw = malloc(n * sizeof(*lw));
		f = malloc(n * sizeof(*f));
		if (!lw || !f) {
			free(lw);
			free(f);
			errno = ENOMEM;
			return -1;
		}
	}
	r = poll_with(fds, n, timeout, lw, f);
	if (lw != lw_stack) {
		free(lw);
		free(f);
	}
	return r;
}

/* select() on poll(): descriptors below nfds (at most FD_SETSIZE). */
int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex,
	   struct timeval *tv)
{
	struct pollfd *p;
	int fd, n = 0, r, i, timeout = -1;

	if (nfds < 0 || nfds > FD_SETSIZE) {
		errno = EINVAL;
		return -1;
	}
	if (tv)
		timeout = (int)(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000);
	p = malloc((size_t)(nfds ? nfds : 1) * sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	for (fd = 0; fd < nfds; fd++) {
		short ev = (short)((rd && FD_ISSET(fd, rd) ? POLLIN : 0) |
				   (wr && FD_ISSET(fd, wr) ? POLLOUT : 0));

		if (ev || (ex && FD_ISSET(fd, ex)))
			p[n++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	r = poll(p, (nfds_t)n, timeout);
	for (i = 0; r >= 0 && i < n; i++)
		if (p[i].revents & POLLNVAL) {
			errno = EBADF;
			r = -1;
		}
	if (r < 0) {
		free(p);
		return -1;
	}
	if (rd)
		FD_ZERO(rd);
	if (wr)
		FD_ZERO(wr);
	if (ex)
		FD_ZERO(ex);
	for (r = 0, i = 0; i < n; i++) {
		short re = p[i].revents;

		if (rd && (re & (POLLIN | POLLHUP | POLLERR)) &&
		    (p[i].events & POLLIN)) {
			FD_SET(p[i].fd, rd);
			r++;
		}
		if (wr && (re & (POLLOUT | POLLERR)) &&
		    (p[i].events & POLLOUT)) {
			FD_SET(p[i].fd, wr);
			r++;
		}
	}
	free(p);
	return r;
}
