/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The thread life cycle, whatever the policy: each CPU's run-queue lock,
 * thread states, block and wake-up (one try-to-wake path), sleep
 * deadlines, terminate, migration, the context switch and what is finished
 * after it, the idle loop and the start of every CPU's scheduler. The
 * policy (struct uk_sched_ops, uk/sched_impl.h) only orders the runnable
 * threads of one CPU: uksched calls its enqueue, dequeue and pick_next
 * with that CPU's lock held and decides every transition itself.
 *
 * States (t->state), changed only under the lock of the CPU that owns t
 * (t->cpu):
 *   RUNNING   t is its CPU's current thread (or is being switched to).
 *   RUNNABLE  t is in its CPU's policy queue (t->on_rq), or queued by a
 *             waker while it still runs, or in transit to another CPU.
 *   BLOCKED   t waits for uk_thread_wake(); with a deadline it is also on
 *             its CPU's sleep queue (t->wakeup != 0).
 *   EXITED    final; a joiner frees t once on_cpu is clear.
 * Transitions (state, on_rq, on sleep queue):
 *   RUNNING,0,0  -> BLOCKED,0,0|1   uk_sched_set_blocked_until()
 *   BLOCKED,0,x  -> RUNNABLE,1,0    uk_thread_wake(), sleep timer
 *   BLOCKED|RUNNABLE,x,x -> RUNNING,0,0  uk_sched_set_running(), exit
 *   RUNNING,0,0  -> RUNNABLE,1,0    schedule() (a yield)
 *   RUNNABLE,1,0 -> RUNNING,0,0     schedule() (pick_next)
 * Invariants, asserted where the queues change: a thread on the policy's
 * queue is RUNNABLE, owned by that CPU and not an idle thread; a thread
 * on a sleep queue is BLOCKED. on_cpu is set while t's context is live
 * (from the switch to it until the next thread of that CPU finished the
 * switch away): only then may another CPU run t or a joiner free it.
 */
#include <errno.h>
#include <uk/arch/ctx.h>
#include <uk/assert.h>
#include <uk/init.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/spinlock.h>
#include "uksched.h"

struct sched_rq {
	struct uk_sched *s;		/* the policy's instance of this CPU */
	/* Protects every call into s's queue, the sleep queue, idle_halted,
	 * nr_queued and the state, on_rq, wakeup, sleep_next, cpu and
	 * migrate_to of the threads this CPU owns. Other CPUs take it to
	 * wake, add or move threads; interrupts are off while it is held. */
	struct uk_spinlock lock;
	struct uk_thread *sleepq;	/* blocked with a deadline, by wakeup */
	struct uk_thread *idle;
	struct uk_thread *prev;		/* switched away from, to finish */
	unsigned int nr_queued;		/* threads on s's queue (on_rq) */
	int idle_halted;		/* needs an IPI to notice new work */
};

static UKPLAT_PER_LCPU_DEFINE(struct sched_rq, cpu_rqs);
/* Each CPU's running thread; written only by that CPU. */
static UKPLAT_PER_LCPU_DEFINE(struct uk_thread *, cpu_current);
static int started;

static struct sched_rq *cpu_rq(unsigned int cpu)
{
	return &ukplat_per_lcpu(cpu_rqs, cpu);
}

static struct sched_rq *this_rq(void)
{
	return cpu_rq(ukplat_lcpu_idx());
}

struct uk_thread *uk_thread_current(void)
{
	return ukplat_per_lcpu_current(cpu_current);
}

void uk_sched_set_current(struct uk_thread *t)
{
	ukplat_per_lcpu_current(cpu_current) = t;
}

/* ---- The policy's queue; membership (on_rq) is uksched's ---- */

static void rq_enqueue(struct sched_rq *rq, struct uk_thread *t)
{
	UK_ASSERT(!t->on_rq && !t->is_idle);
	UK_ASSERT(t->state == UK_THREAD_RUNNABLE && t->cpu == rq->s->cpu);
	t->on_rq = 1;
	rq->nr_queued++;
	rq->s->ops->enqueue(rq->s, t);
}

static void rq_dequeue(struct sched_rq *rq, struct uk_thread *t)
{
	if (!t->on_rq)
		return;
	rq->s->ops->dequeue(rq->s, t);
	t->on_rq = 0;
	rq->nr_queued--;
}

static struct uk_thread *rq_pick(struct sched_rq *rq)
{
	struct uk_thread *t = rq->s->ops->pick_next(rq->s);

	UK_ASSERT(!t == !rq->nr_queued);
	if (!t)
		return NULL;
	UK_ASSERT(t->on_rq && t->state == UK_THREAD_RUNNABLE);
	UK_ASSERT(t->cpu == rq->s->cpu);
	t->on_rq = 0;
	rq->nr_queued--;
	return t;
}

/* ---- Sleep queue: blocked threads with a deadline, on this CPU's timer */

static void sleepq_insert(struct sched_rq *rq, struct uk_thread *t,
			  __nsec deadline)
{
	struct uk_thread **p = &rq->sleepq;

	UK_ASSERT(deadline && !t->wakeup && t->state == UK_THREAD_BLOCKED);
	t->wakeup = deadline;
	while (*p && (*p)->wakeup <= deadline)
		p = &(*p)->sleep_next;
	t->sleep_next = *p;
	*p = t;
}

/* Returns 1 when t was on the sleep queue. */
static int sleepq_remove(struct sched_rq *rq, struct uk_thread *t)
{
	struct uk_thread **p = &rq->sleepq;

	if (!t->wakeup)
		return 0;
	while (*p && *p != t)
		p = &(*p)->sleep_next;
	UK_ASSERT(*p == t);
	*p = t->sleep_next;
	t->sleep_next = NULL;
	t->wakeup = 0;
	return 1;
}

/* Own CPU only: the timer is local. An early expiry is harmless. */
static void timer_rearm(struct sched_rq *rq)
{
	if (rq->sleepq)
		ukplat_timer_set(rq->sleepq->wakeup);
	else
		ukplat_timer_cancel();
}

/* Off the policy's queue and the sleep queue; under rq's lock. */
static void take_off(struct sched_rq *rq, struct uk_thread *t)
{
	rq_dequeue(rq, t);
	sleepq_remove(rq, t);
}

/* Makes t runnable on rq; under its lock. Returns 1 if rq needs an IPI. */
static int make_runnable(struct sched_rq *rq, struct uk_thread *t)
{
	take_off(rq, t);
	t->state = UK_THREAD_RUNNABLE;
	rq_enqueue(rq, t);
	return rq->idle_halted;
}

static void kick(struct sched_rq *rq, int ipi)
{
	if (ipi && rq->s->cpu != ukplat_lcpu_idx())
		ukplat_lcpu_wakeup(rq->s->cpu);
}

/* Timer interrupt: sleepers whose time has come become runnable. */
static void sleep_timer(void *arg __unused)
{
	struct sched_rq *rq = this_rq();
	__nsec now = ukplat_monotonic_clock();

	uk_spin_lock(&rq->lock);
	while (rq->sleepq && rq->sleepq->wakeup <= now)
		make_runnable(rq, rq->sleepq);
	timer_rearm(rq);
	uk_spin_unlock(&rq->lock);
}

/* ---- Wake-up, block, add ---- */

/*
 * Locks the CPU that owns t. t->cpu changes only under its old owner's
 * lock (a move), so once the lock is held and t->cpu still names it, t
 * stays there until the unlock.
 */
static struct sched_rq *lock_owner(struct uk_thread *t, unsigned long *f)
{
	for (;;) {
		unsigned int cpu = t->cpu;
		struct sched_rq *rq = cpu_rq(cpu);

		uk_spin_lock_irqsave(&rq->lock, *f);
		if (t->cpu == cpu)
			return rq;
		uk_spin_unlock_irqrestore(&rq->lock, *f);
	}
}

/*
 * The one try-to-wake path (wait queues, terminate, Unikraft's manual
 * wake-up); the sleep timer, which holds the lock already, and the hand-over
 * of a moved thread share its make_runnable().
 */
void uk_thread_wake(struct uk_thread *t)
{
	unsigned long f;
	struct sched_rq *rq = lock_owner(t, &f);
	int ipi = 0;

	if (t->state == UK_THREAD_BLOCKED)
		ipi = make_runnable(rq, t);
	uk_spin_unlock_irqrestore(&rq->lock, f);
	kick(rq, ipi);
}

/* New t (or one moved off its queues, in transit) runs on cpu. */
void uk_sched_thread_add(struct uk_thread *t, unsigned int cpu)
{
	struct sched_rq *rq = cpu_rq(cpu);
	unsigned long f;
	int ipi;

	uk_spin_lock_irqsave(&rq->lock, f);
	t->cpu = cpu;
	ipi = make_runnable(rq, t);
	uk_spin_unlock_irqrestore(&rq->lock, f);
	kick(rq, ipi);
}

void uk_sched_set_blocked_until(__nsec deadline)
{
	struct sched_rq *rq = this_rq();
	struct uk_thread *t = uk_thread_current();
	unsigned long f;

	uk_spin_lock_irqsave(&rq->lock, f);
	rq_dequeue(rq, t);	/* a waker queued it since: undo */
	/*
	 * Terminated while still running: the terminator's wake-up found t
	 * not blocked and did nothing, so blocking now would never end (a
	 * waiter on a queue nobody wakes hung at -smp 8, about once in 30
	 * runs). Stay running; the next schedule() exits the thread.
	 * Acquire: pairs with uk_sched_thread_terminate()'s release, which
	 * precedes its uk_thread_wake() under this lock.
	 */
	if (__atomic_load_n(&t->terminate, __ATOMIC_ACQUIRE) && !t->exiting) {
		sleepq_remove(rq, t);
		t->state = UK_THREAD_RUNNING;
		uk_spin_unlock_irqrestore(&rq->lock, f);
		return;
	}
	t->state = UK_THREAD_BLOCKED;
	if (deadline && !t->wakeup) {
		sleepq_insert(rq, t, deadline);
		timer_rearm(rq);
	}
	uk_spin_unlock_irqrestore(&rq->lock, f);
}

/* The current thread leaves both queues and takes state (RUNNING, EXITED). */
static void current_leaves_queues(int state)
{
	struct sched_rq *rq = this_rq();
	struct uk_thread *t = uk_thread_current();
	unsigned long f;

	uk_spin_lock_irqsave(&rq->lock, f);
	rq_dequeue(rq, t);
	if (sleepq_remove(rq, t))	/* a deadline that did not expire */
		timer_rearm(rq);
	t->state = state;
	uk_spin_unlock_irqrestore(&rq->lock, f);
}

/*
 * The current thread stops waiting while still running. A waker may have
 * queued it meanwhile (it saw BLOCKED): take it off the queue again, or
 * it would be queued twice at its next yield.
 */
void uk_sched_set_running(void)
{
	current_leaves_queues(UK_THREAD_RUNNING);
}

void uk_thread_block_until(struct uk_thread *t, __snsec until)
{
	if (t != uk_thread_current())
		UK_CRASH("uk_thread_block: not the calling thread\n");
	uk_sched_set_blocked_until(until > 0 ? (__nsec)until : 0);
}

/* ---- The switch and what is finished after it ---- */

/* prev leaves for CPU to: queued there once its context is saved. */
static void hand_over(struct uk_thread *prev, unsigned int to_cpu)
{
	struct sched_rq *to = cpu_rq(to_cpu);
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
static void finish_switch(struct sched_rq *rq)
{
	struct uk_thread *prev = rq->prev;
	int to = -1, exited;

	rq->prev = NULL;
	if (!prev)
		return;
	uk_spin_lock(&rq->lock);
	exited = prev->state == UK_THREAD_EXITED;
	if (!exited && prev->migrate_to >= 0) {
		/* Wakers ignore a RUNNABLE thread: none queues it meanwhile. */
		to = prev->migrate_to;
		take_off(rq, prev);
		prev->state = UK_THREAD_RUNNABLE;
		prev->cpu = (unsigned int)to;
	} else if (!exited && prev->state == UK_THREAD_RUNNING
		   && prev != rq->idle) {
		/* schedule() left it off the queue to move it, and the move
		 * was called off since (moved back here): queue it here. */
		prev->state = UK_THREAD_RUNNABLE;
		rq_enqueue(rq, prev);
	}
	prev->migrate_to = -1;
	if (!exited && to < 0)	/* Release: its context is saved. */
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	uk_spin_unlock(&rq->lock);
	if (to >= 0) {
		hand_over(prev, (unsigned int)to);
	} else if (exited) {
		/* Joiners re-check on_cpu, so wake them before clearing it. */
		uk_waitq_wake_up(&prev->exit_wq);
		/* Release: joiners may free prev once they see this. */
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	}
}

/* The next thread: the policy's pick, else prev if it may go on, else idle. */
static struct uk_thread *pick_next(struct sched_rq *rq,
				   struct uk_thread *prev)
{
	struct uk_thread *next = rq_pick(rq);

	if (next)
		return next;
	if (prev->state == UK_THREAD_RUNNABLE && prev->migrate_to < 0)
		return prev;
	return rq->idle;
}

/* Ends the current thread t if uk_sched_thread_terminate() asked for it. */
static void check_terminate(struct uk_thread *t)
{
	/* Acquire: pairs with the terminating thread's release. */
	if (unlikely(__atomic_load_n(&t->terminate, __ATOMIC_ACQUIRE)))
		uk_sched_check_terminate();
}

/*
 * Switches to the next runnable thread of this CPU (or its idle thread).
 * The current thread goes back on the queue only when it is still RUNNING
 * (a yield); BLOCKED, EXITED or migrating threads do not. The per-CPU
 * data is reached by index here, not through calls: this path is the
 * cost of every switch.
 */
static void schedule(void)
{
	unsigned int cpu = ukplat_lcpu_idx();
	struct sched_rq *rq = cpu_rq(cpu);
	struct uk_thread *prev = ukplat_per_lcpu(cpu_current, cpu), *next;
	unsigned long f;

	uk_sched_check_stack(prev);
#if CONFIG_LIBUKLOCK_DEBUG
	/* Sleeping or yielding with a spinlock held can deadlock its CPU. */
	if (uk_spin_held_count())
		UK_CRASH("thread %s switches away holding %u spinlock(s)\n",
			 prev->name, uk_spin_held_count());
#endif
	uk_spin_lock_irqsave(&rq->lock, f);
	if (prev->state == UK_THREAD_RUNNING && prev != rq->idle
	    && prev->migrate_to < 0) {
		prev->state = UK_THREAD_RUNNABLE;
		rq_enqueue(rq, prev);
	}
	next = pick_next(rq, prev);
	next->state = UK_THREAD_RUNNING;
	if (next == prev) {
		uk_spin_unlock_irqrestore(&rq->lock, f);
		check_terminate(prev);
		return;
	}
	next->on_cpu = 1;
	rq->prev = prev;
	uk_spin_unlock(&rq->lock);	/* interrupts stay off until finished */
	ukplat_per_lcpu(cpu_current, cpu) = next;
	uk_sched_tls_switch(next);
	ukarch_ctx_switch(&prev->sp, next->sp);	/* back when prev runs */
	finish_switch(this_rq());	/* we may run on another CPU now */
	ukplat_lcpu_restore_irqf(f);
	check_terminate(prev);
}

void uk_sched_yield(void)
{
	schedule();
}

/* First code of a new thread, right after the switch to it. */
void uk_sched_thread_started(void)
{
	finish_switch(this_rq());
}

void uk_sched_switch_away_exited(void)
{
	current_leaves_queues(UK_THREAD_EXITED);
	schedule();
	UK_CRASH("exited thread %s ran again\n", uk_thread_current()->name);
}

/* ---- Migration ---- */

/*
 * t (not the caller) moves to cpu. A thread whose context is live
 * (running, or switching away) moves at its next switch; one that is off
 * CPU leaves its queues at once. A moved sleeper is made runnable on the
 * new CPU and goes back to sleep there. -EAGAIN: t is in transit (it
 * left its old CPU's queues, the new one has not queued it yet).
 */
static int move_other(struct uk_thread *t, unsigned int cpu)
{
	unsigned long f;
	struct sched_rq *rq = lock_owner(t, &f);
	int moved = 0, r = 0;

	if (t->state == UK_THREAD_RUNNABLE && !t->on_rq && !t->on_cpu) {
		r = -EAGAIN;
	} else if (t->state == UK_THREAD_EXITED || t == rq->idle) {
		r = -EINVAL;
	} else if (cpu == rq->s->cpu) {
		t->migrate_to = -1;
	} else if (t->on_cpu) {
		t->migrate_to = (int)cpu;
	} else if (t->on_rq || t->wakeup) {
		take_off(rq, t);
		t->state = UK_THREAD_RUNNABLE;
		moved = 1;
	} else {	/* blocked without deadline: wakers follow t->cpu */
		t->cpu = cpu;
	}
	uk_spin_unlock_irqrestore(&rq->lock, f);
	if (moved)	/* off every queue until here: nobody else queues it */
		uk_sched_thread_add(t, cpu);
	return r;
}

int uk_sched_move(struct uk_thread *t, unsigned int cpu)
{
	struct uk_thread *self = uk_thread_current();
	int r;

	if (t->is_idle)
		return -EINVAL;
	if (t == self) {
		struct sched_rq *rq = this_rq();
		unsigned long f;

		if (cpu == rq->s->cpu)
			return 0;
		uk_spin_lock_irqsave(&rq->lock, f);
		self->migrate_to = (int)cpu;
		uk_spin_unlock_irqrestore(&rq->lock, f);
		schedule();	/* finish_switch() queues us on cpu */
		UK_ASSERT(ukplat_lcpu_idx() == cpu);
		return 0;
	}
	do	/* -EAGAIN: t is moving meanwhile; follow it */
		r = move_other(t, cpu);
	while (r == -EAGAIN);
	return r;
}

/* ---- Idle loop, start ---- */

int uk_sched_started(void)
{
	return started;
}

/* Each CPU's idle thread: run idle hooks and whatever is queued, else halt. */
static void idle_loop(void)
{
	struct sched_rq *rq = this_rq();

	for (;;) {
		unsigned long f;

		uk_sched_run_idle_hooks();
		uk_spin_lock_irqsave(&rq->lock, f);
		if (!rq->nr_queued) {
			rq->idle_halted = 1;
			uk_spin_unlock(&rq->lock);
			/* sti;hlt: an IPI sent after the unlock still wakes us. */
			ukplat_lcpu_halt_irq();
			uk_spin_lock(&rq->lock);
			rq->idle_halted = 0;
		}
		uk_spin_unlock_irqrestore(&rq->lock, f);
		schedule();
	}
}

static void ap_entry(void)
{
	struct sched_rq *rq = this_rq();

	rq->idle = uk_sched_thread_adopt("idle");
	rq->idle->is_idle = 1;
	ukplat_timer_set_handler(sleep_timer, NULL);
	idle_loop();
}

static void bsp_idle_fn(void *arg __unused)
{
	idle_loop();
}

static void rq_init(unsigned int cpu)
{
	struct sched_rq *rq = cpu_rq(cpu);
	const struct uk_sched_ops *ops;

	rq->s = uk_sched_get(cpu);
	if (!rq->s)
		UK_CRASH("no scheduling policy registered for CPU %u\n", cpu);
	ops = rq->s->ops;
	UK_ASSERT(ops->enqueue && ops->dequeue && ops->pick_next && ops->load);
	uk_spin_init(&rq->lock);
}

/*
 * Boot, before main(), after the policy registered its instances (a late
 * init call of lower priority): main becomes CPU 0's first thread, CPU 0
 * gets an idle thread, and every other CPU's boot context becomes its
 * idle thread.
 */
static int sched_start(void)
{
	unsigned int i, n = ukplat_lcpu_count();
	struct sched_rq *rq0 = cpu_rq(0);

	for (i = 0; i < n; i++)
		rq_init(i);
	uk_sched_thread_adopt("main");
	rq0->idle = uk_sched_thread_alloc("idle", bsp_idle_fn, NULL);
	if (!rq0->idle)
		return -ENOMEM;
	rq0->idle->is_idle = 1;
	rq0->idle->state = UK_THREAD_RUNNABLE;
	ukplat_timer_set_handler(sleep_timer, NULL);
	started = 1;
	for (i = 1; i < n; i++)
		if (ukplat_lcpu_run(i, ap_entry) < 0)
			UK_CRASH("CPU %u did not take its scheduler\n", i);
	return 0;
}

uk_late_initcall_prio(sched_start, UK_SCHED_START_PRIO);
