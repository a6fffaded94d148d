/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Random numbers: a ChaCha20 CSPRNG per CPU, seeded at boot from the best
 * entropy source there is (a registered device such as virtio-rng, XORed
 * with RDRAND when the CPU has it) and reseeded from the device as it
 * goes. Unikraft's lib/ukrandom names (uk_random_fill_buffer,
 * uk_random_u32, uk_random_u64), so getentropy()/getrandom() can be built
 * on it.
 *
 * Without a device and without RDRAND the output is predictable: the boot
 * log says so, and uk_random_source_name() returns "none".
 */
#ifndef __UK_RANDOM_H__
#define __UK_RANDOM_H__

#include <stddef.h>
#include <sys/types.h>
#include <uk/essentials.h>

/*
 * Fills buf with buflen bytes from the calling CPU's generator. Any CPU,
 * any context but NMI; never blocks on the fast path (no shared lock).
 * Returns buflen.
 */
ssize_t uk_random_fill_buffer(void *buf, size_t buflen);

/* One random value. Return 0. */
int uk_random_u32(__u32 *val);
int uk_random_u64(__u64 *val);

#define UK_RANDOM_NONBLOCK	0x1

/* An entropy source a driver registers (at most one; the last wins). */
struct uk_random_source {
	const char *name;
	/*
	 * Fills buf with up to len bytes; with UK_RANDOM_NONBLOCK returns
	 * what it has now. Returns the byte count or a negative errno.
	 */
	ssize_t (*read)(void *buf, size_t len, int flags);
};

/*
 * Makes src the source for seeding and reseeding; every CPU reseeds from
 * it at its next use. src must stay valid. Init table or thread context.
 * Returns 0 or -EINVAL.
 */
int uk_random_source_register(const struct uk_random_source *src);

/* What seeded the generators: a source's name, "rdrand", or "none". */
const char *uk_random_source_name(void);

#endif /* __UK_RANDOM_H__ */
