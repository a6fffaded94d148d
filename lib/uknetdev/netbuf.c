/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network buffers (uk/netbuf.h): allocation in one block, chains, and
 * reference counting. The last reference's holder destroys the netbuf:
 * its destructor, then the block back to the allocator it came from.
 */
#include <string.h>
#include <uk/netbuf.h>

#define NETBUF_ALIGN	__alignof__(struct uk_netbuf)

void uk_netbuf_init_indir(struct uk_netbuf *m, void *buf, size_t buflen,
			  uint16_t headroom, void *priv,
			  uk_netbuf_dtor_t dtor)
{
	UK_ASSERT(m);
	UK_ASSERT(headroom <= buflen);

	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->buflen = buflen;
	m->data = (char *)buf + headroom;
	m->priv = priv;
	m->dtor = dtor;
	m->refcount = 1;
}

struct uk_netbuf *uk_netbuf_alloc_indir(struct uk_alloc *a, void *buf,
					size_t buflen, uint16_t headroom,
					size_t privlen, uk_netbuf_dtor_t dtor)
{
	size_t priv_off = ALIGN_UP(sizeof(struct uk_netbuf), sizeof(void *));
	struct uk_netbuf *m;

	if (!a || headroom > buflen)
		return NULL;
	m = uk_malloc(a, priv_off + privlen);
	if (!m)
		return NULL;
	uk_netbuf_init_indir(m, buf, buflen, headroom,
			     privlen ? (char *)m + priv_off : NULL, dtor);
	m->_a = a;
	m->_b = m;
	return m;
}

/*
 * Lays out [netbuf][priv][pad][buffer] in mem, the buffer aligned to
 * align (a power of two, at least 1). NULL when it does not fit.
 */
static struct uk_netbuf *layout(void *mem, size_t size, size_t align,
				uint16_t headroom, size_t privlen,
				uk_netbuf_dtor_t dtor)
{
	uintptr_t base = (uintptr_t)mem, priv, buf, end = base + size;
	struct uk_netbuf *m;

	if (!mem || (base & (NETBUF_ALIGN - 1)))
		return NULL;
	priv = base + ALIGN_UP(sizeof(*m), sizeof(void *));
	buf = ALIGN_UP(priv + privlen, align);
	if (buf < priv || buf > end || end - buf < headroom)
		return NULL;
	m = mem;
	uk_netbuf_init_indir(m, (void *)buf, end - buf, headroom,
			     privlen ? (void *)priv : NULL, dtor);
	return m;
}

struct uk_netbuf *uk_netbuf_alloc_buf(struct uk_alloc *a, size_t buflen,
				      size_t bufalign, uint16_t headroom,
				      size_t privlen, uk_netbuf_dtor_t dtor)
{
	size_t align = bufalign ? bufalign : 1, size;
	struct uk_netbuf *m;
	void *mem;

	if (!a || headroom > buflen || (align & (align - 1)))
		return NULL;
	/* Worst case: align - 1 bytes of padding before the buffer. */
	size = ALIGN_UP(sizeof(*m), sizeof(void *)) + privlen + align - 1
	       + buflen;
	mem = uk_memalign(a, MAX(NETBUF_ALIGN, (size_t)sizeof(void *)), size);
	if (!mem)
		return NULL;
	m = layout(mem, size, align, headroom, privlen, dtor);
	UK_ASSERT(m && m->buflen >= buflen);
	m->buflen = buflen;	/* what was asked for, not the slack */
	m->_a = a;
	m->_b = mem;
	return m;
}

struct uk_netbuf *uk_netbuf_prepare_buf(void *mem, size_t size,
					uint16_t headroom, size_t privlen,
					uk_netbuf_dtor_t dtor)
{
	return layout(mem, size, 1, headroom, privlen, dtor);
}

void uk_netbuf_connect(struct uk_netbuf *headtail, struct uk_netbuf *tail)
{
	UK_ASSERT(headtail && tail);
	UK_ASSERT(headtail->next == NULL);
	UK_ASSERT(tail->prev == NULL);

	headtail->next = tail;
	tail->prev = headtail;
}

void uk_netbuf_append(struct uk_netbuf *head, struct uk_netbuf *tail)
{
	UK_ASSERT(head && tail);
	uk_netbuf_connect(uk_netbuf_chain_last(head), tail);
}

struct uk_netbuf *uk_netbuf_disconnect(struct uk_netbuf *m)
{
	struct uk_netbuf *rest;

	UK_ASSERT(m);
	rest = m->next ? m->next : m->prev;
	if (m->prev)
		m->prev->next = m->next;
	if (m->next)
		m->next->prev = m->prev;
	m->next = NULL;
	m->prev = NULL;
	return rest;
}

static void destroy(struct uk_netbuf *m)
{
	struct uk_alloc *a = m->_a;
	void *b = m->_b;

	/* Read before dtor: it may release the memory m lives in. */
	if (m->dtor)
		m->dtor(m);
	if (a)
		uk_free(a, b);
}

void uk_netbuf_free_single(struct uk_netbuf *m)
{
	uint32_t old;

	UK_ASSERT(m);
	/*
	 * Release: this holder's writes to the netbuf happen before the
	 * destroying holder's; acquire (on the last one): pairs with every
	 * other holder's release decrement, so the destructor sees them.
	 */
	old = __atomic_fetch_sub(&m->refcount, 1, __ATOMIC_ACQ_REL);
	UK_ASSERT(old >= 1);
	if (old == 1) {
		/* Links are only touched by the last holder. */
		uk_netbuf_disconnect(m);
		destroy(m);
	}
}

void uk_netbuf_free(struct uk_netbuf *m)
{
	struct uk_netbuf *next;

	UK_ASSERT(m);
	UK_ASSERT(m->prev == NULL);
	for (; m; m = next) {
		next = m->next;
		uk_netbuf_free_single(m);
	}
}
