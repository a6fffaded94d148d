/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The collectives check of ukmpi's suites (guest and host), run by every
 * rank of a communicator of the first k CPUs: size and rank, barriers
 * that nobody leaves early, bcast from every root, reduce of int64 with
 * SUM, MIN, MAX at the last rank against closed forms, allreduce of
 * doubles against the sequential sum within the documented bound and
 * bit-identical on every rank (gathered and compared), gather of byte
 * blocks, and the argument checks. Failed checks are counted in *errors.
 */
#ifndef __UKMPI_MPI_CHECK_H__
#define __UKMPI_MPI_CHECK_H__

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <uk/mpi.h>

#define MC_LEN 100		/* elements: 4 messages of 31, pipelined */
#define MC_BARRIERS 20
#define MC_GATHER 300		/* bytes per rank: 2 messages */
#define MC_MAX_RANKS 64

struct mpi_check {
	unsigned int k;				/* ranks */
	unsigned long errors;			/* atomics */
	unsigned int arrived[MC_BARRIERS];	/* atomics */
	unsigned char gathered[MC_MAX_RANKS * MC_LEN * 8];	/* root's */
};

static inline void mc_fail(struct mpi_check *c, int line)
{
	/* Relaxed: a count, read after the ranks were joined. */
	if (!__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED))
		printf("    mpi check failed at line %d (k %u)\n", line, c->k);
}
#define MC_EXPECT(c, cond) do { if (!(cond)) mc_fail((c), __LINE__); } while (0)

static inline double mc_abs(double x)
{
	return x < 0 ? -x : x;
}

static inline double mc_val(unsigned int rank, unsigned int j)
{
	return 1.0 / (rank + 1) + 0.1 * j - (rank % 3) * 0.37;
}

static inline void mc_barriers(struct mpi_check *c,
			       const struct uk_mpi_comm *comm)
{
	unsigned int b;

	for (b = 0; b < MC_BARRIERS; b++) {
		__atomic_fetch_add(&c->arrived[b], 1, __ATOMIC_RELAXED);
		MC_EXPECT(c, uk_mpi_barrier(comm) == 0);
		/* Relaxed: the barrier's messages order it (acquire/release). */
		MC_EXPECT(c, __atomic_load_n(&c->arrived[b], __ATOMIC_RELAXED)
			  == c->k);
	}
}

static inline void mc_bcast(struct mpi_check *c, unsigned int rank,
			    const struct uk_mpi_comm *comm)
{
	int64_t v[MC_LEN];
	unsigned int root, j;

	for (root = 0; root < c->k; root++) {
		for (j = 0; j < MC_LEN; j++)
			v[j] = rank == root ? (int64_t)(root * 1000 + j) : -1;
		MC_EXPECT(c, uk_mpi_bcast(v, sizeof(v), root, comm) == 0);
		for (j = 0; j < MC_LEN; j++)
			MC_EXPECT(c, v[j] == (int64_t)(root * 1000 + j));
	}
}

static inline void mc_reduce(struct mpi_check *c, unsigned int rank,
			     const struct uk_mpi_comm *comm)
{
	int64_t x[MC_LEN], s[MC_LEN], lo[MC_LEN], hi[MC_LEN], k = c->k;
	unsigned int j, root = c->k - 1;

	/* x_r[j] = (r + 1)(j + 1) - 50 r */
	for (j = 0; j < MC_LEN; j++)
		x[j] = (int64_t)(rank + 1) * (j + 1) - 50 * (int64_t)rank;
	MC_EXPECT(c, !uk_mpi_reduce(x, s, MC_LEN, UK_MPI_INT64, UK_MPI_SUM,
				    root, comm));
	MC_EXPECT(c, !uk_mpi_reduce(x, lo, MC_LEN, UK_MPI_INT64, UK_MPI_MIN,
				    root, comm));
	MC_EXPECT(c, !uk_mpi_reduce(x, hi, MC_LEN, UK_MPI_INT64, UK_MPI_MAX,
				    root, comm));
	if (rank != root)
		return;
	for (j = 0; j < MC_LEN; j++) {
		int64_t a = (int64_t)(j + 1) * k * (k + 1) / 2 - 25 * k * (k - 1);
		/* x_r[j] = r (j - 49) + j + 1: monotonic in r */
		int64_t first = (int64_t)j + 1, last = x[j];

		MC_EXPECT(c, s[j] == a);
		MC_EXPECT(c, lo[j] == MIN(first, last));
		MC_EXPECT(c, hi[j] == MAX(first, last));
	}
}

static inline void mc_allreduce(struct mpi_check *c, unsigned int rank,
				const struct uk_mpi_comm *comm)
{
	double x[MC_LEN], y[MC_LEN];
	unsigned int j, r;

	for (j = 0; j < MC_LEN; j++)
		x[j] = mc_val(rank, j);
	MC_EXPECT(c, !uk_mpi_allreduce(x, y, MC_LEN, UK_MPI_DOUBLE,
				       UK_MPI_SUM, comm));
	for (j = 0; j < MC_LEN; j++) {
		double seq = 0, mag = 0;

		for (r = 0; r < c->k; r++) {
			seq += mc_val(r, j);
			mag += mc_abs(mc_val(r, j));
		}
		/* uk/mpi.h: (size - 1) 2^-52 sum |x|, doubled for seq's own */
		MC_EXPECT(c, mc_abs(y[j] - seq) <=
			  2.0 * c->k * mag / 4503599627370496.0);
	}
	MC_EXPECT(c, !uk_mpi_gather(y, sizeof(y), c->gathered, 0, comm));
	if (rank)
		return;
	for (r = 1; r < c->k; r++)
		MC_EXPECT(c, !memcmp(c->gathered, c->gathered + r * sizeof(y),
				     sizeof(y)));
}

static inline void mc_gather(struct mpi_check *c, unsigned int rank,
			     const struct uk_mpi_comm *comm)
{
	unsigned char b[MC_GATHER];
	unsigned int j, r, root = c->k / 2;

	for (j = 0; j < MC_GATHER; j++)
		b[j] = (unsigned char)(rank * 7 + j);
	MC_EXPECT(c, !uk_mpi_gather(b, sizeof(b), c->gathered, root, comm));
	if (rank != root)
		return;
	for (r = 0; r < c->k; r++)
		for (j = 0; j < MC_GATHER; j++)
			MC_EXPECT(c, c->gathered[r * MC_GATHER + j] ==
				  (unsigned char)(r * 7 + j));
}

/* Everything above, as rank `rank` of the first c->k CPUs. */
static inline void mpi_check_rank(struct mpi_check *c, unsigned int rank)
{
	struct uk_mpi_comm comm = { c->k };
	int64_t x = 0;

	MC_EXPECT(c, uk_mpi_size(&comm) == (int)c->k);
	MC_EXPECT(c, uk_mpi_rank(&comm) == (int)rank);
	MC_EXPECT(c, uk_mpi_bcast(&x, 8, c->k, &comm) == -EINVAL);
	MC_EXPECT(c, uk_mpi_reduce(&x, &x, 1, UK_MPI_INT64,
				   (enum uk_mpi_op)7, 0, &comm) == -EINVAL);
	mc_barriers(c, &comm);
	mc_bcast(c, rank, &comm);
	mc_reduce(c, rank, &comm);
	mc_allreduce(c, rank, &comm);
	mc_gather(c, rank, &comm);
	MC_EXPECT(c, uk_mpi_barrier(&comm) == 0);
}

#endif /* __UKMPI_MPI_CHECK_H__ */
