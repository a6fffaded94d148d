/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread memory: one allocation holds the thread, its ELF TLS block and its
 * stack, with an unmapped guard page below the stack (faults at once) and a
 * canary at its far end (checked at every switch, and the only check when
 * guard pages are off or ran out). Freed threads go to a cache for reuse.
 * Also creation, exit and join.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/arch/ctx.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/paging.h>
#include <uk/print.h>
#include <uk/sched.h>
#include "uksched.h"

#define STACK_SIZE	CONFIG_LIBUKSCHED_STACK_SIZE
#define CACHE_MAX	CONFIG_LIBUKSCHED_STACK_CACHE
#define TCB_SIZE	64	/* self pointer + room, keeps alignment */
#define PAGE		4096UL
#if CONFIG_LIBUKSCHED_STACK_GUARD
#define GUARD_SIZE	PAGE
#else
#define GUARD_SIZE	0UL
#endif

/* ELF TLS image, from the linker script. */
extern char __tls_start[], __tdata_end[], __tls_end[];
extern char __tls_align[];	/* an absolute symbol: its address */

/* Freed threads with the default stack size, kept for reuse. */
static struct uk_thread *cache[CACHE_MAX ? CACHE_MAX : 1];
static unsigned int cache_len;
/* Protects cache and cache_len. */
static struct uk_spinlock cache_lock = UK_SPINLOCK_INITIALIZER();

/* errno of code that runs before the scheduler, or outside any thread. */
static int boot_errno;

static size_t tls_align(void)
{
	size_t a = (size_t)__tls_align;

	return a < 16 ? 16 : a;
}

static size_t tls_area(void)
{
	return ALIGN_UP((size_t)(__tls_end - __tls_start), tls_align());
}

/* Layout: [thread struct][TLS block][TCB][stack ... canary at bottom]. */
static size_t hdr_size(void)
{
	return ALIGN_UP(sizeof(struct uk_thread), tls_align());
}

/* Thread, TLS and TCB; with guard pages padded to a page boundary. */
static size_t meta_size(void)
{
	size_t m = hdr_size() + tls_area() + TCB_SIZE;

	return GUARD_SIZE ? ALIGN_UP(m, PAGE) : m;
}

/*
 * Layout: [thread struct][TLS block][TCB](pad)[guard page][stack ...];
 * the stack grows down towards the guard and its canary at the bottom.
 */
static size_t alloc_size(size_t stack_size)
{
	if (!stack_size)	/* main and the APs' idles: no stack */
		return hdr_size() + tls_area() + TCB_SIZE;
	return meta_size() + GUARD_SIZE + stack_size;
}

static size_t alloc_align(void)
{
	return GUARD_SIZE && tls_align() < PAGE ? PAGE : tls_align();
}

static void *tcb_of(struct uk_thread *t)
{
	return (char *)t + hdr_size() + tls_area();
}

static void tls_init(struct uk_thread *t)
{
	char *tcb = tcb_of(t), *block = tcb - tls_area();
	size_t tdata = __tdata_end - __tls_start;

	memcpy(block, __tls_start, tdata);
	memset(block + tdata, 0, tls_area() - tdata);
	*(void **)tcb = tcb;	/* %fs:0 is the TCB's own address */
}

void uk_sched_tls_switch(struct uk_thread *t)
{
	ukarch_tls_base_set((unsigned long)tcb_of(t));
}

static struct uk_thread *cache_get(void)
{
	struct uk_thread *t = NULL;
	unsigned long f;

	uk_spin_lock_irqsave(&cache_lock, f);
	if (cache_len)
		t = cache[--cache_len];
	uk_spin_unlock_irqrestore(&cache_lock, f);
	return t;
}

/* Gives t's memory back to the allocator, guard page mapped again. */
static void thread_release(struct uk_thread *t)
{
	if (t->guard)
		ukplat_page_guard(t->guard, 0);
	free(t);
}

static void thread_free(struct uk_thread *t)
{
	unsigned long f;

	if (t->stack_size == STACK_SIZE) {
		uk_spin_lock_irqsave(&cache_lock, f);
		if (cache_len < CACHE_MAX) {
			cache[cache_len++] = t;
			t = NULL;
		}
		uk_spin_unlock_irqrestore(&cache_lock, f);
	}
	if (t)
		thread_release(t);
}

static void thread_reset(struct uk_thread *t, const char *name)
{
	size_t stack_size = t->stack_size;
	void *guard = t->guard;

	memset(t, 0, sizeof(*t));
	t->stack_size = stack_size;
	t->guard = guard;
	t->name = name;
	t->migrate_to = -1;
	t->state = UK_THREAD_BLOCKED;
	uk_cpuset_fill(&t->affinity);
	uk_waitq_init(&t->exit_wq);
	tls_init(t);
}

struct uk_thread *uk_sched_thread_adopt(const char *name)
{
	struct uk_thread *t = aligned_alloc(tls_align(), alloc_size(0));
	unsigned int cpu = ukplat_lcpu_idx();

	if (!t)
		UK_CRASH("no memory for CPU %u's %s thread\n", cpu, name);
	t->stack_size = 0;
	t->guard = NULL;
	thread_reset(t, name);
	t->cpu = cpu;
	t->state = UK_THREAD_RUNNING;
	t->on_cpu = 1;
	uk_sched_set_current(t);
	uk_sched_tls_switch(t);
	uk_sched_cpu_adopted();
	return t;
}

/* Guard pages that could not be set (page tables ran out): canary only. */
static unsigned long guards_missing;

/* Unmaps the page at p; returns p, or NULL when guards are off or failed. */
static void *guard_set(void *p)
{
	if (!GUARD_SIZE)
		return NULL;
	if (ukplat_page_guard(p, 1) == 0)
		return p;
	/* Relaxed: a statistic, reported once. */
	if (__atomic_fetch_add(&guards_missing, 1, __ATOMIC_RELAXED) == 0)
		uk_pr_warn("uksched: no page table left for stack guard pages; "
			   "new threads rely on the stack canary\n");
	return NULL;
}

static void __noreturn uk_sched_thread_start(void *arg);

/* A thread with a stack of stack_size bytes that starts in the trampoline. */
static struct uk_thread *thread_alloc(const char *name, size_t stack_size)
{
	struct uk_thread *t = NULL;
	char *stack;

	if (stack_size == STACK_SIZE)
		t = cache_get();
	if (!t) {
		t = aligned_alloc(alloc_align(), alloc_size(stack_size));
		if (!t) {
			errno = ENOMEM;
			return NULL;
		}
		t->guard = guard_set((char *)t + meta_size());
	}
	t->stack_size = stack_size;
	thread_reset(t, name);
	stack = (char *)t + meta_size() + GUARD_SIZE;
	t->stack = stack;
	*(__u64 *)stack = UK_SCHED_STACK_CANARY;
	t->sp = ukarch_ctx_frame_init((unsigned long)stack + stack_size,
				      uk_sched_thread_start, t);
	return t;
}

struct uk_thread *uk_sched_thread_alloc(const char *name, void (*fn)(void *),
					void *arg)
{
	struct uk_thread *t = thread_alloc(name, STACK_SIZE);

	if (t) {
		t->entry_args = 1;
		t->fn = fn;
		t->arg = arg;
	}
	return t;
}

/* Crash reports say which thread crashed and whether it overran its stack. */
static void crash_hook(unsigned long fault_addr)
{
	struct uk_thread *t = uk_sched_started() ? uk_thread_current() : NULL;
	unsigned long g;

	if (!t)
		return;
	printf("Thread: %s (%p)\n", t->name ? t->name : "?", t);
	g = (unsigned long)t->guard;
	if (g && fault_addr >= g && fault_addr < g + PAGE)
		printf("Stack overflow: thread %s ran into its guard page at "
		       "%016lx\n", t->name ? t->name : "?", g);
}

static int crash_hook_init(void)
{
	ukplat_crash_set_hook(crash_hook);
	return 0;
}

uk_lib_initcall(crash_hook_init);

/* First code of every new thread (its context's entry, uk/arch/ctx.h). */
static void __noreturn uk_sched_thread_start(void *arg)
{
	struct uk_thread *t = arg;

	uk_sched_thread_started();
	ukplat_lcpu_enable_irq();
	uk_sched_check_terminate();	/* terminated before it ever ran */
	if (t->entry_args == 0)
		t->fn0();
	else if (t->entry_args == 1)
		t->fn(t->arg);
	else
		t->fn2(t->arg, t->arg2);
	uk_sched_thread_exit();
}

/* Queues t on a CPU of its affinity (cpu, or placed when cpu < 0). */
static struct uk_thread *thread_start(struct uk_thread *t, int cpu)
{
	if (cpu >= 0) {
		uk_cpuset_zero(&t->affinity);
		uk_cpuset_set(&t->affinity, (unsigned int)cpu);
	} else {
		cpu = (int)uk_sched_place(&t->affinity);
	}
	uk_sched_thread_add(t, (unsigned int)cpu);
	return t;
}

static int cpu_ok(int cpu)
{
	return cpu == UK_SCHED_CPU_ANY
	       || (cpu >= 0 && (unsigned int)cpu < ukplat_lcpu_count());
}

struct uk_thread *uk_sched_thread_create_on(int cpu, void (*fn)(void *),
					    void *arg, const char *name)
{
	struct uk_thread *t;

	if (!cpu_ok(cpu)) {
		errno = EINVAL;
		return NULL;
	}
	t = uk_sched_thread_alloc(name, fn, arg);
	return t ? thread_start(t, cpu) : NULL;
}

struct uk_thread *uk_sched_thread_create_affine(const struct uk_cpuset *set,
						void (*fn)(void *), void *arg,
						const char *name)
{
	struct uk_thread *t;

	if (!uk_cpuset_count_online(set)) {
		errno = EINVAL;
		return NULL;
	}
	t = uk_sched_thread_alloc(name, fn, arg);
	if (!t)
		return NULL;
	t->affinity = *set;
	return thread_start(t, UK_SCHED_CPU_ANY);
}

/* Stack size of the fn0/1/2 variants: 0 = default, else >= 8 KiB. */
static struct uk_thread *thread_alloc_len(const char *name, size_t len)
{
	if (!len)
		return thread_alloc(name, STACK_SIZE);
	if (len < 8192) {
		errno = EINVAL;
		return NULL;
	}
	return thread_alloc(name, ALIGN_UP(len, 4096));
}

static int sched_cpu(struct uk_sched *s)
{
	return s ? (int)s->cpu : UK_SCHED_CPU_ANY;
}

struct uk_thread *uk_sched_thread_create_fn0(struct uk_sched *s,
					     void (*fn0)(void),
					     size_t stack_len,
					     const char *name)
{
	struct uk_thread *t = thread_alloc_len(name, stack_len);

	if (!t)
		return NULL;
	t->entry_args = 0;
	t->fn0 = fn0;
	return thread_start(t, sched_cpu(s));
}

struct uk_thread *uk_sched_thread_create_fn1(struct uk_sched *s,
					     void (*fn1)(void *), void *arg,
					     size_t stack_len,
					     const char *name)
{
	struct uk_thread *t = thread_alloc_len(name, stack_len);

	if (!t)
		return NULL;
	t->entry_args = 1;
	t->fn = fn1;
	t->arg = arg;
	return thread_start(t, sched_cpu(s));
}

struct uk_thread *uk_sched_thread_create_fn2(struct uk_sched *s,
					     void (*fn2)(void *, void *),
					     void *arg0, void *arg1,
					     size_t stack_len,
					     const char *name)
{
	struct uk_thread *t = thread_alloc_len(name, stack_len);

	if (!t)
		return NULL;
	t->entry_args = 2;
	t->fn2 = fn2;
	t->arg = arg0;
	t->arg2 = arg1;
	return thread_start(t, sched_cpu(s));
}

void uk_thread_join(struct uk_thread *t)
{
	uk_waitq_wait_event(&t->exit_wq, t->state == UK_THREAD_EXITED);
	/* Acquire: its CPU is done with its stack once on_cpu is clear. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	thread_free(t);
}

/* errno per thread (nolibc's __uk_errno is weak). */
int *__uk_errno(void)
{
	struct uk_thread *t = uk_sched_started() ? uk_thread_current() : NULL;

	return t ? &t->errno_val : &boot_errno;
}
