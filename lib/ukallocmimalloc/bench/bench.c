/*
 * ukallocmimalloc host benchmark (a program, not a test): Debian's
 * libmimalloc (BENCH_DEBIAN) or our port (mimalloc from the same Debian
 * source built as in the guest, reached through uk_malloc()/uk_free() on
 * glue.c's struct uk_alloc), on 1, 2, 4... threads (not pinned):
 *
 *   pairs   16 allocations of 16-512 bytes, then 16 frees, repeated
 *   larson  1000 slots per thread, random block replaced (8-1000 B); every
 *           round each thread moves on to the next thread's slots, so most
 *           frees are of other threads' blocks
 *
 * Prints "<workload> <threads> <million alloc+free pairs per second>", the
 * best of 3 runs.
 *
 *   bench-debian|bench-port [THREADS...]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define MAXT	16
#define SLOTS	1000
#define ROUNDS	20
#define ROUND_OPS 100000
#define PAIRS	2000000

void *mi_malloc(size_t size);
void mi_free(void *p);
void mi_thread_done(void);

#ifdef BENCH_DEBIAN
static void *bench_malloc(size_t n)
{
	return mi_malloc(n);
}

static void bench_free(void *p)
{
	mi_free(p);
}

static const char *variant = "debian";

static void bench_init(void)
{
}
#else
#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/allocmimalloc.h>

struct uk_thread;
int uk_mimalloc_host_bench_start(void);

/* What glue.c needs from uksched: on the host every thread has TLS. */
struct uk_thread *uk_thread_current(void)
{
	return (struct uk_thread *)1;
}

int uk_sched_started(void)
{
	return 1;
}

int uk_thread_exit_hook_register(void (*fn)(struct uk_thread *t))
{
	(void)fn;
	return 0;
}

static struct uk_alloc *a;
#ifndef BENCH_VARIANT
#define BENCH_VARIANT "port"
#endif
static const char *variant = BENCH_VARIANT;
/* BENCH_DIRECT=1: mi_malloc/mi_free of the port's build, no uk_alloc. */
static int direct;

static void *bench_malloc(size_t n)
{
	return direct ? mi_malloc(n) : uk_malloc(a, n);
}

static void bench_free(void *p)
{
	if (direct)
		mi_free(p);
	else
		uk_free(a, p);
}

/*
 * The buddy allocator's memory lies at 1 TiB, as guest memory lies low:
 * the port tells its blocks from the boot allocator's with mimalloc's
 * segment map, which covers addresses below 20 TiB only.
 */
static void bench_init(void)
{
	size_t len = 2048UL << 20;
	void *mem;

	mem = mmap((void *)(1UL << 40), len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (mem == MAP_FAILED || !uk_allocbbuddy_init(mem, len)) {
		fprintf(stderr, "bench: no memory for the buddy allocator\n");
		exit(1);
	}
	uk_mimalloc_host_bench_start();
	direct = getenv("BENCH_DIRECT") != NULL;
	if (direct)
		variant = "port-direct";
	a = uk_alloc_get_default();
	if (!a || a != uk_allocmimalloc_get()) {
		fprintf(stderr, "bench: mimalloc did not start\n");
		exit(1);
	}
}
#endif

struct arg {
	unsigned int id, nt;
	unsigned long seed;
};

static void *slots[MAXT][SLOTS];
static pthread_barrier_t bar;

static unsigned long rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* What uksched's exit hook does in the guest. */
static void thread_end(void)
{
#ifndef BENCH_DEBIAN
	mi_thread_done();
#endif
}

static void *pairs(void *p)
{
	struct arg *x = p;
	void *b[16];
	unsigned long i;
	int k;

	for (i = 0; i < PAIRS / 16; i++) {
		for (k = 0; k < 16; k++)
			b[k] = bench_malloc(16 + rnd(&x->seed) % 497);
		for (k = 15; k >= 0; k--)
			bench_free(b[k]);
	}
	thread_end();
	return NULL;
}

static void *larson(void *p)
{
	struct arg *x = p;
	unsigned int r, i;

	for (r = 0; r < ROUNDS; r++) {
		void **s = slots[(x->id + r) % x->nt];

		for (i = 0; i < ROUND_OPS; i++) {
			unsigned long k = rnd(&x->seed) % SLOTS;

			bench_free(s[k]);
			s[k] = bench_malloc(8 + rnd(&x->seed) % 993);
		}
		pthread_barrier_wait(&bar);
	}
	thread_end();
	return NULL;
}

static double run(void *(*fn)(void *), unsigned int nt)
{
	pthread_t t[MAXT];
	struct arg args[MAXT];
	unsigned int i;
	double t0;

	pthread_barrier_init(&bar, NULL, nt);
	t0 = now();
	for (i = 0; i < nt; i++) {
		args[i] = (struct arg){ i, nt, 77 + i };
		pthread_create(&t[i], NULL, fn, &args[i]);
	}
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	return now() - t0;
}

int main(int argc, char **argv)
{
	unsigned int counts[8] = { 1, 2, 4 }, nc = 3, c, r, i, k;

	if (argc > 1) {
		for (nc = 0; nc + 1 < (unsigned int)argc && nc < 8; nc++)
			counts[nc] = (unsigned int)atoi(argv[nc + 1]);
	}
	bench_init();
	for (c = 0; c < nc; c++) {
		unsigned int nt = counts[c] > MAXT ? MAXT : counts[c];
		double best_p = 1e30, best_l = 1e30, d;

		for (r = 0; r < 3; r++) {
			d = run(pairs, nt);
			best_p = d < best_p ? d : best_p;
			for (i = 0; i < nt; i++)
				for (k = 0; k < SLOTS; k++)
					slots[i][k] = bench_malloc(8 + k % 993);
			d = run(larson, nt);
			best_l = d < best_l ? d : best_l;
			for (i = 0; i < nt; i++)
				for (k = 0; k < SLOTS; k++)
					bench_free(slots[i][k]);
		}
		printf("pairs %u %.2f %s\n", nt,
		       nt * (double)PAIRS / best_p / 1e6, variant);
		printf("larson %u %.2f %s\n", nt,
		       nt * (double)ROUNDS * ROUND_OPS / best_l / 1e6, variant);
	}
	return 0;
}
