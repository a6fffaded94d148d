/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest suite of the collectives: every communicator of the first k CPUs,
 * k = 1 .. the CPU count (odd counts included), one thread per rank,
 * running mpi_check.h (known results for barrier, bcast from every root,
 * reduce, allreduce of doubles, gather).
 */
#include <stdio.h>
#include <uk/plat/lcpu.h>
#include <uk/test.h>
#include "guest_run.h"
#include "mpi_check.h"

uk_testsuite_register(ukmpi_mpi, NULL);

static void rank_main(unsigned int rank, void *arg)
{
	mpi_check_rank(arg, rank);
}

UK_TESTCASE(ukmpi_mpi, collectives_on_1_to_n_cpus)
{
	static struct mpi_check c;
	unsigned int n = ukplat_lcpu_count(), k;

	for (k = 1; k <= n && k <= MC_MAX_RANKS; k++) {
		memset(&c, 0, sizeof(c));
		c.k = k;
		UK_TEST_EXPECT_SNUM_EQ(run_on_cpus(0, k, rank_main, &c, 120),
				       0);
		UK_TEST_EXPECT_UNUM_EQ(c.errors, 0);
	}
	printf("    communicators of 1..%u CPUs: barrier x%d, bcast from "
	       "every root, reduce, allreduce, gather\n", n, MC_BARRIERS);
}
