/* SPDX-License-Identifier: BSD-3-Clause */
/* arpa/inet.h (lib/lwip): lwIP's definitions, see <sys/socket.h>. */
#ifndef __LWIP_ARPA_INET_H__
#define __LWIP_ARPA_INET_H__

#include <sys/socket.h>	/* lwIP's, with the receive calls of sockrx.c */
#include <lwip/inet.h>
#endif /* __LWIP_ARPA_INET_H__ */
