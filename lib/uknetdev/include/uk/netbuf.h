/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network buffers (Unikraft's uk/netbuf.h names and meanings): one
 * contiguous buffer with a payload window (data, len) inside it, a
 * reference count, an optional private area and destructor, chained into
 * packets through next/prev.
 *
 * Layout of a netbuf made by uk_netbuf_alloc_buf() / _prepare_buf(), one
 * allocation, lowest address first:
 *
 *   [struct uk_netbuf][priv (privlen)][buf: headroom | data len | tailroom]
 *
 * Invariant of every netbuf: buf <= data and data + len <= buf + buflen
 * (checked with UK_ASSERT where the window moves).
 *
 * Who may call what: a netbuf belongs to one owner at a time (the caller,
 * then a driver queue after a successful transmit, then the destructor);
 * only the reference count is atomic, so uk_netbuf_ref() and
 * uk_netbuf_free() may run on several CPUs for a shared netbuf. Nothing
 * here sleeps; every function may run in interrupt context if the
 * allocator given to it may.
 */
#ifndef __UK_NETBUF__
#define __UK_NETBUF__

#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <errno.h>
#include <sys/types.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/essentials.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_netbuf;

/* Called by the last uk_netbuf_free(); it must release the memory. */
typedef void (*uk_netbuf_dtor_t)(struct uk_netbuf *);

/* The payload's checksum is known to be good (received frames). */
#define UK_NETBUF_F_DATA_VALID_BIT	0
#define UK_NETBUF_F_DATA_VALID		(1 << UK_NETBUF_F_DATA_VALID_BIT)
/* A checksum is to be completed over [csum_start, end) at csum_offset. */
#define UK_NETBUF_F_PARTIAL_CSUM_BIT	1
#define UK_NETBUF_F_PARTIAL_CSUM	(1 << UK_NETBUF_F_PARTIAL_CSUM_BIT)
/* TCPv4 segmentation offload requested (header_len, gso_size). */
#define UK_NETBUF_F_GSO_TCPV4_BIT	2
#define UK_NETBUF_F_GSO_TCPV4		(1 << UK_NETBUF_F_GSO_TCPV4_BIT)

struct uk_netbuf {
	struct uk_netbuf *next;	/* chain of one packet */
	struct uk_netbuf *prev;

	uint8_t flags;		/* UK_NETBUF_F_* */

	void *data;		/* payload start, inside buf */
	uint16_t len;		/* payload length */
	/*
	 * References (Unikraft: an __atomic; here a plain integer accessed
	 * only with __atomic builtins through the functions below).
	 */
	uint32_t refcount;

	void *priv;		/* caller's private area, or NULL */

	void *buf;		/* the buffer */
	size_t buflen;

	uint16_t csum_start;	/* UK_NETBUF_F_PARTIAL_CSUM: from data */
	uint16_t csum_offset;	/* from csum_start to the checksum field */

	uint16_t header_len;	/* UK_NETBUF_F_GSO_*: bytes of headers */
	uint16_t gso_size;	/* UK_NETBUF_F_GSO_*: payload per segment */

	uk_netbuf_dtor_t dtor;	/* NULL: free _b with _a */
	struct uk_alloc *_a;	/* allocator of _b, or NULL */
	void *_b;		/* what to give back to _a */
};

#define UK_NETBUF_CHAIN_FOREACH(var, head)				\
	for ((var) = (head); (var) != NULL; (var) = (var)->next)

#define UK_NETBUF_CHAIN_FOREACH_R(var, tail)				\
	for ((var) = (tail); (var) != NULL; (var) = (var)->prev)

/*
 * Initializes m (memory owned by the caller) around the external buffer
 * buf of buflen bytes, data after headroom bytes, len 0, one reference.
 * headroom must not exceed buflen.
 */
void uk_netbuf_init_indir(struct uk_netbuf *m, void *buf, size_t buflen,
			  uint16_t headroom, void *priv,
			  uk_netbuf_dtor_t dtor);

/* A netbuf without a buffer (attach one with uk_netbuf_init_indir()). */
#define uk_netbuf_init(m, priv, dtor)					\
	uk_netbuf_init_indir((m), NULL, 0, 0, (priv), (dtor))

/*
 * Allocates a netbuf (and privlen bytes of private area) from a around
 * the external buffer buf. The last free gives the netbuf back to a and
 * calls dtor first when given (dtor owns buf). NULL: out of memory, or
 * headroom > buflen.
 */
struct uk_netbuf *uk_netbuf_alloc_indir(struct uk_alloc *a, void *buf,
					size_t buflen, uint16_t headroom,
					size_t privlen, uk_netbuf_dtor_t dtor);

#define uk_netbuf_alloc(a, privlen, dtor)				\
	uk_netbuf_alloc_indir((a), NULL, 0, 0, (privlen), (dtor))

/*
 * Allocates netbuf, private area and a buffer of buflen bytes aligned to
 * bufalign (0: no requirement; else a power of two) in one block from a;
 * data starts after headroom bytes. NULL: out of memory, headroom >
 * buflen, or bufalign not a power of two.
 */
struct uk_netbuf *uk_netbuf_alloc_buf(struct uk_alloc *a, size_t buflen,
				      size_t bufalign, uint16_t headroom,
				      size_t privlen, uk_netbuf_dtor_t dtor);

/*
 * Builds a netbuf inside mem (size bytes) that the caller owns: the
 * structure and private area at its start, the buffer in the rest. The
 * last free calls dtor (if any) and nothing else. NULL: too small.
 */
struct uk_netbuf *uk_netbuf_prepare_buf(void *mem, size_t size,
					uint16_t headroom, size_t privlen,
					uk_netbuf_dtor_t dtor);

#define uk_netbuf_chain_last(m)						\
	({								\
		struct uk_netbuf *__ret = NULL, *__iter;		\
		UK_NETBUF_CHAIN_FOREACH(__iter, (m))			\
			__ret = __iter;					\
		(__ret);						\
	})

#define uk_netbuf_chain_first(m)					\
	({								\
		struct uk_netbuf *__ret = NULL, *__iter;		\
		UK_NETBUF_CHAIN_FOREACH_R(__iter, (m))			\
			__ret = __iter;					\
		(__ret);						\
	})

static inline void *uk_netbuf_get_priv(struct uk_netbuf *m)
{
	UK_ASSERT(m);
	return m->priv;
}

/*
 * Links tail after headtail, which must be the last of its chain, and
 * tail the first of its own.
 */
void uk_netbuf_connect(struct uk_netbuf *headtail, struct uk_netbuf *tail);

/* Appends the chain tail after the last netbuf of the chain head. */
void uk_netbuf_append(struct uk_netbuf *head, struct uk_netbuf *tail);

/*
 * Unlinks m from its chain; returns what follows m (the rest of the chain
 * after m), or what preceded it when m was last, or NULL if m was alone.
 */
struct uk_netbuf *uk_netbuf_disconnect(struct uk_netbuf *m);

/* One more reference to m only. */
static inline struct uk_netbuf *uk_netbuf_ref_single(struct uk_netbuf *m)
{
	UK_ASSERT(m);
	/* Relaxed: the caller already holds a reference (count >= 1). */
	__atomic_fetch_add(&m->refcount, 1, __ATOMIC_RELAXED);
	return m;
}

/* One more reference to every netbuf of the chain from m. */
static inline struct uk_netbuf *uk_netbuf_ref(struct uk_netbuf *m)
{
	struct uk_netbuf *iter;

	UK_ASSERT(m);
	UK_NETBUF_CHAIN_FOREACH(iter, m)
		uk_netbuf_ref_single(iter);
	return m;
}

static inline uint32_t uk_netbuf_refcount_single_get(struct uk_netbuf *m)
{
	UK_ASSERT(m);
	return __atomic_load_n(&m->refcount, __ATOMIC_RELAXED);
}

/*
 * Drops one reference of m only; the last one unlinks m from its chain
 * and destroys it (dtor, then the memory back to its allocator).
 */
void uk_netbuf_free_single(struct uk_netbuf *m);

/* uk_netbuf_free_single() on every netbuf of the chain, from its head. */
void uk_netbuf_free(struct uk_netbuf *m);

static inline size_t uk_netbuf_headroom(struct uk_netbuf *m)
{
	UK_ASSERT(m && m->buf && m->data);
	return (size_t)((uintptr_t)m->data - (uintptr_t)m->buf);
}

static inline size_t uk_netbuf_tailroom(struct uk_netbuf *m)
{
	UK_ASSERT(m && m->buf && m->data);
	return (size_t)(((uintptr_t)m->buf + m->buflen)
			- ((uintptr_t)m->data + m->len));
}

/*
 * Grows the payload of head (the first of a chain) by len bytes into its
 * headroom (len > 0) or shrinks it from the front (len < 0). Returns 1,
 * -ENOSPC (not that much headroom / payload), -EFAULT (above 64 KiB).
 * A partial checksum's start moves with the data; removing bytes beyond
 * it clears UK_NETBUF_F_PARTIAL_CSUM.
 */
static inline int uk_netbuf_header(struct uk_netbuf *head, int16_t len)
{
	UK_ASSERT(head && head->buf && head->data);
	UK_ASSERT(head->prev == NULL);

	if (unlikely(len > (ssize_t)uk_netbuf_headroom(head)
		     || -len > (ssize_t)head->len))
		return -ENOSPC;
	if (unlikely((int32_t)len + (int32_t)head->len > UINT16_MAX))
		return -EFAULT;
	head->data = (char *)head->data - len;
	head->len = (uint16_t)(head->len + len);
	if (head->flags & UK_NETBUF_F_PARTIAL_CSUM) {
		if (len < 0 && -len > head->csum_start)
			head->flags &= ~UK_NETBUF_F_PARTIAL_CSUM;
		else
			head->csum_start = (uint16_t)(head->csum_start + len);
	}
	return 1;
}

#ifdef __cplusplus
}
#endif

#endif /* __UK_NETBUF__ */
