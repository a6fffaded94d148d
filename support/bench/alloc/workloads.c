/* SPDX-License-Identifier: BSD-3-Clause */
/* The allocator workloads of workloads.h (one thread's share of each). */
#include "workloads.h"

static const unsigned short sizes[16] = {
	16, 24, 32, 48, 64, 96, 128, 160, 200, 256, 320, 384, 448, 512, 40, 80
};

unsigned long wl_small(const struct wl_alloc *al, unsigned int tid,
		       unsigned long iters)
{
	void *p[16];
	unsigned long i;
	unsigned int k;

	for (i = 0; i < iters; i++) {
		for (k = 0; k < 16; k++) {
			p[k] = al->malloc(al->ctx,
					  sizes[(i + k + tid) & 15]);
			if (!p[k])
				return 0;
			*(volatile char *)p[k] = (char)k;
		}
		for (k = 0; k < 16; k++)
			al->free(al->ctx, p[15 - k]);
	}
	return iters * 16;
}

static unsigned long write_loop(volatile char *o, unsigned long writes)
{
	unsigned long j;

	for (j = 0; j < writes; j++)
		o[j & 7]++;
	return writes;
}

unsigned long wl_thrash(const struct wl_alloc *al, unsigned long iters,
			unsigned long writes)
{
	unsigned long i, n = 0;

	for (i = 0; i < iters; i++) {
		char *o = al->malloc(al->ctx, 8);

		if (!o)
			return 0;
		n += write_loop(o, writes);
		al->free(al->ctx, o);
	}
	return n;
}

unsigned long wl_scratch(const struct wl_alloc *al, void *obj,
			 unsigned long iters, unsigned long writes)
{
	al->free(al->ctx, obj);
	return wl_thrash(al, iters, writes);
}

unsigned long wl_baseline(unsigned long iters, unsigned long writes)
{
	char line[64] __attribute__((aligned(64))) = { 0 };
	unsigned long i, n = 0;

	for (i = 0; i < iters; i++)
		n += write_loop(line, writes);
	return n;
}
