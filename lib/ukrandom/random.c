/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukrandom (uk/random.h): one fast-key-erasure ChaCha20 generator per CPU.
 *
 * A generator holds a 32-byte key and a buffer of keystream. A refill runs
 * ChaCha20 under the key for REFILL_BLOCKS blocks; the first 32 bytes
 * become the next key and the rest is handed out, each byte zeroed as it
 * goes, so a later compromise of the state does not reveal past output.
 * Every RESEED_BYTES of output, or when a new source was registered, the
 * CPU mixes 32 fresh bytes from the source into its key (non-blocking: if
 * the source has nothing now, it tries again at the next call).
 *
 * Concurrency: a CPU only touches its own generator, with interrupts off
 * (an interrupt handler on the same CPU may ask for bytes too). The only
 * shared data are the source pointer and its epoch, read with acquire.
 *
 * Invariant: 0 <= pos <= BUF_BYTES, and buf[0..pos) is zero.
 */
#include <errno.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/random.h>
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>
#include "chacha20.h"
#include "random_impl.h"

#define REFILL_BLOCKS	16
#define BUF_BYTES	(REFILL_BLOCKS * CHACHA20_BLOCK - 32)
#define RESEED_BYTES	((__u64)CONFIG_LIBUKRANDOM_RESEED_KIB * 1024)

struct csprng {
	__u8 key[32];
	__u8 buf[BUF_BYTES];
	unsigned int pos;
	unsigned int epoch;		/* source epoch it last mixed */
	int seeded;
	__u64 since_reseed;
	unsigned long reseeds;
} __align(UKARCH_CACHE_LINE_SIZE);

static struct csprng gens[CONFIG_UKPLAT_LCPU_MAXCOUNT];
static const struct uk_random_source *source;
static unsigned int source_epoch;	/* bumped on registration */
static const char *seeded_by = "none";

static void refill(struct csprng *g)
{
	static const __u8 nonce[12];
	__u8 block[CHACHA20_BLOCK];
	unsigned int i;

	uk_chacha20_block(g->key, 0, nonce, block);
	memcpy(g->key, block, 32);
	memcpy(g->buf, block + 32, CHACHA20_BLOCK - 32);
	for (i = 1; i < REFILL_BLOCKS; i++)
		uk_chacha20_block(block, i, nonce,
				  g->buf + i * CHACHA20_BLOCK - 32);
	memset(block, 0, sizeof(block));
	g->pos = 0;
}

/* key := ChaCha20(key XOR seed)[0..32): the seed is mixed, never replaces. */
static void mix(struct csprng *g, const __u8 seed[32])
{
	static const __u8 nonce[12] = { 'r', 'e', 's', 'e', 'e', 'd' };
	__u8 block[CHACHA20_BLOCK];
	unsigned int i;

	for (i = 0; i < 32; i++)
		g->key[i] ^= seed[i];
	uk_chacha20_block(g->key, 0, nonce, block);
	memcpy(g->key, block, 32);
	memset(block, 0, sizeof(block));
	memset(g->buf, 0, sizeof(g->buf));
	g->pos = BUF_BYTES;	/* nothing from the old key is handed out */
}

static int rdrand64(__u64 *v)
{
	__u32 a, b, c, d;
	unsigned int tries;
	__u8 ok;

	ukarch_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1U << 30)))
		return 0;
	for (tries = 0; tries < 10; tries++) {
		__asm__ __volatile__("rdrand %0; setc %1"
				     : "=r"(*v), "=qm"(ok) :: "cc");
		if (ok)
			return 1;
	}
	return 0;
}

/* 32 bytes of seed: the source XOR RDRAND; returns what was used. */
static int seed_material(__u8 seed[32], int flags)
{
	const struct uk_random_source *src =
		/* Acquire: pairs with the release in source_register. */
		__atomic_load_n(&source, __ATOMIC_ACQUIRE);
	int got = 0;
	unsigned int i;
	__u64 r;

	memset(seed, 0, 32);
	if (src && src->read(seed, 32, flags) == 32)
		got |= RANDOM_SEED_SOURCE;
	for (i = 0; i < 4; i++) {
		if (!rdrand64(&r))
			break;
		((__u64 *)seed)[i] ^= r;
	}
	if (i == 4)
		got |= RANDOM_SEED_RDRAND;
	if (!got) {	/* predictable; said at boot */
		((__u64 *)seed)[0] ^= rdtsc();
		((__u64 *)seed)[1] ^= ukplat_lcpu_idx();
	}
	return got;
}

static void seed_first(struct csprng *g)
{
	__u8 seed[32];

	g->epoch = __atomic_load_n(&source_epoch, __ATOMIC_ACQUIRE);
	seed_material(seed, 0);
	mix(g, seed);
	memset(seed, 0, sizeof(seed));
	g->seeded = 1;
}

static void reseed(struct csprng *g)
{
	unsigned int epoch = __atomic_load_n(&source_epoch, __ATOMIC_ACQUIRE);
	int have_source = __atomic_load_n(&source, __ATOMIC_ACQUIRE) != NULL;
	__u8 seed[32];
	int got = seed_material(seed, UK_RANDOM_NONBLOCK);

	if (have_source && !(got & RANDOM_SEED_SOURCE))
		return;		/* the source has nothing now: next call */
	mix(g, seed);
	memset(seed, 0, sizeof(seed));
	g->epoch = epoch;
	g->since_reseed = 0;
	g->reseeds++;
}

ssize_t uk_random_fill_buffer(void *buf, size_t buflen)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	struct csprng *g = &gens[ukplat_lcpu_idx()];
	__u8 *out = buf;
	size_t n, left = buflen;

	if (unlikely(!g->seeded))
		seed_first(g);
	else if (g->since_reseed >= RESEED_BYTES
		 || g->epoch != __atomic_load_n(&source_epoch,
						__ATOMIC_RELAXED))
		reseed(g);
	while (left) {
		if (g->pos == BUF_BYTES)
			refill(g);
		n = MIN(left, (size_t)(BUF_BYTES - g->pos));
		memcpy(out, g->buf + g->pos, n);
		memset(g->buf + g->pos, 0, n);
		g->pos += n;
		out += n;
		left -= n;
	}
	g->since_reseed += buflen;
	UK_ASSERT(g->pos <= BUF_BYTES);
	ukplat_lcpu_restore_irqf(f);
	return (ssize_t)buflen;
}

int uk_random_u32(__u32 *val)
{
	uk_random_fill_buffer(val, sizeof(*val));
	return 0;
}

int uk_random_u64(__u64 *val)
{
	uk_random_fill_buffer(val, sizeof(*val));
	return 0;
}

int uk_random_source_register(const struct uk_random_source *src)
{
	if (!src || !src->read)
		return -EINVAL;
	/* Release: *src is complete before any CPU reads through it. */
	__atomic_store_n(&source, src, __ATOMIC_RELEASE);
	__atomic_add_fetch(&source_epoch, 1, __ATOMIC_RELEASE);
	return 0;
}

const char *uk_random_source_name(void)
{
	return seeded_by;
}

unsigned long uk_random_reseeds(unsigned int cpu)
{
	return cpu < CONFIG_UKPLAT_LCPU_MAXCOUNT ? gens[cpu].reseeds : 0;
}

/* Tells at boot what the generators were seeded from. */
static int random_init(void)
{
	const struct uk_random_source *src = source;
	__u8 seed[32];
	int got = seed_material(seed, 0);

	memset(seed, 0, sizeof(seed));
	if (got & RANDOM_SEED_SOURCE)
		seeded_by = src->name;
	else if (got & RANDOM_SEED_RDRAND)
		seeded_by = "rdrand";
	if (!got)
		uk_pr_warn("ukrandom: no entropy source (no virtio-rng device, "
			   "no RDRAND): uk_random_* output is predictable\n");
	else
		uk_pr_info("ukrandom: seeded from %s%s\n", seeded_by,
			   got == (RANDOM_SEED_SOURCE | RANDOM_SEED_RDRAND)
			   ? " and rdrand" : "");
	return 0;
}
uk_sys_initcall(random_init);
