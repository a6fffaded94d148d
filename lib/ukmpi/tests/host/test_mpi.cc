/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of the collectives (mpi.c on chan.c, unchanged): every
// communicator of the first k "CPUs" (threads), k = 1..7, running
// mpi_check.h (known results for barrier, bcast from every root, reduce,
// allreduce of doubles within the documented bound, gather).
#include <gtest/gtest.h>

#include "common.h"

extern "C" {
#include "../mpi_check.h"
}

namespace {

TEST(UkMpi, CollectivesOn1To7Cpus)
{
	ukmpi_host::Channels ch(7);
	static struct mpi_check c;

	ASSERT_TRUE(ch.ok);
	for (unsigned int k = 1; k <= 7; k++) {
		memset(&c, 0, sizeof(c));
		c.k = k;
		ukmpi_host::run_cpus(k, [&](unsigned int rank) {
			mpi_check_rank(&c, rank);
		});
		EXPECT_EQ(c.errors, 0ul) << "k = " << k;
	}
}

TEST(UkMpi, WorldIsEveryConnectedCpu)
{
	ukmpi_host::Channels ch(3);

	ASSERT_TRUE(ch.ok);
	ukmpi_host::run_cpus(3, [&](unsigned int rank) {
		EXPECT_EQ(uk_mpi_size(UK_MPI_COMM_WORLD), 3);
		EXPECT_EQ(uk_mpi_rank(UK_MPI_COMM_WORLD), (int)rank);
		EXPECT_EQ(uk_mpi_barrier(UK_MPI_COMM_WORLD), 0);
	});
	struct uk_mpi_comm big = { 4 };
	EXPECT_EQ(uk_mpi_size(&big), -EINVAL);
}

} // namespace
