/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's early constructors (uk/ctors.h): UK_CTOR_PRIO(fn, prio) runs
 * void fn(void) during boot before every init function (uk/init.h) of any
 * class, in priority order (0..9), then link order; on the boot CPU, with
 * interrupts disabled, before any allocator is set up. They are entries of
 * ukboot's init table in a class of their own (0), ahead of
 * UK_INIT_CLASS_EARLY. C's __attribute__((constructor)) functions run
 * later, after the init table.
 */
#ifndef __UK_CTORS_H__
#define __UK_CTORS_H__

#include <uk/essentials.h>
#include <uk/init.h>
#include <uk/prio.h>

typedef void (*uk_ctor_func_t)(void);

#define __UK_CTOR_PRIO(fn, prio)					\
	_Static_assert((prio) >= 0 && (prio) <= 9,			\
		       "constructor priority outside 0-9");		\
	static int __uk_ctor_##fn(void)					\
	{								\
		const uk_ctor_func_t __f = (fn);			\
									\
		__f();							\
		return 0;						\
	}								\
	static const struct uk_init_entry __uk_ctorent_##fn =		\
		{ __uk_ctor_##fn, #fn };				\
	static const struct uk_init_entry *const __uk_ctorptr_##fn	\
	__used __section(".uk_inittab_0" STRINGIFY(prio)) = &__uk_ctorent_##fn

/* Registers fn (void fn(void)) at priority prio, a literal 0-9. */
#define UK_CTOR_PRIO(fn, prio)	__UK_CTOR_PRIO(fn, prio)
/* Registers fn at UK_PRIO_LATEST. */
#define UK_CTOR(fn)		UK_CTOR_PRIO(fn, UK_PRIO_LATEST)
/* The older spelling: level first. */
#define UK_CTOR_FUNC(lvl, fn)	UK_CTOR_PRIO(fn, lvl)

#endif /* __UK_CTORS_H__ */
