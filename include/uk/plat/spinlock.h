/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The arch-level spinlock (uk/arch/spinlock.h) together with the calling
 * CPU's interrupt flag, with Unikraft's names: for a __spinlock that an
 * interrupt handler on the same CPU may also take.
 */
#ifndef __UKPLAT_SPINLOCK_H__
#define __UKPLAT_SPINLOCK_H__

#include <uk/arch/spinlock.h>
#include <uk/plat/lcpu.h>

/* Disables interrupts, then takes lock. Pair with ukplat_spin_unlock_irq. */
#define ukplat_spin_lock_irq(lock)					\
	do {								\
		ukplat_lcpu_disable_irq();				\
		ukarch_spin_lock(lock);					\
	} while (0)

/* Releases lock, then enables interrupts (whatever they were before). */
#define ukplat_spin_unlock_irq(lock)					\
	do {								\
		ukarch_spin_unlock(lock);				\
		ukplat_lcpu_enable_irq();				\
	} while (0)

/*
 * Saves the interrupt state into flags (an unsigned long lvalue), disables
 * interrupts, then takes lock.
 */
#define ukplat_spin_lock_irqsave(lock, flags)				\
	do {								\
		(flags) = ukplat_lcpu_save_irqf();			\
		ukarch_spin_lock(lock);					\
	} while (0)

/* Releases lock, then restores the state saved by _irqsave. */
#define ukplat_spin_unlock_irqrestore(lock, flags)			\
	do {								\
		ukarch_spin_unlock(lock);				\
		ukplat_lcpu_restore_irqf(flags);			\
	} while (0)

#endif /* __UKPLAT_SPINLOCK_H__ */
