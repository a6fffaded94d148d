/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's operating-system layer (sys_arch) on uksched and uklock, safe on
 * any number of CPUs:
 *   - semaphores and mutexes: uk_semaphore and uk_mutex (blocking, any CPU
 *     wakes any CPU; timeouts from uk_semaphore_down_to());
 *   - mailboxes: mbox.c (uk/lwip_mbox.h), ring memory from ukalloc;
 *   - threads: uk_threads placed by the scheduler;
 *   - sys_now(): the monotonic clock in milliseconds;
 *   - SYS_ARCH_PROTECT: one global lock that a CPU may take recursively,
 *     held with that CPU's interrupts off (below). Upstream Unikraft only
 *     turns the local CPU's interrupts off, which protects nothing against
 *     another CPU.
 *   - lwIP's heap (mem_malloc) and, with LWIP_MEM_HEAP, its pools: ukalloc.
 */
#include <errno.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <uk/random.h>
#include <uk/sched.h>
#include <uk/thread.h>
#include <lwip/sys.h>
#include <lwip/mem.h>

#define NSEC_PER_MSEC	1000000ULL

/* --- semaphores and mutexes ---------------------------------------------- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	uk_semaphore_init(&sem->sem, count);
	sem->valid = 1;
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	UK_ASSERT(uk_waitq_empty(&sem->sem.wait));
	sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
	uk_semaphore_up(&sem->sem);
}

/* Milliseconds waited (at least 0), or SYS_ARCH_TIMEOUT; 0 waits forever. */
u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	__nsec t0 = ukplat_monotonic_clock(), w;

	if (!timeout) {
		uk_semaphore_down(&sem->sem);
		return (u32_t)((ukplat_monotonic_clock() - t0) / NSEC_PER_MSEC);
	}
	w = uk_semaphore_down_to(&sem->sem, timeout * NSEC_PER_MSEC);
	if (w == __NSEC_MAX)
		return SYS_ARCH_TIMEOUT;
	return (u32_t)(w / NSEC_PER_MSEC);
}

err_t sys_mutex_new(sys_mutex_t *m)
{
	uk_mutex_init(&m->mtx);
	m->valid = 1;
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *m)
{
	UK_ASSERT(!uk_mutex_is_locked(&m->mtx));
	m->valid = 0;
}

#if CONFIG_LWIP_CORE_LOCK_STATS
/* Bucket of ns: k with 2^(k-1) <= ns < 2^k, 0 for 0, capped. */
static unsigned int hist_bucket(__nsec ns)
{
	unsigned int k = ns ? 64U - (unsigned int)__builtin_clzll(ns) : 0;

	return k < UK_LWIP_LOCK_HIST ? k : UK_LWIP_LOCK_HIST - 1;
}

/*
 * Times every acquisition: a trylock first tells whether the lock was
 * held. The statistics live in the mutex and are written only by the
 * thread that holds it (after taking it, before giving it back), so the
 * mutex itself orders every update: no atomics needed.
 */
void sys_mutex_lock(sys_mutex_t *m)
{
	__nsec t0 = ukplat_monotonic_clock(), now, w;
	int contended = !uk_mutex_trylock(&m->mtx);

	if (contended)
		uk_mutex_lock(&m->mtx);
	now = ukplat_monotonic_clock();
	w = now - t0;
	m->st.acquisitions++;
	m->st.contended += (unsigned long)contended;
	m->st.wait_total += w;
	if (w > m->st.wait_max)
		m->st.wait_max = w;
	m->st.wait_hist[hist_bucket(w)]++;
	m->acquired_at = now;
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	__nsec h = ukplat_monotonic_clock() - m->acquired_at;

	m->st.hold_total += h;
	if (h > m->st.hold_max)
		m->st.hold_max = h;
	m->st.hold_hist[hist_bucket(h)]++;
	uk_mutex_unlock(&m->mtx);
}
#else
void sys_mutex_lock(sys_mutex_t *m)
{
	uk_mutex_lock(&m->mtx);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	uk_mutex_unlock(&m->mtx);
}
#endif

/* --- mailboxes ------------------------------------------------------------ */

static __nsec deadline_ms(u32_t ms)
{
	return ukplat_monotonic_clock() + (__nsec)ms * NSEC_PER_MSEC;
}

/* The ring's slots follow the structure in one allocation. */
err_t sys_mbox_new(sys_mbox_t *mbox, int size)
{
	struct uk_lwip_mbox *mb;

	UK_ASSERT(size > 0);
	mb = uk_malloc(uk_alloc_get_default(),
		       sizeof(*mb) + (size_t)size * sizeof(void *));
	if (!mb)
		return ERR_MEM;
	uk_lwip_mbox_init(mb, (void **)(mb + 1), (unsigned int)size);
	*mbox = mb;
	return ERR_OK;
}

/* lwIP frees a mailbox only once it is empty and nobody waits on it. */
void sys_mbox_free(sys_mbox_t *mbox)
{
	struct uk_lwip_mbox *mb = *mbox;

	UK_ASSERT(uk_waitq_empty(&mb->readers)
		  && uk_waitq_empty(&mb->writers));
	if (uk_lwip_mbox_count(mb))
		uk_pr_warn("lwip: mailbox freed with %u messages\n",
			   uk_lwip_mbox_count(mb));
	uk_free(uk_alloc_get_default(), mb);
	*mbox = NULL;
}

void sys_mbox_post(sys_mbox_t *mbox, void *msg)
{
	int r = uk_lwip_mbox_post(*mbox, msg, 0);

	UK_ASSERT(r == 0);
	(void)r;
}

/* Deadline 1 ns after boot: already past, so the post is only a try. */
err_t sys_mbox_trypost(sys_mbox_t *mbox, void *msg)
{
	return uk_lwip_mbox_post(*mbox, msg, 1) ? ERR_MEM : ERR_OK;
}

/* Same lock as any post: never called from an interrupt handler here. */
err_t sys_mbox_trypost_fromisr(sys_mbox_t *mbox, void *msg)
{
	UK_ASSERT(!ukplat_lcpu_irqs_disabled());
	return sys_mbox_trypost(mbox, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mbox, void **msg, u32_t timeout)
{
	__nsec t0 = ukplat_monotonic_clock();
	void *dummy;

	if (uk_lwip_mbox_fetch(*mbox, msg ? msg : &dummy,
			       timeout ? deadline_ms(timeout) : 0))
		return SYS_ARCH_TIMEOUT;
	return (u32_t)((ukplat_monotonic_clock() - t0) / NSEC_PER_MSEC);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mbox, void **msg)
{
	void *dummy;

	if (uk_lwip_mbox_fetch(*mbox, msg ? msg : &dummy, 1))
		return SYS_MBOX_EMPTY;
	return 0;
}

/* --- threads, time ---------------------------------------------------------- */

/* stacksize and prio: every uksched thread has the configured stack. */
sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize __unused, int prio __unused)
{
	struct uk_thread *t;

	t = uk_sched_thread_create_on(UK_SCHED_CPU_ANY, fn, arg, name);
	if (!t)
		UK_CRASH("lwip: cannot create thread %s\n", name);
	return t;
}

u32_t sys_now(void)
{
	return (u32_t)(ukplat_monotonic_clock() / NSEC_PER_MSEC);
}

void sys_init(void)
{
}

uint32_t uk_lwip_rand(void)
{
	__u32 v;

	uk_random_u32(&v);
	return v;
}

void uk_lwip_assert_fail(const char *msg, int line, const char *file)
{
	UK_CRASH("lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
}

/* --- SYS_ARCH_PROTECT ----------------------------------------------------- */

/*
 * lwIP nests SYS_ARCH_PROTECT (pbuf_free inside a protected region, for
 * one) and uses it for short critical sections on any CPU: one spinlock,
 * taken once per outermost protect. prot_owner is the CPU holding it
 * (PROT_NOBODY: none) and prot_depth its nesting, both written only by
 * the holder. Interrupts stay off while a CPU holds it, so no thread of
 * the same CPU can run in between and the nesting is that of one thread.
 */
#define PROT_NOBODY	(~0U)
static struct uk_spinlock prot_lock = UK_SPINLOCK_INITIALIZER();
static unsigned int prot_owner = PROT_NOBODY;
static unsigned int prot_depth;

sys_prot_t sys_arch_protect(void)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	unsigned int me = ukplat_lcpu_idx();

	/*
	 * Relaxed: only this CPU ever stores its own index here, and with
	 * interrupts off nothing else on this CPU runs; another CPU's
	 * store can never make it equal to ours.
	 */
	if (__atomic_load_n(&prot_owner, __ATOMIC_RELAXED) == me) {
		prot_depth++;
		return f;
	}
	uk_spin_lock(&prot_lock);
	__atomic_store_n(&prot_owner, me, __ATOMIC_RELAXED);
	prot_depth = 1;
	return f;
}

void sys_arch_unprotect(sys_prot_t f)
{
	UK_ASSERT(prot_owner == ukplat_lcpu_idx() && prot_depth > 0);
	if (!--prot_depth) {
		/* Relaxed: the unlock below is the release. */
		__atomic_store_n(&prot_owner, PROT_NOBODY, __ATOMIC_RELAXED);
		uk_spin_unlock(&prot_lock);
	}
	ukplat_lcpu_restore_irqf(f);
}

/* --- memory: lwIP's heap (MEM_LIBC_MALLOC) ---------------------------------- */

void *uk_lwip_malloc(size_t size)
{
	return uk_malloc(uk_alloc_get_default(), size);
}

void *uk_lwip_calloc(size_t n, size_t size)
{
	return uk_calloc(uk_alloc_get_default(), n, size);
}

void uk_lwip_free(void *p)
{
	uk_free(uk_alloc_get_default(), p);
}
