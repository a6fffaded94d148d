/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's operating-system types (arch/sys_arch.h) on uksched and uklock:
 * semaphores are uk_semaphores, mutexes uk_mutexes, mailboxes our
 * bounded rings with wait queues (sys_arch.c), threads uk_threads.
 * lwIP includes it from lwip/sys.h; applications use lwIP's sys_* calls.
 */
#ifndef __LWIP_ARCH_SYS_ARCH_H__
#define __LWIP_ARCH_SYS_ARCH_H__

#include <uk/semaphore.h>
#include <uk/mutex.h>
#include <uk/lwip_mbox.h>
#include <uk/config.h>
#if CONFIG_LWIP_CORE_LOCK_STATS
#include <uk/lwip.h>
#include <uk/plat/time.h>
#endif

struct uk_thread;

/* valid: set by sys_*_new, cleared by sys_*_free / sys_*_set_invalid. */
typedef struct {
	struct uk_semaphore sem;
	int valid;
} sys_sem_t;

typedef struct {
	struct uk_mutex mtx;
	int valid;
#if CONFIG_LWIP_CORE_LOCK_STATS
	/* Written by the holder only, under mtx (sys_arch.c). */
	__nsec acquired_at;
	struct uk_lwip_lock_stats st;
#endif
} sys_mutex_t;

/* NULL: invalid (no mailbox). */
typedef struct uk_lwip_mbox *sys_mbox_t;

typedef struct uk_thread *sys_thread_t;

/* Interrupt flags of the CPU that entered SYS_ARCH_PROTECT. */
typedef unsigned long sys_prot_t;

#define sys_sem_valid(s)		((s)->valid)
#define sys_sem_set_invalid(s)		((s)->valid = 0)
#define sys_sem_valid_val(s)		((s).valid)
#define sys_sem_set_invalid_val(s)	((s).valid = 0)
#define sys_mutex_valid(m)		((m)->valid)
#define sys_mutex_set_invalid(m)	((m)->valid = 0)
#define sys_mbox_valid(m)		(*(m) != NULL)
#define sys_mbox_set_invalid(m)		(*(m) = NULL)
#define sys_mbox_valid_val(m)		((m) != NULL)
#define sys_mbox_set_invalid_val(m)	((m) = NULL)

#endif /* __LWIP_ARCH_SYS_ARCH_H__ */
