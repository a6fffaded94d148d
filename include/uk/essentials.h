/* Compiler attributes, basic types and small helpers shared by every library. */
#ifndef __UK_ESSENTIALS_H__
#define __UK_ESSENTIALS_H__

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

typedef uint64_t __u64;
typedef int64_t __s64;
typedef uint32_t __u32;
typedef int32_t __s32;
typedef uint16_t __u16;
typedef uint8_t __u8;
typedef uint64_t __nsec;	/* nanoseconds */
typedef int64_t __snsec;	/* signed nanoseconds */
typedef uintptr_t __paddr_t;	/* physical address */
typedef uintptr_t __vaddr_t;	/* virtual address */
#define __NSEC_MAX UINT64_MAX

#define UKARCH_NSEC_PER_SEC 1000000000ULL
#define ukarch_time_sec_to_nsec(s) ((__nsec)(s) * UKARCH_NSEC_PER_SEC)
#define ukarch_time_msec_to_nsec(ms) ((__nsec)(ms) * 1000000ULL)
#define ukarch_time_usec_to_nsec(us) ((__nsec)(us) * 1000ULL)
#define ukarch_time_nsec_to_usec(ns) ((ns) / 1000ULL)
#define ukarch_time_nsec_to_msec(ns) ((ns) / 1000000ULL)
#endif

#define __unused	__attribute__((unused))
#define __used		__attribute__((used))
#define __noreturn	__attribute__((noreturn))
#define __packed	__attribute__((packed))
#define __weak		__attribute__((weak))
#define __align(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __printf(f, a)	__attribute__((format(printf, f, a)))
#define __maybe_unused	__attribute__((unused))
#define __noinline	__attribute__((noinline))
#define __always_inline	inline __attribute__((always_inline))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define STRINGIFY_(x)	#x
#define STRINGIFY(x)	STRINGIFY_(x)
#define UK_CONCAT_(a, b) a##b
#define UK_CONCAT(a, b)	UK_CONCAT_(a, b)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(v, a) ((v) & ~((__typeof__(v))(a) - 1))
#define ALIGN_UP(v, a)	ALIGN_DOWN((v) + (__typeof__(v))(a) - 1, (a))
#define IS_ALIGNED(v, a) (((v) & ((__typeof__(v))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

#define __containerof(ptr, type, field) \
	((type *)((char *)(ptr) - offsetof(type, field)))

#define UK_CTASSERT(x)	_Static_assert(x, #x)

#define __PAGE_SHIFT	12
#define __PAGE_SIZE	(1UL << __PAGE_SHIFT)
#define PAGE_SHIFT	__PAGE_SHIFT
#define PAGE_SIZE	__PAGE_SIZE

/* Cache line size for padding per-CPU and contended data. */
#define UKARCH_CACHE_LINE_SIZE 64

#endif /* __UK_ESSENTIALS_H__ */
