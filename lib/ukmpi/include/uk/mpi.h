/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MPI-style collectives on the per-CPU-pair channels (uk/chan.h), for one
 * thread pinned on each CPU of a communicator: rank r is CPU r. Every rank
 * of the communicator calls the same collectives in the same order (as in
 * MPI); a collective returns on a rank once that rank's part is done.
 * While a collective runs, its ranks must not exchange other messages over
 * the channels between each other (messages are matched by order alone).
 *
 * Shapes: barrier by dissemination (ceil(log2 size) rounds), bcast and
 * reduce by binomial tree, in UK_CHAN_MSG_MAX pieces so that the levels
 * of the tree work in parallel, allreduce as reduce to rank 0 plus bcast
 * (every rank gets the bit-identical result), gather flat (the root needs
 * every byte anyway). doc/ukmpi.md says why, and what was measured.
 *
 * Every function returns 0 or a negative errno: -EINVAL (the caller is not
 * a rank of comm, root out of range, unknown op or datatype, comm larger
 * than the channels), or an error of the channels.
 */
#ifndef __UK_MPI_H__
#define __UK_MPI_H__

#include <uk/essentials.h>

/* The first size CPUs (ranks 0..size-1). */
struct uk_mpi_comm {
	unsigned int size;
};

/* Every CPU the channels connect. */
#define UK_MPI_COMM_WORLD ((const struct uk_mpi_comm *)0)

enum uk_mpi_op {
	UK_MPI_SUM,
	UK_MPI_MIN,
	UK_MPI_MAX,
};

enum uk_mpi_datatype {
	UK_MPI_INT64,		/* int64_t; SUM wraps around (two's complement) */
	UK_MPI_DOUBLE,		/* double */
};

/*
 * Reduction of doubles: SUM adds in tree order, not rank order, so it may
 * differ from a sequential sum by rounding: by at most
 * (size - 1) * 2^-52 * (sum of |x_i|) per element. Every rank computes the
 * same tree, so the result does not depend on timing.
 */

/* comm's size and the caller's rank in it (-EINVAL: not a member). */
int uk_mpi_size(const struct uk_mpi_comm *comm);
int uk_mpi_rank(const struct uk_mpi_comm *comm);

/* Returns once every rank of comm has called it. */
int uk_mpi_barrier(const struct uk_mpi_comm *comm);

/* Copies len bytes of root's buf into every other rank's buf. */
int uk_mpi_bcast(void *buf, size_t len, unsigned int root,
		 const struct uk_mpi_comm *comm);

/*
 * Combines the count elements of every rank's sendbuf element by element
 * with op into root's recvbuf (other ranks' recvbuf is not touched and may
 * be NULL). sendbuf and recvbuf may be the same.
 */
int uk_mpi_reduce(const void *sendbuf, void *recvbuf, size_t count,
		  enum uk_mpi_datatype type, enum uk_mpi_op op,
		  unsigned int root, const struct uk_mpi_comm *comm);

/* As uk_mpi_reduce(), with the result in every rank's recvbuf. */
int uk_mpi_allreduce(const void *sendbuf, void *recvbuf, size_t count,
		     enum uk_mpi_datatype type, enum uk_mpi_op op,
		     const struct uk_mpi_comm *comm);

/*
 * Collects len bytes of every rank's sendbuf into root's recvbuf (size *
 * len bytes, rank i's at offset i * len; other ranks' recvbuf is unused).
 */
int uk_mpi_gather(const void *sendbuf, size_t len, void *recvbuf,
		  unsigned int root, const struct uk_mpi_comm *comm);

#endif /* __UK_MPI_H__ */
