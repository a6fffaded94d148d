/*
 * Thread memory: one allocation holds the thread, its ELF TLS block and its
 * stack (a canary at the far end catches overflows at the next switch).
 * Freed threads go to a cache for reuse. Also creation, exit and join.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uk/assert.h>
#include <uk/plat/lcpu.h>
#include <uk/sched.h>
#include "sched_impl.h"

#define STACK_SIZE	CONFIG_LIBUKSCHED_STACK_SIZE
#define CACHE_MAX	CONFIG_LIBUKSCHED_STACK_CACHE
#define CANARY		0x5ca1ab1edeadc0deULL
#define TCB_SIZE	64	/* self pointer + room, keeps alignment */
#define MSR_FS_BASE	0xc0000100

/* ELF TLS image, from the linker script. */
extern char __tls_start[], __tdata_end[], __tls_end[];
extern char __tls_align[];	/* an absolute symbol: its address */

/* Freed threads kept for reuse (all the same size). */
static struct uk_thread *cache[CACHE_MAX ? CACHE_MAX : 1];
static unsigned int cache_len;
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

static size_t alloc_size(int with_stack)
{
	return hdr_size() + tls_area() + TCB_SIZE + (with_stack ? STACK_SIZE : 0);
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
	wrmsr(MSR_FS_BASE, (__u64)tcb_of(t));
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

void uk_sched_thread_free(struct uk_thread *t)
{
	unsigned long f;

	uk_spin_lock_irqsave(&cache_lock, f);
	if (cache_len < CACHE_MAX) {
		cache[cache_len++] = t;
		t = NULL;
	}
	uk_spin_unlock_irqrestore(&cache_lock, f);
	free(t);
}

static void thread_reset(struct uk_thread *t, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->migrate_to = -1;
	t->state = UK_THREAD_BLOCKED;
	uk_waitq_init(&t->exit_wq);
	tls_init(t);
}

/* A thread whose context is the calling one (main, an AP's idle). */
struct uk_thread *uk_sched_boot_thread(const char *name, unsigned int cpu)
{
	struct uk_thread *t = aligned_alloc(tls_align(), alloc_size(0));

	if (!t)
		UK_CRASH("no memory for CPU %u's %s thread\n", cpu, name);
	thread_reset(t, name);
	return t;
}

struct uk_thread *uk_sched_thread_alloc(const char *name, void (*fn)(void *),
					void *arg)
{
	struct uk_thread *t = cache_get();
	unsigned long *sp;
	char *stack;

	if (!t)
		t = aligned_alloc(tls_align(), alloc_size(1));
	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	thread_reset(t, name);
	t->fn = fn;
	t->arg = arg;
	stack = (char *)tcb_of(t) + TCB_SIZE;
	t->stack = stack;
	*(__u64 *)stack = CANARY;
	/* Frame uk_sched_ctx_switch() pops: FPU words, r15..r12, rbx, rbp, ret. */
	/* After the ret, rsp is 16-aligned, so the trampoline's call enters
	 * uk_sched_thread_start with rsp = 8 mod 16 as the ABI wants. */
	sp = (unsigned long *)ALIGN_DOWN((unsigned long)stack + STACK_SIZE, 16);
	*--sp = (unsigned long)uk_sched_thread_trampoline_addr();
	*--sp = 0;			/* rbp: ends backtraces */
	*--sp = (unsigned long)t;	/* rbx: the trampoline's argument */
	*--sp = 0;
	*--sp = 0;
	*--sp = 0;
	*--sp = 0;			/* r12-r15 */
	*--sp = 0x037f00001f80UL;	/* MXCSR 0x1f80, x87 CW 0x037f */
	t->sp = (unsigned long)sp;
	return t;
}

void uk_sched_check_stack(struct uk_thread *t)
{
	if (t->stack && *(__u64 *)t->stack != CANARY)
		UK_CRASH("stack overflow in thread %s (%p)\n", t->name, t);
}

/* First code of every new thread (from uk_sched_thread_trampoline). */
void uk_sched_thread_start(struct uk_thread *t) __noreturn;

void uk_sched_thread_start(struct uk_thread *t)
{
	uk_sched_finish_switch();
	ukplat_lcpu_enable_irq();
	uk_sched_check_terminate();	/* terminated before it ever ran */
	t->fn(t->arg);
	uk_sched_thread_exit();
}

/* The CPU with the fewest runnable threads (ties: lowest index). */
static unsigned int place(void)
{
	unsigned int n = ukplat_lcpu_count(), best = 0, i;

	for (i = 1; i < n; i++)
		if (uk_sched_rq_len(i) < uk_sched_rq_len(best))
			best = i;
	return best;
}

struct uk_thread *uk_sched_thread_create_on(int cpu, void (*fn)(void *),
					    void *arg, const char *name)
{
	struct uk_thread *t;

	if (cpu != UK_SCHED_CPU_ANY
	    && (cpu < 0 || (unsigned int)cpu >= ukplat_lcpu_count())) {
		errno = EINVAL;
		return NULL;
	}
	t = uk_sched_thread_alloc(name, fn, arg);
	if (!t)
		return NULL;
	t->pinned = cpu != UK_SCHED_CPU_ANY;
	uk_sched_enqueue(t->pinned ? (unsigned int)cpu : place(), t);
	return t;
}

void uk_sched_thread_exit(void)
{
	uk_sched_exit_current();
}

void uk_thread_join(struct uk_thread *t)
{
	uk_waitq_wait_event(&t->exit_wq, t->state == UK_THREAD_EXITED);
	/* Acquire: its CPU is done with its stack once on_cpu is clear. */
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	uk_sched_thread_free(t);
}

/* errno per thread (nolibc's __uk_errno is weak). */
int *__uk_errno(void)
{
	struct uk_thread *t = uk_sched_started() ? uk_thread_current() : NULL;

	return t ? &t->errno_val : &boot_errno;
}
