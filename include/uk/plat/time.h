/* Platform clock: monotonic nanoseconds since boot. */
#ifndef __UK_PLAT_TIME_H__
#define __UK_PLAT_TIME_H__

#include <uk/essentials.h>

/*
 * Nanoseconds since the platform calibrated its clock (early in boot).
 * Monotonic; any CPU, any context. Returns 0 before calibration.
 */
__nsec ukplat_monotonic_clock(void);

/* Frequency of the time stamp counter in Hz as calibrated at boot. */
__u64 ukplat_tsc_frequency(void);

#endif /* __UK_PLAT_TIME_H__ */
