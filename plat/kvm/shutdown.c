/* SPDX-License-Identifier: BSD-3-Clause */
/* Power-off with an exit status through QEMU's isa-debug-exit device. */
#include <uk/plat/bootstrap.h>
#include <uk/plat/lcpu.h>

#define DEBUG_EXIT_PORT		0xf4
/*
 * QEMU exits with (value << 1) | 1. The offset keeps status 0 distinct from
 * QEMU's own failure status 1; support/scripts/qemu-run maps it back.
 */
#define DEBUG_EXIT_OFFSET	16
#define ACPI_PM1A_CNT		0x604	/* QEMU pc: PIIX4 PM base 0x600 */
#define ACPI_SLP_EN		0x2000

void ukplat_exit(int status)
{
	ukplat_lcpu_disable_irq();
	if (status < 0 || status > UKPLAT_EXIT_BADBOOT)
		status = UKPLAT_EXIT_CRASH;
	outl(DEBUG_EXIT_PORT, (__u32)status + DEBUG_EXIT_OFFSET);
	/* No isa-debug-exit device: ACPI soft-off (status is lost). */
	outw(ACPI_PM1A_CNT, ACPI_SLP_EN);
	for (;;)
		ukplat_lcpu_halt();
}
