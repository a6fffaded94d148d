/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD sockets (lib/lwip): lwIP's thread-safe socket calls under their
 * usual names (lwIP's LWIP_COMPAT_SOCKETS defines: socket() is
 * lwip_socket(), close()/read()/write() act on sockets).
 */
#ifndef __LWIP_SYS_SOCKET_H__
#define __LWIP_SYS_SOCKET_H__

#include <lwip/sockets.h>

#endif /* __LWIP_SYS_SOCKET_H__ */
