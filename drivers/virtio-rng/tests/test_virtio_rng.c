/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite for virtio-rng and, through its queue interrupt, MSI-X:
 * reads from every CPU at once (1 MiB in all, frequency tests), a read
 * larger than the queue, non-blocking reads; the interrupt arrives on the
 * CPU its vector is on, follows a move, waits while masked and arrives
 * once on unmask; -ENOSPC when the target CPU has no vector left.
 * Without a device (QEMU given none): reads say -ENODEV.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/test.h>
#include <uk/virtio_rng.h>
#include "../virtio_rng.h"

#define MAXCPU		CONFIG_UKPLAT_LCPU_MAXCOUNT
#define TOTAL		(1024 * 1024)
#define CHUNK		4096
#define WAIT_NS		(30ULL * 1000000000ULL)
#define QUIET_NS	(20ULL * 1000000ULL)

uk_testsuite_register(virtio_rng, NULL);

static __u8 big[TOTAL];

static int no_device(struct uk_testcase *esac)
{
	__u8 b[4];

	if (virtio_rng_dev)
		return 0;
	printf("  no virtio-rng-pci given: checking -ENODEV only\n");
	UK_TEST_EXPECT_SNUM_EQ(uk_virtio_rng_read(b, sizeof(b), 0), -ENODEV);
	UK_TEST_EXPECT_ZERO(uk_virtio_rng_present());
	return 1;
}

/* --- reads -------------------------------------------------------------- */

struct share {
	__u8 *base;
	size_t len;
	long rc;
};

static struct share shares[MAXCPU];
static unsigned long finished;

static void read_share(void *arg)
{
	struct share *s = arg;
	size_t off;
	long rc = 0;

	for (off = 0; off < s->len && rc >= 0; off += CHUNK)
		rc = uk_virtio_rng_read(s->base + off,
					MIN((size_t)CHUNK, s->len - off), 0);
	s->rc = rc < 0 ? rc : (long)off;
	/* Release: the bytes and rc are visible to the waiting CPU. */
	__atomic_add_fetch(&finished, 1, __ATOMIC_RELEASE);
}

UK_TESTCASE(virtio_rng, every_cpu_reads_at_once_1mib)
{
	unsigned int n = ukplat_lcpu_count(), i, ok = 0, ones = 0, same = 0;
	unsigned int hist[256] = { 0 };
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	size_t per = TOTAL / n / CHUNK * CHUNK, j;
	unsigned long chi2 = 0;

	if (no_device(esac))
		return;
	memset(big, 0, sizeof(big));
	finished = 0;
	for (i = 0; i < n; i++) {
		shares[i] = (struct share){ big + i * per,
			i + 1 < n ? per : TOTAL - i * per, -1 };
		if (i)
			ukplat_lcpu_call(i, read_share, &shares[i], 0);
	}
	read_share(&shares[0]);
	/* Acquire: pairs with each CPU's release increment. */
	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < n
	       && ukplat_monotonic_clock() < end)
		ukarch_spinwait();
	for (i = 0; i < n; i++)
		ok += shares[i].rc == (long)shares[i].len;
	UK_TEST_EXPECT_UNUM_EQ(ok, n);
	for (j = 0; j < TOTAL; j++) {
		hist[big[j]]++;
		ones += __builtin_popcount(big[j]);
		if (j >= 64 && j % 64 == 0)
			same += !memcmp(big + j - 64, big + j, 64);
	}
	/* Bits: 8 Mi fair coins, sd 1448; 6 sd either way. */
	UK_TEST_EXPECT_UNUM_GE(ones, 4194304 - 8700);
	UK_TEST_EXPECT_UNUM_LE(ones, 4194304 + 8700);
	/* Bytes: chi-square with 255 degrees of freedom (mean 255, sd 22.6). */
	for (i = 0; i < 256; i++)
		chi2 += (unsigned long)((long)hist[i] - 4096)
			* (unsigned long)((long)hist[i] - 4096);
	chi2 /= 4096;
	UK_TEST_EXPECTF(chi2 < 400, "chi-square %lu over 1 MiB", chi2);
	UK_TEST_EXPECT_UNUM_EQ(same, 0);
	printf("  %u CPUs, 1 MiB: %u one bits, chi-square %lu\n", n, ones,
	       chi2);
}

UK_TESTCASE(virtio_rng, read_larger_than_the_queue_is_split)
{
	size_t len = (size_t)VIRTIO_RNG_CHUNK * 3 + 100;
	unsigned int zero = 0;
	size_t i;

	if (no_device(esac))
		return;
	/* Larger than one request and than queue x chunk would carry. */
	memset(big, 0, len);
	UK_TEST_EXPECT_SNUM_EQ(uk_virtio_rng_read(big, len, 0), (long)len);
	for (i = len - 4096; i < len; i++)
		zero += !big[i];
	UK_TEST_EXPECT_UNUM_LE(zero, 64);	/* expected 16 */
}

UK_TESTCASE(virtio_rng, nonblocking_reads_drain_and_refill)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;
	__u8 b[64];
	long rc, got = 0;

	if (no_device(esac))
		return;
	while (got < 4 * VIRTIO_RNG_POOL && ukplat_monotonic_clock() < end) {
		rc = uk_virtio_rng_read(b, sizeof(b), UK_VIRTIO_RNG_NONBLOCK);
		if (rc == -EAGAIN)
			continue;
		UK_TEST_REQUIRE(rc > 0 && rc <= (long)sizeof(b));
		got += rc;
	}
	UK_TEST_EXPECT_SNUM_GE(got, 4 * VIRTIO_RNG_POOL);
	UK_TEST_EXPECT_SNUM_EQ(uk_virtio_rng_read(b, 0, 0), 0);
}

/* --- MSI-X through the queue interrupt --------------------------------- */

static unsigned long irq_snapshot[MAXCPU];

static void snap(struct virtio_rng *r)
{
	unsigned int i;

	for (i = 0; i < ukplat_lcpu_count(); i++)
		irq_snapshot[i] = __atomic_load_n(&r->irqs[i].n,
						  __ATOMIC_RELAXED);
}

static unsigned long delta(struct virtio_rng *r, unsigned int cpu)
{
	return __atomic_load_n(&r->irqs[cpu].n, __ATOMIC_RELAXED)
		- irq_snapshot[cpu];
}

/* Waits until CPU cpu took want interrupts since snap(); returns the count. */
static unsigned long wait_irqs(struct virtio_rng *r, unsigned int cpu,
			       unsigned long want)
{
	__nsec end = ukplat_monotonic_clock() + WAIT_NS;

	while (delta(r, cpu) < want && ukplat_monotonic_clock() < end)
		ukarch_spinwait();
	return delta(r, cpu);
}

UK_TESTCASE(virtio_rng, msix_arrives_on_its_cpu_and_follows_moves)
{
	struct virtio_rng *r = virtio_rng_dev;
	unsigned int n = ukplat_lcpu_count(), c, i, elsewhere = 0;
	__u8 b[32];

	if (no_device(esac))
		return;
	for (c = 0; c < n; c++) {
		UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_move(r->vdev.pdev, 1, c), 0);
		UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_cpu(r->vdev.pdev, 1), c);
		snap(r);
		UK_TEST_EXPECT_SNUM_EQ(uk_virtio_rng_read(b, sizeof(b), 0),
				       sizeof(b));
		UK_TEST_EXPECT_UNUM_GE(wait_irqs(r, c, 1), 1);
		for (i = 0; i < n; i++)
			if (i != c)
				elsewhere += delta(r, i);
	}
	UK_TEST_EXPECT_UNUM_EQ(elsewhere, 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_move(r->vdev.pdev, 1, 0), 0);
}

UK_TESTCASE(virtio_rng, masked_entry_holds_then_delivers_once)
{
	struct virtio_rng *r = virtio_rng_dev;
	unsigned int c;
	__nsec quiet;
	struct rng_req req;
	__u8 b[16];

	if (no_device(esac))
		return;
	c = ukplat_lcpu_count() - 1;
	/* No pool refill in flight: its completion would interrupt too. */
	quiet = ukplat_monotonic_clock() + WAIT_NS;
	while (__atomic_load_n(&r->pool_inflight, __ATOMIC_ACQUIRE)
	       && ukplat_monotonic_clock() < quiet)
		ukarch_spinwait();
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_move(r->vdev.pdev, 1, c), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_mask(r->vdev.pdev, 1), 0);
	snap(r);
	req.buf = b;
	req.len = sizeof(b);
	UK_TEST_REQUIRE(virtio_rng_submit(r, &req) == 0);
	/* The device completes it (the used ring moves) but must not send. */
	quiet = ukplat_monotonic_clock() + WAIT_NS;
	while (!virtqueue_has_used(r->vq) && !__atomic_load_n(&req.done,
							      __ATOMIC_ACQUIRE)
	       && ukplat_monotonic_clock() < quiet)
		ukarch_spinwait();
	quiet = ukplat_monotonic_clock() + QUIET_NS;
	while (ukplat_monotonic_clock() < quiet)
		ukarch_spinwait();
	UK_TEST_EXPECT_UNUM_EQ(delta(r, c), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_pending(r->vdev.pdev, 1), 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_unmask(r->vdev.pdev, 1), 0);
	UK_TEST_EXPECT_UNUM_EQ(wait_irqs(r, c, 1), 1);
	quiet = ukplat_monotonic_clock() + QUIET_NS;
	while (ukplat_monotonic_clock() < quiet)
		ukarch_spinwait();
	UK_TEST_EXPECT_UNUM_EQ(delta(r, c), 1);		/* once */
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_pending(r->vdev.pdev, 1), 0);
	virtio_rng_wait(r, &req);
	UK_TEST_EXPECT_SNUM_EQ(req.done, 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_move(r->vdev.pdev, 1, 0), 0);
}

static int dummy_irq(void *arg __unused)
{
	return 1;
}

UK_TESTCASE(virtio_rng, move_to_a_cpu_without_vectors_is_enospc)
{
	struct virtio_rng *r = virtio_rng_dev;
	static int taken[256];
	unsigned int c, nt = 0, i;
	int v;
	__u8 b[8];

	if (no_device(esac))
		return;
	c = ukplat_lcpu_count() - 1;
	while ((v = ukplat_irq_alloc_vector(c, dummy_irq, NULL)) >= 0
	       && nt < ARRAY_SIZE(taken))
		taken[nt++] = v;
	UK_TEST_EXPECT_SNUM_EQ(v, -ENOSPC);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_move(r->vdev.pdev, 1, c), -ENOSPC);
	UK_TEST_EXPECT_SNUM_EQ(uk_pci_msix_cpu(r->vdev.pdev, 1), 0);
	/* Unchanged and still working. */
	snap(r);
	UK_TEST_EXPECT_SNUM_EQ(uk_virtio_rng_read(b, sizeof(b), 0), sizeof(b));
	UK_TEST_EXPECT_UNUM_GE(wait_irqs(r, 0, 1), 1);
	for (i = 0; i < nt; i++)
		ukplat_irq_free_vector(c, taken[i]);
	UK_TEST_EXPECT_UNUM_GE(nt, 100);	/* 0x30..0xdf, minus a few */
}
