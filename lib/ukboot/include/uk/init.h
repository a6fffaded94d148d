/* SPDX-License-Identifier: BSD-3-Clause */
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
#include <uk/plat/bootstrap.h>
#include <uk/prio.h>

typedef int (*uk_init_func_t)(void);

/* What Unikraft 0.17's init and termination functions are given. */
struct uk_init_ctx {
	struct {
		int argc;
		char **argv;
	} cmdline;
};
struct uk_term_ctx {
	enum ukplat_gstate target;
};
typedef void (*uk_term_func_t)(const struct uk_term_ctx *ctx);

/*
 * What an init call registers. The macros below spell the type
 * _UK_INIT_ENTRY: the upstream profile hides its name (ours only,
 * doc/reuse.md), the layout stays the same.
 */
#ifndef UK_UPSTREAM_PROFILE
#define _UK_INIT_ENTRY	struct uk_init_entry
#else
#define _UK_INIT_ENTRY	struct __uk_init_entry
#endif
_UK_INIT_ENTRY {
	uk_init_func_t fn;
	const char *name;
};

/*
 * Init classes, run in this order (priorities 0-9 within a class). Code
 * names them; the numbers only order the linker sections (class 0 is the
 * C constructors, uk/ctors.h). Unikraft's six, then one stage of ours:
 *
 * UK_INIT_CLASS_SCHED_ALL: every CPU runs its scheduler and has a current
 * thread with TLS. uksched guarantees it: its last late-class call waits
 * for each CPU to adopt its first thread. Code that needs a thread (or
 * TLS) on every CPU registers here instead of finding out by experiment.
 */
#define UK_INIT_CLASS_EARLY	1	/* memory allocators */
#define UK_INIT_CLASS_PLAT	2	/* platform devices (PCI) */
#define UK_INIT_CLASS_LIB	3	/* libraries, drivers */
#define UK_INIT_CLASS_ROOTFS	4	/* file systems (none yet) */
#define UK_INIT_CLASS_SYS	5	/* system services (ukrandom) */
#define UK_INIT_CLASS_LATE	6	/* schedulers start (uksched) */
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define UK_INIT_CLASS_SCHED_ALL	7	/* every CPU schedules, with TLS */
#endif

/*
 * The section holds pointers, not the entries: 8-byte objects pack without
 * the padding the compiler may put between larger ones.
 */
#define __uk_initcall_class_prio_3(fn, class, prio)			\
	static const _UK_INIT_ENTRY __uk_initcall_##fn = { (fn), #fn }; \
	static const _UK_INIT_ENTRY *const __uk_initptr_##fn	\
	__used __section(".uk_inittab_" STRINGIFY(class) STRINGIFY(prio)) \
	= &__uk_initcall_##fn

/*
 * Unikraft 0.17's form: init_fn takes a struct uk_init_ctx, and a
 * termination function (or NULL) comes with it. init_fn is called through
 * a wrapper with a context whose command line is empty (ukboot gives the
 * command line to main() only). term_fn is type-checked but never called:
 * ukboot powers off after main() without a termination phase.
 */
#define __uk_initcall_class_prio_4(init_fn, term_fn, class, prio)	\
	_Static_assert((prio) >= 0 && (prio) <= 9,			\
		       "init priority outside 0-9");			\
	static const uk_term_func_t __uk_initterm_##init_fn __unused	\
		= (term_fn);						\
	static int __uk_initctx_##init_fn(void)				\
	{								\
		static char *__uk_initctx_argv[1];			\
		struct uk_init_ctx __uk_ictx = {			\
			.cmdline = { 0, __uk_initctx_argv },		\
		};							\
									\
		return (init_fn)(&__uk_ictx);				\
	}								\
	static const _UK_INIT_ENTRY __uk_initcall_##init_fn =	\
		{ __uk_initctx_##init_fn, #init_fn };			\
	static const _UK_INIT_ENTRY *const __uk_initptr_##init_fn	\
	__used __section(".uk_inittab_" STRINGIFY(class) STRINGIFY(prio)) \
	= &__uk_initcall_##init_fn

/*
 * uk_initcall_class_prio(fn, class, prio): fn is an int (*)(void);
 * uk_initcall_class_prio(init_fn, term_fn, class, prio): Unikraft 0.17's.
 */
#define uk_initcall_class_prio(...)					\
	UK_CONCAT(__uk_initcall_class_prio_, UK_NARGS(__VA_ARGS__))(__VA_ARGS__)

/*
 * uk_<class>_initcall(fn) registers fn at priority 5;
 * uk_<class>_initcall(init_fn, term_fn) at UK_PRIO_LATEST, as in Unikraft.
 * uk_<class>_initcall_prio(fn, prio) and (init_fn, term_fn, prio) alike.
 */
#define __uk_initcall_1(class, fn)	__uk_initcall_class_prio_3(fn, class, 5)
#define __uk_initcall_2(class, init_fn, term_fn)			\
	__uk_initcall_class_prio_4(init_fn, term_fn, class, UK_PRIO_LATEST)
#define __uk_initcall(class, ...)					\
	UK_CONCAT(__uk_initcall_, UK_NARGS(__VA_ARGS__))(class, __VA_ARGS__)
#define __uk_initcall_prio_2(class, fn, prio)				\
	__uk_initcall_class_prio_3(fn, class, prio)
#define __uk_initcall_prio_3(class, init_fn, term_fn, prio)		\
	__uk_initcall_class_prio_4(init_fn, term_fn, class, prio)
#define __uk_initcall_prio(class, ...)					\
	UK_CONCAT(__uk_initcall_prio_, UK_NARGS(__VA_ARGS__))(class, __VA_ARGS__)

#define uk_early_initcall(...)	__uk_initcall(UK_INIT_CLASS_EARLY, __VA_ARGS__)
#define uk_plat_initcall(...)	__uk_initcall(UK_INIT_CLASS_PLAT, __VA_ARGS__)
#define uk_lib_initcall(...)	__uk_initcall(UK_INIT_CLASS_LIB, __VA_ARGS__)
#define uk_rootfs_initcall(...)						\
	__uk_initcall(UK_INIT_CLASS_ROOTFS, __VA_ARGS__)
#define uk_sys_initcall(...)	__uk_initcall(UK_INIT_CLASS_SYS, __VA_ARGS__)
#define uk_late_initcall(...)	__uk_initcall(UK_INIT_CLASS_LATE, __VA_ARGS__)
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define uk_sched_all_initcall(...)					\
	__uk_initcall(UK_INIT_CLASS_SCHED_ALL, __VA_ARGS__)
#endif
#define uk_early_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_EARLY, __VA_ARGS__)
#define uk_plat_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_PLAT, __VA_ARGS__)
#define uk_lib_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_LIB, __VA_ARGS__)
#define uk_rootfs_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_ROOTFS, __VA_ARGS__)
#define uk_sys_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_SYS, __VA_ARGS__)
#define uk_late_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_LATE, __VA_ARGS__)
#ifndef UK_UPSTREAM_PROFILE	/* ours only (doc/reuse.md) */
#define uk_sched_all_initcall_prio(...)					\
	__uk_initcall_prio(UK_INIT_CLASS_SCHED_ALL, __VA_ARGS__)
#endif

#endif /* __UK_INIT_H__ */
