/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test messages of ukmpi's suites (guest and host): a header naming the
 * sender, the receiver and a per-pair sequence number, a payload whose
 * length and bytes follow from them, and a checksum of the payload. A lost,
 * duplicated, reordered or torn message fails tmsg_check().
 */
#ifndef __UKMPI_TMSG_H__
#define __UKMPI_TMSG_H__

#include <stdint.h>
#include <string.h>
#include <uk/chan.h>

struct tmsg {
	uint32_t from, to;
	uint64_t seq;
	uint64_t sum;
};

#define TMSG_PAYLOAD_MAX (UK_CHAN_MSG_MAX - sizeof(struct tmsg))

static inline unsigned char tmsg_byte(uint32_t from, uint64_t seq,
				      unsigned int i)
{
	return (unsigned char)(from * 31 + seq * 7 + i * 13);
}

static inline uint64_t tmsg_sum(const unsigned char *p, unsigned int n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	unsigned int i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* Payload bytes of message seq: 0..TMSG_PAYLOAD_MAX, varying. */
static inline unsigned int tmsg_paylen(uint64_t seq)
{
	return (unsigned int)((seq * 37) % (TMSG_PAYLOAD_MAX + 1));
}

/* Writes message seq from -> to into buf; returns its length. */
static inline unsigned int tmsg_fill(void *buf, uint32_t from, uint32_t to,
				     uint64_t seq)
{
	struct tmsg h = { from, to, seq, 0 };
	unsigned char *p = (unsigned char *)buf + sizeof(h);
	unsigned int n = tmsg_paylen(seq), i;

	for (i = 0; i < n; i++)
		p[i] = tmsg_byte(from, seq, i);
	h.sum = tmsg_sum(p, n);
	memcpy(buf, &h, sizeof(h));
	return (unsigned int)sizeof(h) + n;
}

/*
 * 0 if buf (len bytes) is message seq from -> to, intact; else a code: 1
 * length, 2 sender/receiver, 3 sequence, 4 checksum, 5 payload bytes.
 */
static inline int tmsg_check(const void *buf, int len, uint32_t from,
			     uint32_t to, uint64_t seq)
{
	const unsigned char *p = (const unsigned char *)buf + sizeof(struct tmsg);
	struct tmsg h;
	unsigned int n = tmsg_paylen(seq), i;

	if (len != (int)(sizeof(h) + n))
		return 1;
	memcpy(&h, buf, sizeof(h));
	if (h.from != from || h.to != to)
		return 2;
	if (h.seq != seq)
		return 3;
	if (h.sum != tmsg_sum(p, n))
		return 4;
	for (i = 0; i < n; i++)
		if (p[i] != tmsg_byte(from, seq, i))
			return 5;
	return 0;
}

#endif /* __UKMPI_TMSG_H__ */
