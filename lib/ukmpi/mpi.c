/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Collectives (uk/mpi.h) on the per-CPU-pair channels. Helpers first
 * (pieces, element operations), then barrier, bcast, reduce, allreduce and
 * gather.
 *
 * Messages are matched by order only: every collective makes the same
 * sequence of messages on each ordered pair of ranks on both of its ends
 * (a function of size, root and length alone), and each ring is FIFO. So a
 * rank that runs ahead into the next collective cannot have its messages
 * taken for the current one's.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/chan.h>
#include <uk/mpi.h>
#include <uk/plat/lcpu.h>

/* Elements of 8 bytes in one message. */
#define PIECE_ELEMS (UK_CHAN_MSG_MAX / 8)

/* Size of comm, or 0 if it does not fit the channels. */
static unsigned int comm_size(const struct uk_mpi_comm *comm)
{
	unsigned int n = uk_chan_cpus();

	if (!comm)
		return n;
	if (!comm->size || comm->size > n)
		return 0;
	return comm->size;
}

int uk_mpi_size(const struct uk_mpi_comm *comm)
{
	unsigned int n = comm_size(comm);

	return n ? (int)n : -EINVAL;
}

int uk_mpi_rank(const struct uk_mpi_comm *comm)
{
	unsigned int n = comm_size(comm), r = ukplat_lcpu_idx();

	return r < n ? (int)r : -EINVAL;
}

/* Checks comm and root; sets *size and *rank. */
static int enter(const struct uk_mpi_comm *comm, unsigned int root,
		 unsigned int *size, unsigned int *rank)
{
	*size = comm_size(comm);
	*rank = ukplat_lcpu_idx();
	if (*rank >= *size || root >= *size)
		return -EINVAL;
	return 0;
}

/* Receives exactly len bytes from rank from (one message). */
static int recv_exact(unsigned int from, void *buf, unsigned int len)
{
	int rc = uk_chan_recv(from, buf, len);

	if (rc < 0)
		return rc;
	return rc == (int)len ? 0 : -EPROTO;
}

/* ---- barrier ------------------------------------------------------------ */

int uk_mpi_barrier(const struct uk_mpi_comm *comm)
{
	unsigned int size, rank, d;
	int rc;

	rc = enter(comm, 0, &size, &rank);
	if (rc)
		return rc;
	/*
	 * Dissemination: in round k rank r tells r + 2^k and waits for
	 * r - 2^k; after the last round every rank has heard, directly or
	 * not, from every other one.
	 */
	for (d = 1; d < size; d <<= 1) {
		rc = uk_chan_send((rank + d) % size, NULL, 0);
		if (!rc)
			rc = recv_exact((rank + size - d) % size, NULL, 0);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- broadcast ---------------------------------------------------------- */

/* The binomial tree around root: vr is a rank relative to root. */
static unsigned int real_rank(unsigned int vr, unsigned int root,
			      unsigned int size)
{
	return (vr + root) % size;
}

/* vr's parent's bit: the lowest set bit of vr (size's top bit for 0). */
static unsigned int parent_bit(unsigned int vr, unsigned int size)
{
	unsigned int mask = 1;

	while (mask < size && !(vr & mask))
		mask <<= 1;
	return mask;
}

int uk_mpi_bcast(void *buf, size_t len, unsigned int root,
		 const struct uk_mpi_comm *comm)
{
	unsigned int size, rank, vr, pbit, mask, n;
	unsigned char *p = buf;
	size_t off;
	int rc;

	rc = enter(comm, root, &size, &rank);
	if (rc)
		return rc;
	vr = (rank + size - root) % size;
	pbit = parent_bit(vr, size);
	/*
	 * Piece by piece: take it from the parent (vr - pbit), pass it to
	 * the children vr + m for every bit m below pbit, largest first.
	 */
	for (off = 0; off < len; off += n) {
		n = (unsigned int)MIN(len - off, (size_t)UK_CHAN_MSG_MAX);
		if (vr) {
			rc = recv_exact(real_rank(vr - pbit, root, size),
					p + off, n);
			if (rc)
				return rc;
		}
		for (mask = pbit >> 1; mask; mask >>= 1) {
			if (vr + mask >= size)
				continue;
			rc = uk_chan_send(real_rank(vr + mask, root, size),
					  p + off, n);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ---- reduce ------------------------------------------------------------- */

/* One message's worth of elements, as either type. */
union piece {
	int64_t i[PIECE_ELEMS];
	double d[PIECE_ELEMS];
};

/* acc[k] = acc[k] op x[k] for n elements of type. */
static void combine(union piece *acc, const union piece *x, unsigned int n,
		    enum uk_mpi_datatype type, enum uk_mpi_op op)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		if (type == UK_MPI_INT64 && op == UK_MPI_SUM)
			/* Wraps, as documented: no signed overflow. */
			acc->i[k] = (int64_t)((uint64_t)acc->i[k] +
					      (uint64_t)x->i[k]);
		else if (type == UK_MPI_INT64 && op == UK_MPI_MIN)
			acc->i[k] = MIN(acc->i[k], x->i[k]);
		else if (type == UK_MPI_INT64)
			acc->i[k] = MAX(acc->i[k], x->i[k]);
		else if (op == UK_MPI_SUM)
			acc->d[k] += x->d[k];
		else if (op == UK_MPI_MIN)
			acc->d[k] = MIN(acc->d[k], x->d[k]);
		else
			acc->d[k] = MAX(acc->d[k], x->d[k]);
	}
}

static int op_ok(enum uk_mpi_datatype type, enum uk_mpi_op op)
{
	return (type == UK_MPI_INT64 || type == UK_MPI_DOUBLE) &&
	       (op == UK_MPI_SUM || op == UK_MPI_MIN || op == UK_MPI_MAX);
}

/*
 * One piece (n elements at element offset off) up the binomial tree:
 * combine the children's pieces (vr + m for the bits m below vr's parent
 * bit, smallest first) into our own, then pass the result to the parent,
 * or store it in recvbuf at the root.
 */
static int reduce_piece(const unsigned char *send, unsigned char *recv,
			unsigned int n, enum uk_mpi_datatype type,
			enum uk_mpi_op op, unsigned int vr, unsigned int root,
			unsigned int size)
{
	union piece acc, in;
	unsigned int mask, pbit = parent_bit(vr, size), bytes = n * 8;
	int rc;

	memcpy(&acc, send, bytes);
	for (mask = 1; mask < pbit && mask < size; mask <<= 1) {
		if (vr + mask >= size)
			break;
		rc = recv_exact(real_rank(vr + mask, root, size), &in, bytes);
		if (rc)
			return rc;
		combine(&acc, &in, n, type, op);
	}
	if (vr)
		return uk_chan_send(real_rank(vr - pbit, root, size), &acc,
				    bytes);
	memcpy(recv, &acc, bytes);
	return 0;
}

int uk_mpi_reduce(const void *sendbuf, void *recvbuf, size_t count,
		  enum uk_mpi_datatype type, enum uk_mpi_op op,
		  unsigned int root, const struct uk_mpi_comm *comm)
{
	const unsigned char *s = sendbuf;
	unsigned char *r = recvbuf;
	unsigned int size, rank, vr, n;
	size_t off;
	int rc;

	rc = enter(comm, root, &size, &rank);
	if (rc)
		return rc;
	if (!op_ok(type, op))
		return -EINVAL;
	vr = (rank + size - root) % size;
	for (off = 0; off < count; off += n) {
		n = (unsigned int)MIN(count - off, (size_t)PIECE_ELEMS);
		rc = reduce_piece(s + off * 8, r ? r + off * 8 : NULL, n, type,
				  op, vr, root, size);
		if (rc)
			return rc;
	}
	return 0;
}

int uk_mpi_allreduce(const void *sendbuf, void *recvbuf, size_t count,
		     enum uk_mpi_datatype type, enum uk_mpi_op op,
		     const struct uk_mpi_comm *comm)
{
	int rc = uk_mpi_reduce(sendbuf, recvbuf, count, type, op, 0, comm);

	if (rc)
		return rc;
	return uk_mpi_bcast(recvbuf, count * 8, 0, comm);
}

/* ---- gather ------------------------------------------------------------- */

/* Moves len bytes to / from rank peer in message-sized pieces. */
static int send_all(unsigned int peer, const unsigned char *p, size_t len)
{
	size_t off;
	unsigned int n;
	int rc;

	for (off = 0; off < len; off += n) {
		n = (unsigned int)MIN(len - off, (size_t)UK_CHAN_MSG_MAX);
		rc = uk_chan_send(peer, p + off, n);
		if (rc)
			return rc;
	}
	return 0;
}

static int recv_all(unsigned int peer, unsigned char *p, size_t len)
{
	size_t off;
	unsigned int n;
	int rc;

	for (off = 0; off < len; off += n) {
		n = (unsigned int)MIN(len - off, (size_t)UK_CHAN_MSG_MAX);
		rc = recv_exact(peer, p + off, n);
		if (rc)
			return rc;
	}
	return 0;
}

int uk_mpi_gather(const void *sendbuf, size_t len, void *recvbuf,
		  unsigned int root, const struct uk_mpi_comm *comm)
{
	unsigned char *r = recvbuf;
	unsigned int size, rank, i;
	int rc;

	rc = enter(comm, root, &size, &rank);
	if (rc)
		return rc;
	if (rank != root)
		return send_all(root, sendbuf, len);
	for (i = 0; i < size; i++) {
		if (i == root)
			memmove(r + (size_t)i * len, sendbuf, len);
		else
			rc = recv_all(i, r + (size_t)i * len, len);
		if (rc)
			return rc;
	}
	return 0;
}
