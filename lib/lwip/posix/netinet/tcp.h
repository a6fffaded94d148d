/* SPDX-License-Identifier: BSD-3-Clause */
/* netinet/tcp.h (lib/lwip): lwIP's definitions, see <sys/socket.h>. */
#ifndef __LWIP_NETINET_TCP_H__
#define __LWIP_NETINET_TCP_H__

#include <sys/socket.h>	/* lwIP's, with the receive calls of sockrx.c */

#endif /* __LWIP_NETINET_TCP_H__ */
