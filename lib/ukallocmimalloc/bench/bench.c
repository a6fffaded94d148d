/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocmimalloc host benchmark (a program, not a test): what the port
 * costs on the paths a user takes, against Debian's libmimalloc of the same
 * version, all in one process and interleaved, so that load changes on the
 * machine hit every variant alike:
 *
 *   debian     mi_malloc/mi_free of Debian's libmimalloc.so.2, dlopen()ed
 *              (RTLD_DEEPBIND: it keeps its own mimalloc); skipped, with a
 *              note, where the library is not installed
 *   direct     mi_malloc/mi_free of the port's build (mimalloc from the
 *              same Debian source, built as in the guest: same flags, os.c
 *              on ukallocbbuddy, arenas, glue.c's setup)
 *   malloc     the C library's malloc()/free() of the port (malloc.c; on
 *              the host renamed uk_mimalloc_bench_malloc() etc.)
 *   uk_malloc  uk_malloc()/uk_free() on uk_alloc_get_default()
 *   bbuddy     uk_malloc()/uk_free() on ukallocbbuddy (the backing): the
 *              guest benchmark's comparison (apps/mimallocbench), here on
 *              real cores
 *   direct-again  with -a only: "direct" once more, an A/A comparison
 *              that shows how far the machine's noise moves a ratio
 *
 * Workloads, on 1, 2, 4... threads (thread i pinned to the i-th CPU we
 * may use, round-robin):
 *
 *   pairs   16 allocations of 16-512 bytes, then 16 frees, repeated
 *   larson  1000 slots per thread, random block replaced (8-1000 B); every
 *           round each thread moves on to the next thread's slots, so most
 *           frees are of other threads' blocks
 *
 * Prints "<workload> <threads> <variant> <million alloc+free pairs per
 * second> <million pairs per CPU-second>", each the best of -r runs
 * (default 5). The second figure divides by the CPU time the threads got
 * (their own clocks), so it does not depend on how much of the machine
 * other programs took meanwhile: on a loaded machine it is the one to
 * compare; on a quiet one the two agree for threads <= cores.
 *
 *   bench-port[-stats|-bytes] [-r RUNS] [-a] [THREADS...]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <uk/alloc.h>
#include <uk/allocbbuddy.h>
#include <uk/allocmimalloc.h>
#include <uk/plat/lcpu.h>

#define MAXT	16
#define SLOTS	1000
#define ROUNDS	20
#define ROUND_OPS 100000
#define PAIRS	2000000

void *mi_malloc(size_t size);
void mi_free(void *p);
void mi_thread_done(void);
/* malloc.c's malloc() and free(), renamed on the host (Makefile). */
void *uk_mimalloc_bench_malloc(size_t size);
void uk_mimalloc_bench_free(void *p);

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

static void *(*deb_malloc)(size_t);
static void (*deb_free)(void *);

struct arg {
	unsigned int id, nt;
	unsigned long seed;
	double cpu;	/* CPU seconds the thread used */
};

static void *slots[MAXT][SLOTS];
static pthread_barrier_t bar;

static unsigned long rnd(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static double clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/*
 * The two workloads for one variant, with its alloc and free calls direct
 * (no function pointer of the benchmark's own in between). END runs at
 * each thread's end: for the port what uksched's exit hook does in the
 * guest (mi_thread_done()); Debian's library does it itself.
 */
#define WORKLOADS(name, ALLOC, FREE, END)				\
static void *pairs_##name(void *p)					\
{									\
	struct arg *x = p;						\
	void *b[16];							\
	unsigned long i;						\
	int k;								\
									\
	x->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID);			\
	for (i = 0; i < PAIRS / 16; i++) {				\
		for (k = 0; k < 16; k++)				\
			b[k] = ALLOC(16 + rnd(&x->seed) % 497);		\
		for (k = 15; k >= 0; k--)				\
			FREE(b[k]);					\
	}								\
	END();								\
	x->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - x->cpu;		\
	return NULL;							\
}									\
									\
static void *larson_##name(void *p)					\
{									\
	struct arg *x = p;						\
	unsigned int r, i;						\
									\
	x->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID);			\
	for (r = 0; r < ROUNDS; r++) {					\
		void **s = slots[(x->id + r) % x->nt];			\
									\
		for (i = 0; i < ROUND_OPS; i++) {			\
			unsigned long k = rnd(&x->seed) % SLOTS;	\
									\
			FREE(s[k]);					\
			s[k] = ALLOC(8 + rnd(&x->seed) % 993);		\
		}							\
		pthread_barrier_wait(&bar);				\
	}								\
	END();								\
	x->cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - x->cpu;		\
	return NULL;							\
}									\
									\
/* Fills every slot (fill != 0) or frees every slot, in main. */	\
static void slots_##name(unsigned int nt, int fill)			\
{									\
	unsigned int i, k;						\
									\
	for (i = 0; i < nt; i++)					\
		for (k = 0; k < SLOTS; k++) {				\
			if (fill)					\
				slots[i][k] = ALLOC(8 + k % 993);	\
			else						\
				FREE(slots[i][k]);			\
		}							\
}

static void no_end(void)
{
}

/* ukallocbbuddy, mimalloc's backing: what mimallocbench compares with. */
static struct uk_alloc *bbuddy;

#define BB_ALLOC(n) uk_malloc(bbuddy, n)
#define BB_FREE(p) uk_free(bbuddy, p)
#define DEB_ALLOC(n) deb_malloc(n)
#define DEB_FREE(p) deb_free(p)
#define UK_ALLOC(n) uk_malloc(uk_alloc_get_default(), n)
#define UK_FREE(p) uk_free(uk_alloc_get_default(), p)

WORKLOADS(debian, DEB_ALLOC, DEB_FREE, no_end)
WORKLOADS(direct, mi_malloc, mi_free, mi_thread_done)
WORKLOADS(again, mi_malloc, mi_free, mi_thread_done)
WORKLOADS(libc, uk_mimalloc_bench_malloc, uk_mimalloc_bench_free,
	  mi_thread_done)
WORKLOADS(ukalloc, UK_ALLOC, UK_FREE, mi_thread_done)
WORKLOADS(bbuddy, BB_ALLOC, BB_FREE, no_end)

struct variant {
	const char *name;
	void *(*pairs)(void *);
	void *(*larson)(void *);
	void (*slots)(unsigned int nt, int fill);
	/* Best wall-clock and CPU seconds (summed over threads). */
	double best_p, best_l, cpu_p, cpu_l;
};

#define VARIANT(label, name) \
	{ label, pairs_##name, larson_##name, slots_##name, 0, 0, 0, 0 }

static struct variant variants[] = {
	VARIANT("debian", debian),
	VARIANT("direct", direct),
	VARIANT("malloc", libc),
	VARIANT("uk_malloc", ukalloc),
	VARIANT("bbuddy", bbuddy),
	VARIANT("direct-again", again),	/* last: only with -a */
};

#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

/* The i-th CPU of those this process may run on, round-robin. */
static int pinned_cpu(unsigned int i)
{
	cpu_set_t allowed;
	int n, c;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return 0;
	n = CPU_COUNT(&allowed);
	i %= (unsigned int)n;
	for (c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &allowed) && i-- == 0)
			return c;
	return 0;
}

/* Runs fn on nt threads: wall-clock seconds, and CPU seconds in *cpu. */
static double run(void *(*fn)(void *), unsigned int nt, double *cpu)
{
	pthread_t t[MAXT];
	struct arg args[MAXT];
	unsigned int i;
	double t0;

	/* Fresh CPU indexes for the new threads (the shim hands out 64). */
	ukplat_host_lcpu_reset();
	pthread_barrier_init(&bar, NULL, nt);
	t0 = now();
	for (i = 0; i < nt; i++) {
		pthread_attr_t attr;
		cpu_set_t cpus;
		int err;

		/* Thread i on CPU i mod the CPUs we may use: placement is
		 * the same in every run and for every variant. */
		CPU_ZERO(&cpus);
		CPU_SET(pinned_cpu(i), &cpus);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus);
		args[i] = (struct arg){ i, nt, 77 + i, 0 };
		err = pthread_create(&t[i], &attr, fn, &args[i]);
		pthread_attr_destroy(&attr);
		if (err) {
			fprintf(stderr, "bench: pthread_create failed\n");
			exit(1);
		}
	}
	*cpu = 0;
	for (i = 0; i < nt; i++) {
		pthread_join(t[i], NULL);
		*cpu += args[i].cpu;
	}
	pthread_barrier_destroy(&bar);
	return now() - t0;
}

/*
 * The buddy allocator's memory lies at 1 TiB, as guest memory lies low:
 * mimalloc's segment map (which tells its blocks from the boot
 * allocator's outside the first arena) covers addresses below 20 TiB only.
 */
static void port_init(void)
{
	size_t len = 2048UL << 20;
	void *mem;

	mem = mmap((void *)(1UL << 40), len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (mem == MAP_FAILED || !(bbuddy = uk_allocbbuddy_init(mem, len))) {
		fprintf(stderr, "bench: no memory for the buddy allocator\n");
		exit(1);
	}
	uk_mimalloc_host_bench_start();
	if (uk_alloc_get_default() != uk_allocmimalloc_get()) {
		fprintf(stderr, "bench: mimalloc did not start\n");
		exit(1);
	}
}

/* Debian's library, if installed: 1, else 0 (the variant is skipped). */
static int debian_init(void)
{
	void *h = dlopen("libmimalloc.so.2",
			 RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);

	if (!h) {
		fprintf(stderr, "bench: %s: no Debian row (apt-get install "
			"libmimalloc2.0)\n", dlerror());
		return 0;
	}
	deb_malloc = (void *(*)(size_t))dlsym(h, "mi_malloc");
	deb_free = (void (*)(void *))dlsym(h, "mi_free");
	return deb_malloc && deb_free;
}

int main(int argc, char **argv)
{
	unsigned int counts[8] = { 1, 2, 4 }, nc = 3, runs = 5, c, r, v;
	unsigned int first = 0, nv = NVARIANTS - 1;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "-r")) {
		runs = (unsigned int)atoi(argv[2]);
		i = 3;
	}
	if (i < argc && !strcmp(argv[i], "-a")) {
		nv = NVARIANTS;
		i++;
	}
	if (i < argc)
		for (nc = 0; i < argc && nc < 8; i++)
			counts[nc++] = (unsigned int)atoi(argv[i]);
	port_init();
	if (!debian_init())
		first = 1;
	for (c = 0; c < nc; c++) {
		unsigned int nt = counts[c] > MAXT ? MAXT : counts[c];

		double pairs = nt * (double)PAIRS / 1e6;
		double larson = nt * (double)ROUNDS * ROUND_OPS / 1e6;

		for (v = first; v < nv; v++) {
			struct variant *x = &variants[v];

			x->best_p = x->best_l = x->cpu_p = x->cpu_l = 1e30;
		}
		for (r = 0; r < runs; r++)
			for (v = first; v < nv; v++) {
				struct variant *x = &variants[v];
				double d, cpu;

				d = run(x->pairs, nt, &cpu);
				x->best_p = d < x->best_p ? d : x->best_p;
				x->cpu_p = cpu < x->cpu_p ? cpu : x->cpu_p;
				x->slots(nt, 1);
				d = run(x->larson, nt, &cpu);
				x->best_l = d < x->best_l ? d : x->best_l;
				x->cpu_l = cpu < x->cpu_l ? cpu : x->cpu_l;
				x->slots(nt, 0);
			}
		for (v = first; v < nv; v++) {
			struct variant *x = &variants[v];

			printf("pairs %u %s %.2f %.2f\n", nt, x->name,
			       pairs / x->best_p, pairs / x->cpu_p);
			printf("larson %u %s %.2f %.2f\n", nt, x->name,
			       larson / x->best_l, larson / x->cpu_l);
		}
		fflush(stdout);
	}
	return 0;
}
