/*
 * Per-CPU cooperative scheduling: each CPU has a run queue, a sleep queue
 * and an idle thread, all under that CPU's lock (other CPUs insert into the
 * run queue when they wake or migrate a thread). Only the owning CPU takes
 * threads off its queues.
 */
#include <errno.h>
#include <stdio.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched.h>
#include <uk/spinlock.h>
#include "sched_impl.h"

struct sched_cpu {
	struct uk_sched sched;		/* the public handle of this CPU */
	struct uk_spinlock lock;	/* run queue, sleep queue, states */
	struct uk_thread *rq_head, *rq_tail;
	unsigned int rq_len;
	struct uk_thread *sleepq;	/* sorted by wakeup time */
	struct uk_thread *current;
	struct uk_thread *idle;
	struct uk_thread *prev;		/* switched away from, to finish */
	int idle_halted;		/* needs an IPI to notice new work */
	unsigned long switches;
};

/* Per-CPU scheduler state and current thread (the O(1) lookup). */
static UKPLAT_PER_LCPU_DEFINE(struct sched_cpu, sched_cpus);
static int started;

void uk_sched_ctx_switch(unsigned long *prev_sp, unsigned long next_sp);

static struct sched_cpu *cpu_sched(unsigned int cpu)
{
	return &ukplat_per_lcpu(sched_cpus, cpu);
}

static struct sched_cpu *this_sched(void)
{
	return cpu_sched(ukplat_lcpu_idx());
}

struct uk_thread *uk_thread_current(void)
{
	return this_sched()->current;
}

struct uk_sched *uk_sched_current(void)
{
	return &this_sched()->sched;
}

struct uk_sched *uk_sched_get(unsigned int cpu)
{
	if (cpu >= ukplat_lcpu_count())
		return NULL;
	return &cpu_sched(cpu)->sched;
}

int uk_sched_started(void)
{
	return started;
}

unsigned long uk_sched_switches(unsigned int cpu)
{
	return cpu_sched(cpu)->switches;
}

unsigned int uk_sched_rq_len(unsigned int cpu)
{
	return cpu_sched(cpu)->rq_len;
}

/* Run queue and sleep queue, under the CPU's lock. */
static void rq_push(struct sched_cpu *c, struct uk_thread *t)
{
	t->rq_next = NULL;
	t->queued = 1;
	if (c->rq_tail)
		c->rq_tail->rq_next = t;
	else
		c->rq_head = t;
	c->rq_tail = t;
	c->rq_len++;
}

static struct uk_thread *rq_pop(struct sched_cpu *c)
{
	struct uk_thread *t = c->rq_head;

	if (!t)
		return NULL;
	c->rq_head = t->rq_next;
	if (!c->rq_head)
		c->rq_tail = NULL;
	t->queued = 0;
	c->rq_len--;
	return t;
}

/* Takes t out of the middle of the run queue. */
static void rq_remove(struct sched_cpu *c, struct uk_thread *t)
{
	struct uk_thread **p = &c->rq_head, *prev = NULL;

	while (*p && *p != t) {
		prev = *p;
		p = &(*p)->rq_next;
	}
	if (!*p)
		return;
	*p = t->rq_next;
	if (c->rq_tail == t)
		c->rq_tail = prev;
	t->queued = 0;
	c->rq_len--;
}

static void sleepq_insert(struct sched_cpu *c, struct uk_thread *t)
{
	struct uk_thread **p = &c->sleepq;

	while (*p && (*p)->wakeup <= t->wakeup)
		p = &(*p)->rq_next;
	t->rq_next = *p;
	*p = t;
	t->queued = 2;
}

static void sleepq_remove(struct sched_cpu *c, struct uk_thread *t)
{
	struct uk_thread **p = &c->sleepq;

	while (*p && *p != t)
		p = &(*p)->rq_next;
	if (*p)
		*p = t->rq_next;
	t->queued = 0;
}

static void timer_rearm(struct sched_cpu *c)
{
	if (c->sleepq)
		ukplat_timer_set(c->sleepq->wakeup);
	else
		ukplat_timer_cancel();
}

/* Makes t runnable on c; under c's lock. Returns 1 if c needs an IPI. */
static int make_runnable(struct sched_cpu *c, struct uk_thread *t)
{
	if (t->queued == 2)
		sleepq_remove(c, t);
	t->wakeup = 0;
	t->state = UK_THREAD_RUNNABLE;
	rq_push(c, t);
	return c->idle_halted;
}

void uk_thread_wake(struct uk_thread *t)
{
	for (;;) {
		unsigned int cpu = t->cpu;
		struct sched_cpu *c = cpu_sched(cpu);
		unsigned long f;
		int ipi = 0;

		uk_spin_lock_irqsave(&c->lock, f);
		if (t->cpu != cpu) {	/* migrated meanwhile: follow it */
			uk_spin_unlock_irqrestore(&c->lock, f);
			continue;
		}
		if (t->state == UK_THREAD_BLOCKED)
			ipi = make_runnable(c, t);
		uk_spin_unlock_irqrestore(&c->lock, f);
		if (ipi && cpu != ukplat_lcpu_idx())
			ukplat_lcpu_wakeup(cpu);
		return;
	}
}

/* Timer interrupt: sleepers whose time has come become runnable. */
static void sleep_timer(void *arg __unused)
{
	struct sched_cpu *c = this_sched();
	__nsec now = ukplat_monotonic_clock();

	uk_spin_lock(&c->lock);
	while (c->sleepq && c->sleepq->wakeup <= now)
		make_runnable(c, c->sleepq);
	timer_rearm(c);
	uk_spin_unlock(&c->lock);
}

/* Runs in the thread switched to, once prev's context is saved. */
static void finish_switch(void)
{
	struct sched_cpu *c = this_sched();
	struct uk_thread *prev = c->prev;

	c->prev = NULL;
	if (!prev)
		return;
	if (prev->migrate_to >= 0) {
		struct sched_cpu *to = cpu_sched(prev->migrate_to);
		unsigned long f;
		int ipi;

		uk_spin_lock_irqsave(&to->lock, f);
		prev->cpu = prev->migrate_to;
		prev->migrate_to = -1;
		/* Release: the saved context is complete before it can run. */
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
		ipi = make_runnable(to, prev);
		uk_spin_unlock_irqrestore(&to->lock, f);
		if (ipi)
			ukplat_lcpu_wakeup(prev->cpu);
		return;
	}
	if (prev->state == UK_THREAD_EXITED) {
		/* Joiners re-check on_cpu, so wake them before clearing it. */
		uk_waitq_wake_up(&prev->exit_wq);
	}
	/* Release: joiners may free prev once they see this. */
	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
}

void uk_sched_finish_switch(void)
{
	finish_switch();
}

/*
 * Switches to the next runnable thread of this CPU (or its idle thread).
 * The current thread goes back on the run queue only when it is still
 * RUNNING (a yield); BLOCKED, EXITED or migrating threads do not.
 */
static void schedule(void)
{
	struct sched_cpu *c = this_sched();
	struct uk_thread *prev = c->current, *next;
	unsigned long f;

	uk_sched_check_stack(prev);
#if CONFIG_LIBUKLOCK_DEBUG
	/* Sleeping or yielding with a spinlock held can deadlock its CPU. */
	if (uk_spin_held_count())
		UK_CRASH("thread %s switches away holding %u spinlock(s)\n",
			 prev->name, uk_spin_held_count());
#endif
	uk_spin_lock_irqsave(&c->lock, f);
	if (prev->state == UK_THREAD_RUNNING && prev != c->idle
	    && prev->migrate_to < 0) {
		prev->state = UK_THREAD_RUNNABLE;
		rq_push(c, prev);
	}
	next = rq_pop(c);
	if (!next)
		next = prev->state == UK_THREAD_RUNNABLE && prev->migrate_to < 0
		       ? prev : c->idle;
	next->state = UK_THREAD_RUNNING;
	if (next == prev) {
		uk_spin_unlock_irqrestore(&c->lock, f);
		uk_sched_check_terminate();
		return;
	}
	next->on_cpu = 1;
	next->switches++;
	c->switches++;
	c->prev = prev;
	c->current = next;
	uk_spin_unlock(&c->lock);	/* interrupts stay off until finished */
	uk_sched_tls_switch(next);
	uk_sched_ctx_switch(&prev->sp, next->sp);
	finish_switch();
	ukplat_lcpu_restore_irqf(f);
	uk_sched_check_terminate();
}

/* Ends the current thread if someone asked (see uk_sched_thread_terminate). */
void uk_sched_check_terminate(void)
{
	struct sched_cpu *c = this_sched();
	struct uk_thread *t = c->current;

	/* Acquire: pairs with the terminating thread's release. */
	if (t == c->idle || !__atomic_load_n(&t->terminate, __ATOMIC_ACQUIRE)
	    || t->state == UK_THREAD_EXITED)
		return;
	if (t->wait_e)	/* its entry lives on this stack: unlink it */
		uk_waitq_finish(t->wait_wq, t->wait_e);
	uk_sched_thread_exit();
}

void uk_sched_thread_terminate(struct uk_thread *t)
{
	if (t == uk_thread_current())
		uk_sched_thread_exit();
	/* Release: seen by t when it next runs (check_terminate). */
	__atomic_store_n(&t->terminate, 1, __ATOMIC_RELEASE);
	uk_thread_wake(t);
}

void uk_sched_yield(void)
{
	schedule();
}

void uk_sched_block_current(void)
{
	schedule();
}

/* Marks the current thread blocked (under its CPU's lock). */
void uk_sched_set_blocked(void)
{
	uk_sched_set_blocked_until(0);
}

/*
 * The current thread stops waiting while still running. A waker may have
 * queued it meanwhile (it saw BLOCKED): take it off the run queue again, or
 * it would be queued twice at its next yield.
 */
void uk_sched_set_running(void)
{
	struct sched_cpu *c = this_sched();
	struct uk_thread *t = c->current;
	unsigned long f;

	uk_spin_lock_irqsave(&c->lock, f);
	if (t->queued == 1)
		rq_remove(c, t);
	if (t->queued == 2) {	/* a deadline that did not expire */
		sleepq_remove(c, t);
		timer_rearm(c);
	}
	t->wakeup = 0;
	t->state = UK_THREAD_RUNNING;
	uk_spin_unlock_irqrestore(&c->lock, f);
}

/* Blocked, and also on the sleep queue until deadline (0: no deadline). */
void uk_sched_set_blocked_until(__nsec deadline)
{
	struct sched_cpu *c = this_sched();
	struct uk_thread *t = c->current;
	unsigned long f;

	uk_spin_lock_irqsave(&c->lock, f);
	if (t->queued == 1)
		rq_remove(c, t);
	t->state = UK_THREAD_BLOCKED;
	if (deadline && t->queued != 2) {
		t->wakeup = deadline;
		sleepq_insert(c, t);
		timer_rearm(c);
	}
	uk_spin_unlock_irqrestore(&c->lock, f);
}

void uk_sched_thread_sleep(__nsec ns)
{
	uk_sched_set_blocked_until(ukplat_monotonic_clock() + (ns ? ns : 1));
	schedule();
}

/* Queues a new or migrated thread on CPU cpu. Any CPU. */
void uk_sched_enqueue(unsigned int cpu, struct uk_thread *t)
{
	struct sched_cpu *c = cpu_sched(cpu);
	unsigned long f;
	int ipi;

	uk_spin_lock_irqsave(&c->lock, f);
	t->cpu = cpu;
	ipi = make_runnable(c, t);
	uk_spin_unlock_irqrestore(&c->lock, f);
	if (ipi && cpu != ukplat_lcpu_idx())
		ukplat_lcpu_wakeup(cpu);
}

int uk_sched_thread_migrate_self(unsigned int cpu)
{
	struct uk_thread *t = uk_thread_current();

	if (cpu >= ukplat_lcpu_count())
		return -EINVAL;
	if (cpu == t->cpu)
		return 0;
	t->migrate_to = (int)cpu;
	schedule();	/* finish_switch() queues us on cpu */
	UK_ASSERT(ukplat_lcpu_idx() == cpu);
	return 0;
}

int uk_sched_thread_migrate(struct uk_thread *t, unsigned int cpu)
{
	struct sched_cpu *c;
	unsigned long f;
	unsigned int from;
	int moved = 0;

	if (cpu >= ukplat_lcpu_count())
		return -EINVAL;
	if (t == uk_thread_current())
		return uk_sched_thread_migrate_self(cpu);
	from = t->cpu;
	c = cpu_sched(from);
	uk_spin_lock_irqsave(&c->lock, f);
	if (t->cpu != from || t->state == UK_THREAD_EXITED || t == c->idle) {
		uk_spin_unlock_irqrestore(&c->lock, f);
		return -EINVAL;
	}
	t->pinned = 1;
	if (t->state == UK_THREAD_RUNNING) {
		/* Running on its CPU now: it moves at its next switch. */
		t->migrate_to = (int)cpu;
	} else if (t->queued == 2) {
		/* Its wake-up timer is on this CPU: move it once it wakes. */
		uk_spin_unlock_irqrestore(&c->lock, f);
		return -EAGAIN;
	} else if (t->state == UK_THREAD_BLOCKED) {
		t->cpu = cpu;	/* wakers follow t->cpu */
	} else if (t->queued == 1) {
		rq_remove(c, t);
		moved = 1;
	}
	uk_spin_unlock_irqrestore(&c->lock, f);
	if (moved)	/* runnable and not on any queue until here */
		uk_sched_enqueue(cpu, t);
	return 0;
}

void uk_sched_exit_current(void)
{
	struct sched_cpu *c = this_sched();
	unsigned long f;

	uk_spin_lock_irqsave(&c->lock, f);
	c->current->state = UK_THREAD_EXITED;
	uk_spin_unlock_irqrestore(&c->lock, f);
	schedule();
	UK_CRASH("exited thread %s ran again\n", c->current->name);
}

/* Idle hooks: written before any CPU reads them (see register). */
#define IDLE_HOOKS_MAX 8
static struct {
	void (*fn)(void *arg);
	void *arg;
} idle_hooks[IDLE_HOOKS_MAX];
static unsigned int idle_hooks_len;
static struct uk_spinlock idle_hooks_lock = UK_SPINLOCK_INITIALIZER();

int uk_sched_idle_hook_register(void (*fn)(void *arg), void *arg)
{
	unsigned int n;

	uk_spin_lock(&idle_hooks_lock);
	n = idle_hooks_len;
	if (n == IDLE_HOOKS_MAX) {
		uk_spin_unlock(&idle_hooks_lock);
		return -ENOSPC;
	}
	idle_hooks[n].fn = fn;
	idle_hooks[n].arg = arg;
	/* Release: idle loops that see the new length see the entry. */
	__atomic_store_n(&idle_hooks_len, n + 1, __ATOMIC_RELEASE);
	uk_spin_unlock(&idle_hooks_lock);
	/* Halted CPUs run the new hook once now, not at their next event. */
	for (n = 0; n < ukplat_lcpu_count(); n++)
		if (n != ukplat_lcpu_idx())
			ukplat_lcpu_wakeup(n);
	return 0;
}

static void run_idle_hooks(void)
{
	/* Acquire: pairs with the release in uk_sched_idle_hook_register. */
	unsigned int n = __atomic_load_n(&idle_hooks_len, __ATOMIC_ACQUIRE);
	unsigned int i;

	for (i = 0; i < n; i++)
		idle_hooks[i].fn(idle_hooks[i].arg);
}

/* Each CPU's idle thread: run whatever is queued, else halt. */
static void idle_loop(void)
{
	struct sched_cpu *c = this_sched();

	for (;;) {
		unsigned long f;

		run_idle_hooks();
		uk_spin_lock_irqsave(&c->lock, f);
		if (!c->rq_head) {
			c->idle_halted = 1;
			uk_spin_unlock(&c->lock);
			/* sti;hlt: an IPI sent after the unlock still wakes us. */
			ukplat_lcpu_halt_irq();
			uk_spin_lock(&c->lock);
			c->idle_halted = 0;
		}
		uk_spin_unlock_irqrestore(&c->lock, f);
		schedule();
	}
}

/* Makes the caller's context the CPU's idle thread and runs its loop. */
static void cpu_start(struct uk_thread *idle)
{
	struct sched_cpu *c = this_sched();

	idle->cpu = ukplat_lcpu_idx();
	idle->state = UK_THREAD_RUNNING;
	idle->on_cpu = 1;
	c->idle = idle;
	c->current = idle;
	c->sched.cpu = idle->cpu;
	uk_sched_tls_switch(idle);
	ukplat_timer_set_handler(sleep_timer, NULL);
}

static void ap_entry(void)
{
	cpu_start(uk_sched_boot_thread("idle", ukplat_lcpu_idx()));
	idle_loop();
}

static void bsp_idle_fn(void *arg __unused)
{
	idle_loop();
}

/* Boot, before main(): main becomes CPU 0's first thread; APs start. */
static int sched_init(void)
{
	struct sched_cpu *c = this_sched();
	struct uk_thread *main_t = uk_sched_boot_thread("main", 0);
	unsigned int i;

	c->sched.cpu = 0;
	main_t->cpu = 0;
	main_t->state = UK_THREAD_RUNNING;
	main_t->on_cpu = 1;
	c->current = main_t;
	uk_sched_tls_switch(main_t);
	c->idle = uk_sched_thread_alloc("idle", bsp_idle_fn, NULL);
	if (!c->idle)
		return -ENOMEM;
	c->idle->cpu = 0;
	c->idle->state = UK_THREAD_RUNNABLE;
	ukplat_timer_set_handler(sleep_timer, NULL);
	started = 1;
	for (i = 1; i < ukplat_lcpu_count(); i++)
		if (ukplat_lcpu_run(i, ap_entry) < 0)
			UK_CRASH("CPU %u did not take its scheduler\n", i);
	return 0;
}

uk_late_initcall(sched_init);
