/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest suite for plat/kvm: memory map, clock against the PIT, symbols, CPU count. */
#include <uk/plat/bootstrap.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/memory.h>
#include <uk/plat/time.h>
#include <uk/test.h>
#include <kvm/boot.h>

uk_testsuite_register(plat_kvm, NULL);

UK_TESTCASE(plat_kvm, memregions_sorted_aligned_disjoint)
{
	struct ukplat_memregion_desc *m, *prev = NULL;
	unsigned long free_bytes = 0;
	int i, kernel = 0;

	ukplat_memregion_foreach(&m, i) {
		UK_TEST_EXPECT(IS_ALIGNED(m->pbase, __PAGE_SIZE));
		UK_TEST_EXPECT(IS_ALIGNED(m->len, __PAGE_SIZE));
		UK_TEST_EXPECT(m->len > 0);
		if (prev)
			UK_TEST_EXPECT_UNUM_LE(prev->pbase + prev->len,
					       m->pbase);
		if (m->flags & UKPLAT_MEMRF_KERNEL) {
			kernel++;
			UK_TEST_EXPECT_UNUM_LE(m->pbase,
					       (unsigned long)__kernel_start);
			UK_TEST_EXPECT_UNUM_GE(m->pbase + m->len,
					       (unsigned long)_end);
		}
		if (m->flags & UKPLAT_MEMRF_FREE)
			free_bytes += m->len;
		prev = m;
	}
	UK_TEST_EXPECT_SNUM_EQ(kernel, 1);
	/* Boots get 128 MiB or more (qemu-run's default); most must be free. */
	UK_TEST_EXPECT_UNUM_GE(free_bytes, 96UL << 20);
	UK_TEST_EXPECT_SNUM_EQ(ukplat_memregion_get(i, &m), -1);
}

UK_TESTCASE(plat_kvm, free_memory_is_usable)
{
	struct ukplat_memregion_desc *m;
	int i;

	/*
	 * Write and read back the first and last word of every free region,
	 * restoring them: an allocator may already hold that memory.
	 */
	ukplat_memregion_foreach(&m, i) {
		volatile __u64 *w[2];
		int k;

		if (!(m->flags & UKPLAT_MEMRF_FREE))
			continue;
		w[0] = (volatile __u64 *)m->pbase;
		w[1] = (volatile __u64 *)(m->pbase + m->len - 8);
		for (k = 0; k < 2; k++) {
			__u64 saved = *w[k], pattern = 0x1122334455667788ULL
				^ (unsigned long)w[k];

			*w[k] = pattern;
			UK_TEST_EXPECT_UNUM_EQ(*w[k], pattern);
			*w[k] = saved;
		}
	}
}

UK_TESTCASE(plat_kvm, clock_monotonic)
{
	__nsec prev = ukplat_monotonic_clock();
	int i, backwards = 0;

	for (i = 0; i < 100000; i++) {
		__nsec now = ukplat_monotonic_clock();

		backwards += now < prev;
		prev = now;
	}
	UK_TEST_EXPECT_SNUM_EQ(backwards, 0);
	UK_TEST_EXPECT_UNUM_GE(ukplat_tsc_frequency(), 100000000UL);
}

/*
 * 40 ms measured on the PIT (an independent 1.193182 MHz clock) must take
 * 40 ms +- 1 % of TSC time as converted by the calibrated frequency.
 */
/*
 * A vCPU descheduled by the host in the middle of one measurement makes
 * that sample disagree, whatever the calibration; a wrong calibration
 * makes every sample disagree. So: the best of up to 8 samples within 1 %.
 */
UK_TESTCASE(plat_kvm, clock_agrees_with_pit)
{
	__u64 tsc_ticks, pit_ticks, pit_ns, tsc_ns, err, best = ~0ULL;
	int i;

	for (i = 0; i < 8 && best > 0; i++) {
		UK_TEST_REQUIRE(kvm_pit_tsc_measure(40, &tsc_ticks,
						    &pit_ticks) == 0);
		pit_ns = pit_ticks * 1000000000ULL / 1193182ULL;
		tsc_ns = tsc_ticks * 1000000000ULL / ukplat_tsc_frequency();
		err = tsc_ns > pit_ns ? tsc_ns - pit_ns : pit_ns - tsc_ns;
		if (err * 100 <= pit_ns)	/* within 1 %: done */
			best = 0;
		else if (err < best)
			best = err;
	}
	UK_TEST_EXPECT_UNUM_EQ(best, 0);
}

#if CONFIG_UK_KEEP_SYMBOLS
UK_TESTCASE(plat_kvm, symbols_resolve)
{
	unsigned long off = 1;
	const char *name = ukplat_symbol((unsigned long)ukplat_exit + 3, &off);

	UK_TEST_REQUIRE(name != NULL);
	UK_TEST_EXPECT_SNUM_EQ(__builtin_strcmp(name, "ukplat_exit"), 0);
	UK_TEST_EXPECT_UNUM_EQ(off, 3);
	UK_TEST_EXPECT_NULL(ukplat_symbol(0x10, &off));
}
#endif

UK_TESTCASE(plat_kvm, boot_cpu_online)
{
	UK_TEST_EXPECT_UNUM_GE(ukplat_lcpu_count(), 1);
	UK_TEST_EXPECT_UNUM_EQ(ukplat_lcpu_idx(), 0);
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());	/* main() has them on */
}
