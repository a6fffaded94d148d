/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's uk/preempt.h. The schedulers here are cooperative: a thread
 * is never switched away from except where it yields, blocks, sleeps or
 * exits, so a region without those calls is never preempted. These only
 * stop the compiler from moving memory accesses across them. They do not
 * keep other CPUs out: that needs a lock or per-CPU data.
 */
#ifndef __UK_PREEMPT_H__
#define __UK_PREEMPT_H__

#include <uk/arch/lcpu.h>

#define uk_preempt_disable()	barrier()
#define uk_preempt_enable()	barrier()

#endif /* __UK_PREEMPT_H__ */
