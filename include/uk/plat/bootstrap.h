/* SPDX-License-Identifier: BSD-3-Clause */
/* Platform shutdown: exit with a status, crash, halt. */
#ifndef __UK_PLAT_BOOTSTRAP_H__
#define __UK_PLAT_BOOTSTRAP_H__

#include <uk/essentials.h>

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Guest exit statuses as the host sees them (the QEMU runner maps QEMU's
 * isa-debug-exit code back to these). main()'s return value r is passed
 * through when 0 <= r <= UKPLAT_EXIT_MAX_MAIN, otherwise it becomes
 * UKPLAT_EXIT_MAIN_RANGE (and the platform says so on the console).
 */
#define UKPLAT_EXIT_MAX_MAIN	99
#define UKPLAT_EXIT_MAIN_RANGE	100
#define UKPLAT_EXIT_CRASH	110	/* exception, panic, UK_CRASH, abort */
/*
 * The machine cannot run this image (too little memory for it and its boot
 * structures, a command line longer than the guest takes): the platform
 * says why on one console line and exits with this status before main().
 */
#define UKPLAT_EXIT_BADBOOT	111

/*
 * Powers the machine off with the given status (see above). Any CPU, any
 * context. Does not return.
 */
void ukplat_exit(int status) __noreturn;
#endif /* !UK_UPSTREAM_PROFILE */

/* ukplat_exit() under a private name, for ukplat_halt() in the profile. */
void __ukplat_exit(int status) __asm__("ukplat_exit") __noreturn;

/*
 * Prints a backtrace of the caller, then exits with UKPLAT_EXIT_CRASH.
 * Any CPU, any context. Does not return.
 */
void ukplat_crash(void) __noreturn;

/*
 * Unikraft's target states of a shutdown (struct uk_term_ctx in uk/init.h
 * carries one). Only halt and crash exist here, as ukplat_exit(0) and
 * ukplat_crash(); there is no restart or suspend.
 */
enum ukplat_gstate {
	UKPLAT_HALT,
	UKPLAT_RESTART,
	UKPLAT_CRASH,
	UKPLAT_SUSPEND,
};

/* Powers the machine off with exit status 0 (Unikraft's ukplat_halt()). */
#define ukplat_halt()	__ukplat_exit(0)

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * The platform's boot steps before uk_boot_entry(), for
 * CONFIG_LIBUKBOOT_SHOW_TIMING: name, and when the step ended in
 * nanoseconds of ukplat_monotonic_clock() (0 is the first instruction).
 */
struct ukplat_boot_stage {
	const char *name;
	__nsec end;
};

/*
 * Stores the platform's boot steps, in order, in *stages and returns their
 * number (0 when the platform records none). Boot CPU, after the platform
 * called uk_boot_entry(); the array stays valid.
 */
unsigned int ukplat_boot_stages(const struct ukplat_boot_stage **stages);

/* Prints a frame-pointer backtrace starting at the caller's frame. */
void ukplat_backtrace(void);

/*
 * Looks up the function containing addr in the embedded symbol table.
 * Returns its name and stores addr's offset into it in *off, or returns
 * NULL when the image carries no symbols or addr is outside every function.
 */
const char *ukplat_symbol(unsigned long addr, unsigned long *off);
#endif /* !UK_UPSTREAM_PROFILE */

#endif /* __UK_PLAT_BOOTSTRAP_H__ */
