/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uktest-mimalloc app: the enabled test suites with mimalloc as the default
 * allocator; exits non-zero on failure. Command line: [uktest.lib=<lib>]
 * restricts the run to one library.
 */
#include <string.h>
#include <uk/test.h>

#define LIB_ARG "uktest.lib="

int main(int argc, char *argv[])
{
	const char *lib = NULL;
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], LIB_ARG, strlen(LIB_ARG)))
			lib = argv[i] + strlen(LIB_ARG);
	return uk_test_run_all(lib) ? 1 : 0;
}
