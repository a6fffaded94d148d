/* Logical CPUs: which CPU runs, how many there are, local interrupt flag. */
#ifndef __UK_PLAT_LCPU_H__
#define __UK_PLAT_LCPU_H__

#include <uk/arch/lcpu.h>

/* Number of CPUs online. Any context. */
unsigned int ukplat_lcpu_count(void);

/* Dense index (0..count-1) of the calling CPU. Any context. */
unsigned int ukplat_lcpu_idx(void);

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
	return !(ukarch_read_flags() & X86_EFLAGS_IF);
}

/* Disables local interrupts and returns the previous state for restore. */
static inline unsigned long ukplat_lcpu_save_irqf(void)
{
	unsigned long f = ukarch_read_flags();

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

#endif /* __UK_PLAT_LCPU_H__ */
