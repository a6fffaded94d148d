/* counter's uktest suite: count_add() on one CPU and on all of them. */
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include <uk/test.h>
#include "count.h"

uk_testsuite_register(counter, NULL);

UK_TESTCASE(counter, adds_rounds)
{
	struct count c = { .value = 5 };

	uk_mutex_init(&c.lock);
	count_add(&c, 10);
	UK_TEST_EXPECT_SNUM_EQ(c.value, 15);
}

static struct count shared;

static void add_100(void *arg __unused)
{
	count_add(&shared, 100);
}

UK_TESTCASE(counter, every_cpu_adds)
{
	struct uk_thread *t[2];
	unsigned int i, n = ukplat_lcpu_count() < 2 ? 1 : 2;

	uk_mutex_init(&shared.lock);
	for (i = 0; i < n; i++) {
		t[i] = uk_sched_thread_create_on(i, add_100, NULL, "add");
		UK_TEST_REQUIRE(t[i] != NULL);
	}
	for (i = 0; i < n; i++)
		uk_thread_join(t[i]);
	UK_TEST_EXPECT_SNUM_EQ(shared.value, 100 * n);
}
