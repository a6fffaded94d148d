/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time for newlib: clocks, sleeping and times().
 *
 * CLOCK_MONOTONIC is the platform's clock (nanoseconds since its
 * calibration). CLOCK_REALTIME is the CMOS RTC read once, at the first
 * call, plus the monotonic time since: the RTC's one-second resolution
 * only sets where the epoch lies. gettimeofday() and time() read
 * CLOCK_REALTIME. Threads sleep in the scheduler (the CPU runs others or
 * halts); without a scheduler the caller waits on the clock. times()
 * counts every nanosecond since boot as user time of the one process.
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <uk/arch/lcpu.h>
#include <uk/config.h>
#include <uk/essentials.h>
#include <uk/plat/time.h>
#if CONFIG_LIBUKSCHED
#include <uk/sched.h>
#include <uk/thread.h>
#endif

#define NSEC_PER_SEC 1000000000ULL

/* --- the CMOS real-time clock (x86 I/O ports 0x70/0x71) ---------------- */

#define RTC_INDEX	0x70
#define RTC_DATA	0x71
#define RTC_STATUS_A	0x0a	/* bit 7: an update is in progress */
#define RTC_STATUS_B	0x0b	/* bit 2: binary, bit 1: 24-hour */

static unsigned int rtc_read(unsigned int reg)
{
	outb(RTC_INDEX, (__u8)reg);
	return inb(RTC_DATA);
}

static unsigned int from_bcd(unsigned int v, int binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long days_from_civil(long y, unsigned int m, unsigned int d)
{
	long era;
	unsigned int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/*
 * Seconds since the epoch from the RTC. The registers are read twice until
 * both reads agree, so that an update between reads cannot mix two times.
 */
static long long rtc_seconds(void)
{
	unsigned int r[6], prev[6], b, i, hour;
	int binary, same;

	do {
		while (rtc_read(RTC_STATUS_A) & 0x80)
			ukarch_spinwait();
		for (i = 0; i < 6; i++)
			prev[i] = rtc_read((unsigned int[]){ 0, 2, 4, 7, 8, 9 }[i]);
		for (i = 0; i < 6; i++)
			r[i] = rtc_read((unsigned int[]){ 0, 2, 4, 7, 8, 9 }[i]);
		same = 1;
		for (i = 0; i < 6; i++)
			same &= r[i] == prev[i];
	} while (!same);
	b = rtc_read(RTC_STATUS_B);
	binary = !!(b & 0x04);
	hour = from_bcd(r[2] & 0x7f, binary);
	if (!(b & 0x02) && (r[2] & 0x80))	/* 12-hour clock, PM */
		hour = (hour % 12) + 12;
	return (long long)days_from_civil(2000 + from_bcd(r[5], binary),
					  from_bcd(r[4], binary),
					  from_bcd(r[3], binary)) * 86400 +
	       hour * 3600 + from_bcd(r[1], binary) * 60 +
	       from_bcd(r[0], binary);
}

/*
 * The realtime clock's offset from the monotonic one, in ns: set once by
 * whoever calls first (racing first callers compute nearly the same value;
 * one store wins, all later readers see that one).
 */
static long long realtime_base;		/* 0: not read yet */

static long long realtime_offset(void)
{
	long long base = __atomic_load_n(&realtime_base, __ATOMIC_RELAXED);
	long long mine;

	if (likely(base))
		return base;
	mine = rtc_seconds() * (long long)NSEC_PER_SEC -
	       (long long)ukplat_monotonic_clock();
	if (!mine)
		mine = 1;
	/* Relaxed: the value is self-contained, nothing else is published. */
	if (!__atomic_compare_exchange_n(&realtime_base, &base, mine, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return base;
	return mine;
}

/* --- clocks -------------------------------------------------------------- */

static void to_timespec(unsigned long long ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	__nsec now = ukplat_monotonic_clock();

	switch (id) {
	case CLOCK_MONOTONIC:
		to_timespec(now, ts);
		return 0;
	case CLOCK_REALTIME:
		to_timespec((unsigned long long)(realtime_offset() +
						 (long long)now), ts);
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

int clock_getres(clockid_t id, struct timespec *res)
{
	if (id != CLOCK_MONOTONIC && id != CLOCK_REALTIME) {
		errno = EINVAL;
		return -1;
	}
	if (res)
		*res = (struct timespec){ .tv_sec = 0, .tv_nsec = 1 };
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (tv) {
		tv->tv_sec = ts.tv_sec;
		tv->tv_usec = ts.tv_nsec / 1000;
	}
	if (tz)		/* no time zones: UTC */
		*(struct timezone *)tz = (struct timezone){ 0, 0 };
	return 0;
}

clock_t times(struct tms *buf)
{
	clock_t ticks = (clock_t)(ukplat_monotonic_clock() /
				  (NSEC_PER_SEC / CLOCKS_PER_SEC));

	if (buf)
		*buf = (struct tms){ .tms_utime = ticks };
	return ticks;
}

/* --- sleeping ------------------------------------------------------------ */

static void sleep_ns(__nsec ns)
{
#if CONFIG_LIBUKSCHED
	if (uk_thread_current()) {
		uk_sched_thread_sleep(ns);
		return;
	}
#endif
	__nsec until = ukplat_monotonic_clock() + ns;

	while (ukplat_monotonic_clock() < until)
		ukarch_spinwait();
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_nsec < 0 || req->tv_nsec >= (long)NSEC_PER_SEC ||
	    req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	sleep_ns((__nsec)req->tv_sec * NSEC_PER_SEC + (__nsec)req->tv_nsec);
	if (rem)	/* nothing interrupts a sleep here */
		*rem = (struct timespec){ 0, 0 };
	return 0;
}

int usleep(useconds_t us)
{
	sleep_ns((__nsec)us * 1000);
	return 0;
}

unsigned int sleep(unsigned int s)
{
	sleep_ns((__nsec)s * NSEC_PER_SEC);
	return 0;
}
