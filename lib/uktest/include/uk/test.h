/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest: unit tests that run inside the guest, with Unikraft's names.
 *
 *   uk_testsuite_register(mysuite, NULL);
 *   UK_TESTCASE(mysuite, adds_up) { UK_TEST_EXPECT_SNUM_EQ(1 + 1, 2); }
 *
 * Cases are collected in a linker section; uk_test_run_all() runs them.
 * Expectations never stop a case (as in Unikraft, UK_TEST_ASSERT* too);
 * UK_TEST_REQUIRE(cond) stops the case when cond is false.
 */
#ifndef __UK_TEST_H__
#define __UK_TEST_H__

#include <stdio.h>
#include <uk/essentials.h>

struct uk_testcase {
	const char *suite;
	const char *name;
	const char *lib;
	int line;		/* cases of a suite run in source order */
	void (*fn)(struct uk_testcase *esac);
	unsigned int checks;	/* expectations evaluated */
	unsigned int failed;	/* expectations that failed */
};

struct uk_testsuite {
	const char *name;
	/* Runs before the suite's cases; non-zero fails all of them. */
	int (*init)(struct uk_testsuite *suite);
};

/*
 * Runs every registered case whose library name (e.g. "libnolibc" or
 * "nolibc") equals lib_filter, or every case when lib_filter is NULL.
 * Prints one line per case and, last, "uktest: N passed, N failed".
 * Returns the number of failed cases. Call from one thread at a time.
 */
int uk_test_run_all(const char *lib_filter);

/*
 * Records one expectation of case esac. On failure prints "file:line: "
 * and the formatted message. Returns ok. Used by the macros below.
 */
int uk_test_check(struct uk_testcase *esac, int ok, const char *file,
		  int line, const char *fmt, ...) __printf(5, 6);

#ifndef __LIBNAME__
#define __LIBNAME__ app
#endif

#define UK_TESTCASE(tsuite, fname)					\
	static void __uktest_fn_##tsuite##_##fname(struct uk_testcase *); \
	static struct uk_testcase __uktest_case_##tsuite##_##fname = {	\
		.suite = #tsuite, .name = #fname,			\
		.lib = STRINGIFY(__LIBNAME__), .line = __LINE__,	\
		.fn = __uktest_fn_##tsuite##_##fname,			\
	};								\
	static struct uk_testcase *__uktest_ptr_##tsuite##_##fname	\
		__section(".uk_testtab") __used =			\
		&__uktest_case_##tsuite##_##fname;			\
	static void __uktest_fn_##tsuite##_##fname(			\
		struct uk_testcase *esac __unused)

#define UK_TESTCASE_DESC(tsuite, fname, desc) UK_TESTCASE(tsuite, fname)

#define uk_testsuite_register(tsuite, initfn)				\
	static struct uk_testsuite __uktest_suite_##tsuite = {		\
		.name = #tsuite, .init = (initfn),			\
	};								\
	static struct uk_testsuite *__uktest_suiteptr_##tsuite		\
		__section(".uk_testsuites") __used = &__uktest_suite_##tsuite

#define uk_testsuite_prio(tsuite, initfn, prio) \
	uk_testsuite_register(tsuite, initfn)

/*
 * Unikraft runs a suite registered with these at that stage of the boot
 * (an init class, or with the constructors). Here every suite runs when
 * uk_test_run_all() is called (apps/uktest: from main(), on a booted
 * system), so they all register the suite as above; class and prio only
 * have to be valid.
 */
#define UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, class, prio)	\
	_Static_assert((class) >= 1 && (class) <= 6 &&			\
		       (prio) >= 0 && (prio) <= 9,			\
		       "uktest: init class 1-6, priority 0-9");		\
	uk_testsuite_register(tsuite, initfn)
#define UK_TESTSUITE_AT_CTORCALL_PRIO(tsuite, initfn, prio)		\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 1, prio)
#define uk_testsuite_early_prio(tsuite, initfn, prio)			\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 1, prio)
#define uk_testsuite_plat_prio(tsuite, initfn, prio)			\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 2, prio)
#define uk_testsuite_lib_prio(tsuite, initfn, prio)			\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 3, prio)
#define uk_testsuite_rootfs_prio(tsuite, initfn, prio)			\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 4, prio)
#define uk_testsuite_sys_prio(tsuite, initfn, prio)			\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 5, prio)
#define uk_testsuite_late_prio(tsuite, initfn, prio)			\
	UK_TESTSUITE_AT_INITCALL_PRIO(tsuite, initfn, 6, prio)

/* Prints a tab and the message among the test output (Unikraft's). */
#define uk_test_printf(fmt, ...)	printf("\t" fmt, ##__VA_ARGS__)

#define __UK_TEST_AT __FILE__, __LINE__

#define UK_TEST_EXPECT(cond)						\
	uk_test_check(esac, !!(cond), __UK_TEST_AT,			\
		      "expected `%s` to be true", #cond)
#define UK_TEST_ASSERT(cond) UK_TEST_EXPECT(cond)
#define UK_TEST_ASSERTF(cond, fmt, ...)					\
	uk_test_check(esac, !!(cond), __UK_TEST_AT, fmt, ##__VA_ARGS__)
#define UK_TEST_EXPECTF UK_TEST_ASSERTF
#define UK_TEST_REQUIRE(cond)						\
	do {								\
		if (!UK_TEST_EXPECT(cond))				\
			return;						\
	} while (0)

#define UK_TEST_EXPECT_NULL(p)						\
	do {								\
		const void *__p = (const void *)(p);			\
		uk_test_check(esac, __p == NULL, __UK_TEST_AT,		\
			      "expected `%s` to be NULL, was %p", #p, __p); \
	} while (0)
#define UK_TEST_EXPECT_NOT_NULL(p)					\
	uk_test_check(esac, (const void *)(p) != NULL, __UK_TEST_AT,	\
		      "expected `%s` not to be NULL", #p)
#define UK_TEST_EXPECT_PTR_EQ(a, b)					\
	do {								\
		const void *__a = (const void *)(a);			\
		const void *__b = (const void *)(b);			\
		uk_test_check(esac, __a == __b, __UK_TEST_AT,		\
			      "expected `%s` == `%s`: %p != %p",	\
			      #a, #b, __a, __b);			\
	} while (0)
#define UK_TEST_EXPECT_BYTES_EQ(a, b, size)				\
	uk_test_check(esac, __builtin_memcmp((a), (b), (size)) == 0,	\
		      __UK_TEST_AT, "expected the %lu bytes at `%s` and `%s`" \
		      " to be equal", (unsigned long)(size), #a, #b)

#define __UK_TEST_SNUM(a, b, op)					\
	do {								\
		long __a = (long)(a), __b = (long)(b);			\
		uk_test_check(esac, __a op __b, __UK_TEST_AT,		\
			      "expected `%s` " #op " `%s`: %ld vs %ld",	\
			      #a, #b, __a, __b);			\
	} while (0)
#define __UK_TEST_UNUM(a, b, op)					\
	do {								\
		unsigned long __a = (unsigned long)(a);			\
		unsigned long __b = (unsigned long)(b);			\
		uk_test_check(esac, __a op __b, __UK_TEST_AT,		\
			      "expected `%s` " #op " `%s`: %lu vs %lu",	\
			      #a, #b, __a, __b);			\
	} while (0)

#define UK_TEST_EXPECT_ZERO(a)		__UK_TEST_SNUM(a, 0, ==)
#define UK_TEST_EXPECT_NOT_ZERO(a)	__UK_TEST_SNUM(a, 0, !=)
#define UK_TEST_EXPECT_SNUM_EQ(a, b)	__UK_TEST_SNUM(a, b, ==)
#define UK_TEST_EXPECT_SNUM_NQ(a, b)	__UK_TEST_SNUM(a, b, !=)
#define UK_TEST_EXPECT_SNUM_GT(a, b)	__UK_TEST_SNUM(a, b, >)
#define UK_TEST_EXPECT_SNUM_GE(a, b)	__UK_TEST_SNUM(a, b, >=)
#define UK_TEST_EXPECT_SNUM_LT(a, b)	__UK_TEST_SNUM(a, b, <)
#define UK_TEST_EXPECT_SNUM_LE(a, b)	__UK_TEST_SNUM(a, b, <=)
#define UK_TEST_EXPECT_UNUM_EQ(a, b)	__UK_TEST_UNUM(a, b, ==)
#define UK_TEST_EXPECT_UNUM_GE(a, b)	__UK_TEST_UNUM(a, b, >=)
#define UK_TEST_EXPECT_UNUM_LE(a, b)	__UK_TEST_UNUM(a, b, <=)

#endif /* __UK_TEST_H__ */
