/* sys/select.h (lib/lwip): lwIP's definitions, see <sys/socket.h>. */
#ifndef __LWIP_SYS_SELECT_H__
#define __LWIP_SYS_SELECT_H__

#include <lwip/sockets.h>

#endif /* __LWIP_SYS_SELECT_H__ */
