/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/lwip's private view of sockrx.c: set-up of the receive mutexes. */
#ifndef __LWIP_SOCKRX_H__
#define __LWIP_SOCKRX_H__

/* Once, by uk_lwip_up(), before any socket exists. */
void uk_lwip_rx_init(void);

#endif /* __LWIP_SOCKRX_H__ */
