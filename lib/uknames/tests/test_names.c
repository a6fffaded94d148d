/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unikraft's public names, used the way code written for Unikraft 0.17
 * uses them, and checked at run time: values, lock and interrupt states,
 * thread states, list contents, the order of init-time calls. Each case
 * covers the names one header added for compatibility (doc/unikraft-
 * names.md says which names exist and which are absent, and why).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/arch/spinlock.h>
#include <uk/arch/time.h>
#include <uk/arch/types.h>
#include <uk/argparse.h>
#include <uk/assert.h>
#include <uk/atomic.h>
#include <uk/compiler.h>
#include <uk/ctors.h>
#include <uk/errptr.h>
#include <uk/essentials.h>
#include <uk/init.h>
#include <uk/isr/mutex.h>
#include <uk/isr/semaphore.h>
#include <uk/isr/thread.h>
#include <uk/isr/wait.h>
#include <uk/list.h>
#include <uk/mutex.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/console.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/spinlock.h>
#include <uk/plat/time.h>
#include <uk/preempt.h>
#include <uk/print.h>
#include <uk/prio.h>
#include <uk/rwlock.h>
#include <uk/sched.h>
#include <uk/semaphore.h>
#include <uk/test.h>
#include <uk/thread.h>
#include <uk/wait.h>

/* Registered the way a Unikraft library registers a lib-stage suite. */
uk_testsuite_lib_prio(uknames, NULL, 5);

#define NSEC_PER_MSEC 1000000ULL

/* Spins (yielding) until cond holds or 5 s pass; evaluates to cond. */
#define WAIT_FOR(cond)							\
	({								\
		__nsec __end = ukplat_monotonic_clock()			\
			       + ukarch_time_sec_to_nsec(5);		\
		while (!(cond) && ukplat_monotonic_clock() < __end)	\
			uk_sched_yield();				\
		(cond);							\
	})

/* ---- init table and constructors: the order things ran in ---------- */

static int seq;			/* boot is one CPU: plain ints suffice */
static int seq_ctor2, seq_ctor_latest, seq_early, seq_lib_latest;
static int seq_lib_first, seq_cattr;
static int ctx_argc = -1;
static char *ctx_argv0 = (char *)1;

static void ctor_prio2(void)
{
	seq_ctor2 = ++seq;
}
UK_CTOR_PRIO(ctor_prio2, 2);

static void ctor_latest(void)
{
	seq_ctor_latest = ++seq;
}
UK_CTOR(ctor_latest);

static int init_early(struct uk_init_ctx *ictx)
{
	seq_early = ++seq;
	ctx_argc = ictx->cmdline.argc;
	ctx_argv0 = ictx->cmdline.argv[0];
	return 0;
}

static void term_early(const struct uk_term_ctx *tctx __unused)
{
}
uk_early_initcall(init_early, term_early);

static int init_lib_latest(struct uk_init_ctx *ictx __unused)
{
	seq_lib_latest = ++seq;
	return 0;
}
uk_lib_initcall(init_lib_latest, NULL);

static int init_lib_first(struct uk_init_ctx *ictx __unused)
{
	seq_lib_first = ++seq;
	return 0;
}
uk_lib_initcall_prio(init_lib_first, 0x0, UK_PRIO_AFTER(UK_PRIO_EARLIEST));

static void __constructor cattr(void)
{
	seq_cattr = ++seq;
}

UK_TESTCASE(uknames, init_table_and_ctors)
{
	UK_TEST_EXPECT_SNUM_EQ(UK_PRIO_AFTER(3), 4);
	UK_TEST_EXPECT_SNUM_EQ(UK_PRIO_BEFORE(UK_PRIO_LATEST), 8);
	UK_TEST_EXPECT_SNUM_EQ(UK_PRIO_EARLIEST, 0);
	/* UK_CTORs first, by priority; then classes; C constructors last. */
	UK_TEST_EXPECT_SNUM_EQ(seq_ctor2, 1);
	UK_TEST_EXPECT_SNUM_EQ(seq_ctor_latest, 2);
	UK_TEST_EXPECT_SNUM_EQ(seq_early, 3);
	UK_TEST_EXPECT_SNUM_EQ(seq_lib_first, 4);
	UK_TEST_EXPECT_SNUM_EQ(seq_lib_latest, 5);
	UK_TEST_EXPECT_SNUM_EQ(seq_cattr, 6);
	UK_TEST_EXPECT_SNUM_EQ(ctx_argc, 0);
	UK_TEST_EXPECT_NULL(ctx_argv0);
	UK_TEST_EXPECT(UKPLAT_HALT != UKPLAT_CRASH);
}

/* ---- uk/arch/spinlock.h and uk/plat/spinlock.h --------------------- */

#define ARCH_ITERS 20000

static __spinlock arch_lock = UKARCH_SPINLOCK_INITIALIZER();
static unsigned long arch_count;	/* arch_lock */

static unsigned int arch_ready;		/* workers at the start line */

static void arch_worker(void *arg)
{
	unsigned int n = (unsigned int)(long)arg;
	int i;

	/* All start together, so that their critical sections overlap. */
	uk_inc(&arch_ready);
	while (uk_load_n(&arch_ready) < n)
		ukarch_spinwait();
	for (i = 0; i < ARCH_ITERS; i++) {
		unsigned long v;
		int k;

		ukarch_spin_lock(&arch_lock);
		/*
		 * A plain read-modify-write with a window in the middle:
		 * without mutual exclusion, increments get lost.
		 */
		v = UK_READ_ONCE(arch_count);
		for (k = 0; k < 8; k++)
			ukarch_spinwait();
		UK_WRITE_ONCE(arch_count, v + 1);
		ukarch_spin_unlock(&arch_lock);
	}
}

UK_TESTCASE(uknames, arch_spinlock)
{
	struct uk_thread *t[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	unsigned int n = ukplat_lcpu_count(), i;
	__spinlock l;
	unsigned long f;

	ukarch_spin_init(&l);
	UK_TEST_EXPECT_ZERO(ukarch_spin_is_locked(&l));
	UK_TEST_EXPECT_SNUM_EQ(ukarch_spin_trylock(&l), 1);
	UK_TEST_EXPECT_NOT_ZERO(ukarch_spin_is_locked(&l));
	UK_TEST_EXPECT_ZERO(ukarch_spin_trylock(&l));
	ukarch_spin_unlock(&l);
	UK_TEST_EXPECT_ZERO(ukarch_spin_is_locked(&l));

	ukplat_spin_lock_irqsave(&l, f);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	UK_TEST_EXPECT_NOT_ZERO(ukarch_spin_is_locked(&l));
	ukplat_spin_unlock_irqrestore(&l, f);
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());
	ukplat_spin_lock_irq(&l);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	ukplat_spin_unlock_irq(&l);
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());
	UK_TEST_EXPECT_ZERO(ukarch_spin_is_locked(&l));

	/* One thread per CPU, ARCH_ITERS locked increments each. */
	arch_count = 0;
	arch_ready = 0;
	for (i = 0; i < n; i++)
		t[i] = uk_sched_thread_create_on(i, arch_worker,
						 (void *)(long)n, "arch");
	for (i = 0; i < n; i++) {
		UK_TEST_REQUIRE(t[i] != NULL);
		uk_thread_join(t[i]);
	}
	UK_TEST_EXPECT_UNUM_EQ(arch_count, (unsigned long)n * ARCH_ITERS);
	UK_TEST_EXPECT_ZERO(ukarch_spin_is_locked(&arch_lock));
}

/* ---- uk/atomic.h --------------------------------------------------- */

UK_TESTCASE(uknames, atomics)
{
	unsigned long v = 5, exp;
	int x = 7;

	UK_TEST_EXPECT_UNUM_EQ(uk_load_n(&v), 5);
	uk_store_n(&v, 10);
	UK_TEST_EXPECT_UNUM_EQ(uk_fetch_add(&v, 3), 10);
	UK_TEST_EXPECT_UNUM_EQ(uk_add_fetch(&v, 2), 15);
	UK_TEST_EXPECT_UNUM_EQ(uk_fetch_sub(&v, 5), 15);
	UK_TEST_EXPECT_UNUM_EQ(uk_sub_fetch(&v, 1), 9);
	UK_TEST_EXPECT_UNUM_EQ(uk_inc(&v), 9);
	UK_TEST_EXPECT_UNUM_EQ(uk_dec(&v), 10);
	UK_TEST_EXPECT_UNUM_EQ(uk_or(&v, 0x30), 9);
	UK_TEST_EXPECT_UNUM_EQ(uk_and(&v, 0x11), 0x39);
	UK_TEST_EXPECT_UNUM_EQ(v, 0x11);
	UK_TEST_EXPECT_UNUM_EQ(uk_exchange_n(&v, 4), 0x11);
	exp = 3;
	UK_TEST_EXPECT(!uk_compare_exchange_n(&v, &exp, 8));
	UK_TEST_EXPECT_UNUM_EQ(exp, 4);
	UK_TEST_EXPECT(uk_compare_exchange_n(&v, &exp, 8));
	UK_TEST_EXPECT_UNUM_EQ(v, 8);
	UK_TEST_EXPECT_UNUM_EQ(uk_compare_exchange_sync(&v, 8, 20), 20);
	UK_TEST_EXPECT_UNUM_EQ(uk_compare_exchange_sync(&v, 8, 30), 8);
	UK_TEST_EXPECT_UNUM_EQ(v, 20);
	UK_WRITE_ONCE(x, 9);
	UK_TEST_EXPECT_SNUM_EQ(UK_READ_ONCE(x), 9);
	UK_ACCESS_ONCE(x) = 11;
	UK_TEST_EXPECT_SNUM_EQ(x, 11);
	uk_preempt_disable();
	x++;
	uk_preempt_enable();
	UK_TEST_EXPECT_SNUM_EQ(x, 12);
}

/* ---- uk/essentials.h, uk/compiler.h, uk/arch/types.h, time.h ------- */

struct pair {
	int a;
	long b;
};

static int answer(void)
{
	return 42;
}
__alias(answer, answer_alias);

static __uk_tls int tls_var = 5;

static void tls_worker(void *arg)
{
	tls_var += 1;
	*(int *)arg = tls_var;
}

static __noinline __uptr my_return_addr(void)
{
	return __return_addr(0);
}

UK_TESTCASE(uknames, essentials)
{
	static char page[8] __align4k;
	const char *cs = "const";
	char buf[64];
	int fall = 0, got = 0, k;
	struct uk_thread *t;

	UK_TEST_EXPECT_SNUM_EQ(MIN3(4, 2, 3), 2);
	UK_TEST_EXPECT_SNUM_EQ(MAX4(1, 9, 3, 4), 9);
	UK_TEST_EXPECT_SNUM_EQ(MIN4(5, 6, 7, 1), 1);
	UK_TEST_EXPECT_SNUM_EQ(MAX3(1, 2, 3), 3);
	UK_TEST_EXPECT(POWER_OF_2(64) && !POWER_OF_2(0) && !POWER_OF_2(12));
	UK_TEST_EXPECT(IN_RANGE(10, 10, 5) && !IN_RANGE(15, 10, 5));
	UK_TEST_EXPECT(RANGE_ISEQUAL(1, 2, 1, 2) && !RANGE_ISEQUAL(1, 2, 1, 3));
	UK_TEST_EXPECT(RANGE_CONTAIN(0, 10, 2, 8) && !RANGE_CONTAIN(0, 10, 2, 9));
	UK_TEST_EXPECT(RANGE_OVERLAP(0, 10, 9, 5) && !RANGE_OVERLAP(0, 10, 10, 5));
	UK_TEST_EXPECT_PTR_EQ(DECONST(char *, cs), cs);
	UK_TEST_EXPECT_PTR_EQ(DEQUALIFY(char *, cs), cs);
	UK_TEST_EXPECT_SNUM_EQ(UK_NARGS(), 0);
	UK_TEST_EXPECT_SNUM_EQ(UK_NARGS(a), 1);
	UK_TEST_EXPECT_SNUM_EQ(UK_NARGS(a, b, c), 3);
	UK_TEST_EXPECT_ZERO(strcmp(__STRINGIFY(x + 1), "x + 1"));
	UK_TEST_EXPECT_ZERO((__uptr)page % 4096);
	UK_TEST_EXPECT_UNUM_EQ(__offsetof(struct pair, b), 8);
	UK_TEST_EXPECT(__contains(struct pair, b, 16));
	UK_TEST_EXPECT(!__contains(struct pair, b, 12));
	UK_TEST_EXPECT_SNUM_EQ(answer_alias(), 42);
	UK_TEST_EXPECT_NOT_ZERO(my_return_addr());
	UK_TEST_EXPECT_NOT_ZERO(__frame_addr(0));
	for (k = 0; k < 2; k++) {
		switch (k) {
		case 0:
			fall++;
			__fallthrough;
		case 1:
			fall++;
			break;
		}
	}
	UK_TEST_EXPECT_SNUM_EQ(fall, 3);

	UK_TEST_EXPECT_UNUM_EQ(sizeof(__sz), sizeof(size_t));
	UK_TEST_EXPECT_UNUM_EQ(sizeof(__s8) + sizeof(__s16), 3);
	UK_TEST_EXPECT_UNUM_EQ(sizeof(__uptr), sizeof(void *));
	UK_TEST_EXPECT((__ssz)-1 < 0 && (__off)-1 < 0 && (__sptr)-1 < 0);
	UK_TEST_EXPECT_PTR_EQ(__NULL, NULL);
	snprintf(buf, sizeof(buf), "%" __PRIu64 " %" __PRIs64 " %" __PRIx32
		 " %" __PRInsec " %" __PRIsz " %" __PRIsnsec,
		 (__u64)UINT64_MAX, (__s64)-2, (__u32)0xabc, (__nsec)7,
		 (__sz)8, (__snsec)-9);
	UK_TEST_EXPECT_ZERO(strcmp(buf, "18446744073709551615 -2 abc 7 8 -9"));
	UK_TEST_EXPECT(__SNSEC_MAX == INT64_MAX && __SNSEC_MIN == INT64_MIN);
	UK_TEST_EXPECT_UNUM_EQ(ukarch_time_nsec_to_sec(3500000000ULL), 3);
	UK_TEST_EXPECT_UNUM_EQ(ukarch_time_subsec(3500000000ULL), 500000000);
	UK_TEST_EXPECT(PTRISERR(ERR2PTR(-ENOMEM)) && PTRISERR(NULL));
	UK_TEST_EXPECT(!PTRISERR(buf) && !PTRISERR(ERR2PTR(-MAXERRNO - 1)));
	UK_TEST_EXPECT_SNUM_EQ(PTR2ERR(ERR2PTR(-EINVAL)), -EINVAL);

	/* __uk_tls: each thread starts from the initial value. */
	tls_var = 100;
	t = uk_sched_thread_create_on(UK_SCHED_CPU_ANY, tls_worker, &got,
				      "tls");
	UK_TEST_REQUIRE(t != NULL);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(got, 6);
	UK_TEST_EXPECT_SNUM_EQ(tls_var, 100);
}

/* ---- uk/plat/lcpu.h ------------------------------------------------ */

static UKPLAT_PER_LCPU_ARRAY_DEFINE(int, lcpu_hits, 3);
static __lcpuid lcpu_ids[CONFIG_UKPLAT_LCPU_MAXCOUNT];

static void lcpu_worker(void *arg __unused)
{
	__lcpuidx me = ukplat_lcpu_idx();

	ukplat_per_lcpu_array_current(lcpu_hits, 1) += (int)me + 1;
	ukplat_per_lcpu_array_current(lcpu_hits, 2) = 7;
	lcpu_ids[me] = ukplat_lcpu_id();
}

UK_TESTCASE(uknames, lcpu)
{
	struct uk_thread *t[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	unsigned int n = ukplat_lcpu_count(), i, num;
	__lcpuidx list[2] = { 0, 0 };
	int bad = 0;

	UK_TEST_EXPECT_UNUM_EQ(ukplat_lcpu_id(),
			       ukplat_lcpu_id(ukplat_lcpu_idx()));
	for (i = 0; i < n; i++)
		t[i] = uk_sched_thread_create_on(i, lcpu_worker, NULL, "pcpu");
	for (i = 0; i < n; i++) {
		UK_TEST_REQUIRE(t[i] != NULL);
		uk_thread_join(t[i]);
	}
	for (i = 0; i < n; i++)
		bad += ukplat_per_lcpu_array(lcpu_hits, i, 0) != 0
		       || ukplat_per_lcpu_array(lcpu_hits, i, 1) != (int)i + 1
		       || ukplat_per_lcpu_array(lcpu_hits, i, 2) != 7
		       || lcpu_ids[i] != ukplat_lcpu_id(i);
	UK_TEST_EXPECT_ZERO(bad);

	UK_TEST_EXPECT_ZERO(ukplat_lcpu_wakeup(NULL, NULL));
	num = 1;
	UK_TEST_EXPECT_ZERO(ukplat_lcpu_wakeup(list, &num));
	UK_TEST_EXPECT_UNUM_EQ(num, 1);
	list[1] = n;		/* not an online CPU */
	num = 2;
	UK_TEST_EXPECT_SNUM_EQ(ukplat_lcpu_wakeup(list, &num), -EINVAL);
	UK_TEST_EXPECT_UNUM_EQ(num, 1);
}

/* ---- uk/mutex.h, uk/rwlock.h, uk/semaphore.h, isr variants --------- */

static struct uk_mutex cv_mutex = UK_MUTEX_INITIALIZER(cv_mutex);
static DEFINE_WAIT_QUEUE(cv_wq);
static int cv_flag;		/* cv_mutex */
static int cv_trylock_failed;

static void cv_signaller(void *arg __unused)
{
	/* The waiter releases cv_mutex while it waits, so this gets it. */
	uk_mutex_lock(&cv_mutex);
	cv_flag = 1;
	uk_waitq_wake_up(&cv_wq);
	uk_mutex_unlock(&cv_mutex);
}

static void cv_prober(void *arg __unused)
{
	cv_trylock_failed = !uk_mutex_trylock(&cv_mutex);
	if (!cv_trylock_failed)
		uk_mutex_unlock(&cv_mutex);
}

UK_TESTCASE(uknames, mutex_rwlock_semaphore)
{
	struct uk_mutex m = UK_MUTEX_INITIALIZER(m);
	struct uk_mutex r = UK_MUTEX_INITIALIZER_RECURSIVE(r);
	struct uk_rwlock rw = UK_RWLOCK_INITIALIZER(rw, 0);
	struct uk_semaphore s;
	struct uk_thread *t;
	int timedout;

	UK_TEST_EXPECT_ZERO(uk_mutex_is_recursive(&m));
	UK_TEST_EXPECT_NOT_ZERO(uk_mutex_is_recursive(&r));
	UK_TEST_EXPECT_SNUM_EQ(uk_mutex_trylock_isr(&m), 1);
	UK_TEST_EXPECT_NOT_ZERO(uk_mutex_is_locked(&m));
	UK_TEST_EXPECT_ZERO(uk_mutex_trylock_isr(&m));
	uk_mutex_unlock(&m);
	UK_TEST_EXPECT_ZERO(uk_mutex_is_locked(&m));

	/* A condition protected by a mutex, signalled from another CPU. */
	uk_mutex_lock(&cv_mutex);
	cv_flag = 0;
	t = uk_sched_thread_create_on(ukplat_lcpu_count() - 1, cv_signaller,
				      NULL, "signal");
	UK_TEST_REQUIRE(t != NULL);
	uk_waitq_wait_event_mutex(&cv_wq, cv_flag == 1, &cv_mutex);
	UK_TEST_EXPECT_SNUM_EQ(cv_flag, 1);
	uk_thread_join(t);
	/* ... and it returned with the mutex held: others cannot take it. */
	t = uk_sched_thread_create_on(UK_SCHED_CPU_ANY, cv_prober, NULL,
				      "probe");
	UK_TEST_REQUIRE(t != NULL);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(cv_trylock_failed, 1);
	/* Nobody signals: times out after 20 ms, mutex held again. */
	timedout = uk_waitq_wait_event_deadline_mutex(&cv_wq, cv_flag == 2,
		ukplat_monotonic_clock() + 20 * NSEC_PER_MSEC, &cv_mutex);
	UK_TEST_EXPECT_SNUM_EQ(timedout, 1);
	UK_TEST_EXPECT_NOT_ZERO(uk_mutex_is_locked(&cv_mutex));
	uk_mutex_unlock(&cv_mutex);
	UK_TEST_EXPECT_ZERO(uk_mutex_is_locked(&cv_mutex));

	UK_TEST_EXPECT_ZERO(uk_rwlock_is_write_recursive(&rw));
	uk_rwlock_rlock(&rw);
	uk_rwlock_rlock(&rw);
	UK_TEST_EXPECT_SNUM_EQ(rw.readers, 2);
	uk_rwlock_runlock(&rw);
	uk_rwlock_runlock(&rw);
	uk_rwlock_wlock(&rw);
	UK_TEST_EXPECT_SNUM_EQ(rw.writer, 1);
	uk_rwlock_wunlock(&rw);
	UK_TEST_EXPECT_SNUM_EQ(rw.readers + rw.writer, 0);

	uk_semaphore_init(&s, 0);
	UK_TEST_EXPECT_ZERO(uk_semaphore_down_try_isr(&s));
	uk_semaphore_up_isr(&s);
	UK_TEST_EXPECT_SNUM_EQ(s.count, 1);
	UK_TEST_EXPECT_SNUM_EQ(uk_semaphore_down_try_isr(&s), 1);
	UK_TEST_EXPECT_SNUM_EQ(s.count, 0);
}

/* ---- uk/wait.h ----------------------------------------------------- */

static struct uk_waitq sl_wq = UK_WAIT_QUEUE_INITIALIZER(sl_wq);
static struct uk_spinlock sl_lock = UK_SPINLOCK_INITIALIZER();
static int sl_flag;			/* sl_lock */
static int sl_held_after;

static void sl_waiter(void *arg __unused)
{
	uk_spin_lock(&sl_lock);
	uk_waitq_wait_event_locked(&sl_wq, sl_flag, uk_spin_lock,
				   uk_spin_unlock, &sl_lock);
	sl_held_after = uk_spin_is_locked(&sl_lock);
	uk_spin_unlock(&sl_lock);
}

UK_TESTCASE(uknames, waitq)
{
	struct uk_waitq wq = __WAIT_QUEUE_INITIALIZER(wq);
	struct uk_thread *t;

	UK_TEST_EXPECT_NOT_ZERO(uk_waitq_empty(&wq));
	uk_waitq_wake_up_isr(&wq);		/* nobody: nothing happens */
	UK_TEST_EXPECT_NOT_ZERO(uk_waitq_empty(&wq));

	sl_flag = 0;
	sl_held_after = 0;
	t = uk_sched_thread_create_on(ukplat_lcpu_count() - 1, sl_waiter,
				      NULL, "slwait");
	UK_TEST_REQUIRE(t != NULL);
	/*
	 * It waits on the queue with the spinlock released (it is marked
	 * blocked, and queued, just before it releases the lock).
	 */
	UK_TEST_EXPECT(WAIT_FOR(!uk_waitq_empty(&sl_wq)
				&& uk_thread_is_blocked(t)
				&& !uk_spin_is_locked(&sl_lock)));
	uk_spin_lock(&sl_lock);
	sl_flag = 1;
	uk_waitq_wake_up(&sl_wq);
	uk_spin_unlock(&sl_lock);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(sl_held_after, 1);
	UK_TEST_EXPECT_NOT_ZERO(uk_waitq_empty(&sl_wq));
	UK_TEST_EXPECT_ZERO(uk_spin_is_locked(&sl_lock));
}

/* ---- uk/thread.h, uk/sched.h --------------------------------------- */

static int blk_stage;

static void blocker(void *arg __unused)
{
	uk_thread_block(uk_thread_current());
	blk_stage = 1;		/* not yet yielded: still runs */
	uk_sched_yield();	/* returns once woken */
	blk_stage = 2;
}

static void exiter(void *arg)
{
	*(int *)arg = 1;
	uk_thread_exit();
	*(int *)arg = 2;	/* never reached */
}

static void sleeper_forever(void *arg __unused)
{
	uk_thread_block(uk_thread_current());
	uk_sched_yield();	/* nobody wakes it: terminated instead */
}

static int fn_seen;

static void fn0(void)
{
	uk_inc(&fn_seen);
}

static void fn1(void *a)
{
	uk_add_fetch(&fn_seen, (long)a);
}

static void fn2(void *a, void *b)
{
	uk_add_fetch(&fn_seen, (long)a * (long)b);
}

UK_TESTCASE(uknames, threads)
{
	struct uk_sched *s = uk_sched_current();
	struct uk_thread *t;
	__nsec t0;
	int flag = 0;

	UK_TEST_EXPECT(uk_thread_is_runnable(uk_thread_current()));
	UK_TEST_EXPECT(!uk_thread_is_blocked(uk_thread_current()));

	blk_stage = 0;
	t = uk_sched_thread_create_on(ukplat_lcpu_count() - 1, blocker, NULL,
				      "blocker");
	UK_TEST_REQUIRE(t != NULL);
	UK_TEST_EXPECT(WAIT_FOR(blk_stage == 1 && uk_thread_is_blocked(t)));
	UK_TEST_EXPECT_SNUM_EQ(blk_stage, 1);
	uk_thread_wake_isr(t);
	UK_TEST_EXPECT(WAIT_FOR(uk_thread_is_exited(t)));
	UK_TEST_EXPECT_SNUM_EQ(blk_stage, 2);
	uk_thread_join(t);

	/* Blocked with a timeout and never woken: back after it. */
	t0 = ukplat_monotonic_clock();
	uk_thread_block_timeout(uk_thread_current(), 10 * NSEC_PER_MSEC);
	uk_sched_yield();
	UK_TEST_EXPECT_UNUM_GE(ukplat_monotonic_clock() - t0,
			       10 * NSEC_PER_MSEC);
	t0 = ukplat_monotonic_clock();
	uk_thread_block_until(uk_thread_current(),
			      (__snsec)(t0 + 5 * NSEC_PER_MSEC));
	uk_sched_yield();
	UK_TEST_EXPECT_UNUM_GE(ukplat_monotonic_clock() - t0,
			       5 * NSEC_PER_MSEC);

	t = uk_sched_thread_create(s, exiter, &flag, "exiter");
	UK_TEST_REQUIRE(t != NULL);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(flag, 1);

	t = uk_sched_thread_create_on(UK_SCHED_CPU_ANY, sleeper_forever,
				      NULL, "forever");
	UK_TEST_REQUIRE(t != NULL);
	UK_TEST_EXPECT(WAIT_FOR(uk_thread_is_blocked(t)));
	uk_thread_terminate(t);
	uk_thread_join(t);

	/* Unikraft's argument lists: 10, 9 and 11 arguments. */
	fn_seen = 0;
	t = uk_sched_thread_create_fn1(s, fn1, (void *)40L, 0x0, 0x0, false,
				       false, "fn1", NULL, NULL);
	UK_TEST_REQUIRE(t != NULL);
	uk_thread_join(t);
	t = uk_sched_thread_create_fn0(s, fn0, 0x0, 0x0, false, false, "fn0",
				       NULL, NULL);
	UK_TEST_REQUIRE(t != NULL);
	uk_thread_join(t);
	t = uk_sched_thread_create_fn2(s, fn2, (void *)3L, (void *)7L, 0x0,
				       0x0, true, true, "fn2", NULL, NULL);
	UK_TEST_REQUIRE(t != NULL);
	uk_thread_join(t);
	UK_TEST_EXPECT_SNUM_EQ(fn_seen, 40 + 1 + 21);
	/* A private pointer or destructor cannot be kept: refused. */
	errno = 0;
	UK_TEST_EXPECT_NULL(uk_sched_thread_create_fn1(s, fn1, NULL, 0, 0,
						       false, false, "priv",
						       &flag, NULL));
	UK_TEST_EXPECT_SNUM_EQ(errno, ENOTSUP);
	UK_TEST_EXPECT_SNUM_EQ(fn_seen, 62);
}

/* ---- uk/alloc.h ---------------------------------------------------- */

UK_TESTCASE(uknames, alloc)
{
	struct uk_alloc *a = uk_alloc_get_default();
	unsigned char *p;
	void *pg;
	long pages, bytes;
	size_t i, nonzero = 0;

	UK_TEST_REQUIRE(a != NULL);
	p = uk_do_malloc(a, 256);
	UK_TEST_REQUIRE(p != NULL);
	memset(p, 0xa5, 256);
	uk_do_free(a, p);
	p = uk_zalloc(a, 256);
	UK_TEST_REQUIRE(p != NULL);
	for (i = 0; i < 256; i++)
		nonzero += p[i] != 0;
	UK_TEST_EXPECT_UNUM_EQ(nonzero, 0);
	p = uk_do_realloc(a, p, 512);
	UK_TEST_REQUIRE(p != NULL);
	uk_free(a, p);
	p = uk_do_zalloc(a, 32);
	UK_TEST_EXPECT_NOT_NULL(p);
	uk_do_free(a, p);
	p = uk_do_memalign(a, 256, 100);
	UK_TEST_EXPECT_ZERO((__uptr)p % 256);
	uk_do_free(a, p);
	pg = uk_do_palloc(a, 2);
	UK_TEST_REQUIRE(pg != NULL);
	UK_TEST_EXPECT_ZERO((__uptr)pg % PAGE_SIZE);
	uk_do_pfree(a, pg, 2);

	bytes = uk_alloc_availmem(a);
	pages = uk_alloc_pavailmem(a);
	UK_TEST_EXPECT_SNUM_GT(pages, 0);
	/* A snapshot each: nothing else allocates now, within a page. */
	UK_TEST_EXPECT_SNUM_LE(pages - bytes / (long)PAGE_SIZE, 1);
	UK_TEST_EXPECT_SNUM_GE(pages - bytes / (long)PAGE_SIZE, -1);
	UK_TEST_EXPECT_SNUM_GT(uk_alloc_pmaxalloc(a), 0);
	UK_TEST_EXPECT_SNUM_LE(uk_alloc_pmaxalloc(a), pages + 1);
	UK_TEST_EXPECT_UNUM_GE(uk_alloc_availmem_total() + PAGE_SIZE,
			       (unsigned long)bytes);
	UK_TEST_EXPECT_UNUM_GE(uk_alloc_pavailmem_total() + 1,
			       (unsigned long)pages);
	UK_TEST_EXPECT_SNUM_EQ(uk_alloc_pmaxalloc(NULL), -EINVAL);
}

/* ---- uk/print.h, uk/assert.h, uk/test.h ---------------------------- */

static int stub_calls;

static void a_stub(void)
{
	UK_WARN_STUBBED();
	stub_calls++;
}

static void vprint(int lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	uk_vprintk(lvl, fmt, ap);
	va_end(ap);
}

UK_TESTCASE(uknames, print)
{
	int evaluated = 0, i;

	UK_TEST_EXPECT_SNUM_EQ(KLVL_MAX, UK_PRINT_KLVL_MAX);
	/* Arguments are evaluated only when the message is printed. */
	for (i = 0; i < 3; i++)
		uk_pr_crit_once("uknames: printed once (%d)\n", ++evaluated);
	UK_TEST_EXPECT_SNUM_EQ(evaluated, 1);
	uk_printd("uknames: debug print %d\n", ++evaluated);
	UK_TEST_EXPECT_SNUM_EQ(evaluated, KLVL_MAX >= KLVL_DEBUG ? 2 : 1);
	vprint(KLVL_CRIT, "uknames: uk_vprintk %d %s\n", 7, "ok");
	a_stub();
	a_stub();
	UK_TEST_EXPECT_SNUM_EQ(stub_calls, 2);
	UK_WARNIF(evaluated > 100);
	uk_test_printf("uknames: uk_test_printf %d\n", 3);

	/* uk/plat/console.h's escape sequences. */
	UK_TEST_EXPECT_ZERO(strcmp(UK_ANSI_MOD_COLOR(UK_ANSI_COLOR_RED,
						     UK_ANSI_COLOR_BLACK),
				   "\033[31;40m"));
	UK_TEST_EXPECT_ZERO(strcmp(UK_ANSI_MOD_COLORFG(2) UK_ANSI_MOD_RESET,
				   "\033[32m\033[0m"));
	UK_TEST_EXPECT_ZERO(strcmp(UK_ANSI_MOD_COLORBG(UK_ANSI_COLOR_WHITE),
				   "\033[47m"));
	UK_TEST_EXPECT_ZERO(strcmp(UK_ANSI_POS(3, 7) UK_ANSI_RIGHT(2)
				   UK_ANSI_CLEARSCREEN, "\033[3;7H\033[2C\033[2J"));
}

/* ---- uk/argparse.h ------------------------------------------------- */

UK_TESTCASE(uknames, argparse)
{
	char cmd[] = "one 'two words' three";
	char list[] = "a:bc::d";
	const char *rlist = "a:bc::d", *rp = rlist;
	char *argv[4], *lp = list, *arg;
	size_t lens[5];
	int n = 0;

	UK_TEST_EXPECT_SNUM_EQ(uk_argparse(cmd, argv, 4), 3);
	UK_TEST_EXPECT_ZERO(strcmp(argv[1], "two words"));
	UK_TEST_EXPECT_NULL(argv[3]);

	while ((arg = uk_nextarg(&lp, ':')) != NULL && n < 5)
		argv[n++ % 4] = arg, lens[n - 1] = strlen(arg);
	UK_TEST_EXPECT_SNUM_EQ(n, 4);
	UK_TEST_EXPECT(lens[0] == 1 && lens[1] == 2 && lens[2] == 0
		       && lens[3] == 1);
	UK_TEST_EXPECT_ZERO(strcmp(argv[3], "d"));
	UK_TEST_EXPECT_NULL(lp);

	UK_TEST_EXPECT_UNUM_EQ(uk_nextarg_r(&rp, ':'), 1);
	UK_TEST_EXPECT_UNUM_EQ(uk_nextarg_r(&rp, ':'), 2);
	UK_TEST_EXPECT_UNUM_EQ(uk_nextarg_r(&rp, ':'), 0);
	UK_TEST_EXPECT_PTR_EQ(rp, rlist + 6);
	UK_TEST_EXPECT_UNUM_EQ(uk_nextarg_r(&rp, ':'), 1);
	UK_TEST_EXPECT_NULL(rp);
	UK_TEST_EXPECT_UNUM_EQ(uk_nextarg_r(&rp, ':'), 0);
	UK_TEST_EXPECT_ZERO(strcmp(rlist, "a:bc::d"));

	UK_TEST_EXPECT_SNUM_EQ(uk_strnkeycmp("ramfs=2", 7, "ram", "="), -1);
	UK_TEST_EXPECT_SNUM_EQ(uk_strnkeycmp("ramfs=2", 7, "ramfs", "="), 5);
	UK_TEST_EXPECT_SNUM_EQ(uk_strnkeycmp("ramfs=2", 7, "format", "="),
			       -1);
	UK_TEST_EXPECT_SNUM_EQ(uk_strnkeycmp("ramfs", 5, "ramfs", "="), 0);
	UK_TEST_EXPECT_SNUM_EQ(uk_strnkeycmp("ramfs=2", 7, "ramfs", NULL),
			       -1);
}

/* ---- uk/list.h ----------------------------------------------------- */

struct item {
	int v;
	struct uk_list_head list;
	struct uk_hlist_node node;
};

/* Values as digits, in the order a loop visits them ("" when none). */
struct digits {
	char s[16];
	size_t n;
};

static void digits_reset(struct digits *d)
{
	d->n = 0;
	d->s[0] = '\0';
}

static void digits_add(struct digits *d, int v)
{
	if (d->n < sizeof(d->s) - 1)
		d->s[d->n++] = (char)('0' + v);
	d->s[d->n] = '\0';
}

/* The digits of the elements p visits in loop (a FOREACH header). */
#define DIGITS(p, loop)							\
	({								\
		static struct digits __d;				\
									\
		digits_reset(&__d);					\
		loop							\
			digits_add(&__d, (p)->v);			\
		__d.s;							\
	})

static const char *list_str(struct uk_list_head *head, int reverse)
{
	struct item *it;

	if (reverse)
		return DIGITS(it, uk_list_for_each_entry_reverse(it, head,
								 list));
	return DIGITS(it, uk_list_for_each_entry(it, head, list));
}

static const char *hlist_str(struct uk_hlist_head *head)
{
	struct item *it;

	return DIGITS(it, uk_hlist_for_each_entry(it, head, node));
}

#define EXPECT_STR(got, want)						\
	do {								\
		const char *__got = (got);				\
									\
		UK_TEST_ASSERTF(strcmp(__got, (want)) == 0,		\
				"expected \"%s\", got \"%s\"", (want),	\
				__got);					\
	} while (0)

UK_TESTCASE(uknames, list)
{
	UK_LIST_HEAD(head);
	struct uk_list_head other, cut;
	struct uk_hlist_head hh = UK_HLIST_HEAD_INIT, hh2;
	struct item it[8], *p, *n;
	struct uk_list_head *e, *tmp;
	struct uk_hlist_node *hn, *hnext;
	int i, count = 0;

	UK_INIT_LIST_HEAD(&other);
	UK_TEST_EXPECT(uk_list_empty(&head) && uk_list_empty_careful(&head));
	UK_TEST_EXPECT_NULL(uk_list_first_entry_or_null(&head, struct item,
							list));
	for (i = 0; i < 8; i++)
		it[i].v = i;
	for (i = 1; i <= 5; i++)
		uk_list_add_tail(&it[i].list, &head);
	uk_list_add(&it[0].list, &head);
	EXPECT_STR(list_str(&head, 0), "012345");
	EXPECT_STR(list_str(&head, 1), "543210");
	UK_TEST_EXPECT_PTR_EQ(uk_list_first_entry(&head, struct item, list),
			      &it[0]);
	UK_TEST_EXPECT_PTR_EQ(uk_list_last_entry_or_null(&head, struct item,
							 list), &it[5]);
	UK_TEST_EXPECT_PTR_EQ(uk_list_next_entry(&it[2], list), &it[3]);
	UK_TEST_EXPECT_PTR_EQ(uk_list_prev_entry(&it[2], list), &it[1]);
	UK_TEST_EXPECT(uk_list_is_last(&it[5].list, &head));
	uk_list_for_each(e, &head)
		count++;
	uk_list_for_each_prev(e, &head)
		count++;
	UK_TEST_EXPECT_SNUM_EQ(count, 12);

	/* Remove the even ones while walking. */
	uk_list_for_each_entry_safe(p, n, &head, list)
		if (p->v % 2 == 0)
			uk_list_del(&p->list);
	EXPECT_STR(list_str(&head, 0), "135");
	uk_list_for_each_safe(e, tmp, &head)
		if (uk_list_entry(e, struct item, list)->v == 3)
			uk_list_del_init(e);
	EXPECT_STR(list_str(&head, 0), "15");
	UK_TEST_EXPECT(uk_list_empty(&it[3].list));

	uk_list_add_tail(&it[2].list, &other);
	uk_list_add_tail(&it[4].list, &other);
	uk_list_splice_init(&other, &head);
	EXPECT_STR(list_str(&head, 0), "2415");
	UK_TEST_EXPECT(uk_list_empty(&other));
	uk_list_add(&it[6].list, &other);
	UK_TEST_EXPECT(uk_list_is_singular(&other));
	uk_list_splice_tail_init(&other, &head);
	EXPECT_STR(list_str(&head, 0), "24156");
	uk_list_move_tail(&it[2].list, &head);
	uk_list_move(&it[5].list, &head);
	EXPECT_STR(list_str(&head, 0), "54162");
	uk_list_replace_init(&it[1].list, &it[7].list);
	EXPECT_STR(list_str(&head, 0), "54762");
	UK_TEST_EXPECT(uk_list_empty(&it[1].list));

	uk_list_cut_position(&cut, &head, &it[7].list);
	EXPECT_STR(list_str(&cut, 0), "547");
	EXPECT_STR(list_str(&head, 0), "62");
	uk_list_splice_tail(&cut, &head);
	EXPECT_STR(list_str(&head, 0), "62547");

	p = &it[5];
	count = 0;
	uk_list_for_each_entry_continue(p, &head, list)
		count = count * 10 + p->v;
	UK_TEST_EXPECT_SNUM_EQ(count, 47);
	p = &it[5];
	count = 0;
	uk_list_for_each_entry_continue_reverse(p, &head, list)
		count = count * 10 + p->v;
	UK_TEST_EXPECT_SNUM_EQ(count, 26);
	p = &it[4];
	count = 0;
	uk_list_for_each_entry_from(p, &head, list)
		count = count * 10 + p->v;
	UK_TEST_EXPECT_SNUM_EQ(count, 47);
	p = &it[2];
	uk_list_for_each_entry_safe_from(p, n, &head, list)
		uk_list_del(&p->list);
	EXPECT_STR(list_str(&head, 0), "6");
	uk_list_add_tail(&it[1].list, &head);
	p = &it[6];
	n = NULL;
	uk_list_safe_reset_next(p, n, list);
	UK_TEST_EXPECT_PTR_EQ(n, &it[1]);
	count = 0;
	uk_list_for_each_entry_safe_reverse(p, n, &head, list) {
		count = count * 10 + p->v;
		uk_list_del(&p->list);
	}
	UK_TEST_EXPECT_SNUM_EQ(count, 16);
	UK_TEST_EXPECT(uk_list_empty(&head));

	/* Hash-bucket list. */
	UK_TEST_EXPECT(uk_hlist_empty(&hh));
	for (i = 0; i < 8; i++)
		UK_INIT_HLIST_NODE(&it[i].node);
	UK_TEST_EXPECT(uk_hlist_unhashed(&it[0].node));
	uk_hlist_add_head(&it[3].node, &hh);
	uk_hlist_add_head(&it[1].node, &hh);
	uk_hlist_add_behind(&it[2].node, &it[1].node);
	uk_hlist_add_before(&it[0].node, &it[1].node);
	uk_hlist_add_behind(&it[4].node, &it[3].node);
	EXPECT_STR(hlist_str(&hh), "01234");
	uk_hlist_del_init(&it[2].node);
	UK_TEST_EXPECT(uk_hlist_unhashed(&it[2].node));
	uk_hlist_del_init(&it[2].node);		/* twice: no effect */
	uk_hlist_del(&it[0].node);
	EXPECT_STR(hlist_str(&hh), "134");
	UK_INIT_HLIST_HEAD(&hh2);
	uk_hlist_move_list(&hh, &hh2);
	UK_TEST_EXPECT(uk_hlist_empty(&hh));
	EXPECT_STR(hlist_str(&hh2), "134");
	count = 0;
	uk_hlist_for_each(hn, &hh2)
		count += uk_hlist_entry(hn, struct item, node)->v;
	UK_TEST_EXPECT_SNUM_EQ(count, 8);
	p = &it[1];
	count = 0;
	uk_hlist_for_each_entry_continue(p, node)
		count = count * 10 + p->v;
	UK_TEST_EXPECT_SNUM_EQ(count, 34);
	p = &it[3];
	count = 0;
	uk_hlist_for_each_entry_from(p, node)
		count = count * 10 + p->v;
	UK_TEST_EXPECT_SNUM_EQ(count, 34);
	UK_TEST_EXPECT_NULL(uk_hlist_entry_safe((struct uk_hlist_node *)NULL,
						struct item, node));
	uk_hlist_for_each_safe(hn, hnext, &hh2)
		if (uk_hlist_entry(hn, struct item, node)->v == 3)
			uk_hlist_del_init(hn);
	EXPECT_STR(hlist_str(&hh2), "14");
	uk_hlist_for_each_entry_safe(p, hn, &hh2, node)
		uk_hlist_del(&p->node);
	UK_TEST_EXPECT(uk_hlist_empty(&hh2));
}

/* ---- uk/compat_list.h (through uk/list.h) -------------------------- */

struct qitem {
	int v;
	UK_SLIST_ENTRY(struct qitem) sl;
	UK_STAILQ_ENTRY(struct qitem) sq;
	UK_LIST_ENTRY(struct qitem) l;
	UK_TAILQ_ENTRY(struct qitem) tq;
};

UK_SLIST_HEAD(qslist, struct qitem);
UK_STAILQ_HEAD(qstailq, struct qitem);
UK_COMPAT_LIST_HEAD(qlist, struct qitem);
UK_TAILQ_HEAD(qtailq, struct qitem);

UK_TESTCASE(uknames, compat_lists)
{
	struct qitem q[10], *p, *t, **pp;
	struct qslist sl = UK_SLIST_HEAD_INITIALIZER(sl), sl2;
	struct qstailq sq = UK_STAILQ_HEAD_INITIALIZER(sq), sq2;
	struct qlist l = UK_LIST_HEAD_INITIALIZER(l), l2;
	struct qtailq tq = UK_TAILQ_HEAD_INITIALIZER(tq), tq2;
	int i;

	for (i = 0; i < 10; i++)
		q[i].v = i;
	UK_SLIST_INIT(&sl2);
	UK_STAILQ_INIT(&sq2);
	UK_LIST_INIT(&l2);
	UK_TAILQ_INIT(&tq2);

	/* UK_SLIST */
	UK_TEST_EXPECT(UK_SLIST_EMPTY(&sl));
	UK_SLIST_INSERT_HEAD(&sl, &q[3], sl);
	UK_SLIST_INSERT_HEAD(&sl, &q[2], sl);
	UK_SLIST_INSERT_HEAD(&sl, &q[1], sl);
	UK_SLIST_INSERT_AFTER(&q[1], &q[4], sl);
	EXPECT_STR(DIGITS(p, UK_SLIST_FOREACH(p, &sl, sl)), "1423");
	UK_SLIST_REMOVE(&sl, &q[4], struct qitem, sl);
	UK_SLIST_REMOVE_HEAD(&sl, sl);
	EXPECT_STR(DIGITS(p, UK_SLIST_FOREACH(p, &sl, sl)), "23");
	UK_SLIST_FOREACH_PREVPTR(p, pp, &sl, sl)
		if (p->v == 3)
			break;
	UK_TEST_REQUIRE(p == &q[3]);
	UK_SLIST_REMOVE_PREVPTR(pp, p, sl);
	UK_SLIST_INSERT_HEAD(&sl2, &q[6], sl);
	UK_SLIST_INSERT_HEAD(&sl2, &q[5], sl);
	UK_SLIST_CONCAT(&sl, &sl2, struct qitem, sl);
	EXPECT_STR(DIGITS(p, UK_SLIST_FOREACH(p, &sl, sl)), "256");
	UK_TEST_EXPECT(UK_SLIST_EMPTY(&sl2));
	UK_SLIST_SWAP(&sl, &sl2, struct qitem);
	UK_TEST_EXPECT(UK_SLIST_EMPTY(&sl));
	p = &q[5];
	EXPECT_STR(DIGITS(p, UK_SLIST_FOREACH_FROM(p, &sl2, sl)), "56");
	UK_SLIST_REMOVE_AFTER(UK_SLIST_FIRST(&sl2), sl);
	UK_TEST_EXPECT_PTR_EQ(UK_SLIST_NEXT(&q[2], sl), &q[6]);
	UK_SLIST_FOREACH_SAFE(p, &sl2, sl, t)
		UK_SLIST_REMOVE_HEAD(&sl2, sl);
	UK_TEST_EXPECT(UK_SLIST_EMPTY(&sl2));

	/* UK_STAILQ */
	UK_TEST_EXPECT_NULL(UK_STAILQ_LAST(&sq, struct qitem, sq));
	for (i = 1; i <= 3; i++)
		UK_STAILQ_INSERT_TAIL(&sq, &q[i], sq);
	UK_STAILQ_INSERT_HEAD(&sq, &q[0], sq);
	UK_STAILQ_INSERT_AFTER(&sq, &q[2], &q[5], sq);
	EXPECT_STR(DIGITS(p, UK_STAILQ_FOREACH(p, &sq, sq)), "01253");
	UK_STAILQ_REMOVE(&sq, &q[3], struct qitem, sq);
	UK_TEST_EXPECT_PTR_EQ(UK_STAILQ_LAST(&sq, struct qitem, sq), &q[5]);
	UK_STAILQ_REMOVE_AFTER(&sq, &q[1], sq);
	UK_STAILQ_REMOVE_HEAD(&sq, sq);
	EXPECT_STR(DIGITS(p, UK_STAILQ_FOREACH(p, &sq, sq)), "15");
	UK_STAILQ_INSERT_TAIL(&sq2, &q[7], sq);
	UK_STAILQ_CONCAT(&sq, &sq2);
	UK_TEST_EXPECT(UK_STAILQ_EMPTY(&sq2));
	UK_TEST_EXPECT_PTR_EQ(UK_STAILQ_LAST(&sq, struct qitem, sq), &q[7]);
	UK_STAILQ_INSERT_TAIL(&sq2, &q[8], sq);	/* sq2's tail still valid */
	UK_STAILQ_SWAP(&sq, &sq2, struct qitem);
	EXPECT_STR(DIGITS(p, UK_STAILQ_FOREACH(p, &sq, sq)), "8");
	p = &q[5];
	EXPECT_STR(DIGITS(p, UK_STAILQ_FOREACH_FROM(p, &sq2, sq)), "57");
	UK_STAILQ_FOREACH_SAFE(p, &sq2, sq, t)
		if (p->v != 5)
			UK_STAILQ_REMOVE(&sq2, p, struct qitem, sq);
	EXPECT_STR(DIGITS(p, UK_STAILQ_FOREACH(p, &sq2, sq)), "5");
	UK_TEST_EXPECT_PTR_EQ(UK_STAILQ_LAST(&sq2, struct qitem, sq), &q[5]);

	/* UK_LIST (the BSD one) */
	UK_LIST_INSERT_HEAD(&l, &q[2], l);
	UK_LIST_INSERT_HEAD(&l, &q[1], l);
	UK_LIST_INSERT_AFTER(&q[2], &q[4], l);
	UK_LIST_INSERT_BEFORE(&q[4], &q[3], l);
	EXPECT_STR(DIGITS(p, UK_LIST_FOREACH(p, &l, l)), "1234");
	UK_TEST_EXPECT_NULL(UK_LIST_PREV(&q[1], &l, struct qitem, l));
	UK_TEST_EXPECT_PTR_EQ(UK_LIST_PREV(&q[3], &l, struct qitem, l), &q[2]);
	UK_LIST_REMOVE(&q[2], l);
	UK_LIST_REMOVE(&q[1], l);
	EXPECT_STR(DIGITS(p, UK_LIST_FOREACH(p, &l, l)), "34");
	UK_TEST_EXPECT_NULL(UK_LIST_PREV(&q[3], &l, struct qitem, l));
	UK_LIST_INSERT_HEAD(&l2, &q[9], l);
	UK_LIST_CONCAT(&l, &l2, struct qitem, l);
	UK_TEST_EXPECT(UK_LIST_EMPTY(&l2));
	UK_LIST_SWAP(&l, &l2, struct qitem, l);
	UK_TEST_EXPECT(UK_LIST_EMPTY(&l));
	UK_LIST_REMOVE(&q[3], l);	/* prev fixed by the swap */
	EXPECT_STR(DIGITS(p, UK_LIST_FOREACH(p, &l2, l)), "49");
	p = &q[9];
	EXPECT_STR(DIGITS(p, UK_LIST_FOREACH_FROM(p, &l2, l)), "9");
	UK_LIST_FOREACH_SAFE(p, &l2, l, t)
		UK_LIST_REMOVE(p, l);
	UK_TEST_EXPECT(UK_LIST_EMPTY(&l2));

	/* UK_TAILQ */
	for (i = 1; i <= 3; i++)
		UK_TAILQ_INSERT_TAIL(&tq, &q[i], tq);
	UK_TAILQ_INSERT_HEAD(&tq, &q[0], tq);
	UK_TAILQ_INSERT_AFTER(&tq, &q[3], &q[4], tq);
	UK_TAILQ_INSERT_BEFORE(&q[1], &q[9], tq);
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH(p, &tq, tq)), "091234");
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH_REVERSE(p, &tq, qtailq, tq)),
		   "432190");
	UK_TEST_EXPECT_PTR_EQ(UK_TAILQ_LAST(&tq, qtailq), &q[4]);
	UK_TEST_EXPECT_PTR_EQ(UK_TAILQ_PREV(&q[1], qtailq, tq), &q[9]);
	UK_TEST_EXPECT_NULL(UK_TAILQ_PREV(&q[0], qtailq, tq));
	UK_TAILQ_REMOVE(&tq, &q[0], tq);
	UK_TAILQ_REMOVE(&tq, &q[4], tq);
	UK_TEST_EXPECT_PTR_EQ(UK_TAILQ_LAST(&tq, qtailq), &q[3]);
	UK_TAILQ_INSERT_TAIL(&tq2, &q[5], tq);
	UK_TAILQ_CONCAT(&tq, &tq2, tq);
	UK_TEST_EXPECT(UK_TAILQ_EMPTY(&tq2));
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH(p, &tq, tq)), "91235");
	UK_TAILQ_SWAP(&tq, &tq2, struct qitem, tq);
	UK_TEST_EXPECT(UK_TAILQ_EMPTY(&tq));
	UK_TEST_EXPECT_PTR_EQ(UK_TAILQ_PREV(&q[9], qtailq, tq), NULL);
	p = &q[2];
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH_FROM(p, &tq2, tq)), "235");
	p = &q[2];
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH_REVERSE_FROM(p, &tq2, qtailq,
							   tq)), "219");
	p = &q[3];
	UK_TAILQ_FOREACH_FROM_SAFE(p, &tq2, tq, t)
		UK_TAILQ_REMOVE(&tq2, p, tq);
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH(p, &tq2, tq)), "912");
	p = NULL;
	UK_TAILQ_FOREACH_REVERSE_FROM_SAFE(p, &tq2, qtailq, tq, t)
		if (p->v == 1)
			UK_TAILQ_REMOVE(&tq2, p, tq);
	UK_TAILQ_FOREACH_REVERSE_SAFE(p, &tq2, qtailq, tq, t)
		if (p->v == 2)
			UK_TAILQ_REMOVE(&tq2, p, tq);
	EXPECT_STR(DIGITS(p, UK_TAILQ_FOREACH(p, &tq2, tq)), "9");
	UK_TEST_EXPECT_PTR_EQ(UK_TAILQ_LAST(&tq2, qtailq), &q[9]);
	UK_TAILQ_FOREACH_SAFE(p, &tq2, tq, t)
		UK_TAILQ_REMOVE(&tq2, p, tq);
	UK_TEST_EXPECT(UK_TAILQ_EMPTY(&tq2));
	UK_TEST_EXPECT_PTR_EQ(tq2.tqh_last, &tq2.tqh_first);
}
