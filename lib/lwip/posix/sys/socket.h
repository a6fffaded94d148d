/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD sockets (lib/lwip): lwIP's thread-safe socket calls under their
 * usual names. With nolibc, lwIP's LWIP_COMPAT_SOCKETS defines (socket()
 * is lwip_socket(), close()/read()/write() act on sockets). With newlib,
 * functions of lib/lwip's fdsock.c on descriptors of ukfd's table: every
 * call fails with EBADF on a descriptor that is not open and ENOTSOCK on
 * one that is not a socket (the console); read(), write(), close() and
 * fcntl() are newlib's, on the same table.
 */
#ifndef __LWIP_SYS_SOCKET_H__
#define __LWIP_SYS_SOCKET_H__

#include <lwip/sockets.h>

/*
 * lwIP's receive calls with the socket's receive mutex held (sockrx.c):
 * any number of threads may read one socket, one at a time; with
 * MSG_DONTWAIT, -1 EWOULDBLOCK while another thread receives. s is
 * lwIP's socket number. recv(), recvfrom(), recvmsg(), read() and readv()
 * on a socket come here.
 */
ssize_t uk_lwip_recv(int s, void *mem, size_t len, int flags);
ssize_t uk_lwip_recvfrom(int s, void *mem, size_t len, int flags,
			 struct sockaddr *from, socklen_t *fromlen);
ssize_t uk_lwip_recvmsg(int s, struct msghdr *message, int flags);
ssize_t uk_lwip_read(int s, void *mem, size_t len);
ssize_t uk_lwip_readv(int s, const struct iovec *iov, int iovcnt);

#if !CONFIG_LIBNEWLIB
#undef recv
#undef recvfrom
#undef recvmsg
#undef read
#undef readv
#define recv(s, mem, len, flags)	uk_lwip_recv(s, mem, len, flags)
#define recvfrom(s, mem, len, flags, from, fromlen)			\
	uk_lwip_recvfrom(s, mem, len, flags, from, fromlen)
#define recvmsg(s, message, flags)	uk_lwip_recvmsg(s, message, flags)
#define read(s, mem, len)		uk_lwip_read(s, mem, len)
#define readv(s, iov, iovcnt)		uk_lwip_readv(s, iov, iovcnt)
#else
#include <sys/select.h>

int socket(int domain, int type, int protocol);
int accept(int s, struct sockaddr *addr, socklen_t *addrlen);
int bind(int s, const struct sockaddr *name, socklen_t namelen);
int connect(int s, const struct sockaddr *name, socklen_t namelen);
int listen(int s, int backlog);
int shutdown(int s, int how);
int getpeername(int s, struct sockaddr *name, socklen_t *namelen);
int getsockname(int s, struct sockaddr *name, socklen_t *namelen);
int getsockopt(int s, int level, int optname, void *optval,
	       socklen_t *optlen);
int setsockopt(int s, int level, int optname, const void *optval,
	       socklen_t optlen);
ssize_t recv(int s, void *mem, size_t len, int flags);
ssize_t recvfrom(int s, void *mem, size_t len, int flags,
		 struct sockaddr *from, socklen_t *fromlen);
ssize_t recvmsg(int s, struct msghdr *message, int flags);
ssize_t send(int s, const void *dataptr, size_t size, int flags);
ssize_t sendto(int s, const void *dataptr, size_t size, int flags,
	       const struct sockaddr *to, socklen_t tolen);
ssize_t sendmsg(int s, const struct msghdr *message, int flags);
/*
 * poll() on sockets and the console (0: readable, end of file; 1, 2:
 * writable); a descriptor that is not open gets POLLNVAL.
 */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);
int ioctl(int s, long cmd, void *argp);
const char *inet_ntop(int af, const void *src, char *dst, socklen_t size);
int inet_pton(int af, const char *src, void *dst);
#endif

#endif /* __LWIP_SYS_SOCKET_H__ */
