/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest app with newlib: runs the enabled test suites and exits non-zero
 * on failure, as apps/uktest does.
 * Command line: [uktest.lib=<library>] restricts the run to one library.
 * newlib.exit=N or newlib.return=N runs no suite and checks newlib's exit
 * path instead: an atexit handler and a fully buffered stdout, then
 * exit(N) from a nested call or return N from main(). The guest's status
 * must be N and the console must hold both lines (support/scripts/run-tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/test.h>

#define LIB_ARG "uktest.lib="
#define EXIT_ARG "newlib.exit="
#define RETURN_ARG "newlib.return="

static int exit_status;

/* Runs inside exit(), before stdio is flushed: its line is buffered too. */
static void exit_handler(void)
{
	printf("newlib-exit: atexit handler ran, status %d\n", exit_status);
}

/*
 * Nothing reaches the console before exit(): stdout is fully buffered and
 * the lines are short, so a missing flush loses both lines.
 */
static int exit_prepare(const char *arg, const char *how)
{
	static char buf[BUFSIZ];

	exit_status = atoi(arg);
	if (setvbuf(stdout, buf, _IOFBF, sizeof(buf)) ||
	    atexit(exit_handler)) {
		printf("newlib-exit: setvbuf or atexit failed\n");
		return 1;
	}
	printf("newlib-exit: buffered line before %s %d\n", how, exit_status);
	return exit_status;
}

static void __attribute__((noreturn)) exit_nested(const char *arg)
{
	exit(exit_prepare(arg, "exit"));
}

int main(int argc, char *argv[])
{
	const char *lib = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], EXIT_ARG, strlen(EXIT_ARG)))
			exit_nested(argv[i] + strlen(EXIT_ARG));
		if (!strncmp(argv[i], RETURN_ARG, strlen(RETURN_ARG)))
			return exit_prepare(argv[i] + strlen(RETURN_ARG),
					    "return");
		if (!strncmp(argv[i], LIB_ARG, strlen(LIB_ARG)))
			lib = argv[i] + strlen(LIB_ARG);
	}
	return uk_test_run_all(lib) ? 1 : 0;
}
