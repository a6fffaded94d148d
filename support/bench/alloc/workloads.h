/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocator workloads shared by the guest benchmark (apps/allocbench) and
 * the host one (lib/ukallocbbuddy/bench): each function is what one thread
 * does; the caller starts the threads, times them and prints the table.
 * They live in support/ because both use them: an app may build a
 * library's files, a library never an app's (doc/layers.md).
 */
#ifndef __BENCH_ALLOC_WORKLOADS_H__
#define __BENCH_ALLOC_WORKLOADS_H__

#include <stddef.h>

/* An allocator under test: malloc/free with a context pointer. */
struct wl_alloc {
	const char *name;
	void *(*malloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *p);
	void *ctx;
};

/*
 * Small blocks: iters rounds of 16 allocations of 16-512 bytes (each block
 * touched), then 16 frees. Returns the number of alloc+free pairs, or 0
 * when an allocation failed.
 */
unsigned long wl_small(const struct wl_alloc *al, unsigned int tid,
		       unsigned long iters);

/*
 * cache-thrash (active false sharing): iters times, allocate an 8-byte
 * object, write it `writes` times, free it. If the allocator gives threads
 * objects in the same cache line, the writes bounce the line between CPUs.
 * Returns iters * writes, or 0 on failure.
 */
unsigned long wl_thrash(const struct wl_alloc *al, unsigned long iters,
			unsigned long writes);

/*
 * cache-scratch (passive false sharing): like wl_thrash, but first frees
 * obj, an 8-byte object the main thread allocated next to the other
 * threads' (an allocator that hands obj's memory back to this thread
 * keeps writing into a line other threads write too).
 */
unsigned long wl_scratch(const struct wl_alloc *al, void *obj,
			 unsigned long iters, unsigned long writes);

/*
 * The ceiling: wl_thrash's writes into a cache line of the thread's own
 * stack, no allocator. How well this scales is how much parallelism the
 * machine gives the run (other load, vCPUs sharing host cores).
 */
unsigned long wl_baseline(unsigned long iters, unsigned long writes);

#endif /* __BENCH_ALLOC_WORKLOADS_H__ */
