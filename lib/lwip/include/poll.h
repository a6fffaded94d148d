/* poll.h (lib/lwip): lwIP's definitions, see <sys/socket.h>. */
#ifndef __LWIP_POLL_H__
#define __LWIP_POLL_H__

#include <lwip/sockets.h>

#endif /* __LWIP_POLL_H__ */
