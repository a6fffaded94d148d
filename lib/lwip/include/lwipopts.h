/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's options for our images (lwipopts.h, read by lwip/opt.h). The
 * knobs users turn come from Kconfig (lib/lwip/Config.uk); the rest is
 * fixed by how lib/lwip runs lwIP (doc/lwip.md):
 *   - the core under one mutex (LWIP_TCPIP_CORE_LOCKING): socket calls
 *     and the receive threads take it and run lwIP directly, the tcpip
 *     thread is left with timers and callbacks;
 *   - SYS_ARCH_PROTECT is a cross-CPU lock (sys_arch.c);
 *   - memory from ukalloc: the heap always (MEM_LIBC_MALLOC), the pools
 *     too with LWIP_MEM_HEAP (MEMP_MEM_MALLOC).
 */
#ifndef __LWIP_LWIPOPTS_H__
#define __LWIP_LWIPOPTS_H__

#include <stddef.h>

/* --- operating system ---------------------------------------------------- */
#define NO_SYS				0
#define SYS_LIGHTWEIGHT_PROT		1
#define LWIP_TCPIP_CORE_LOCKING		1
#define LWIP_TCPIP_CORE_LOCKING_INPUT	1
#define LWIP_ERRNO_STDINCLUDE		1
#define TCPIP_THREAD_NAME		"lwip-tcpip"
#define TCPIP_MBOX_SIZE			256
#define DEFAULT_RAW_RECVMBOX_SIZE	128
#define DEFAULT_UDP_RECVMBOX_SIZE	512
#define DEFAULT_TCP_RECVMBOX_SIZE	128
#define DEFAULT_ACCEPTMBOX_SIZE		256
#define DEFAULT_THREAD_STACKSIZE	0	/* uksched's default */

/* --- memory --------------------------------------------------------------- */
#define MEM_ALIGNMENT			8
#define MEM_LIBC_MALLOC			1
void *uk_lwip_malloc(size_t size);
void *uk_lwip_calloc(size_t n, size_t size);
void uk_lwip_free(void *p);
#define mem_clib_malloc			uk_lwip_malloc
#define mem_clib_calloc			uk_lwip_calloc
#define mem_clib_free			uk_lwip_free
#if CONFIG_LWIP_MEM_HEAP
#define MEMP_MEM_MALLOC			1
#else
#define MEMP_MEM_MALLOC			0
#endif
#define MEMP_NUM_TCP_PCB		CONFIG_LWIP_NUM_TCP_PCB
#define MEMP_NUM_TCP_PCB_LISTEN		CONFIG_LWIP_NUM_TCP_PCB_LISTEN
#define MEMP_NUM_UDP_PCB		CONFIG_LWIP_NUM_UDP_PCB
#define MEMP_NUM_NETCONN		CONFIG_LWIP_NUM_SOCKETS
#define MEMP_NUM_TCP_SEG		CONFIG_LWIP_NUM_TCP_SEG
#define MEMP_NUM_PBUF			CONFIG_LWIP_NUM_TCP_SEG
#define MEMP_NUM_NETBUF			256
#define MEMP_NUM_TCPIP_MSG_API		256
#define MEMP_NUM_TCPIP_MSG_INPKT	256
#define MEMP_NUM_REASSDATA		32
#define MEMP_NUM_FRAG_PBUF		64
#define PBUF_POOL_SIZE			64
#define PBUF_POOL_BUFSIZE		1536
#define MEMP_OVERFLOW_CHECK		0
#define MEMP_SANITY_CHECK		0

/* --- link and IP ---------------------------------------------------------- */
#define LWIP_ARP			1
#define ARP_TABLE_SIZE			64
#define ARP_QUEUEING			1
#define ETHARP_SUPPORT_STATIC_ENTRIES	1
#define LWIP_ETHERNET			1
#define ETH_PAD_SIZE			0
#define LWIP_IPV4			1
#define IP_FORWARD			0
#define IP_OPTIONS_ALLOWED		1
#define IP_REASSEMBLY			1
#define IP_FRAG				1
#define IP_REASS_MAXAGE			3	/* seconds */
#define IP_REASS_MAX_PBUFS		128
#define LWIP_ICMP			1
#define LWIP_RAW			1
#define LWIP_IGMP			0
#if CONFIG_LWIP_IPV6
#define LWIP_IPV6			1
#else
#define LWIP_IPV6			0
#endif
#define LWIP_NETIF_STATUS_CALLBACK	1
#define LWIP_NETIF_LINK_CALLBACK	1
#define LWIP_NETIF_HOSTNAME		1
#define LWIP_SINGLE_NETIF		0
#define LWIP_HAVE_LOOPIF		0
#define LWIP_NETIF_LOOPBACK		1
#define LWIP_LOOPBACK_MAX_PBUFS		64

/* --- DHCP, DNS ------------------------------------------------------------ */
#if CONFIG_LWIP_DHCP
#define LWIP_DHCP			1
#define DHCP_DOES_ARP_CHECK		0
#else
#define LWIP_DHCP			0
#endif
#if CONFIG_LWIP_DNS
#define LWIP_DNS			1
#else
#define LWIP_DNS			0
#endif

/* --- UDP and TCP ---------------------------------------------------------- */
#define LWIP_UDP			1
#define LWIP_UDPLITE			0
#define LWIP_TCP			1
#define TCP_MSS				CONFIG_LWIP_TCP_MSS
#define TCP_WND				CONFIG_LWIP_TCP_WND
#define TCP_SND_BUF			CONFIG_LWIP_TCP_SND_BUF
#define TCP_SND_QUEUELEN		((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_QUEUE_OOSEQ			1
/*
 * TIME-WAIT lasts 2 * TCP_MSL. A server closes first and so holds the
 * TIME-WAIT; lwIP answers a new SYN on a pair still in it with an ACK
 * (no reuse as Linux does), so a client that reuses the port waits it
 * out. 2 s instead of lwIP's 60 s: right for a LAN, which is where these
 * images serve.
 */
#define TCP_MSL				2000UL
#define TCP_LISTEN_BACKLOG		1
#define TCP_DEFAULT_LISTEN_BACKLOG	255
#define LWIP_TCP_KEEPALIVE		1
#define LWIP_TCP_TIMESTAMPS		0
#define TCP_OVERSIZE			TCP_MSS
#define LWIP_TCP_SACK_OUT		0
/*
 * Flow affinity (netif.c): every segment lwIP matches to a connection
 * records, in the connection's extension argument, the CPU that received
 * it; uk_lwip_sock_cpu() reads it.
 */
#define LWIP_TCP_PCB_NUM_EXT_ARGS	1
signed char uk_lwip_tcp_inpacket(void *pcb);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p)	\
	uk_lwip_tcp_inpacket(pcb)

/* --- sockets -------------------------------------------------------------- */
#define LWIP_NETCONN			1
#define LWIP_SOCKET			1
#if CONFIG_LIBNEWLIB
/*
 * newlib: sockets are descriptors of ukfd's table, shared with the
 * console (fdsock.c defines socket(), send(), poll(), select()...; newlib's
 * read()/write()/close() reach them through the table), so lwIP's
 * renaming macros are off. select() is fdsock.c's, on lwip_poll(), with
 * newlib's fd_set; newlib's struct timeval.
 */
#define LWIP_COMPAT_SOCKETS		0
#define LWIP_POSIX_SOCKETS_IO_NAMES	0
#define LWIP_SOCKET_SELECT		0
#define LWIP_TIMEVAL_PRIVATE		0
#else
/* nolibc: lwIP's macros name its calls socket(), read(), close(), ... */
#define LWIP_COMPAT_SOCKETS		1
#define LWIP_POSIX_SOCKETS_IO_NAMES	1
#define LWIP_SOCKET_SELECT		1
#endif
#define LWIP_SOCKET_POLL		1
#define LWIP_SO_RCVTIMEO		1
#define LWIP_SO_SNDTIMEO		1
#define LWIP_SO_RCVBUF			1
#define LWIP_SO_LINGER			1
#define SO_REUSE			1
#define LWIP_TCP_CLOSE_TIMEOUT_MS_DEFAULT 5000
#define LWIP_FIONREAD_LINUXMODE		1

/* --- checksums: every one made and checked in software ------------------- */
#define CHECKSUM_GEN_IP			1
#define CHECKSUM_GEN_UDP		1
#define CHECKSUM_GEN_TCP		1
#define CHECKSUM_GEN_ICMP		1
#define CHECKSUM_CHECK_IP		1
#define CHECKSUM_CHECK_UDP		1
#define CHECKSUM_CHECK_TCP		1
#define CHECKSUM_CHECK_ICMP		1
#define LWIP_CHECKSUM_ON_COPY		1

/* --- statistics ----------------------------------------------------------- */
#if CONFIG_LWIP_STATS
#define LWIP_STATS			1
#define LWIP_STATS_DISPLAY		0
#define MEM_STATS			1
#define MEMP_STATS			1
#define LINK_STATS			1
#define ETHARP_STATS			1
#define IP_STATS			1
#define IPFRAG_STATS			1
#define ICMP_STATS			1
#define UDP_STATS			1
#define TCP_STATS			1
#define SYS_STATS			1
#else
#define LWIP_STATS			0
#endif

#endif /* __LWIP_LWIPOPTS_H__ */
