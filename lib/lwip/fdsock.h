/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/lwip's private view of fdsock.c (newlib only): the lwIP socket
 * behind a descriptor, held while the caller uses it.
 */
#ifndef __LWIP_FDSOCK_H__
#define __LWIP_FDSOCK_H__

#include <uk/fd.h>

/*
 * lwIP's socket number behind descriptor fd, with *f holding it open
 * until uk_lwip_fd_put(*f); or -1 with errno EBADF (not open) or
 * ENOTSOCK (not a socket), nothing held.
 */
int uk_lwip_fd_get(int fd, struct uk_fd_file **f);
void uk_lwip_fd_put(struct uk_fd_file *f);

#endif /* __LWIP_FDSOCK_H__ */
