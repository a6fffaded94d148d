/* SPDX-License-Identifier: BSD-3-Clause */
/* uktest runner: walks the linker-section tables, runs cases, counts, reports. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <uk/test.h>

extern struct uk_testcase *__uk_testtab_start[], *__uk_testtab_end[];
extern struct uk_testsuite *__uk_testsuites_start[], *__uk_testsuites_end[];

int uk_test_check(struct uk_testcase *esac, int ok, const char *file,
		  int line, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	esac->checks++;
	if (ok)
		return 1;
	esac->failed++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("    %s:%d: %s\n", file, line, msg);
	return 0;
}

/* "libfoo" and "foo" both select library libfoo. */
static int lib_matches(const char *lib, const char *filter)
{
	if (!filter)
		return 1;
	if (!strcmp(lib, filter))
		return 1;
	return !strncmp(lib, "lib", 3) && !strcmp(lib + 3, filter);
}

static struct uk_testsuite *suite_find(const char *name)
{
	struct uk_testsuite **s;

	for (s = __uk_testsuites_start; s < __uk_testsuites_end; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

/* True when an earlier case already belonged to this case's suite. */
static int suite_seen_before(struct uk_testcase **tc)
{
	struct uk_testcase **p;

	for (p = __uk_testtab_start; p < tc; p++)
		if (!strcmp((*p)->suite, (*tc)->suite))
			return 1;
	return 0;
}

static int run_case(struct uk_testcase *tc, int init_rc)
{
	tc->checks = tc->failed = 0;
	if (init_rc) {
		printf("[ FAILED ] %s.%s: suite init returned %d\n", tc->suite,
		       tc->name, init_rc);
		return 1;
	}
	tc->fn(tc);
	if (!tc->checks) {
		printf("[ FAILED ] %s.%s: checked nothing\n", tc->suite,
		       tc->name);
		return 1;
	}
	if (tc->failed) {
		printf("[ FAILED ] %s.%s (%u of %u checks failed)\n", tc->suite,
		       tc->name, tc->failed, tc->checks);
		return 1;
	}
	printf("[ PASSED ] %s.%s (%u checks)\n", tc->suite, tc->name,
	       tc->checks);
	return 0;
}

/*
 * Next case of first's suite after (line, tc) in source order, or NULL.
 * Pointers in the section come in whatever order the compiler emitted them.
 */
static struct uk_testcase **next_case(struct uk_testcase **first,
				       struct uk_testcase **cur,
				       const char *filter)
{
	struct uk_testcase **tc, **best = NULL;

	for (tc = first; tc < __uk_testtab_end; tc++) {
		if (strcmp((*tc)->suite, (*first)->suite)
		    || !lib_matches((*tc)->lib, filter))
			continue;
		if (cur && ((*tc)->line < (*cur)->line
			    || ((*tc)->line == (*cur)->line && tc <= cur)))
			continue;
		if (!best || (*tc)->line < (*best)->line)
			best = tc;
	}
	return best;
}

/* Runs all selected cases of the suite that first opens. */
static void run_suite(struct uk_testcase **first, const char *filter,
		      unsigned int *passed, unsigned int *failed)
{
	struct uk_testsuite *suite = suite_find((*first)->suite);
	struct uk_testcase **tc = NULL;
	int init_rc = 0;

	if (suite && suite->init)
		init_rc = suite->init(suite);
	while ((tc = next_case(first, tc, filter))) {
		if (run_case(*tc, init_rc))
			(*failed)++;
		else
			(*passed)++;
	}
}

int uk_test_run_all(const char *lib_filter)
{
	unsigned int passed = 0, failed = 0;
	struct uk_testcase **tc;

	for (tc = __uk_testtab_start; tc < __uk_testtab_end; tc++) {
		if (!lib_matches((*tc)->lib, lib_filter)
		    || suite_seen_before(tc))
			continue;
		run_suite(tc, lib_filter, &passed, &failed);
	}
	if (lib_filter && !passed && !failed)
		printf("uktest: no test cases for library %s\n", lib_filter);
	printf("uktest: %u passed, %u failed\n", passed, failed);
	return (int)failed;
}
