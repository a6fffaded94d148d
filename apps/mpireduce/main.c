/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpireduce: Toro's MPI_Reduce demo on ukmpi. One thread pinned on every
 * CPU fills a 64-element vector with its rank; uk_mpi_reduce() sums the
 * vectors at rank 0, which checks every element against N(N-1)/2 and
 * prints success or the first wrong element. Any number of vCPUs.
 */
#include <stdint.h>
#include <stdio.h>
#include <uk/mpi.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>

#define VECTOR_LEN 64
#define ROOT 0

static int status;	/* rank 0's verdict: 0 success, 1 failure */

static void rank_main(void *arg __unused)
{
	int64_t r[VECTOR_LEN], s[VECTOR_LEN];
	int rank = uk_mpi_rank(UK_MPI_COMM_WORLD);
	int64_t n = uk_mpi_size(UK_MPI_COMM_WORLD);
	int i, rc;

	for (i = 0; i < VECTOR_LEN; i++)
		r[i] = rank;
	printf("hello from core %d\n", rank);
	rc = uk_mpi_reduce(r, s, VECTOR_LEN, UK_MPI_INT64, UK_MPI_SUM, ROOT,
			   UK_MPI_COMM_WORLD);
	if (rc) {
		printf("core %d: uk_mpi_reduce failed: %d\n", rank, rc);
		status = 1;
		return;
	}
	if (rank != ROOT)
		return;
	for (i = 0; i < VECTOR_LEN; i++)
		if (s[i] != n * (n - 1) / 2) {
			printf("failed! element %d is %ld, not %ld\n", i,
			       (long)s[i], (long)(n * (n - 1) / 2));
			status = 1;
			return;
		}
	printf("success! value: %ld on %ld cores\n", (long)s[VECTOR_LEN - 1],
	       (long)n);
}

int main(void)
{
	unsigned int n = ukplat_lcpu_count(), i;
	struct uk_thread *t[CONFIG_UKPLAT_LCPU_MAXCOUNT];

	for (i = 0; i < n; i++) {
		t[i] = uk_sched_thread_create_on((int)i, rank_main, NULL,
						 "rank");
		if (!t[i]) {
			printf("no thread for CPU %u\n", i);
			return 1;
		}
	}
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
	return status;
}
