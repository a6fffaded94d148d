/*
 * Init table: functions run by ukboot before constructors and main(), in
 * class order, then priority order (0..9), then link order.
 *
 *   static int foo_init(void) { ...; return 0; }
 *   uk_lib_initcall(foo_init);
 *
 * A function returning a negative errno stops the boot with a crash that
 * names it. They run on the boot CPU, one at a time, interrupts disabled.
 */
#ifndef __UK_INIT_H__
#define __UK_INIT_H__

#include <uk/essentials.h>

typedef int (*uk_init_func_t)(void);

struct uk_init_entry {
	uk_init_func_t fn;
	const char *name;
};

#define UK_INIT_CLASS_EARLY	1	/* memory allocators */
#define UK_INIT_CLASS_PLAT	2
#define UK_INIT_CLASS_LIB	3
#define UK_INIT_CLASS_ROOTFS	4
#define UK_INIT_CLASS_SYS	5
#define UK_INIT_CLASS_LATE	6

/*
 * The section holds pointers, not the entries: 8-byte objects pack without
 * the padding the compiler may put between larger ones.
 */
#define uk_initcall_class_prio(fn, class, prio)				\
	static const struct uk_init_entry __uk_initcall_##fn = { (fn), #fn }; \
	static const struct uk_init_entry *const __uk_initptr_##fn	\
	__used __section(".uk_inittab_" STRINGIFY(class) STRINGIFY(prio)) \
	= &__uk_initcall_##fn

#define uk_early_initcall(fn)	uk_initcall_class_prio(fn, 1, 5)
#define uk_plat_initcall(fn)	uk_initcall_class_prio(fn, 2, 5)
#define uk_lib_initcall(fn)	uk_initcall_class_prio(fn, 3, 5)
#define uk_rootfs_initcall(fn)	uk_initcall_class_prio(fn, 4, 5)
#define uk_sys_initcall(fn)	uk_initcall_class_prio(fn, 5, 5)
#define uk_late_initcall(fn)	uk_initcall_class_prio(fn, 6, 5)
#define uk_early_initcall_prio(fn, prio) uk_initcall_class_prio(fn, 1, prio)
#define uk_lib_initcall_prio(fn, prio)	uk_initcall_class_prio(fn, 3, prio)

#endif /* __UK_INIT_H__ */
