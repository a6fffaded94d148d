/* SPDX-License-Identifier: BSD-3-Clause */
/* C entry of the boot CPU: console, CPU tables, clock, memory map, command line, then ukboot. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <uk/argparse.h>
#include <uk/assert.h>
#include <uk/boot.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/time.h>
#include <uk/plat/lcpu.h>
#include <kvm/boot.h>
#include <kvm/smp.h>
#include <kvm/timer.h>

/*
 * What the guest takes: the multiboot command line (QEMU's "<kernel path>
 * <-append text>") up to CMDLINE_MAX - 1 bytes, split into at most ARGV_MAX
 * words, the kernel path included. support/scripts/qemu-run refuses longer
 * ones before starting QEMU (GUEST_CMDLINE_MAX, GUEST_ARGV_MAX there); a
 * loader that passes more anyway gets a refusal here, never a cut.
 */
#define CMDLINE_MAX	16384
#define ARGV_MAX	256

static char cmdline[CMDLINE_MAX];
/* One slot more than ARGV_MAX: a parse that fills it had too many words. */
static char *argv[ARGV_MAX + 2];

/* The boot steps' end times: TSC values until the clock is calibrated. */
#define NSTAGES		8
static struct ukplat_boot_stage stages[NSTAGES];
static __u64 stage_tsc[NSTAGES];
static unsigned int nstages;
static unsigned int tsc_stage;	/* its name is formatted when shown */

static void stage(const char *name)
{
	UK_ASSERT(nstages < NSTAGES);
	stage_tsc[nstages] = rdtsc();
	stages[nstages++].name = name;
}

unsigned int ukplat_boot_stages(const struct ukplat_boot_stage **s)
{
	unsigned int i;

	stages[tsc_stage].name = kvm_tsc_source();
	for (i = 0; i < nstages; i++)
		stages[i].end = kvm_tsc_to_ns(stage_tsc[i]);
	*s = stages;
	return nstages;
}

void kvm_boot_refuse(const char *fmt, ...)
{
	va_list ap;

	printf("boot: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	ukplat_exit(UKPLAT_EXIT_BADBOOT);
}

static void cmdline_copy(const struct multiboot_info *mi)
{
	const char *src = "";
	size_t len;

	if (mi->flags & (1 << 2))
		src = (const char *)(__u64)mi->cmdline;
	len = strnlen(src, CMDLINE_MAX);
	if (len == CMDLINE_MAX)
		kvm_boot_refuse("the command line has %lu bytes or more; the "
				"guest takes at most %u", (unsigned long)len,
				CMDLINE_MAX - 1);
	memcpy(cmdline, src, len + 1);
}

static int cmdline_split(void)
{
	int argc = uk_argnparse(cmdline, sizeof(cmdline), argv, ARGV_MAX + 1);

	if (argc > ARGV_MAX)
		kvm_boot_refuse("the command line has more than %u words (the "
				"kernel path included); the guest takes at most "
				"%u", ARGV_MAX, ARGV_MAX);
	return argc;
}

void _kvm_entry64(__u32 mbi_phys)
{
	const struct multiboot_info *mi = (const void *)(__u64)mbi_phys;
	int argc;

	kvm_serial_init();
	kvm_cpu_init();
	kvm_boot_stack_guard_init();
	cmdline_copy(mi);	/* before anything may reuse that memory */
	argc = cmdline_split();	/* a refusal comes before any slow step */
	kvm_memregions_init(mi);
	stage("plat: CPU tables, memory map, argv");
	kvm_smp_init();
#if CONFIG_UKPLAT_LCPU_START_AT_BOOT
	kvm_smp_kick();		/* they come up while we calibrate */
#endif
	stage("plat: CPUs found, boot LAPIC");
	kvm_tsc_init();
	kvm_timer_init();
	tsc_stage = nstages;
	stage(NULL);		/* named when shown: kvm_tsc_source() */
#if CONFIG_UKPLAT_LCPU_START_AT_BOOT
	ukplat_lcpu_start_all();
	stage("plat: other CPUs online");
#endif
	uk_boot_entry(argc, argv);
}
