/* SPDX-License-Identifier: BSD-3-Clause */
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

/*
 * More of Unikraft's uk/arch/types.h and uk/arch/time.h (x86_64: long and
 * pointers are 64 bits), with their printf/scanf length modifiers.
 */
typedef int16_t __s16;
typedef int8_t __s8;
typedef uintptr_t __uptr;
typedef intptr_t __sptr;
typedef uintptr_t __sz;		/* sizes, as size_t */
typedef intptr_t __ssz;		/* signed sizes, as ssize_t */
typedef intptr_t __off;		/* file offsets */
typedef char *caddr_t;
#define __NULL		((void *)0)
#define __PRIs8		"d"
#define __PRIu8		"u"
#define __PRIx8		"x"
#define __PRIs16	"d"
#define __PRIu16	"u"
#define __PRIx16	"x"
#define __PRIs32	"d"
#define __PRIu32	"u"
#define __PRIx32	"x"
#define __PRIs64	"ld"
#define __PRIu64	"lu"
#define __PRIx64	"lx"
#define __SCNs8		"hhd"
#define __SCNu8		"hhu"
#define __SCNx8		"hhx"
#define __SCNs16	"hd"
#define __SCNu16	"hu"
#define __SCNx16	"hx"
#define __SCNs32	"d"
#define __SCNu32	"u"
#define __SCNx32	"x"
#define __SCNs64	"ld"
#define __SCNu64	"lu"
#define __SCNx64	"lx"
#define __PRIuptr	__PRIu64
#define __PRIsz		__PRIu64
#define __PRIssz	__PRIs64
#define __PRIoff	__PRIs64
#define __PRIpaddr	__PRIx64
#define __PRIvaddr	__PRIu64
#define __PRInsec	__PRIu64
#define __PRIsnsec	__PRIs64
#define __SNSEC_MAX	INT64_MAX
#define __SNSEC_MIN	INT64_MIN
#define ukarch_time_nsec_to_sec(ns) ((ns) / UKARCH_NSEC_PER_SEC)
/* The part of ns below one second. */
#define ukarch_time_subsec(ns)	((ns) % UKARCH_NSEC_PER_SEC)

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
#ifndef UK_UPSTREAM_PROFILE	/* upstream's uk/compiler.h lacks it */
#define __always_inline	inline __attribute__((always_inline))
#endif

/* More of Unikraft's uk/compiler.h. */
#ifndef __nonnull	/* glibc has its own (host tests) */
#define __nonnull	__attribute__((nonnull))
#endif
#define __scanf(f, a)	__attribute__((format(scanf, f, a)))
#define __unalign	__align(1)
#define __check_result	__attribute__((warn_unused_result))
#define __may_alias	__attribute__((may_alias))
#define __fallthrough	__attribute__((fallthrough))
#define __naked		__attribute__((naked))
/* Declares new as another name of the defined function or object old. */
#define __alias(old, new)						\
	extern __typeof__(old) new __attribute__((alias(#old)))
#define __weak_alias(old, new)						\
	extern __typeof__(old) new __attribute__((weak, alias(#old)))
/*
 * Run before main(), with the constructors (lib/ukboot). Not in C++:
 * libstdc++ uses the name __constructor itself (host tests).
 */
#ifndef __cplusplus
#define __constructor	__attribute__((constructor))
#define __constructor_prio(lvl)	__attribute__((constructor(lvl)))
#endif
#define __offsetof(t, field)	__builtin_offsetof(t, field)
/* Whether field of type t lies within the first size bytes of a t. */
#define __contains(t, field, size)					\
	((__offsetof(t, field) + sizeof(((t *)0)->field)) <= (size))
#define __return_addr(lvl)						\
	((__uptr)__builtin_extract_return_addr(__builtin_return_address(lvl)))
#define __frame_addr(lvl)	((__uptr)__builtin_frame_address(lvl))

/* Alignments in bytes... */
#define __align4	__align(4)
#define __align8	__align(8)
#define __align16	__align(16)
#define __align32	__align(32)
#define __align64	__align(64)
#define __align4k	__align(4096)
/* ... and in bits, as Unikraft spells them. */
#define __align32b	__align4
#define __align64b	__align8
#define __align128b	__align16
#define __align256b	__align32
#define __align512b	__align64

/*
 * Thread-local storage: every uksched thread has its own copy (ELF TLS);
 * without uksched there is one copy, as in Unikraft without a scheduler.
 */
#if CONFIG_LIBUKSCHED
#define __uk_tls	__thread
#else
#define __uk_tls
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define __STRINGIFY(x)	#x
#define STRINGIFY(x)	__STRINGIFY(x)
#define __UK_CONCAT_X(a, b) a##b
#define UK_CONCAT(a, b)	__UK_CONCAT_X(a, b)
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define STRINGIFY_(x)	#x
#define UK_CONCAT_(a, b) a##b
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(v, a) ((v) & ~((__typeof__(v))(a) - 1))
#define ALIGN_UP(v, a)	ALIGN_DOWN((v) + (__typeof__(v))(a) - 1, (a))
#define IS_ALIGNED(v, a) (((v) & ((__typeof__(v))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define MIN3(a, b, c)	MIN(MIN((a), (b)), (c))
#define MIN4(a, b, c, d) MIN(MIN((a), (b)), MIN((c), (d)))
#define MAX3(a, b, c)	MAX(MAX((a), (b)), (c))
#define MAX4(a, b, c, d) MAX(MAX((a), (b)), MAX((c), (d)))
/* v is a power of two (0 is not). */
#define POWER_OF_2(v)	((v) != 0 && ((v) & ((v) - 1)) == 0)

/* base <= val < base + len */
#define IN_RANGE(val, base, len)					\
	((val) >= (base) && (val) < (base) + (len))
/* The two ranges are the same. */
#define RANGE_ISEQUAL(base0, len0, base1, len1)				\
	((base0) == (base1) && (len0) == (len1))
/* Range 1 lies within range 0. */
#define RANGE_CONTAIN(base0, len0, base1, len1)				\
	(IN_RANGE((base1), (base0), (len0))				\
	 && (base1) + (len1) <= (base0) + (len0))
/* The two ranges share at least one element. */
#define RANGE_OVERLAP(base0, len0, base1, len1)				\
	((base1) + (len1) > (base0) && (base1) < (base0) + (len0))

/* Casts const (and volatile) away from a pointer without a warning. */
#define DECONST(t, a)	((t)(__uptr)(const void *)(a))
#define DEQUALIFY(t, a)	((t)(__uptr)(const volatile void *)(a))

/* Number of arguments given (0 to 25). */
#define __UK_NARGS_X(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p,	\
		     q, r, s, t, u, v, w, x, y, z, cnt, ...) cnt
#define UK_NARGS(...)							\
	__UK_NARGS_X(, ##__VA_ARGS__, 25, 24, 23, 22, 21, 20, 19, 18,	\
		     17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, \
		     2, 1, 0)

#define __containerof(ptr, type, field) \
	((type *)((char *)(ptr) - offsetof(type, field)))

#define UK_CTASSERT(x)	_Static_assert(x, #x)

#define __PAGE_SHIFT	12
#define __PAGE_SIZE	(1UL << __PAGE_SHIFT)
#define PAGE_SHIFT	__PAGE_SHIFT
#define PAGE_SIZE	__PAGE_SIZE

/*
 * Cache line size for padding per-CPU and contended data. Our headers use
 * the private spelling, which the upstream profile keeps.
 */
#define __UKARCH_CACHE_LINE_SIZE 64
#ifndef UK_UPSTREAM_PROFILE	/* ours only; upstream's is CACHE_LINE_SIZE */
#define UKARCH_CACHE_LINE_SIZE __UKARCH_CACHE_LINE_SIZE
#endif

#endif /* __UK_ESSENTIALS_H__ */
