/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's interrupt-context thread name: uk_thread_wake() may already
 * be called from any context on any CPU, so this is it.
 */
#ifndef __UK_ISR_THREAD_H__
#define __UK_ISR_THREAD_H__

#include <uk/thread.h>

#define uk_thread_wake_isr(t)		uk_thread_wake(t)

#endif /* __UK_ISR_THREAD_H__ */
