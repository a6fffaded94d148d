/* SPDX-License-Identifier: BSD-3-Clause */
/* Logical CPUs: index/count queries, remote calls over IPIs, wake-ups, the idle loop. */
#include <errno.h>
#include <uk/assert.h>
#include <uk/plat/lcpu.h>
#include <kvm/apic.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>
#include <kvm/mem.h>

#define CALL_FREE	0
#define CALL_QUEUED	1
#define CALL_DONE	2	/* run; the waiting sender frees it */
#define POOL_EXTRA	32	/* beyond one per possible target */

struct kvm_call {
	struct kvm_call *next;
	ukplat_lcpu_fn_t fn;
	void *arg;
	int state;		/* CALL_*, written with release */
	int wait;		/* sender waits: mark DONE, not FREE */
};

/* Per-CPU area of every CPU; index 0 is the boot CPU. */
struct kvm_lcpu kvm_lcpus[CONFIG_UKPLAT_LCPU_MAXCOUNT];
/* Number of CPUs that finished start-up; written by the boot CPU only. */
unsigned int kvm_lcpu_online_count = 1;
/* Each CPU's pool of call descriptors it sends (reserved at SMP init). */
static struct kvm_call *call_pool[CONFIG_UKPLAT_LCPU_MAXCOUNT];
static unsigned int call_pool_size;

static void kvm_lcpu_process_calls(void);

unsigned int ukplat_lcpu_count(void)
{
	/* Acquire: CPUs counted here have published their per-CPU area. */
	return __atomic_load_n(&kvm_lcpu_online_count, __ATOMIC_ACQUIRE);
}

unsigned int ukplat_lcpu_idx(void)
{
	unsigned int idx;

	__asm__ __volatile__("movl %%gs:%c1, %0"
			     : "=r"(idx) : "i"(KVM_LCPU_IDX_OFF));
	return idx;
}

unsigned int ukplat_lcpu_id(unsigned int idx)
{
	if (idx >= ukplat_lcpu_count())
		return ~0U;
	return kvm_lcpus[idx].apic_id;
}

__u64 kvm_call_pool_bytes(unsigned int ncpus)
{
	return (ncpus + POOL_EXTRA) * sizeof(struct kvm_call);
}

void kvm_call_pools_init(unsigned int ncpus)
{
	unsigned int i;

	call_pool_size = ncpus + POOL_EXTRA;
	for (i = 0; i < ncpus; i++)
		call_pool[i] = kvm_mem_reserve(call_pool_size
					       * sizeof(struct kvm_call), 64);
}

/* Takes a free descriptor of this CPU's pool, running calls while none is. */
static struct kvm_call *call_get(void)
{
	struct kvm_call *pool = call_pool[ukplat_lcpu_idx()];
	unsigned int i;

	for (;;) {
		for (i = 0; i < call_pool_size; i++) {
			int expect = CALL_FREE;

			/* Acquire: the last user's writes are done with it. */
			if (__atomic_compare_exchange_n(&pool[i].state, &expect,
							CALL_QUEUED, 0,
							__ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return &pool[i];
		}
		kvm_lcpu_process_calls();
		ukarch_spinwait();
	}
}

/* Pushes c on target's pending stack; IPIs it when the stack was empty. */
static void call_push(struct kvm_lcpu *target, struct kvm_call *c)
{
	/* Relaxed: the CAS below publishes c with release. */
	struct kvm_call *old = __atomic_load_n(&target->calls, __ATOMIC_RELAXED);

	do
		c->next = old;
	while (!__atomic_compare_exchange_n(&target->calls, &old, c, 1,
					    __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED));
	/*
	 * A non-empty stack already has an IPI on its way (sent by whoever
	 * pushed onto it empty), and the target drains the whole stack.
	 */
	if (!old)
		kvm_lapic_send_ipi(target->apic_id, KVM_VEC_CALL);
}

/* Runs this CPU's pending calls in the order they were sent. */
static void kvm_lcpu_process_calls(void)
{
	struct kvm_lcpu *l = kvm_lcpu_this();
	struct kvm_call *c, *fifo = NULL, *next;

	/* Acquire: pairs with the senders' release; descriptors are whole. */
	c = __atomic_exchange_n(&l->calls, NULL, __ATOMIC_ACQUIRE);
	while (c) {
		next = c->next;
		c->next = fifo;
		fifo = c;
		c = next;
	}
	for (c = fifo; c; c = next) {
		next = c->next;		/* c may be reused once released */
		c->fn(c->arg);
		l->calls_handled++;
		/* Release: fn's effects are visible to whoever sees DONE. */
		__atomic_store_n(&c->state, c->wait ? CALL_DONE : CALL_FREE,
				 __ATOMIC_RELEASE);
	}
}

static int call_handler(void *arg __unused)
{
	kvm_lcpu_process_calls();
	return 1;
}

static int wakeup_handler(void *arg __unused)
{
	return 1;
}

void kvm_lcpu_calls_init(void)
{
	kvm_irq_set_global(KVM_VEC_CALL, call_handler, NULL);
	kvm_irq_set_global(KVM_VEC_WAKEUP, wakeup_handler, NULL);
}

/* Waits for c to be run, running calls sent to us meanwhile. */
static void call_wait(struct kvm_call *c)
{
	/* Acquire: the callee's effects are visible after DONE. */
	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != CALL_DONE) {
		kvm_lcpu_process_calls();
		ukarch_spinwait();
	}
	/* Release: we are done reading; the descriptor can be reused. */
	__atomic_store_n(&c->state, CALL_FREE, __ATOMIC_RELEASE);
}

static void call_send(unsigned int idx, ukplat_lcpu_fn_t fn, void *arg,
		      struct kvm_call *c, int wait)
{
	c->fn = fn;
	c->arg = arg;
	c->wait = wait;
	call_push(&kvm_lcpus[idx], c);
}

int ukplat_lcpu_call(unsigned int idx, ukplat_lcpu_fn_t fn, void *arg,
		     int wait)
{
	struct kvm_call *c;

	if (idx >= ukplat_lcpu_count() || !fn)
		return -EINVAL;
	if (idx == ukplat_lcpu_idx()) {
		fn(arg);
		return 0;
	}
	c = call_get();
	call_send(idx, fn, arg, c, wait);
	if (wait)
		call_wait(c);
	return 0;
}

int ukplat_lcpu_call_others(ukplat_lcpu_fn_t fn, void *arg, int wait)
{
	struct kvm_call *sent[CONFIG_UKPLAT_LCPU_MAXCOUNT];
	unsigned int me = ukplat_lcpu_idx(), n = ukplat_lcpu_count(), i;
	int count = 0;

	if (!fn)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (i == me)
			continue;
		sent[count] = call_get();
		call_send(i, fn, arg, sent[count], wait);
		count++;
	}
	if (wait)
		for (i = 0; i < (unsigned int)count; i++)
			call_wait(sent[i]);
	return count;
}

void ukplat_lcpu_wakeup(unsigned int idx)
{
	if (idx < ukplat_lcpu_count() && idx != ukplat_lcpu_idx())
		kvm_lapic_send_ipi(kvm_lcpus[idx].apic_id, KVM_VEC_WAKEUP);
}

static void set_run_entry(void *arg)
{
	kvm_lcpu_this()->run_entry = (void (*)(void))arg;
}

int ukplat_lcpu_run(unsigned int idx, void (*entry)(void))
{
	if (idx >= ukplat_lcpu_count() || idx == ukplat_lcpu_idx() || !entry)
		return -EINVAL;
	/* Acquire: pairs with the CPU's release when it left. */
	if (__atomic_load_n(&kvm_lcpus[idx].left_idle, __ATOMIC_ACQUIRE))
		return -EBUSY;
	return ukplat_lcpu_call(idx, set_run_entry, (void *)entry, 0);
}

/*
 * What a CPU with nothing to do runs: halt, serve interrupts, repeat, until
 * ukplat_lcpu_run() gives it something to run instead.
 */
void kvm_idle_loop(void)
{
	struct kvm_lcpu *l = kvm_lcpu_this();

	for (;;) {
		void (*entry)(void);

		kvm_lcpu_process_calls();
		entry = l->run_entry;
		if (entry) {
			/* Release: callers see -EBUSY from now on. */
			__atomic_store_n(&l->left_idle, 1, __ATOMIC_RELEASE);
			ukplat_lcpu_enable_irq();
			entry();
			UK_CRASH("CPU %u: entry %p returned\n", l->idx, entry);
		}
		ukplat_lcpu_halt_irq();
	}
}
