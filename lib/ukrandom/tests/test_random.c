/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for ukrandom: what seeded it (the virtio-rng device when
 * QEMU has one, else RDRAND, else "none"), every CPU drawing at once gets
 * its own stream, the bytes pass a frequency test, and a CPU reseeds from
 * the device after CONFIG_LIBUKRANDOM_RESEED_KIB of output.
 */
#include <stdio.h>
#include <string.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/random.h>
#include <uk/test.h>
#include "../random_impl.h"
#if CONFIG_LIBVIRTIORNG
#include <uk/virtio_rng.h>
#endif

#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define PER_CPU		(64 * 1024)
#define WAIT_NS		(30ULL * 1000000000ULL)

uk_testsuite_register(ukrandom, NULL);

static __u8 out[4][PER_CPU];
static unsigned long finished;

static int has_rdrand(void)
{
	__u32 a, b, c, d;

	ukarch_cpuid(1, 0, &a, &b, &c, &d);
	return !!(c & (1U << 30));
}

UK_TESTCASE(ukrandom, seeded_from_the_best_source)
{
	const char *want = has_rdrand() ? "rdrand" : "none";

#if CONFIG_LIBVIRTIORNG
	if (uk_virtio_rng_present())
		want = "virtio-rng";
#endif
	printf("  seeded from %s\n", uk_random_source_name());
	UK_TEST_EXPECT_ZERO(strcmp(uk_random_source_name(), want));
}

static void draw(void *arg)
{
	__u8 *b = arg;
	unsigned int off;

	for (off = 0; off < PER_CPU; off += 1024)
		uk_random_fill_buffer(b + off, 1024);
	/* Release: the bytes are visible to the checking CPU. */
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELEASE);
}

UK_TESTCASE(ukrandom, every_cpu_draws_its_own_stream)
{
	unsigned int n = MIN(ukplat_lcpu_count(), 4U), i, j, same = 0;
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	unsigned long ones;
	size_t k;

	finished = 0;
	for (i = 1; i < n; i++)
		ukplat_lcpu_call(i, draw, out[i], 0);
	draw(out[0]);
	/* Acquire: pairs with each CPU's release increment. */
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < n
	       && ukplat_monotonic_clock() < end)
		ukarch_spinwait();
	UK_TEST_EXPECT_UNUM_EQ(finished, n);
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			same += !memcmp(out[i], out[j], 64);
		for (ones = 0, k = 0; k < PER_CPU; k++)
			ones += __builtin_popcount(out[i][k]);
		/* 512 Ki fair bits: sd 362; 6 sd either way. */
		UK_TEST_EXPECT_UNUM_GE(ones, PER_CPU * 4 - 2200);
		UK_TEST_EXPECT_UNUM_LE(ones, PER_CPU * 4 + 2200);
	}
	UK_TEST_EXPECT_UNUM_EQ(same, 0);
}

UK_TESTCASE(ukrandom, reseeds_after_its_quota)
{
	unsigned int me = ukplat_lcpu_idx();
	unsigned long before = uk_random_reseeds(me);
	__u64 left = (__u64)CONFIG_LIBUKRANDOM_RESEED_KIB * 1024 + 8192;
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	__u32 v = 0;

	while (left) {
		unsigned int n = MIN(left, (__u64)sizeof(out[0]));

		uk_random_fill_buffer(out[0], n);
		left -= n;
	}
	/* A reseed waits for the source to have bytes: give it time. */
	while (uk_random_reseeds(me) == before
	       && ukplat_monotonic_clock() < end)
		uk_random_u32(&v);
	UK_TEST_EXPECT_UNUM_GE(uk_random_reseeds(me), before + 1);
}
