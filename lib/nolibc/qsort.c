/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc qsort (heapsort: no recursion, no allocation) and bsearch. */
#include <stdlib.h>

typedef int (*cmp_fn)(const void *, const void *);

static void swap_elems(char *a, char *b, size_t size)
{
	char t;

	while (size--) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Moves the element at root down until the heap of n elements is valid. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
		      cmp_fn cmp)
{
	size_t child;

	for (;;) {
		child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n &&
		    cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_elems(base + root * size, base + child * size, size);
		root = child;
	}
}

void qsort(void *base, size_t nmemb, size_t size, cmp_fn cmp)
{
	char *b = base;
	size_t i;

	if (nmemb < 2 || !size)
		return;
	for (i = nmemb / 2; i-- > 0;)
		sift_down(b, i, nmemb, size, cmp);
	for (i = nmemb - 1; i > 0; i--) {
		swap_elems(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
	      cmp_fn cmp)
{
	const char *b = base;
	size_t lo = 0, hi = nmemb, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = cmp(key, b + mid * size);
		if (r == 0)
			return (void *)(b + mid * size);
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
