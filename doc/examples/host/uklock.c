/*
 * uklock in a plain Linux program (doc/host-libraries.md): pthreads share
 * a counter under a uk_spinlock and another under a uk_mutex, pass items
 * through a ring bounded by two uk_semaphores, and read a record that a
 * writer changes under a uk_rwlock. Every result is checked against what
 * the threads did; the exit status is 0 only if all of them hold.
 *
 *   make host-lib LIB=uklock
 *   gcc -I build/host-lib/uklock/host-include -I build/host-lib/uklock/include \
 *       -include uk/config.h doc/examples/host/uklock.c \
 *       build/host-lib/uklock/lib/libuklock.a -pthread -o uklock-example
 */
#include <stdio.h>

#include <uk/mutex.h>
#include <uk/rwlock.h>
#include <uk/semaphore.h>
#include <uk/spinlock.h>

#include "threads.h"

#define THREADS		4
#define SPIN_ROUNDS	50000
#define MUTEX_ROUNDS	20000
#define ITEMS		2000	/* per producer */
#define RING		8
#define RECORD_WRITES	2000

static struct uk_spinlock spin = UK_SPINLOCK_INITIALIZER();
static unsigned long spin_count;	/* under spin */

static struct uk_mutex mutex = UK_MUTEX_INITIALIZER(mutex);
static unsigned long mutex_count;	/* under mutex */

/* The ring: `slots` counts free places, `items` filled ones; ring_lock
 * protects ring[], ring_in and ring_out. */
static struct uk_semaphore slots, items;
static struct uk_spinlock ring_lock = UK_SPINLOCK_INITIALIZER();
static unsigned long ring[RING];
static unsigned int ring_in, ring_out;
static unsigned long consumed_sum[THREADS / 2];

/* The record: a == b whenever nobody holds `rw` for writing. */
static struct uk_rwlock rw;
static unsigned long rec_a, rec_b;
static unsigned long torn;	/* reads that saw a != b; atomic */

static void ring_put(unsigned long v)
{
	uk_semaphore_down(&slots);
	uk_spin_lock(&ring_lock);
	ring[ring_in++ % RING] = v;
	uk_spin_unlock(&ring_lock);
	uk_semaphore_up(&items);
}

static unsigned long ring_get(void)
{
	unsigned long v;

	uk_semaphore_down(&items);
	uk_spin_lock(&ring_lock);
	v = ring[ring_out++ % RING];
	uk_spin_unlock(&ring_lock);
	uk_semaphore_up(&slots);
	return v;
}

static void read_record(void)
{
	uk_rwlock_rlock(&rw);
	if (rec_a != rec_b)	/* Relaxed: a count, read after the joins. */
		__atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED);
	uk_rwlock_runlock(&rw);
}

/* Thread id: even ids produce, odd ones consume; id 0 writes the record. */
static void worker(unsigned int id)
{
	unsigned long i;

	for (i = 0; i < SPIN_ROUNDS; i++) {
		uk_spin_lock(&spin);
		spin_count++;
		uk_spin_unlock(&spin);
	}
	for (i = 0; i < MUTEX_ROUNDS; i++) {
		uk_mutex_lock(&mutex);
		mutex_count++;
		uk_mutex_unlock(&mutex);
	}
	for (i = 1; i <= ITEMS; i++) {
		if (id % 2 == 0)
			ring_put(i);
		else
			consumed_sum[id / 2] += ring_get();
	}
	for (i = 0; i < RECORD_WRITES; i++) {
		if (id != 0) {
			read_record();
			continue;
		}
		uk_rwlock_wlock(&rw);
		rec_a++;
		rec_b = rec_a;
		uk_rwlock_wunlock(&rw);
	}
}

static int check(const char *what, unsigned long got, unsigned long want)
{
	printf("%s: %lu (expected %lu)\n", what, got, want);
	return got == want;
}

int main(void)
{
	unsigned long i, sum = 0;
	int ok = 1;

	uk_semaphore_init(&slots, RING);
	uk_semaphore_init(&items, 0);
	uk_rwlock_init(&rw);
	if (run_threads(THREADS, worker))
		return 2;

	for (i = 0; i < THREADS / 2; i++)
		sum += consumed_sum[i];
	ok &= check("spinlock counter", spin_count,
		    (unsigned long)THREADS * SPIN_ROUNDS);
	ok &= check("mutex counter", mutex_count,
		    (unsigned long)THREADS * MUTEX_ROUNDS);
	ok &= check("semaphore ring, sum of items",
		    sum, THREADS / 2 * (unsigned long)ITEMS * (ITEMS + 1) / 2);
	ok &= check("rwlock record writes", rec_a, RECORD_WRITES);
	ok &= check("rwlock torn reads", torn, 0);
	printf("uklock example: %s\n", ok ? "OK" : "FAILED");
	return ok ? 0 : 1;
}
