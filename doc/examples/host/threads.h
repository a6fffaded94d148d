/*
 * The one helper the host examples share (doc/host-libraries.md): runs
 * fn(0), ..., fn(n - 1) on n pthreads, each thread being "CPU" id + 1 for
 * the libraries (the calling thread is CPU 0), and waits for all of them.
 */
#ifndef EXAMPLES_HOST_THREADS_H
#define EXAMPLES_HOST_THREADS_H

#include <pthread.h>
#include <stdio.h>

#include <uk/plat/lcpu.h>

#define EXAMPLE_MAX_THREADS 16

struct example_thread {
	pthread_t t;
	unsigned int id;
	void (*fn)(unsigned int id);
};

static void *example_thread_main(void *arg)
{
	struct example_thread *e = arg;

	/* Its own index, so no two running threads share a "CPU". */
	ukplat_host_lcpu_set_idx(e->id + 1);
	e->fn(e->id);
	return NULL;
}

/* Returns 0, or -1 (with a message) when n is too large or a thread could
 * not be started; the threads started until then are still waited for. */
static int run_threads(unsigned int n, void (*fn)(unsigned int id))
{
	struct example_thread th[EXAMPLE_MAX_THREADS];
	unsigned int i, started;
	int rc = 0;

	if (n > EXAMPLE_MAX_THREADS) {
		fprintf(stderr, "run_threads: at most %d threads\n",
			EXAMPLE_MAX_THREADS);
		return -1;
	}
	ukplat_host_lcpu_set_idx(0);
	for (started = 0; started < n; started++) {
		th[started].id = started;
		th[started].fn = fn;
		if (pthread_create(&th[started].t, NULL, example_thread_main,
				   &th[started])) {
			perror("pthread_create");
			rc = -1;
			break;
		}
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i].t, NULL);
	return rc;
}

#endif /* EXAMPLES_HOST_THREADS_H */
