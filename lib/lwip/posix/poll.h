/* SPDX-License-Identifier: BSD-3-Clause */
/* poll.h (lib/lwip): struct pollfd and poll(), see <sys/socket.h>. */
#ifndef __LWIP_POLL_H__
#define __LWIP_POLL_H__

#include <sys/socket.h>
#endif /* __LWIP_POLL_H__ */
