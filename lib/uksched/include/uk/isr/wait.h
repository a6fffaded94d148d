/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's interrupt-context wait queue name: uk_waitq_wake_up() may
 * already be called from any context on any CPU, so this is it.
 */
#ifndef __UK_ISR_WAIT_H__
#define __UK_ISR_WAIT_H__

#include <uk/isr/thread.h>
#include <uk/wait.h>

#define uk_waitq_wake_up_isr(wq)	uk_waitq_wake_up(wq)

#endif /* __UK_ISR_WAIT_H__ */
