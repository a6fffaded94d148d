/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The platform's entry into ukboot: the one call that goes up the layers
 * (doc/layers.md). Declared here only; plat/kvm calls it, lib/ukboot
 * defines it.
 */
#ifndef __UK_BOOT_H__
#define __UK_BOOT_H__

#include <uk/essentials.h>

/*
 * Runs the init table (uk/init.h) and C constructors, then main(argc,
 * argv), and powers off with main's return value. Called once, by the
 * platform's C entry on the boot CPU after its own setup; argv stays
 * valid. Does not return.
 */
void uk_boot_entry(int argc, char *argv[]) __noreturn;

#endif /* __UK_BOOT_H__ */
