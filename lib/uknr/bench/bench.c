/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr host benchmark (a program, not a test): throughput of a u64 -> u64
 * hash map under 0 %, 10 % and 100 % writes with 1, 2 and 4 threads, for
 * the same sequential map (lib/uknr/examples/hashmap.c) made concurrent
 * in these ways, side by side in one run:
 *
 *   spinlock  behind one uk_spinlock (lib/uklock)
 *   rwlock    behind one pthread_rwlock (reads shared)
 *   NR        node replication, default placement (one replica per NUMA
 *             node of this host)
 *   NR-2      node replication with 2 replicas (threads alternate)
 *   CNR-n     concurrent node replication (uk/cnr_hashmap.h: the map
 *             partitioned by key over n logs, n = 1, 2, 4), default
 *             placement; len is not measured (no scans)
 *
 *   bench [-t S] [-r REPEATS] [-k KEYS] [-n LIST] [-w LIST] [-m LIST] [-p]
 *
 * -t  seconds per measurement (default 0.3); -r  repeats (default 5): the
 * methods are measured interleaved, one run each per repeat, so that load
 * from other programs hits them alike, and the best run of each is shown
 * (the least disturbed one) with ratios of the bests; -k  key range
 * (default 65536; the map is prefilled with every other key and holds up
 * to the whole range);
 * -n  thread counts (default 1,2,4); -w  write percentages (default
 * 0,10,100); -m  methods by name (default all; the others print "-", and
 * so do ratios with a missing side). One method and one mix per run is
 * what instruction counts need (valgrind --tool=callgrind
 * --toggle-collect=worker_main: doc/data/uknr/cnr-read-path.md).
 * Writes are half puts, half removes of uniform keys, so the map stays
 * about half full; reads are gets. Threads are not pinned; with -p
 * worker i runs only on online CPU i mod n (two threads on two cores
 * really run in parallel unless other programs take the cores). Output: a
 * Markdown table in Mops/s, ratios, then the goals of issues 7 and 22.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/cnr_hashmap.h>
#include <uk/spinlock.h>

#define MAX_THREADS 16
#define MAX_REPEATS 64
#define LINE 64

enum kind { K_SPIN, K_RW, K_NR, K_NR2, K_CNR1, K_CNR2, K_CNR4, K_COUNT };
static const char *kind_name[K_COUNT] = { "spinlock", "rwlock", "NR", "NR-2",
					  "CNR-1", "CNR-2", "CNR-4" };
#define NRATIOS 5

static double run_seconds = 0.3;
static unsigned int repeats = 5;
static __u64 keys = 65536;
static unsigned int tcounts[8] = { 1, 2, 4 };
static unsigned int ntcounts = 3;
static unsigned int wmixes[8] = { 0, 10, 100 };
static unsigned int nwmixes = 3;
static int method_on[K_COUNT] = { 1, 1, 1, 1, 1, 1, 1 };
static int pin;

static struct uk_spinlock spin;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static struct uk_nr_hashmap *plain;	/* the map behind spin or rw */
static struct uk_nr *nr;
static struct uk_nr_token tokens[MAX_THREADS];
static struct uk_cnr *cnr;
static struct uk_cnr_token ctokens[MAX_THREADS];

static int is_cnr(enum kind k)
{
	return k == K_CNR1 || k == K_CNR2 || k == K_CNR4;
}

static struct {
	int go, stop;
} __attribute__((aligned(LINE))) flags;

static struct {
	unsigned long ops;
} __attribute__((aligned(LINE))) counts[MAX_THREADS];

struct worker {
	enum kind kind;
	unsigned int id;
	unsigned int write_pct;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static __u64 rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void one_op(enum kind k, unsigned int id, __u64 r, unsigned int wpct)
{
	struct uk_nr_hashmap_op op;
	struct uk_nr_hashmap_resp resp;
	__u64 key = (r >> 8) % keys, v;
	int write = (r & 0x7f) % 100 < wpct;

	switch (k) {
	case K_SPIN:
		uk_spin_lock(&spin);
		if (!write)
			uk_nr_hashmap_get(plain, key, &v);
		else if (r & 0x80)
			uk_nr_hashmap_put(plain, key, r, NULL);
		else
			uk_nr_hashmap_remove(plain, key, NULL);
		uk_spin_unlock(&spin);
		break;
	case K_RW:
		if (!write) {
			pthread_rwlock_rdlock(&rw);
			uk_nr_hashmap_get(plain, key, &v);
		} else {
			pthread_rwlock_wrlock(&rw);
			if (r & 0x80)
				uk_nr_hashmap_put(plain, key, r, NULL);
			else
				uk_nr_hashmap_remove(plain, key, NULL);
		}
		pthread_rwlock_unlock(&rw);
		break;
	default:
		op.key = key;
		op.val = r;
		op.code = !write ? UK_NR_HM_GET
				 : r & 0x80 ? UK_NR_HM_PUT : UK_NR_HM_REMOVE;
		if (is_cnr(k) && write)
			uk_cnr_execute_mut(cnr, ctokens[id], &op, &resp);
		else if (is_cnr(k))
			uk_cnr_execute(cnr, ctokens[id], &op, &resp);
		else if (write)
			uk_nr_execute_mut(nr, tokens[id], &op, &resp);
		else
			uk_nr_execute(nr, tokens[id], &op, &resp);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	__u64 s = 0x1234567ULL * (w->id + 1);
	unsigned long n = 0;
	cpu_set_t set;
	int i;

	if (pin) {
		CPU_ZERO(&set);
		CPU_SET(w->id % sysconf(_SC_NPROCESSORS_ONLN), &set);
		if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
			fprintf(stderr, "bench: cannot pin worker %u\n", w->id);
			exit(1);
		}
	}
	while (!__atomic_load_n(&flags.go, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	while (!__atomic_load_n(&flags.stop, __ATOMIC_RELAXED)) {
		for (i = 0; i < 64; i++)
			one_op(w->kind, w->id, rnd(&s), w->write_pct);
		n += 64;
	}
	counts[w->id].ops = n;
	return NULL;
}

/* setup() of the CNR map with 1, 2 or 4 logs. Each partition holds up to
 * keys / logs keys: the same table memory as the other methods' map; the
 * map stays about half full, so puts do not fail. */
static int setup_cnr(enum kind k, unsigned int threads)
{
	struct uk_cnr_config cfg = { 0 };
	struct uk_nr_hashmap_op op = { .code = UK_NR_HM_PUT };
	struct uk_nr_hashmap_resp resp;
	unsigned int i;
	__u64 key, cap;

	cfg.logs = k == K_CNR1 ? 1 : k == K_CNR2 ? 2 : 4;
	cap = keys / cfg.logs ? keys / cfg.logs : 1;
	cfg.nr.threads_per_replica = MAX_THREADS;
	if (uk_cnr_create(&cnr, &uk_cnr_hashmap_ops, &cap, &cfg))
		return -ENOMEM;
	for (i = 0; i < threads; i++)
		if (uk_cnr_register(cnr, i % uk_cnr_replicas(cnr),
				    &ctokens[i]))
			return -ENOSPC;
	for (key = 0; key < keys; key += 2) {
		op.key = key;
		op.val = key;
		uk_cnr_execute_mut(cnr, ctokens[0], &op, &resp);
	}
	return 0;
}

/* Prefills every other key, through the method under test. */
static int setup(enum kind k, unsigned int threads)
{
	struct uk_nr_config cfg = { 0 };
	struct uk_nr_hashmap_op op = { .code = UK_NR_HM_PUT };
	struct uk_nr_hashmap_resp resp;
	unsigned int i;
	__u64 key;

	if (k == K_SPIN || k == K_RW) {
		plain = uk_nr_hashmap_create(keys);
		if (!plain)
			return -ENOMEM;
		for (key = 0; key < keys; key += 2)
			uk_nr_hashmap_put(plain, key, key, NULL);
		return 0;
	}
	if (is_cnr(k))
		return setup_cnr(k, threads);
	cfg.replicas = k == K_NR2 ? 2 : 0;
	cfg.threads_per_replica = MAX_THREADS;
	if (uk_nr_create(&nr, &uk_nr_hashmap_ops, &keys, &cfg))
		return -ENOMEM;
	for (i = 0; i < threads; i++)
		if (uk_nr_register(nr, i % uk_nr_replicas(nr), &tokens[i]))
			return -ENOSPC;
	for (key = 0; key < keys; key += 2) {
		op.key = key;
		op.val = key;
		uk_nr_execute_mut(nr, tokens[0], &op, &resp);
	}
	return 0;
}

static void teardown(enum kind k)
{
	if (k == K_SPIN || k == K_RW) {
		uk_nr_hashmap_destroy(plain);
		plain = NULL;
	} else if (is_cnr(k)) {
		uk_cnr_destroy(cnr);
		cnr = NULL;
	} else {
		uk_nr_destroy(nr);
		nr = NULL;
	}
}

/* One timed run: Mops/s. */
static double measure(enum kind k, unsigned int threads, unsigned int wpct)
{
	pthread_t th[MAX_THREADS];
	struct worker w[MAX_THREADS];
	unsigned long total = 0;
	unsigned int i;
	double t0, t1;

	if (setup(k, threads)) {
		fprintf(stderr, "bench: setup of %s failed\n", kind_name[k]);
		exit(1);
	}
	flags.go = 0;
	flags.stop = 0;
	for (i = 0; i < threads; i++) {
		w[i] = (struct worker){ k, i, wpct };
		pthread_create(&th[i], NULL, worker_main, &w[i]);
	}
	t0 = now();
	__atomic_store_n(&flags.go, 1, __ATOMIC_RELEASE);
	while (now() - t0 < run_seconds)
		usleep(1000);
	__atomic_store_n(&flags.stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += counts[i].ops;
	}
	t1 = now();
	teardown(k);
	return (double)total / (t1 - t0) / 1e6;
}

/* a / b, or 0 (printed "-") when a method was not measured. */
static double ratio_of(double a, double b)
{
	return a > 0 && b > 0 ? a / b : 0;
}

/*
 * One row: the methods measured interleaved, `repeats` runs each; out[k] is
 * the best run of method k (the one least disturbed by other programs on a
 * shared host; 0: not measured), ratio[0..4] NR/spinlock, NR/rwlock,
 * NR-2/rwlock, CNR-2/NR, CNR-4/NR of the bests.
 */
static void row(unsigned int threads, unsigned int wpct, double *out,
		double *ratio)
{
	unsigned int i, k;
	double v;

	for (k = 0; k < K_COUNT; k++)
		out[k] = 0;
	for (i = 0; i < repeats; i++)
		for (k = 0; k < K_COUNT; k++) {
			if (!method_on[k])
				continue;
			v = measure(k, threads, wpct);
			if (v > out[k])
				out[k] = v;
		}
	ratio[0] = ratio_of(out[K_NR], out[K_SPIN]);
	ratio[1] = ratio_of(out[K_NR], out[K_RW]);
	ratio[2] = ratio_of(out[K_NR2], out[K_RW]);
	ratio[3] = ratio_of(out[K_CNR2], out[K_NR]);
	ratio[4] = ratio_of(out[K_CNR4], out[K_NR]);
}

/* A comma-separated list of numbers into out[0..7]; 0 if it is empty. */
static unsigned int parse_list(char *s, unsigned int *out)
{
	unsigned int n = 0;
	char *tok;

	for (tok = strtok(s, ","); tok && n < 8; tok = strtok(NULL, ","))
		out[n++] = (unsigned int)atoi(tok);
	return n;
}

/* A comma-separated list of method names; 0 if one is unknown. */
static int parse_methods(char *s)
{
	unsigned int k;
	char *tok;

	for (k = 0; k < K_COUNT; k++)
		method_on[k] = 0;
	for (tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
		for (k = 0; k < K_COUNT; k++)
			if (!strcmp(tok, kind_name[k]))
				break;
		if (k == K_COUNT)
			return 0;
		method_on[k] = 1;
	}
	return 1;
}

/* One cell: " v |", or " - |" for a method or ratio not measured. */
static void cell(double v)
{
	if (v > 0)
		printf(" %.2f |", v);
	else
		printf(" - |");
}

/* One goal line: `what` = v against the bound; skipped if v is missing. */
static void goal(const char *what, double v, double bound, int at_most)
{
	if (!(v > 0))
		return;
	printf("goal: %s = %.2f (%s %.1f): %s\n", what, v,
	       at_most ? "<=" : ">=", bound,
	       (at_most ? v <= bound : v >= bound) ? "met" : "NOT met");
}

/* 1 / v, or 0 (missing) when v is missing. */
static double inv(double v)
{
	return v > 0 ? 1 / v : 0;
}

static void print_goals(double rat[8][8][NRATIOS])
{
	unsigned int m, t, w;
	char what[64];

	for (t = 0; t < ntcounts; t++)
		for (m = 0; m < nwmixes; m++) {
			w = wmixes[m];
			if (tcounts[t] == 1 && (w == 0 || w == 10 || w == 100)) {
				snprintf(what, sizeof(what), "1 thread, %u %% "
					 "writes: spinlock/NR", w);
				goal(what, inv(rat[m][t][0]), 1.5, 1);
				snprintf(what, sizeof(what), "1 thread, %u %% "
					 "writes: NR/CNR-2", w);
				goal(what, inv(rat[m][t][3]), 1.2, 1);
			}
			if (tcounts[t] == 2 && w == 10)
				goal("2 threads, 10 % writes: NR/rwlock",
				     rat[m][t][1], 1, 0);
			if (tcounts[t] == 2 && w == 100)
				goal("2 threads, 100 % writes: CNR-2/NR",
				     rat[m][t][3], 1.3, 0);
		}
}

int main(int argc, char **argv)
{
	double res[K_COUNT], rat[8][8][NRATIOS];
	unsigned int m, t, k;
	int c;

	while ((c = getopt(argc, argv, "t:r:k:n:w:m:p")) != -1) {
		switch (c) {
		case 't': run_seconds = atof(optarg); break;
		case 'r': repeats = (unsigned int)atoi(optarg); break;
		case 'k': keys = strtoull(optarg, NULL, 0); break;
		case 'n': ntcounts = parse_list(optarg, tcounts); break;
		case 'w': nwmixes = parse_list(optarg, wmixes); break;
		case 'p': pin = 1; break;
		case 'm':
			if (parse_methods(optarg))
				break;
			/* fall through */
		default:
			fprintf(stderr, "usage: bench [-t s] [-r n] [-k keys] "
				"[-n 1,2,4] [-w 0,10,100] [-m NR,CNR-2,...] "
				"[-p]\n");
			return 2;
		}
	}
	if (!repeats || repeats > MAX_REPEATS || !ntcounts || !nwmixes ||
	    !keys)
		return 2;
	for (t = 0; t < ntcounts; t++)
		if (!tcounts[t] || tcounts[t] > MAX_THREADS)
			return 2;
	for (m = 0; m < nwmixes; m++)
		if (wmixes[m] > 100)
			return 2;
	printf("uknr hash map, %llu keys (half present), %.2f s x %u runs "
	       "(interleaved, best), %ld online CPUs, NR default "
	       "replicas: %u, threads %s\n\n", (unsigned long long)keys,
	       run_seconds, repeats, sysconf(_SC_NPROCESSORS_ONLN),
	       uk_nr_default_replicas(), pin ? "pinned" : "not pinned");
	printf("| writes | threads | spinlock | rwlock | NR | NR-2 | CNR-1 | "
	       "CNR-2 | CNR-4 | NR/spinlock | NR/rwlock | NR-2/rwlock | "
	       "CNR-2/NR | CNR-4/NR |\n");
	printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
	       "|---:|---:|\n");
	for (m = 0; m < nwmixes; m++)
		for (t = 0; t < ntcounts; t++) {
			row(tcounts[t], wmixes[m], res, rat[m][t]);
			printf("| %u %% | %u |", wmixes[m], tcounts[t]);
			for (k = 0; k < K_COUNT; k++)
				cell(res[k]);
			for (k = 0; k < NRATIOS; k++)
				cell(rat[m][t][k]);
			printf("\n");
			fflush(stdout);
		}
	printf("\n(Mops/s, best of %u runs; ratios > 1: NR faster)\n\n",
	       repeats);
	print_goals(rat);
	return 0;
}
