/* counter: one thread per CPU adds to a shared counter; prints the total. */
#include <stdio.h>
#include <string.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#if CONFIG_APPCOUNTER_TEST
#include <uk/test.h>
#endif
#include "count.h"

#define MAX_CPUS 64

static struct count total;

static void worker(void *arg __unused)
{
	count_add(&total, CONFIG_APPCOUNTER_ROUNDS);
}

int main(int argc, char *argv[])
{
	struct uk_thread *t[MAX_CPUS];
	unsigned int cpu, n = ukplat_lcpu_count();

#if CONFIG_APPCOUNTER_TEST
	if (argc > 1 && !strcmp(argv[1], "test"))
		return uk_test_run_all("appcounter") ? 1 : 0;
#else
	(void)argc;
	(void)argv;
#endif
	uk_mutex_init(&total.lock);
	if (n > MAX_CPUS)
		n = MAX_CPUS;
	for (cpu = 0; cpu < n; cpu++) {
		t[cpu] = uk_sched_thread_create_on(cpu, worker, NULL, "worker");
		if (!t[cpu])
			return 1;
	}
	for (cpu = 0; cpu < n; cpu++)
		uk_thread_join(t[cpu]);
	printf("%u threads x %d = %lu\n", n, CONFIG_APPCOUNTER_ROUNDS,
	       total.value);
	return total.value == (unsigned long)n * CONFIG_APPCOUNTER_ROUNDS ? 0 : 1;
}
