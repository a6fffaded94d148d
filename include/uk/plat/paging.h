/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Page protection in the platform's identity map: guard pages (unmapped
 * 4 KiB pages that fault on any access), e.g. below thread stacks.
 */
#ifndef __UK_PLAT_PAGING_H__
#define __UK_PLAT_PAGING_H__

#include <uk/essentials.h>

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Unmaps (guard != 0) or maps again (guard == 0) the 4 KiB page at va,
 * which must be page-aligned RAM below 3 GiB. Splits a 2 MiB mapping into
 * 4 KiB pages the first time (from a fixed pool of page tables,
 * CONFIG_KVM_PAGING_SPLIT_TABLES). Every CPU sees the change when this
 * returns (TLB shootdown by IPI). Thread context with interrupts enabled,
 * any CPU; not from interrupt handlers. Returns 0, -EINVAL (unaligned or
 * outside RAM below 3 GiB), or -ENOMEM (pool exhausted; nothing changed).
 */
int ukplat_page_guard(void *va, int guard);

/* Whether the page holding addr is a guard page (unmapped by the above). */
int ukplat_page_is_guard(unsigned long addr);

/*
 * Registers fn, called by crash reports (after the header line, before the
 * registers) with the fault address (CR2 for page and double faults, else
 * 0), to say what the crashing code was, e.g. the running thread and
 * whether addr is its stack guard. One hook; a later call replaces it.
 * fn runs with other CPUs stopped and must only print.
 */
void ukplat_crash_set_hook(void (*fn)(unsigned long fault_addr));
#endif /* !UK_UPSTREAM_PROFILE */

#endif /* __UK_PLAT_PAGING_H__ */
