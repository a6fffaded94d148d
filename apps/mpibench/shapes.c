/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpibench shapes: the collectives' production shapes (uk/mpi.h) against
 * the alternatives a designer would weigh, written here on the public
 * channel API only (bench code; lib/ukmpi carries no switch for them):
 *
 *   barrier    diss (production: dissemination), flat (everyone to rank 0
 *              and back), counter (one shared counter with sense reversal,
 *              spinning: no channels at all)
 *   bcast      tree (production: binomial, in pieces), flat (root sends
 *              every piece to every rank in turn)
 *   reduce     tree (production: binomial, in pieces), flat (root receives
 *              every rank's pieces and combines them in rank order)
 *   allreduce  tree (production: reduce + bcast), flat (flat reduce + flat
 *              bcast), ring (reduce-scatter then allgather around the ring
 *              of ranks, 2 (n - 1) steps of count / n elements)
 *
 * All on every CPU, SUM of doubles, root 0, for 1, 64 and 1024 elements.
 * Every call's result is checked against the closed form (exact in
 * doubles: sums of halves); a wrong one is counted and makes main() fail.
 * Entry point: mpibench_shapes() (the table: minimum and median of the
 * microseconds per call over the repetitions, interleaved row by row).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/chan.h>
#include <uk/mpi.h>
#include <uk/plat/lcpu.h>
#include "mpibench.h"

#define MAXN	1024			/* largest vector, elements */
#define PIECE	(UK_CHAN_MSG_MAX / 8)	/* elements of one message */
#define NCPU	CONFIG_UKPLAT_LCPU_MAXCOUNT

static unsigned int count;		/* elements of the current row */
static unsigned int ncalls;		/* calls per timed run */
static unsigned long wrong;		/* results that failed the check */

/* Per CPU: its input and its result, and the counter barrier's sense. */
static struct {
	double x[MAXN], y[MAXN];
	unsigned int sense;
} __align(64) cpu_data[NCPU];

/* ---- helpers ------------------------------------------------------------ */

static void must(int rc)
{
	if (rc < 0)
		UK_CRASH("mpibench shapes: channel error %d\n", rc);
}

static void recv_n(unsigned int from, void *buf, unsigned int len)
{
	int rc = uk_chan_recv(from, buf, len);

	must(rc);
	if (rc != (int)len)
		UK_CRASH("mpibench shapes: %d bytes, not %u\n", rc, len);
}

static void send_n(unsigned int to, const void *buf, unsigned int len)
{
	must(uk_chan_send(to, buf, len));
}

/* Elements [off, off + n) of the vector in pieces: n of the piece at off. */
static unsigned int piece(unsigned int off, unsigned int end)
{
	return MIN(end - off, (unsigned int)PIECE);
}

static void add(double *acc, const double *x, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		acc[i] += x[i];
}

static void fill(unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		cpu_data[cpu].x[i] = cpu + i * 0.5;
}

/* Counts a result that differs from the sum over k ranks. */
static void check(const double *y, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (y[i] != k * (k - 1) / 2.0 + k * (i * 0.5)) {
			/* Relaxed: a count read after the threads joined. */
			__atomic_fetch_add(&wrong, 1, __ATOMIC_RELAXED);
			return;
		}
}

/* ---- barriers ----------------------------------------------------------- */

static void barrier_flat(unsigned int cpu, unsigned int k)
{
	unsigned int r;

	if (cpu) {
		send_n(0, NULL, 0);
		recv_n(0, NULL, 0);
		return;
	}
	for (r = 1; r < k; r++)
		recv_n(r, NULL, 0);
	for (r = 1; r < k; r++)
		send_n(r, NULL, 0);
}

/* The counter barrier's shared line: arrivals, and the sense of the round. */
static struct {
	unsigned int arrived;
	unsigned int sense;
} __align(64) cbar;

static void barrier_counter(unsigned int cpu, unsigned int k)
{
	unsigned int s = !cpu_data[cpu].sense;

	cpu_data[cpu].sense = s;
	/*
	 * AcqRel: the last arrival's acquire sees every earlier arrival's
	 * release, and its own release store of sense passes them on.
	 */
	if (__atomic_add_fetch(&cbar.arrived, 1, __ATOMIC_ACQ_REL) == k) {
		/* Relaxed: ordered before the release of sense below. */
		__atomic_store_n(&cbar.arrived, 0, __ATOMIC_RELAXED);
		/* Release: pairs with the waiters' acquire loads. */
		__atomic_store_n(&cbar.sense, s, __ATOMIC_RELEASE);
		return;
	}
	while (__atomic_load_n(&cbar.sense, __ATOMIC_ACQUIRE) != s)
		ukarch_spinwait();
}

/* ---- bcast, reduce, allreduce ------------------------------------------- */

static void bcast_flat(double *v, unsigned int cpu, unsigned int k)
{
	unsigned int off, n, r;

	for (off = 0; off < count; off += n) {
		n = piece(off, count);
		if (cpu) {
			recv_n(0, v + off, n * 8);
			continue;
		}
		for (r = 1; r < k; r++)
			send_n(r, v + off, n * 8);
	}
}

static void reduce_flat(unsigned int cpu, unsigned int k)
{
	double in[PIECE], *x = cpu_data[cpu].x, *y = cpu_data[cpu].y;
	unsigned int off, n, r;

	for (off = 0; off < count; off += n) {
		n = piece(off, count);
		if (cpu) {
			send_n(0, x + off, n * 8);
			continue;
		}
		memcpy(y + off, x + off, n * 8);
		for (r = 1; r < k; r++) {
			recv_n(r, in, n * 8);
			add(y + off, in, n);
		}
	}
}

/* Chunk c of the ring: elements [lo, hi) of count split k ways. */
static void chunk(unsigned int c, unsigned int k, unsigned int *lo,
		  unsigned int *hi)
{
	*lo = (unsigned int)((unsigned long)count * c / k);
	*hi = (unsigned int)((unsigned long)count * (c + 1) / k);
}

/*
 * One ring step: send chunk sc to the right neighbour and receive chunk rc
 * from the left one, piece by piece (send first: the rings have room for a
 * piece, so nobody waits for a receiver that is itself sending); the piece
 * received is added to y (reduce-scatter) or replaces it (allgather).
 */
static void ring_step(double *y, unsigned int cpu, unsigned int k,
		      unsigned int sc, unsigned int rc, int sum)
{
	unsigned int right = (cpu + 1) % k, left = (cpu + k - 1) % k;
	unsigned int slo, shi, rlo, rhi, n, m;
	double in[PIECE];

	chunk(sc, k, &slo, &shi);
	chunk(rc, k, &rlo, &rhi);
	while (slo < shi || rlo < rhi) {
		if (slo < shi) {
			n = piece(slo, shi);
			send_n(right, y + slo, n * 8);
			slo += n;
		}
		if (rlo < rhi) {
			m = piece(rlo, rhi);
			recv_n(left, in, m * 8);
			if (sum)
				add(y + rlo, in, m);
			else
				memcpy(y + rlo, in, m * 8);
			rlo += m;
		}
	}
}

/*
 * Reduce-scatter: after step s rank r holds the sum of s + 2 ranks' chunk
 * (r - s - 1); after k - 1 steps its chunk (r + 1) is complete. Allgather
 * then passes the complete chunks once round the ring.
 */
static void allreduce_ring(unsigned int cpu, unsigned int k)
{
	double *y = cpu_data[cpu].y;
	unsigned int s;

	memcpy(y, cpu_data[cpu].x, count * 8);
	for (s = 0; s + 1 < k; s++)
		ring_step(y, cpu, k, (cpu + k - s) % k, (cpu + 2 * k - s - 1) % k,
			  1);
	for (s = 0; s + 1 < k; s++)
		ring_step(y, cpu, k, (cpu + 1 + k - s) % k, (cpu + k - s) % k,
			  0);
}

/* ---- the rows ----------------------------------------------------------- */

static void r_barrier_diss(unsigned int cpu __unused, unsigned int k)
{
	struct uk_mpi_comm c = { k };
	unsigned int i;

	for (i = 0; i < ncalls; i++)
		must(uk_mpi_barrier(&c));
}

static void r_barrier_flat(unsigned int cpu, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < ncalls; i++)
		barrier_flat(cpu, k);
}

static void r_barrier_counter(unsigned int cpu, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < ncalls; i++)
		barrier_counter(cpu, k);
}

/* bcast rows: root 0 broadcasts its x (the k-rank sum is not involved). */
static void bcast_check(unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (cpu_data[cpu].y[i] != i * 0.5) {
			__atomic_fetch_add(&wrong, 1, __ATOMIC_RELAXED);
			return;
		}
}

static void r_bcast(unsigned int cpu, unsigned int k, int tree)
{
	struct uk_mpi_comm c = { k };
	double *y = cpu_data[cpu].y;
	unsigned int i;

	for (i = 0; i < ncalls; i++) {
		if (!cpu)
			memcpy(y, cpu_data[0].x, count * 8);
		if (tree)
			must(uk_mpi_bcast(y, count * 8, 0, &c));
		else
			bcast_flat(y, cpu, k);
	}
	bcast_check(cpu);
}

static void r_bcast_tree(unsigned int cpu, unsigned int k)
{
	r_bcast(cpu, k, 1);
}

static void r_bcast_flat(unsigned int cpu, unsigned int k)
{
	r_bcast(cpu, k, 0);
}

/* reduce (to 0) and allreduce rows, tree (production) or flat. */
static void r_reduce(unsigned int cpu, unsigned int k, int tree, int all)
{
	struct uk_mpi_comm c = { k };
	double *x = cpu_data[cpu].x, *y = cpu_data[cpu].y;
	unsigned int i;

	for (i = 0; i < ncalls; i++) {
		if (tree && all)
			must(uk_mpi_allreduce(x, y, count, UK_MPI_DOUBLE,
					      UK_MPI_SUM, &c));
		else if (tree)
			must(uk_mpi_reduce(x, y, count, UK_MPI_DOUBLE,
					   UK_MPI_SUM, 0, &c));
		else
			reduce_flat(cpu, k);
		if (!tree && all)
			bcast_flat(y, cpu, k);
	}
	if (all || !cpu)
		check(y, k);
}

static void r_reduce_tree(unsigned int cpu, unsigned int k)
{
	r_reduce(cpu, k, 1, 0);
}

static void r_reduce_flat(unsigned int cpu, unsigned int k)
{
	r_reduce(cpu, k, 0, 0);
}

static void r_allreduce_tree(unsigned int cpu, unsigned int k)
{
	r_reduce(cpu, k, 1, 1);
}

static void r_allreduce_flat(unsigned int cpu, unsigned int k)
{
	r_reduce(cpu, k, 0, 1);
}

static void r_allreduce_ring(unsigned int cpu, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < ncalls; i++)
		allreduce_ring(cpu, k);
	check(cpu_data[cpu].y, k);
}

static const struct row {
	const char *coll, *shape;
	void (*fn)(unsigned int cpu, unsigned int k);
	int sized;	/* run for every vector size */
} rows[] = {
	{ "barrier", "diss*", r_barrier_diss, 0 },
	{ "barrier", "flat", r_barrier_flat, 0 },
	{ "barrier", "counter", r_barrier_counter, 0 },
	{ "bcast", "tree*", r_bcast_tree, 1 },
	{ "bcast", "flat", r_bcast_flat, 1 },
	{ "reduce", "tree*", r_reduce_tree, 1 },
	{ "reduce", "flat", r_reduce_flat, 1 },
	{ "allreduce", "tree*", r_allreduce_tree, 1 },
	{ "allreduce", "flat", r_allreduce_flat, 1 },
	{ "allreduce", "ring", r_allreduce_ring, 1 },
};

#define NROWS	ARRAY_SIZE(rows)
static const unsigned int sizes[] = { 1, 64, 1024 };
#define NSIZES	ARRAY_SIZE(sizes)

static void (*cur)(unsigned int cpu, unsigned int k);

static void job(unsigned int cpu, unsigned int k)
{
	fill(cpu);
	cur(cpu, k);
}

static int cmp_ns(const void *a, const void *b)
{
	__nsec x = *(const __nsec *)a, y = *(const __nsec *)b;

	return (x > y) - (x < y);
}

int mpibench_shapes(unsigned int calls, unsigned int reps)
{
	static __nsec t[NROWS][NSIZES][64];
	unsigned int n = ukplat_lcpu_count(), r, s, i;

	ncalls = calls = MAX(calls, 1u);
	reps = MIN(MAX(reps, 1u), 64u);
	printf("mpibench shapes: %u CPUs, %u calls per run, %u runs; "
	       "us per call, min and median (* = production shape)\n",
	       n, calls, reps);
	for (r = 0; r < reps; r++)
		for (i = 0; i < NROWS; i++)
			for (s = 0; s < (rows[i].sized ? NSIZES : 1); s++) {
				count = sizes[s];
				cur = rows[i].fn;
				t[i][s][r] = mpibench_run(n, job);
			}
	printf("%-10s %-8s %6s %12s %12s\n", "collective", "shape", "elems",
	       "min us", "median us");
	for (i = 0; i < NROWS; i++)
		for (s = 0; s < (rows[i].sized ? NSIZES : 1); s++) {
			qsort(t[i][s], reps, sizeof(__nsec), cmp_ns);
			printf("%-10s %-8s %6u %12.1f %12.1f\n", rows[i].coll,
			       rows[i].shape, rows[i].sized ? sizes[s] : 0,
			       t[i][s][0] / 1e3 / calls,
			       t[i][s][reps / 2] / 1e3 / calls);
		}
	printf("mpibench shapes: %lu wrong results\n", wrong);
	return wrong ? 1 : 0;
}
