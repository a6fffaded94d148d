/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cooperative policy: one instance per online CPU with a FIFO run
 * queue, a sleep queue on that CPU's one-shot timer and an idle thread, all
 * under that CPU's lock (other CPUs take it to insert: wake-ups, new and
 * migrated threads). Only the owning CPU takes threads off its queues.
 */
#include <errno.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/sched_impl.h>
#include <uk/spinlock.h>

#define Q_NONE	0
#define Q_RUN	1
#define Q_SLEEP	2

struct schedcoop {
	struct uk_sched sched;		/* the public handle; sched.cpu */
	/* Protects the queues below, idle_halted and the state, queue
	 * links, wakeup, cpu and migrate_to of the threads this CPU owns. */
	struct uk_spinlock lock;
	struct uk_thread *rq_head, *rq_tail;
	unsigned int rq_len;
	struct uk_thread *sleepq;	/* sorted by wakeup time */
	struct uk_thread *idle;
	struct uk_thread *prev;		/* switched away from, to finish */
	int idle_halted;		/* needs an IPI to notice new work */
	unsigned long switches;
};

/* Per-CPU scheduler instances. */
static UKPLAT_PER_LCPU_DEFINE(struct schedcoop, coop_cpus);

static struct schedcoop *cpu_coop(unsigned int cpu)
{
	return &ukplat_per_lcpu(coop_cpus, cpu);
}

static struct schedcoop *this_coop(void)
{
	return cpu_coop(ukplat_lcpu_idx());
}

static struct schedcoop *to_coop(struct uk_sched *s)
{
	return __containerof(s, struct schedcoop, sched);
}

/* Run queue and sleep queue, under the CPU's lock. */
static void rq_push(struct schedcoop *c, struct uk_thread *t)
{
	t->rq_next = NULL;
	t->queued = Q_RUN;
	if (c->rq_tail)
		c->rq_tail->rq_next = t;
	else
		c->rq_head = t;
	c->rq_tail = t;
	c->rq_len++;
}

static struct uk_thread *rq_pop(struct schedcoop *c)
{
	struct uk_thread *t = c->rq_head;

	if (!t)
		return NULL;
	c->rq_head = t->rq_next;
	if (!c->rq_head)
		c->rq_tail = NULL;
	t->queued = Q_NONE;
	c->rq_len--;
	return t;
}

/* Takes t out of the middle of the run queue. */
static void rq_remove(struct schedcoop *c, struct uk_thread *t)
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
	t->queued = Q_NONE;
	c->rq_len--;
}

static void sleepq_insert(struct schedcoop *c, struct uk_thread *t)
{
	struct uk_thread **p = &c->sleepq;

	while (*p && (*p)->wakeup <= t->wakeup)
		p = &(*p)->rq_next;
	t->rq_next = *p;
	*p = t;
	t->queued = Q_SLEEP;
}

static void sleepq_remove(struct schedcoop *c, struct uk_thread *t)
{
	struct uk_thread **p = &c->sleepq;

	while (*p && *p != t)
		p = &(*p)->rq_next;
	if (*p)
		*p = t->rq_next;
	t->queued = Q_NONE;
	t->wakeup = 0;
}

/* Off whichever queue t is on; under the CPU's lock. */
static void dequeue(struct schedcoop *c, struct uk_thread *t)
{
	if (t->queued == Q_RUN)
		rq_remove(c, t);
	else if (t->queued == Q_SLEEP)
		sleepq_remove(c, t);
}

/* Own CPU only: the timer is local. An early expiry is harmless. */
static void timer_rearm(struct schedcoop *c)
{
	if (c->sleepq)
		ukplat_timer_set(c->sleepq->wakeup);
	else
		ukplat_timer_cancel();
}

/* Makes t runnable on c; under c's lock. Returns 1 if c needs an IPI. */
static int make_runnable(struct schedcoop *c, struct uk_thread *t)
{
	dequeue(c, t);
	t->state = UK_THREAD_RUNNABLE;
	rq_push(c, t);
	return c->idle_halted;
}

static void kick(struct schedcoop *c, int ipi)
{
	if (ipi && c->sched.cpu != ukplat_lcpu_idx())
		ukplat_lcpu_wakeup(c->sched.cpu);
}

static void coop_thread_add(struct uk_sched *s, struct uk_thread *t)
{
	struct schedcoop *c = to_coop(s);
	unsigned long f;
	int ipi;

	uk_spin_lock_irqsave(&c->lock, f);
	t->cpu = s->cpu;
	ipi = make_runnable(c, t);
	uk_spin_unlock_irqrestore(&c->lock, f);
	kick(c, ipi);
}

static int coop_thread_woken(struct uk_sched *s, struct uk_thread *t)
{
	struct schedcoop *c = to_coop(s);
	unsigned long f;
	int ipi = 0;

	uk_spin_lock_irqsave(&c->lock, f);
	if (t->cpu != s->cpu) {
		uk_spin_unlock_irqrestore(&c->lock, f);
		return -EAGAIN;
	}
	if (t->state == UK_THREAD_BLOCKED)
		ipi = make_runnable(c, t);
	uk_spin_unlock_irqrestore(&c->lock, f);
	kick(c, ipi);
	return 0;
}

/* Timer interrupt: sleepers whose time has come become runnable. */
static void sleep_timer(void *arg __unused)
{
	struct schedcoop *c = this_coop();
	__nsec now = ukplat_monotonic_clock();

	uk_spin_lock(&c->lock);
	while (c->sleepq && c->sleepq->wakeup <= now)
		make_runnable(c, c->sleepq);
	timer_rearm(c);
	uk_spin_unlock(&c->lock);
}

/* prev leaves for CPU to: queued there once its context is saved. */
static void hand_over(struct uk_thread *prev, unsigned int to_cpu)
{
	struct schedcoop *to = cpu_coop(to_cpu);
	unsigned long f;
	int ipi;

	uk_spin_lock_irqsave(&to->lock, f);
	/* Release: the saved context is complete before it can run. */
	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	ipi = make_runnable(to, prev);
	uk_spin_unlock_irqrestore(&to->lock, f);
	kick(to, ipi);
}

/*
 * Runs in the thread switched to, once prev's context is saved: clears
 * prev's on_cpu, moves it if it migrates, wakes its joiners if it exited.
 */
static void finish_switch(struct schedcoop *c)
{
	struct uk_thread *prev = c->prev;
	int to = -1, exited;

	c->prev = NULL;
	if (!prev)
		return;
	uk_spin_lock(&c->lock);
	exited = prev->state == UK_THREAD_EXITED;
	if (!exited && prev->migrate_to >= 0) {
		/* Wakers ignore a RUNNABLE thread: none queues it meanwhile. */
		to = prev->migrate_to;
		dequeue(c, prev);
		prev->state = UK_THREAD_RUNNABLE;
		prev->cpu = (unsigned int)to;
	} else if (!exited && prev->state == UK_THREAD_RUNNING
		   && prev != c->idle) {
		/* schedule() left it off the queue to move it, and the move
		 * was called off since (moved back here): queue it here. */
		prev->state = UK_THREAD_RUNNABLE;
		rq_push(c, prev);
	}
	prev->migrate_to = -1;
	if (!exited && to < 0)	/* Release: its context is saved. */
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	uk_spin_unlock(&c->lock);
	if (to >= 0) {
		hand_over(prev, (unsigned int)to);
	} else if (exited) {
		/* Joiners re-check on_cpu, so wake them before clearing it. */
		uk_waitq_wake_up(&prev->exit_wq);
		/* Release: joiners may free prev once they see this. */
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	}
}

/*
 * Switches to the next runnable thread of this CPU (or its idle thread).
 * The current thread goes back on the run queue only when it is still
 * RUNNING (a yield); BLOCKED, EXITED or migrating threads do not.
 */
static void schedule(struct schedcoop *c)
{
	struct uk_thread *prev = uk_thread_current(), *next;
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
	uk_spin_unlock(&c->lock);	/* interrupts stay off until finished */
	uk_sched_thread_switch(prev, next);
	finish_switch(this_coop());	/* we may run on another CPU now */
	ukplat_lcpu_restore_irqf(f);
	uk_sched_check_terminate();
}

static void coop_yield(struct uk_sched *s)
{
	schedule(to_coop(s));
}

/* Blocked, and also on the sleep queue until deadline (0: no deadline). */
static void coop_thread_blocked(struct uk_sched *s, __nsec deadline)
{
	struct schedcoop *c = to_coop(s);
	struct uk_thread *t = uk_thread_current();
	unsigned long f;

	uk_spin_lock_irqsave(&c->lock, f);
	if (t->queued == Q_RUN)	/* a waker queued it since: undo */
		rq_remove(c, t);
	/*
	 * Terminated while still running: the terminator's wake-up found t
	 * not blocked and did nothing, so blocking now would never end (a
	 * waiter on a queue nobody wakes hung at -smp 8, about once in 30
	 * runs). Stay running; the next schedule() exits the thread.
	 * Acquire: pairs with uk_sched_thread_terminate()'s release (which
	 * precedes its thread_woken() under this lock).
	 */
	if (__atomic_load_n(&t->terminate, __ATOMIC_ACQUIRE) && !t->exiting) {
		uk_spin_unlock_irqrestore(&c->lock, f);
		return;
	}
	t->state = UK_THREAD_BLOCKED;
	if (deadline && t->queued != Q_SLEEP) {
		t->wakeup = deadline;
		sleepq_insert(c, t);
		timer_rearm(c);
	}
	uk_spin_unlock_irqrestore(&c->lock, f);
}

/*
 * The current thread stops waiting while still running. A waker may have
 * queued it meanwhile (it saw BLOCKED): take it off the run queue again, or
 * it would be queued twice at its next yield.
 */
static void coop_thread_running(struct uk_sched *s)
{
	struct schedcoop *c = to_coop(s);
	struct uk_thread *t = uk_thread_current();
	unsigned long f;

	uk_spin_lock_irqsave(&c->lock, f);
	if (t->queued == Q_SLEEP) {	/* a deadline that did not expire */
		sleepq_remove(c, t);
		timer_rearm(c);
	}
	dequeue(c, t);
	t->state = UK_THREAD_RUNNING;
	uk_spin_unlock_irqrestore(&c->lock, f);
}

/*
 * A thread whose context is live (running, or switching away) moves at its
 * next switch; one that is off CPU leaves its queues at once. A moved
 * sleeper is made runnable on the new CPU and goes back to sleep there.
 */
static int coop_thread_move(struct uk_sched *s, struct uk_thread *t,
			    unsigned int cpu)
{
	struct schedcoop *c = to_coop(s);
	unsigned long f;
	int moved = 0;

	uk_spin_lock_irqsave(&c->lock, f);
	if (t->cpu != s->cpu || (t->state == UK_THREAD_RUNNABLE
				 && t->queued == Q_NONE && !t->on_cpu)) {
		/* Owned elsewhere, or in transit to here: look again. */
		uk_spin_unlock_irqrestore(&c->lock, f);
		return -EAGAIN;
	}
	if (t->state == UK_THREAD_EXITED || t == c->idle) {
		uk_spin_unlock_irqrestore(&c->lock, f);
		return -EINVAL;
	}
	if (cpu == s->cpu) {
		t->migrate_to = -1;
	} else if (t->on_cpu) {
		t->migrate_to = (int)cpu;
	} else if (t->queued != Q_NONE) {
		dequeue(c, t);
		t->state = UK_THREAD_RUNNABLE;
		moved = 1;
	} else {	/* blocked without deadline: wakers follow t->cpu */
		t->cpu = cpu;
	}
	uk_spin_unlock_irqrestore(&c->lock, f);
	if (moved)	/* off every queue until here: nobody else queues it */
		coop_thread_add(uk_sched_get(cpu), t);
	return 0;
}

static void coop_move_self(struct uk_sched *s, unsigned int cpu)
{
	uk_thread_current()->migrate_to = (int)cpu;
	schedule(to_coop(s));	/* finish_switch() queues us on cpu */
}

static __noreturn void coop_thread_exit(struct uk_sched *s)
{
	struct schedcoop *c = to_coop(s);
	unsigned long f;

	uk_spin_lock_irqsave(&c->lock, f);
	uk_thread_current()->state = UK_THREAD_EXITED;
	uk_spin_unlock_irqrestore(&c->lock, f);
	schedule(c);
	UK_CRASH("exited thread %s ran again\n", uk_thread_current()->name);
}

static void coop_thread_started(struct uk_sched *s)
{
	finish_switch(to_coop(s));
}

static unsigned int coop_load(struct uk_sched *s)
{
	/* Relaxed: a placement hint, stale values are fine. */
	return __atomic_load_n(&to_coop(s)->rq_len, __ATOMIC_RELAXED);
}

static unsigned long coop_switches(struct uk_sched *s)
{
	return __atomic_load_n(&to_coop(s)->switches, __ATOMIC_RELAXED);
}

static const struct uk_sched_ops coop_ops = {
	.yield = coop_yield,
	.thread_add = coop_thread_add,
	.thread_woken = coop_thread_woken,
	.thread_blocked = coop_thread_blocked,
	.thread_running = coop_thread_running,
	.thread_move = coop_thread_move,
	.move_self = coop_move_self,
	.thread_exit = coop_thread_exit,
	.thread_started = coop_thread_started,
	.load = coop_load,
	.switches = coop_switches,
};

/* Each CPU's idle thread: run idle hooks and whatever is queued, else halt. */
static void idle_loop(void)
{
	struct schedcoop *c = this_coop();

	for (;;) {
		unsigned long f;

		uk_sched_run_idle_hooks();
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
		schedule(c);
	}
}

static void ap_entry(void)
{
	struct schedcoop *c = this_coop();

	c->idle = uk_sched_thread_adopt("idle");
	c->idle->is_idle = 1;
	ukplat_timer_set_handler(sleep_timer, NULL);
	idle_loop();
}

static void bsp_idle_fn(void *arg __unused)
{
	idle_loop();
}

/* Boot, before main(): main becomes CPU 0's first thread; APs start. */
static int schedcoop_init(void)
{
	struct schedcoop *c0 = cpu_coop(0);
	unsigned int i, n = ukplat_lcpu_count();

	for (i = 0; i < n; i++) {
		struct schedcoop *c = cpu_coop(i);

		c->sched.ops = &coop_ops;
		c->sched.cpu = i;
		uk_spin_init(&c->lock);
		uk_sched_register(&c->sched);
	}
	uk_sched_thread_adopt("main");
	c0->idle = uk_sched_thread_alloc("idle", bsp_idle_fn, NULL);
	if (!c0->idle)
		return -ENOMEM;
	c0->idle->is_idle = 1;
	c0->idle->cpu = 0;
	c0->idle->state = UK_THREAD_RUNNABLE;
	ukplat_timer_set_handler(sleep_timer, NULL);
	uk_sched_set_started();
	for (i = 1; i < n; i++)
		if (ukplat_lcpu_run(i, ap_entry) < 0)
			UK_CRASH("CPU %u did not take its scheduler\n", i);
	return 0;
}

uk_late_initcall(schedcoop_init);
