/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host-test version of uk/plat/lcpu.h: logical CPUs are the threads of the
 * test program. Shadows include/uk/plat/lcpu.h (support/host/include comes
 * first in the include path of host tests); implemented in support/host/shim.c.
 *
 * - ukplat_lcpu_count(): the number of online host CPUs (at most
 *   CONFIG_UKPLAT_LCPU_MAXCOUNT), unless a test set another value with
 *   ukplat_host_lcpu_set_count().
 * - ukplat_lcpu_idx(): a dense index per thread, 0, 1, 2, ... in the order in
 *   which threads first call it. Indexes are not reused when threads exit;
 *   ukplat_host_lcpu_reset() starts over. A test that runs more threads than
 *   ukplat_lcpu_count() should raise the count to match. Handing out more
 *   than CONFIG_UKPLAT_LCPU_MAXCOUNT indexes aborts the program.
 * - The interrupt flag is a per-thread variable: disabling or enabling
 *   "interrupts" changes nothing else, but ukplat_lcpu_irqs_disabled() and
 *   save/restore behave as on the guest, so assertions about the flag hold.
 * - ukplat_lcpu_halt() yields the host CPU (sched_yield()).
 */
#ifndef __UK_PLAT_LCPU_H__
#define __UK_PLAT_LCPU_H__

#include <sched.h>
#include <uk/arch/lcpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Number of CPUs online. Any context. */
unsigned int ukplat_lcpu_count(void);

/* Dense index (0..count-1) of the calling thread. Any context. */
unsigned int ukplat_lcpu_idx(void);

/* As in include/uk/plat/lcpu.h; a host test runs on the host's own CPUs. */
enum ukplat_virt {
	UKPLAT_VIRT_NONE,
	UKPLAT_VIRT_HV,
	UKPLAT_VIRT_EMU,
};

/* Host: always UKPLAT_VIRT_NONE (tuning as on hardware). */
enum ukplat_virt ukplat_virt(void);

/* Host only: fixes ukplat_lcpu_count(); 0 returns to the host's count. */
void ukplat_host_lcpu_set_count(unsigned int count);

/*
 * Host only: forgets every thread's index, so the next callers get 0, 1, ...
 * again. Call while no other thread uses ukplat_lcpu_idx() (between tests).
 */
void ukplat_host_lcpu_reset(void);

/*
 * Host only: gives the calling thread index idx (< CONFIG_UKPLAT_LCPU_MAXCOUNT)
 * until the next ukplat_host_lcpu_reset(). Other threads' indexes are not
 * checked against it: keep them distinct yourself.
 */
void ukplat_host_lcpu_set_idx(unsigned int idx);

/* Per-thread stand-in for the interrupt flag: non-zero = "disabled". */
extern __thread int ukplat_host_irqs_off;

static inline void ukplat_lcpu_enable_irq(void)
{
	ukplat_host_irqs_off = 0;
}

static inline void ukplat_lcpu_disable_irq(void)
{
	ukplat_host_irqs_off = 1;
}

static inline int ukplat_lcpu_irqs_disabled(void)
{
	return ukplat_host_irqs_off;
}

/* Disables local interrupts and returns the previous state for restore. */
static inline unsigned long ukplat_lcpu_save_irqf(void)
{
	unsigned long f = ukplat_host_irqs_off ? 0 : X86_EFLAGS_IF;

	ukplat_lcpu_disable_irq();
	return f;
}

static inline void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		ukplat_lcpu_enable_irq();
}

/* "Halts until the next interrupt": lets other threads run. */
static inline void ukplat_lcpu_halt(void)
{
	sched_yield();
}

#ifdef __cplusplus
}
#endif

#endif /* __UK_PLAT_LCPU_H__ */
