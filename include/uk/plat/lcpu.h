/* SPDX-License-Identifier: BSD-3-Clause */
/* Logical CPUs: which CPU runs, how many there are, local interrupt flag. */
#ifndef __UK_PLAT_LCPU_H__
#define __UK_PLAT_LCPU_H__

#include <uk/arch/lcpu.h>
#include <uk/essentials.h>

#ifndef CONFIG_UKPLAT_LCPU_MAXCOUNT
#define CONFIG_UKPLAT_LCPU_MAXCOUNT 64
#endif

/* Number of CPUs online. Any context. */
unsigned int ukplat_lcpu_count(void);

/* Dense index (0..count-1) of the calling CPU. Any context. */
unsigned int ukplat_lcpu_idx(void);

/* Hardware ID (APIC ID on x86) of CPU idx, or ~0U when idx is not online. */
unsigned int ukplat_lcpu_id(unsigned int idx);

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* What runs the kernel; see ukplat_virt(). */
enum ukplat_virt {
	UKPLAT_VIRT_NONE,	/* bare hardware */
	UKPLAT_VIRT_HV,		/* a hardware-assisted hypervisor (KVM...) */
	UKPLAT_VIRT_EMU,	/* a CPU emulator (QEMU TCG): no real caches */
};

/*
 * Whether the kernel runs on hardware, under a hypervisor or under an
 * emulator, looked up once by the platform. For tuning only (polling
 * intervals, delays), never for correctness. Any context, any CPU.
 */
enum ukplat_virt ukplat_virt(void);
#define UKPLAT_HAVE_VIRT 1	/* portable code tests this */
#endif /* !UK_UPSTREAM_PROFILE */

/* Unikraft's types of a CPU's dense index and of its hardware ID. */
typedef __u32 __lcpuidx;
typedef __u64 __lcpuid;

/*
 * ukplat_lcpu_id(idx) is the function above; ukplat_lcpu_id() without an
 * argument is Unikraft's: the calling CPU's hardware ID. (A function-like
 * macro does not expand itself again, so the inner calls are the function.)
 */
#define __ukplat_lcpu_id_0()	((__lcpuid)ukplat_lcpu_id(ukplat_lcpu_idx()))
#define __ukplat_lcpu_id_1(idx)	ukplat_lcpu_id(idx)
#define ukplat_lcpu_id(...)						\
	UK_CONCAT(__ukplat_lcpu_id_, UK_NARGS(__VA_ARGS__))(__VA_ARGS__)

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/*
 * Starts every CPU the platform found that is not running yet (they are
 * started before main() unless CONFIG_UKPLAT_LCPU_START_AT_BOOT is off).
 * Boot CPU only, not from interrupt context. Returns the number of CPUs
 * online afterwards; CPUs that did not come up are reported on the console.
 */
int ukplat_lcpu_start_all(void);

/*
 * ukplat_monotonic_clock() (nanoseconds since the boot CPU's first
 * instruction) at the moment the last CPU came online; 0 when no other CPU
 * was started.
 */
__nsec ukplat_lcpu_online_time(void);
#endif /* !UK_UPSTREAM_PROFILE */

/*
 * Makes CPU idx (not the caller) leave the platform's idle loop and call
 * entry() in thread context, on its boot stack, with interrupts enabled;
 * entry must not return (a scheduler's idle loop, typically). Returns 0,
 * -EINVAL for a bad index or the calling CPU, -EBUSY when that CPU already
 * left the idle loop.
 */
int ukplat_lcpu_run(unsigned int idx, void (*entry)(void));

/* Wakes CPU idx if it is halted (an IPI with no other effect). */
void ukplat_lcpu_wakeup(unsigned int idx);

/*
 * Unikraft's form, ukplat_lcpu_wakeup(lcpuidx, num): wakes the *num CPUs
 * listed in lcpuidx[], or every other online CPU when lcpuidx and num are
 * NULL. Returns 0, or -EINVAL (22) at the first index that is not an
 * online CPU, with *num set to the number woken before it. Any context.
 */
static inline int __ukplat_lcpu_wakeup_list(const __lcpuidx lcpuidx[],
					    unsigned int *num)
{
	unsigned int i, me = ukplat_lcpu_idx(), n = ukplat_lcpu_count();

	if (!lcpuidx) {
		for (i = 0; i < n; i++)
			if (i != me)
				ukplat_lcpu_wakeup(i);
		return 0;
	}
	for (i = 0; i < *num; i++) {
		if (lcpuidx[i] >= n) {
			*num = i;
			return -22;	/* -EINVAL, without libc's errno.h */
		}
		ukplat_lcpu_wakeup(lcpuidx[i]);
	}
	return 0;
}
#define __ukplat_lcpu_wakeup_1(idx)	ukplat_lcpu_wakeup(idx)
#define __ukplat_lcpu_wakeup_2(lcpuidx, num)				\
	__ukplat_lcpu_wakeup_list((lcpuidx), (num))
#define ukplat_lcpu_wakeup(...)						\
	UK_CONCAT(__ukplat_lcpu_wakeup_, UK_NARGS(__VA_ARGS__))(__VA_ARGS__)

/*
 * Per-CPU variables: one copy per possible CPU, each on its own cache line.
 *   UKPLAT_PER_LCPU_DEFINE(int, counter);          in one .c file, or
 *   UKPLAT_PER_LCPU_DECLARE(int, counter);         in a header, and
 *   UKPLAT_PER_LCPU_DEFINE_DECLARED(counter);      in one .c file;
 *   ukplat_per_lcpu_current(counter)++;            this CPU's copy
 *   ukplat_per_lcpu(counter, 3)                    CPU 3's copy
 * Any CPU may read or write any copy; synchronizing is up to the user.
 */
#define __UKPLAT_PCPU_TYPE(name) struct __ukplat_pcpu_##name
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UKPLAT_PER_LCPU_DECLARE(type, name)				\
	__UKPLAT_PCPU_TYPE(name) {					\
		type v;							\
	} __align(__UKARCH_CACHE_LINE_SIZE);				\
	extern __UKPLAT_PCPU_TYPE(name) name[CONFIG_UKPLAT_LCPU_MAXCOUNT]
#define UKPLAT_PER_LCPU_DEFINE_DECLARED(name)				\
	__UKPLAT_PCPU_TYPE(name) name[CONFIG_UKPLAT_LCPU_MAXCOUNT]
#endif /* !UK_UPSTREAM_PROFILE */
#define UKPLAT_PER_LCPU_DEFINE(type, name)				\
	__UKPLAT_PCPU_TYPE(name) {					\
		type v;							\
	} __align(__UKARCH_CACHE_LINE_SIZE)				\
	name[CONFIG_UKPLAT_LCPU_MAXCOUNT]
#define ukplat_per_lcpu(name, idx)	((name)[(idx)].v)
#define ukplat_per_lcpu_current(name)	ukplat_per_lcpu(name, ukplat_lcpu_idx())

/*
 * Unikraft's per-CPU arrays: size elements per CPU, packed (not padded to
 * a cache line, as in Unikraft):
 *   UKPLAT_PER_LCPU_ARRAY_DEFINE(int, hits, 4);
 *   ukplat_per_lcpu_array_current(hits, 2)++;    this CPU's hits[2]
 *   ukplat_per_lcpu_array(hits, 3, 2)             CPU 3's hits[2]
 */
#define UKPLAT_PER_LCPU_ARRAY_DEFINE(type, name, size)			\
	type name[CONFIG_UKPLAT_LCPU_MAXCOUNT][size]
#define ukplat_per_lcpu_array(name, lcpu_idx, idx)	((name)[(lcpu_idx)][(idx)])
#define ukplat_per_lcpu_array_current(name, idx)			\
	ukplat_per_lcpu_array(name, ukplat_lcpu_idx(), idx)

#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
/* A function run on another CPU by a remote call. */
typedef void (*ukplat_lcpu_fn_t)(void *arg);

/*
 * Runs fn(arg) on CPU idx (in interrupt context there, or directly when idx
 * is the caller). With wait != 0 returns only after fn has returned. Any
 * CPU, interrupts enabled when wait != 0 (a waiting caller must still take
 * calls itself, or two CPUs calling each other would deadlock).
 * Returns 0, or -EINVAL when idx is not an online CPU.
 */
int ukplat_lcpu_call(unsigned int idx, ukplat_lcpu_fn_t fn, void *arg,
		     int wait);

/*
 * Runs fn(arg) on every online CPU except the caller; wait as above.
 * Returns the number of CPUs it was sent to.
 */
int ukplat_lcpu_call_others(ukplat_lcpu_fn_t fn, void *arg, int wait);
#endif /* !UK_UPSTREAM_PROFILE */

static inline void ukplat_lcpu_enable_irq(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline void ukplat_lcpu_disable_irq(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline int ukplat_lcpu_irqs_disabled(void)
{
	return !(__ukarch_read_flags() & X86_EFLAGS_IF);
}

/* Disables local interrupts and returns the previous state for restore. */
static inline unsigned long ukplat_lcpu_save_irqf(void)
{
	unsigned long f = __ukarch_read_flags();

	ukplat_lcpu_disable_irq();
	return f;
}

static inline void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		ukplat_lcpu_enable_irq();
}

/* Halts the calling CPU until the next interrupt. */
static inline void ukplat_lcpu_halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

/*
 * Enables interrupts and halts until one arrives (sti; hlt cannot miss an
 * interrupt that arrives in between), then restores the interrupt state.
 */
static inline void ukplat_lcpu_halt_irq(void)
{
	unsigned long f = __ukarch_read_flags();

	__asm__ __volatile__("sti; hlt" ::: "memory");
	if (!(f & X86_EFLAGS_IF))
		ukplat_lcpu_disable_irq();
}

#endif /* __UK_PLAT_LCPU_H__ */
