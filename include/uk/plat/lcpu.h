/* Logical CPUs: which CPU runs, how many there are, local interrupt flag. */
#ifndef __UK_PLAT_LCPU_H__
#define __UK_PLAT_LCPU_H__

#include <uk/arch/lcpu.h>

/* Number of CPUs online. Any context. */
unsigned int ukplat_lcpu_count(void);

/* Dense index (0..count-1) of the calling CPU. Any context. */
unsigned int ukplat_lcpu_idx(void);

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
