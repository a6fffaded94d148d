/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's interrupt-context mutex names. uk_mutex_trylock() never
 * blocks, so it is the same function; the owner it records is the thread
 * the interrupt came in on, as in Unikraft.
 */
#ifndef __UK_ISR_MUTEX_H__
#define __UK_ISR_MUTEX_H__

#include <uk/mutex.h>

#define uk_mutex_trylock_isr(m)		uk_mutex_trylock(m)

#endif /* __UK_ISR_MUTEX_H__ */
