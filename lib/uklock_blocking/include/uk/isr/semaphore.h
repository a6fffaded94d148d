/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's interrupt-context semaphore names: uk_semaphore_up() and
 * uk_semaphore_down_try() may already be called from any context (they
 * take the semaphore's lock with interrupts disabled), so these are them.
 */
#ifndef __UK_ISR_SEMAPHORE_H__
#define __UK_ISR_SEMAPHORE_H__

#include <uk/semaphore.h>

#define uk_semaphore_up_isr(s)		uk_semaphore_up(s)
#define uk_semaphore_down_try_isr(s)	uk_semaphore_down_try(s)

#endif /* __UK_ISR_SEMAPHORE_H__ */
