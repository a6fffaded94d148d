/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mpibench's parts (main.c, shapes.c): the job runner that main.c owns,
 * and the shapes table. Private to the app.
 */
#ifndef __MPIBENCH_H__
#define __MPIBENCH_H__

#include <uk/plat/time.h>

/*
 * Runs fn(cpu, k) on one thread pinned on each of CPUs 0..k-1, started
 * together by a uk_mpi_barrier() and ended by another; returns CPU 0's
 * nanoseconds between them (thread creation not counted, one barrier is).
 * Called from main() only, one job at a time.
 */
__nsec mpibench_run(unsigned int k, void (*fn)(unsigned int cpu,
					       unsigned int k));

/*
 * Times every collective shape of shapes.c on all CPUs, calls per run,
 * reps runs, prints the table; 0, or 1 when a result was wrong.
 */
int mpibench_shapes(unsigned int calls, unsigned int reps);

#endif /* __MPIBENCH_H__ */
