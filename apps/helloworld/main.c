/* SPDX-License-Identifier: BSD-3-Clause */
/* helloworld: greets, says how many CPUs are online, echoes its arguments. */
#include <stdio.h>
#include <uk/plat/lcpu.h>

int main(int argc, char *argv[])
{
	int i;

	printf("Hello, world!\n");
	printf("cpus: %u\n", ukplat_lcpu_count());
	for (i = 1; i < argc; i++)
		printf("%s\n", argv[i]);
	return 0;
}
