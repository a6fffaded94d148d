/* SPDX-License-Identifier: BSD-3-Clause */
/* Platform clock: monotonic nanoseconds since boot. */
#ifndef __UK_PLAT_TIME_H__
#define __UK_PLAT_TIME_H__

#include <uk/essentials.h>

/*
 * Nanoseconds since the platform calibrated its clock (early in boot).
 * Monotonic; any CPU, any context. Returns 0 before calibration.
 */
__nsec ukplat_monotonic_clock(void);

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* Frequency of the time stamp counter in Hz as calibrated at boot. */
__u64 ukplat_tsc_frequency(void);

/* A timer callback: runs on the timer's CPU in interrupt context. */
typedef void (*ukplat_timer_fn_t)(void *arg);

/*
 * Sets the function the calling CPU's one-shot timer calls. The calling
 * CPU only; any context.
 */
void ukplat_timer_set_handler(ukplat_timer_fn_t fn, void *arg);

/* The calling CPU's current timer handler (to restore it later). */
void ukplat_timer_get_handler(ukplat_timer_fn_t *fn, void **arg);

/*
 * Arms the calling CPU's one-shot timer for deadline (ukplat_monotonic_clock
 * nanoseconds), replacing any earlier deadline. A deadline in the past
 * fires at once. The handler never runs before the deadline. Calling CPU
 * only; any context.
 */
void ukplat_timer_set(__nsec deadline);

/* Disarms the calling CPU's timer. */
void ukplat_timer_cancel(void);
#endif /* !UK_UPSTREAM_PROFILE */

#endif /* __UK_PLAT_TIME_H__ */
