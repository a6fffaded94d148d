/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rngcat: prints N random bytes (default 32, at most 4096) in hex, read
 * from the virtio-rng device and drawn from ukrandom, and says what seeded
 * ukrandom. Exit status 0, or 1 when there is no virtio-rng device.
 *
 *   make run A=apps/rngcat DEVICES=virtio-rng-pci ARGS=64
 */
#include <stdio.h>
#include <stdlib.h>
#include <uk/random.h>
#include <uk/virtio_rng.h>

static unsigned char buf[4096];

static void hex(const char *what, size_t n)
{
	size_t i;

	printf("%s:", what);
	for (i = 0; i < n; i++)
		printf("%s%02x", i % 32 ? "" : "\n  ", buf[i]);
	printf("\n");
}

int main(int argc, char *argv[])
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : 32;
	ssize_t rc;

	if (!n || n > sizeof(buf))
		n = 32;
	printf("ukrandom seeded from: %s\n", uk_random_source_name());
	uk_random_fill_buffer(buf, n);
	hex("ukrandom", n);
	rc = uk_virtio_rng_read(buf, n, 0);
	if (rc < 0) {
		printf("virtio-rng: no device (%ld): give QEMU "
		       "-device virtio-rng-pci\n", (long)rc);
		return 1;
	}
	hex("virtio-rng", (size_t)rc);
	return 0;
}
