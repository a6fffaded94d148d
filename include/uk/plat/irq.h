/* SPDX-License-Identifier: BSD-3-Clause */
/* Interrupts: legacy ISA lines, per-CPU vectors for MSI/MSI-X devices. */
#ifndef __UK_PLAT_IRQ_H__
#define __UK_PLAT_IRQ_H__

#include <uk/essentials.h>

/*
 * An interrupt handler: runs on the CPU that took the interrupt, in
 * interrupt context with interrupts disabled; it may use the FPU/SSE.
 * Returns 1 when it handled the interrupt, 0 otherwise.
 */
typedef int (*ukplat_irq_handler_t)(void *arg);

/*
 * Routes legacy ISA interrupt line irq (0-15) through the IOAPIC to the
 * boot CPU and calls fn(arg) for it. Any CPU, not from interrupt context.
 * Returns 0, -EINVAL (bad line or fn), -EBUSY (line taken), -ENODEV (no
 * IOAPIC).
 */
int ukplat_irq_register(unsigned long irq, ukplat_irq_handler_t fn,
			void *arg);

/* Masks line irq and forgets its handler. Returns 0 or -EINVAL. */
int ukplat_irq_unregister(unsigned long irq);

/*
 * Reserves a free vector on CPU cpu (for an MSI/MSI-X interrupt aimed at
 * it) and calls fn(arg) when it fires. Any CPU, any context but NMI.
 * Returns the vector, -EINVAL (bad CPU or fn) or -ENOSPC (that CPU has no
 * free vector left; nothing changed).
 */
int ukplat_irq_alloc_vector(unsigned int cpu, ukplat_irq_handler_t fn,
			    void *arg);

/* Gives back a vector from ukplat_irq_alloc_vector(). Returns 0/-EINVAL. */
int ukplat_irq_free_vector(unsigned int cpu, unsigned int vector);

/*
 * The MSI message (address, data) that delivers vector to CPU cpu, to be
 * written into a device's MSI capability or MSI-X table entry.
 * Returns 0 or -EINVAL.
 */
int ukplat_irq_msi_compose(unsigned int cpu, unsigned int vector,
			   __u64 *addr, __u32 *data);

#endif /* __UK_PLAT_IRQ_H__ */
