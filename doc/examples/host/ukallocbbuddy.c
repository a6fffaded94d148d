/*
 * ukalloc + ukallocbbuddy in a plain Linux program (doc/host-libraries.md):
 * the buddy allocator manages an arena taken from glibc, pthreads allocate,
 * fill, check and free blocks of mixed sizes through ukalloc's uk_*()
 * calls, and the program checks the conserved quantities: every block
 * keeps its contents, the statistics count every allocation and free, and
 * once the per-CPU caches are drained the allocator has exactly as much
 * free memory as before. Exit status 0 only if all of that holds.
 *
 *   make host-lib LIB=ukallocbbuddy
 *   gcc -I build/host-lib/ukallocbbuddy/host-include \
 *       -I build/host-lib/ukallocbbuddy/include -include uk/config.h \
 *       doc/examples/host/ukallocbbuddy.c \
 *       build/host-lib/ukallocbbuddy/lib/libukallocbbuddy.a -pthread
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uk/alloc.h>
#include <uk/allocbbuddy.h>

#include "threads.h"

#define ARENA		(32UL << 20)
#define THREADS		4
#define ROUNDS		50
#define BLOCKS		200	/* live at once per thread */
#define MAX_SIZE	8192

static struct uk_alloc *a;
static unsigned long bad[THREADS];	/* blocks that lost their contents */

/* xorshift64: each thread's own reproducible sizes. */
static unsigned long next_rand(unsigned long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void worker(unsigned int id)
{
	unsigned long seed = 0x9e3779b97f4a7c15UL * (id + 1);
	static __thread void *blk[BLOCKS];
	static __thread size_t len[BLOCKS];
	unsigned int r, i;

	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < BLOCKS; i++) {
			len[i] = 1 + next_rand(&seed) % MAX_SIZE;
			blk[i] = uk_malloc(a, len[i]);
			if (!blk[i]) {
				bad[id]++;
				continue;
			}
			memset(blk[i], (int)(id + i), len[i]);
		}
		for (i = 0; i < BLOCKS; i++) {
			unsigned char *p = blk[i];

			if (p && (p[0] != (unsigned char)(id + i) ||
				  p[len[i] - 1] != (unsigned char)(id + i)))
				bad[id]++;
			uk_free(a, p);
		}
	}
}

int main(void)
{
	const unsigned long blocks = (unsigned long)THREADS * ROUNDS * BLOCKS;
	struct uk_alloc_stats st;
	struct uk_allocbbuddy_info info;
	unsigned long i, nbad = 0;
	long before, after;
	void *arena, *pages;
	int ok;

	arena = aligned_alloc(4096, ARENA);
	a = arena ? uk_allocbbuddy_init(arena, ARENA) : NULL;
	if (!a) {
		fprintf(stderr, "no allocator\n");
		return 2;
	}
	before = uk_alloc_availmem(a);
	/* Pages too: 4 of them, page aligned. */
	pages = uk_palloc(a, 4);
	ok = pages && ((unsigned long)pages & 4095) == 0;
	uk_pfree(a, pages, 4);

	if (run_threads(THREADS, worker))
		return 2;
	for (i = 0; i < THREADS; i++)
		nbad += bad[i];

	uk_alloc_stats_get(a, &st);
	uk_allocbbuddy_drain(a);
	uk_allocbbuddy_info(a, &info);
	after = uk_alloc_availmem(a);
	printf("default allocator is the buddy: %s\n",
	       uk_alloc_get_default() == a ? "yes" : "no");
	printf("page-aligned uk_palloc: %s\n", ok ? "yes" : "no");
	printf("%d threads: %lu blocks of 1-%d bytes, %lu lost or damaged\n",
	       THREADS, blocks, MAX_SIZE, nbad);
	printf("statistics: %lu allocations, %lu frees, %lu in use\n",
	       st.tot_nb_allocs, st.tot_nb_frees, st.cur_nb_allocs);
	printf("free memory after draining the caches equals before: %s\n",
	       after == before && info.cached == 0 ? "yes" : "no");
	ok = ok && uk_alloc_get_default() == a && nbad == 0 &&
	     st.tot_nb_allocs == blocks && st.tot_nb_frees == blocks &&
	     st.cur_nb_allocs == 0 && after == before && info.cached == 0 &&
	     info.bad_frees == 0;
	printf("ukallocbbuddy example: %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
