/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock benchmark (host program, not a test): uncontended lock+unlock
 * cost, contended throughput and fairness for uklock's spinlock next to a
 * test-and-set lock, a ticket lock, pthread_spin_lock and pthread_mutex;
 * and for uklock's mutex and rwlock (unchanged, blocking on the pthread
 * stand-in for uksched's wait queues, support/host/sched.c) next to
 * pthread_mutex and pthread_rwlock; for 1, 2, 4 and 8 threads (-n for
 * others), in one run. Threads are not pinned: more threads than cores (oversubscription, like a guest with more
 * vCPUs than host cores) is part of the point.
 *
 *   bench [-t SECONDS] [-x] [-k TEXT] [-n LIST] [-q] [-w PAUSES]
 *
 * -t  seconds per contended measurement (default 0.8; the whole default run
 *     takes about 25 s)
 * -x  also measure a ticket lock that calls sched_yield() after 1024
 *     pauses. The spinlock's rejected design variants (other batch limits,
 *     fast paths, polling intervals and skip thresholds) were measured by
 *     earlier versions of this program: doc/uklock-measurements.md and the git
 *     history (lib/uklock/bench/variant_*.c) have them.
 * -k  only the locks whose name contains TEXT (pthread_spin_lock, the
 *     reference, is always measured)
 * -n  the thread counts, comma-separated (default 1,2,4,8; at most 16
 *     counts of at most 64 threads); the goals need 1, 2 and 4
 * -q  leave out the per-run progress lines on stderr
 * -w  pause instructions each thread spends outside the critical section
 *     between two acquisitions (default 0: back to back); with work
 *     outside, a lock that hands over late shows as lost throughput
 *
 * Output: a Markdown table of every lock, a second one of the blocking locks
 * with ratios against their pthread counterparts, and, last, the
 * spinlock's goals from issue 4 with "met" or "NOT met".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uk/mutex.h>
#include <uk/rwlock.h>
#include <uk/spinlock.h>

#define LINE 64
#define MAX_THREADS 64
#define MAX_COUNTS 16

static unsigned int thread_counts[MAX_COUNTS] = { 1, 2, 4, 8 };
static unsigned int NCOUNTS = 4;

static double run_seconds = 0.8;
static unsigned int outside_pauses;
static int quiet;
static const char *only;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * CPU time of the calling thread: the uncontended loops are timed with it,
 * so that time the host gives to other processes (a busy shared machine)
 * does not count.
 */
static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --- the comparison locks ------------------------------------------------ */

/* Test-and-test-and-set with pause: the usual "plain" spinlock. */
struct tas_lock {
	int v;
};

static inline void tas_lock(struct tas_lock *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			ukarch_spinwait();
}

static inline void tas_unlock(struct tas_lock *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

/* Classic ticket lock: one xadd to queue, spin until served. */
struct ticket_lock {
	unsigned int head, tail;
};

static inline void ticket_lock(struct ticket_lock *l)
{
	unsigned int t = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != t)
		ukarch_spinwait();
}

static inline void ticket_unlock(struct ticket_lock *l)
{
	__atomic_store_n(&l->head, l->head + 1, __ATOMIC_RELEASE);
}

/* Ticket lock that gives the host CPU away after a bounded spin. */
static inline void ticket_yield_lock(struct ticket_lock *l)
{
	unsigned int t = __atomic_fetch_add(&l->tail, 1, __ATOMIC_RELAXED);
	unsigned int n = 0;

	while (__atomic_load_n(&l->head, __ATOMIC_ACQUIRE) != t) {
		if (++n < 1024)
			ukarch_spinwait();
		else
			sched_yield();
	}
}

/* --- what every thread shares --------------------------------------------- */

static struct {
	union {
		struct uk_spinlock uk;
		struct tas_lock tas;
		struct ticket_lock ticket;
		pthread_spinlock_t spin;
		pthread_mutex_t mutex;
		struct uk_mutex ukmutex;
		struct uk_rwlock ukrw;
		pthread_rwlock_t rw;
	};
} __attribute__((aligned(LINE))) lk;

/* The data the critical section touches: its own cache line. */
static struct {
	unsigned long counter;
	unsigned long handoffs;
	unsigned int last;
} __attribute__((aligned(LINE))) shared;

static struct {
	int go, stop;
} __attribute__((aligned(LINE))) flags;

static struct {
	unsigned long count;
} __attribute__((aligned(LINE))) per_thread[MAX_THREADS];

static pthread_barrier_t start_barrier;

/* The critical section: short, one shared cache line. */
#define CRITICAL_SECTION(me)						\
	do {								\
		shared.counter++;					\
		if (shared.last != (me)) {				\
			shared.handoffs++;				\
			shared.last = (me);				\
		}							\
	} while (0)

/* The readers' critical section: reads the same line, writes nothing. */
static volatile unsigned long read_sink;
#define READ_SECTION(me)						\
	do {								\
		(void)(me);						\
		read_sink = *(volatile unsigned long *)&shared.counter;	\
	} while (0)

/*
 * Per lock kind: a worker thread body (until flags.stop) and a timed
 * single-thread loop, with the lock operations inlined as a user would get
 * them.
 */
#define DEFINE_LOCK_KIND(name, LOCK, UNLOCK)				\
	DEFINE_LOCK_KIND_CS(name, LOCK, UNLOCK, CRITICAL_SECTION)
#define DEFINE_LOCK_KIND_CS(name, LOCK, UNLOCK, CS)			\
	static void *worker_##name(void *arg)				\
	{								\
		unsigned int me = (unsigned int)(unsigned long)arg;	\
		unsigned long n = 0;					\
		unsigned int i;						\
									\
		pthread_barrier_wait(&start_barrier);			\
		while (!__atomic_load_n(&flags.stop, __ATOMIC_RELAXED)) { \
			LOCK;						\
			CS(me);						\
			UNLOCK;						\
			n++;						\
			for (i = 0; i < outside_pauses; i++)		\
				ukarch_spinwait();			\
		}							\
		per_thread[me].count = n;				\
		return NULL;						\
	}								\
	static double uncontended_##name(unsigned long iters)		\
	{								\
		double t0 = cpu_now();					\
		unsigned long i;					\
									\
		for (i = 0; i < iters; i++) {				\
			LOCK;						\
			CS(0u);						\
			UNLOCK;						\
		}							\
		return (cpu_now() - t0) * 1e9 / (double)iters;		\
	}

DEFINE_LOCK_KIND(uklock, uk_spin_lock(&lk.uk), uk_spin_unlock(&lk.uk))
DEFINE_LOCK_KIND(tas, tas_lock(&lk.tas), tas_unlock(&lk.tas))
DEFINE_LOCK_KIND(ticket, ticket_lock(&lk.ticket), ticket_unlock(&lk.ticket))
DEFINE_LOCK_KIND(ticketyield, ticket_yield_lock(&lk.ticket),
		 ticket_unlock(&lk.ticket))
DEFINE_LOCK_KIND(pspin, pthread_spin_lock(&lk.spin),
		 pthread_spin_unlock(&lk.spin))
DEFINE_LOCK_KIND(pmutex, pthread_mutex_lock(&lk.mutex),
		 pthread_mutex_unlock(&lk.mutex))
DEFINE_LOCK_KIND(ukmutex, uk_mutex_lock(&lk.ukmutex),
		 uk_mutex_unlock(&lk.ukmutex))
DEFINE_LOCK_KIND(ukwrite, uk_rwlock_wlock(&lk.ukrw),
		 uk_rwlock_wunlock(&lk.ukrw))
DEFINE_LOCK_KIND(pwrite, pthread_rwlock_wrlock(&lk.rw),
		 pthread_rwlock_unlock(&lk.rw))
DEFINE_LOCK_KIND_CS(ukread, uk_rwlock_rlock(&lk.ukrw),
		    uk_rwlock_runlock(&lk.ukrw), READ_SECTION)
DEFINE_LOCK_KIND_CS(pread, pthread_rwlock_rdlock(&lk.rw),
		    pthread_rwlock_unlock(&lk.rw), READ_SECTION)

static void init_none(void)
{
	memset(&lk, 0, sizeof(lk));
}

static void init_pspin(void)
{
	init_none();
	pthread_spin_init(&lk.spin, PTHREAD_PROCESS_PRIVATE);
}

static void init_pmutex(void)
{
	init_none();
	pthread_mutex_init(&lk.mutex, NULL);
}

static void init_ukmutex(void)
{
	init_none();
	uk_mutex_init(&lk.ukmutex);
}

static void init_ukrw(void)
{
	init_none();
	uk_rwlock_init(&lk.ukrw);
}

static void init_prw(void)
{
	init_none();
	pthread_rwlock_init(&lk.rw, NULL);
}

/* What a row is: which ones -x adds, and the special ones. */
enum role {
	OURS,		/* the library's spinlock, the goals are about it */
	REF,		/* pthread_spin_lock: the reference of the ratios */
	OTHER,		/* always measured */
	EXTRA,		/* only with -x */
};

struct kind {
	const char *name;
	enum role role;
	void (*init)(void);
	void *(*worker)(void *);
	double (*uncontended)(unsigned long);
	const char *ref;	/* blocking table: the counterpart, or NULL */
	int readers;		/* critical section only reads: no counter */
	/* results */
	double ns;
	double mops[MAX_COUNTS];
	double fair[MAX_COUNTS];
	double handoff[MAX_COUNTS];
};

#define KIND(label, name, role, init)					\
	{ label, role, init, worker_##name, uncontended_##name, NULL, 0, \
	  0, {0}, {0}, {0} }
/* A blocking lock: in both tables, compared with its counterpart ref. */
#define BKIND(label, name, init, ref, readers)				\
	{ label, OTHER, init, worker_##name, uncontended_##name, ref,	\
	  readers, 0, {0}, {0}, {0} }

static struct kind kinds[] = {
	KIND("uklock spinlock (K=16)", uklock, OURS, init_none),
	KIND("test-and-set", tas, OTHER, init_none),
	KIND("ticket", ticket, OTHER, init_none),
	KIND("ticket, then sched_yield", ticketyield, EXTRA, init_none),
	KIND("pthread_spin_lock", pspin, REF, init_pspin),
	BKIND("pthread_mutex", pmutex, init_pmutex, "pthread_mutex", 0),
	BKIND("uk_mutex", ukmutex, init_ukmutex, "pthread_mutex", 0),
	BKIND("uk_rwlock, write", ukwrite, init_ukrw, "pthread_rwlock, write",
	      0),
	BKIND("pthread_rwlock, write", pwrite, init_prw,
	      "pthread_rwlock, write", 0),
	BKIND("uk_rwlock, read", ukread, init_ukrw, "pthread_rwlock, read", 1),
	BKIND("pthread_rwlock, read", pread, init_prw, "pthread_rwlock, read",
	      1),
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static struct kind *find(enum role role)
{
	unsigned int k;

	for (k = 0; k < NKINDS; k++)
		if (kinds[k].role == role)
			return &kinds[k];
	abort();
}

static int enabled(const struct kind *k, int extra)
{
	if (k->role == REF)
		return 1;
	if (k->role == EXTRA && !extra)
		return 0;
	return !only || strstr(k->name, only);
}

/* The load average, so a busy machine shows in the output. */
static void print_loadavg(const char *when)
{
	char buf[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "?\n");
		fclose(f);
	}
	printf("Load average %s: %s", when, buf);
}

static void *nothing(void *arg)
{
	return arg;
}

static void make_multithreaded(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, nothing, NULL)) {
		perror("pthread_create");
		exit(1);
	}
	pthread_join(t, NULL);
}

static void measure_uncontended(struct kind *k)
{
	double best = 1e9;
	int r;

	k->init();
	k->uncontended(1000000);	/* warm up */
	for (r = 0; r < 5; r++) {
		double ns = k->uncontended(5000000);

		if (ns < best)
			best = ns;
	}
	k->ns = best;
}

static void measure_contended(struct kind *k, unsigned int ci)
{
	unsigned int nthreads = thread_counts[ci], i;
	pthread_t th[MAX_THREADS];
	unsigned long total = 0, max = 0, min = ~0UL;
	double t0, t1;

	k->init();
	memset(&shared, 0, sizeof(shared));
	shared.last = ~0u;
	memset(per_thread, 0, sizeof(per_thread));
	flags.stop = 0;
	pthread_barrier_init(&start_barrier, NULL, nthreads + 1);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[i], NULL, k->worker,
				   (void *)(unsigned long)i)) {
			perror("pthread_create");
			exit(1);
		}
	pthread_barrier_wait(&start_barrier);
	t0 = now();
	usleep((useconds_t)(run_seconds * 1e6));
	__atomic_store_n(&flags.stop, 1, __ATOMIC_RELAXED);
	t1 = now();
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start_barrier);

	for (i = 0; i < nthreads; i++) {
		unsigned long c = per_thread[i].count;

		total += c;
		if (c > max)
			max = c;
		if (c < min)
			min = c;
	}
	if (!k->readers && shared.counter != total) {
		fprintf(stderr, "%s: mutual exclusion broken: counter %lu, "
			"%lu critical sections\n", k->name, shared.counter,
			total);
		exit(1);
	}
	k->mops[ci] = (double)total / (t1 - t0) / 1e6;
	k->fair[ci] = min ? (double)max / (double)min : 1e9;
	k->handoff[ci] = total ? 100.0 * (double)shared.handoffs /
				 (double)total : 0;
	if (!quiet)
		fprintf(stderr, "  %-26s %u threads: %8.2f Mops/s, max/min "
			"%.2f, handoffs %.1f%%\n", k->name, nthreads,
			k->mops[ci], k->fair[ci], k->handoff[ci]);
}

static void print_fair(double f)
{
	if (f >= 1e9)
		printf(" | inf");
	else
		printf(" | %.2f", f);
}

static void print_handoff(const struct kind *k, unsigned int c)
{
	if (k->readers)
		printf(" | -");	/* readers share it: no hand-off */
	else
		printf(" | %.0f", k->handoff[c]);
}

static struct kind *find_name(const char *name)
{
	unsigned int k;

	for (k = 0; k < NKINDS; k++)
		if (!strcmp(kinds[k].name, name))
			return &kinds[k];
	abort();
}

/*
 * The blocking locks again, each with ratios against its pthread
 * counterpart (the first row of its group): cost for uncontended,
 * throughput for the thread columns.
 */
static void print_blocking(int extra)
{
	unsigned int k, c;

	printf("\nBlocking locks; ratios (x) against the pthread lock of "
	       "the same kind.\n\n| lock | uncontended ns (x)");
	for (c = 0; c < NCOUNTS; c++)
		printf(" | %u thr Mops/s (x) | max/min | handoff %%",
		       thread_counts[c]);
	printf(" |\n|---|---");
	for (c = 0; c < NCOUNTS; c++)
		printf("|---|---|---");
	printf("|\n");
	for (k = 0; k < NKINDS; k++) {
		struct kind *p = &kinds[k], *r;

		if (!p->ref || !enabled(p, extra))
			continue;
		r = find_name(p->ref);
		if (!enabled(r, extra))
			continue;
		printf("| %s | %.2f (%.2f)", p->name, p->ns, p->ns / r->ns);
		for (c = 0; c < NCOUNTS; c++) {
			printf(" | %.2f (%.2f)", p->mops[c],
			       p->mops[c] / r->mops[c]);
			print_fair(p->fair[c]);
			print_handoff(p, c);
		}
		printf(" |\n");
	}
}

static const char *met(int ok)
{
	return ok ? "met" : "NOT met";
}

/* Index of n threads in thread_counts, or -1. */
static int count_index(unsigned int n)
{
	unsigned int c;

	for (c = 0; c < NCOUNTS; c++)
		if (thread_counts[c] == n)
			return (int)c;
	return -1;
}

/* Parses -n: comma-separated thread counts. */
static int parse_counts(const char *arg)
{
	char *end;

	NCOUNTS = 0;
	while (*arg) {
		unsigned long n = strtoul(arg, &end, 10);

		if (end == arg || n < 1 || n > MAX_THREADS
		    || NCOUNTS == MAX_COUNTS || (*end && *end != ','))
			return -1;
		thread_counts[NCOUNTS++] = (unsigned int)n;
		arg = *end ? end + 1 : end;
	}
	return NCOUNTS ? 0 : -1;
}

int main(int argc, char **argv)
{
	int opt, extra = 0;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t affinity;
	struct kind *ref = find(REF), *ours = find(OURS);
	unsigned int k, c;
	int c1, c2, c4;
	double t_start = now();
	char load_before[128] = "?\n";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(load_before, sizeof(load_before), f))
			strcpy(load_before, "?\n");
		fclose(f);
	}

	/* The CPUs we may run on (taskset narrows them). */
	if (!sched_getaffinity(0, sizeof(affinity), &affinity))
		cores = CPU_COUNT(&affinity);

	while ((opt = getopt(argc, argv, "t:xk:n:qw:")) != -1) {
		switch (opt) {
		case 't':
			run_seconds = atof(optarg);
			if (run_seconds <= 0) {
				fprintf(stderr, "bench: -t wants seconds "
					"> 0\n");
				return 2;
			}
			break;
		case 'x':
			extra = 1;
			break;
		case 'k':
			only = optarg;
			break;
		case 'n':
			if (parse_counts(optarg)) {
				fprintf(stderr, "bench: -n wants thread counts "
					"1-%d, comma-separated, at most %d\n",
					MAX_THREADS, MAX_COUNTS);
				return 2;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		case 'w':
			outside_pauses = (unsigned int)atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-t SECONDS] [-x] [-k TEXT] "
				"[-n LIST] [-q] [-w PAUSES]\n",
				argv[0]);
			return 2;
		}
	}

	/*
	 * glibc skips the atomic operations of pthread_mutex (and others)
	 * while a process has never had a second thread. A program with
	 * locks has threads: make this one multi-threaded before the
	 * uncontended loops, or pthread_mutex would be measured without
	 * them (3.8 instead of 9 ns here).
	 */
	make_multithreaded();
	for (k = 0; k < NKINDS; k++) {
		if (!enabled(&kinds[k], extra))
			continue;
		measure_uncontended(&kinds[k]);
		if (!quiet)
			fprintf(stderr, "  %-26s uncontended %.2f ns\n",
				kinds[k].name, kinds[k].ns);
	}
	for (c = 0; c < NCOUNTS; c++)
		for (k = 0; k < NKINDS; k++)
			if (enabled(&kinds[k], extra))
				measure_contended(&kinds[k], c);

	printf("Host: %ld CPUs to run on, %.1f s per contended run; critical "
	       "section: increment a shared cache line; %u pauses outside "
	       "it.\n", cores, run_seconds, outside_pauses);
	printf("Load average before: %s", load_before);
	print_loadavg("after");
	printf("Ratios (x) are against pthread_spin_lock: cost for "
	       "uncontended, throughput for the thread columns.\n");
	printf("Threads columns: Mops/s (x) max/min handoffs%%.\n\n");
	printf("| lock | uncontended ns (x)");
	for (c = 0; c < NCOUNTS; c++)
		printf(" | %u thr Mops/s (x) | max/min | handoff %%",
		       thread_counts[c]);
	printf(" |\n|---|---");
	for (c = 0; c < NCOUNTS; c++)
		printf("|---|---|---");
	printf("|\n");
	for (k = 0; k < NKINDS; k++) {
		struct kind *p = &kinds[k];

		if (!enabled(p, extra))
			continue;
		printf("| %s | %.2f (%.2f)", p->name, p->ns, p->ns / ref->ns);
		for (c = 0; c < NCOUNTS; c++) {
			printf(" | %.2f (%.2f)", p->mops[c],
			       p->mops[c] / ref->mops[c]);
			print_fair(p->fair[c]);
			print_handoff(p, c);
		}
		printf(" |\n");
	}
	print_blocking(extra);

	c1 = count_index(1);
	c2 = count_index(2);
	c4 = count_index(4);
	if (!enabled(ours, extra) || c1 < 0 || c2 < 0 || c4 < 0) {
		printf("\nTotal time %.1f s\n", now() - t_start);
		return 0;
	}
	printf("\nGoals (issue 4) for uklock's spinlock:\n");
	printf("- uncontended cost within 1.2x of pthread_spin_lock: "
	       "%.2fx: %s\n", ours->ns / ref->ns,
	       met(ours->ns <= 1.2 * ref->ns));
	printf("- 2-thread throughput >= pthread_spin_lock's: %.2f vs %.2f "
	       "Mops/s: %s\n", ours->mops[c2], ref->mops[c2],
	       met(ours->mops[c2] >= ref->mops[c2]));
	printf("- 4 threads (on %ld CPUs) >= half the 2-thread throughput: "
	       "%.2f vs %.2f Mops/s: %s\n", cores, ours->mops[c4],
	       ours->mops[c2], met(ours->mops[c4] >= 0.5 * ours->mops[c2]));
	printf("- fairness max/min < 2 with 2 threads: %.2f: %s\n",
	       ours->fair[c2], met(ours->fair[c2] < 2));
	printf("\nTotal time %.1f s\n", now() - t_start);
	return 0;
}
