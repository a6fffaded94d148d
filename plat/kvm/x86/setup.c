/* C entry of the boot CPU: console, CPU tables, clock, memory map, command line, then ukboot. */
#include <string.h>
#include <uk/argparse.h>
#include <uk/plat/time.h>
#include <uk/plat/lcpu.h>
#include <kvm/boot.h>
#include <kvm/smp.h>

#define CMDLINE_MAX	4096
#define ARGV_MAX	64

static char cmdline[CMDLINE_MAX];
static char *argv[ARGV_MAX + 1];

static void cmdline_copy(const struct multiboot_info *mi)
{
	const char *src = "";

	if (mi->flags & (1 << 2))
		src = (const char *)(__u64)mi->cmdline;
	strncpy(cmdline, src, sizeof(cmdline) - 1);
}

void _kvm_entry64(__u32 mbi_phys)
{
	const struct multiboot_info *mi = (const void *)(__u64)mbi_phys;
	int argc;

	kvm_serial_init();
	kvm_cpu_init();
	kvm_boot_stack_guard_init();
	cmdline_copy(mi);	/* before anything may reuse that memory */
	kvm_memregions_init(mi);
	kvm_tsc_init();
	kvm_smp_init();
	kvm_timer_init();
#if CONFIG_UKPLAT_LCPU_START_AT_BOOT
	ukplat_lcpu_start_all();
#endif
	argc = uk_argnparse(cmdline, sizeof(cmdline), argv, ARGV_MAX);
	uk_boot_entry(argc, argv);
}
