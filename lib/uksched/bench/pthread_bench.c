/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host-side reference for apps/schedbench: the same three measurements
 * with pthreads: sched_yield ping-pong of two threads pinned to one core,
 * condition-variable ping-pong between two cores, pthread_create+join.
 * Build: gcc -O2 -pthread -o /tmp/pthread_bench lib/uksched/bench/pthread_bench.c
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned long iters, turn;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv[2] = { PTHREAD_COND_INITIALIZER,
				PTHREAD_COND_INITIALIZER };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void pin(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	pthread_setaffinity_np(pthread_self(), sizeof(s), &s);
}

static void *yielder(void *arg)
{
	(void)arg;
	pin(0);
	for (unsigned long i = 0; i < iters; i++)
		sched_yield();
	return NULL;
}

static void *pong(void *arg)
{
	unsigned long side = (unsigned long)arg;

	pin((int)side);
	for (unsigned long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		while (turn % 2 != side)
			pthread_cond_wait(&cv[side], &m);
		turn++;
		pthread_cond_signal(&cv[!side]);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

static void row(const char *what, unsigned long n, double t)
{
	printf("%-40s %8lu %12.0f\n", what, n, t / n);
}

int main(int argc, char *argv[])
{
	pthread_t a, b;
	double t0;

	iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 20000;
	printf("%-40s %8s %12s\n", "operation (host pthreads)", "count", "ns/op");
	t0 = now_ns();
	pthread_create(&a, NULL, yielder, NULL);
	pthread_create(&b, NULL, yielder, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	row("sched_yield, 2 threads on one core", 2 * iters, now_ns() - t0);
	t0 = now_ns();
	pthread_create(&a, NULL, pong, (void *)0);
	pthread_create(&b, NULL, pong, (void *)1);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	row("condvar wake-up core 0 <-> core 1", 2 * iters, now_ns() - t0);
	t0 = now_ns();
	for (unsigned long i = 0; i < iters / 10; i++) {
		pthread_create(&a, NULL, nothing, NULL);
		pthread_join(a, NULL);
	}
	row("pthread_create + join", iters / 10, now_ns() - t0);
	return 0;
}
