/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64 CPU helpers: barriers, pause, TSC, interrupt flag, port I/O, MSRs. */
#ifndef __UK_ARCH_LCPU_H__
#define __UK_ARCH_LCPU_H__

#include <uk/essentials.h>

#define barrier()	__asm__ __volatile__("" ::: "memory")
#define mb()		__asm__ __volatile__("mfence" ::: "memory")
#define rmb()		__asm__ __volatile__("lfence" ::: "memory")
#define wmb()		__asm__ __volatile__("sfence" ::: "memory")

#define X86_EFLAGS_IF	(1UL << 9)

static inline void ukarch_spinwait(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline __u64 rdtsc(void)
{
	__u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((__u64)hi << 32) | lo;
}

/* The flags register; the profile keeps only this private spelling. */
static inline unsigned long __ukarch_read_flags(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) :: "memory");
	return f;
}
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define ukarch_read_flags()	__ukarch_read_flags()
#endif

static inline void outb(__u16 port, __u8 v)
{
	__asm__ __volatile__("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline void outw(__u16 port, __u16 v)
{
	__asm__ __volatile__("outw %0, %1" :: "a"(v), "Nd"(port));
}

static inline void outl(__u16 port, __u32 v)
{
	__asm__ __volatile__("outl %0, %1" :: "a"(v), "Nd"(port));
}

static inline __u8 inb(__u16 port)
{
	__u8 v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline __u64 rdmsr(__u32 msr)
{
	__u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((__u64)hi << 32) | lo;
}

static inline void wrmsr(__u32 msr, __u64 v)
{
	__asm__ __volatile__("wrmsr" :: "c"(msr), "a"((__u32)v),
			     "d"((__u32)(v >> 32)));
}

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
static inline void ukarch_cpuid(__u32 leaf, __u32 sub, __u32 *a, __u32 *b,
				__u32 *c, __u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}
#endif

#endif /* __UK_ARCH_LCPU_H__ */
