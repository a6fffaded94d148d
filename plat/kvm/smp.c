/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SMP start-up: every AP found in the MADT gets INIT and two SIPIs at once
 * (no per-CPU sleeps), announces itself from the trampoline, and is handed a
 * dense index and its per-CPU area once the boot CPU has seen who arrived.
 */
#include <stdio.h>
#include <string.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/boot.h>
#include <kvm/acpi.h>
#include <kvm/apic.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>
#include <kvm/mem.h>
#include <kvm/smp.h>

#define AP_STACK_SIZE	(32 * 1024)
#define ICR_INIT	0x4500	/* INIT, level assert */
#define ICR_STARTUP	0x4600	/* start-up, vector in the low byte */
#define SIPI_GAP_US	200
#define TSC_SYNC_ROUNDS	5
#define TSC_SYNC_DONE	(~0ULL)

struct kvm_cpu_map kvm_cpus;
struct kvm_ap_boot kvm_ap_boot[CONFIG_UKPLAT_LCPU_MAXCOUNT];
__u16 kvm_apic_slot[256];
/* Memory reserved per table slot, handed to the slot's CPU when it comes up. */
static void *slot_ist[CONFIG_UKPLAT_LCPU_MAXCOUNT];
static struct kvm_irq_slot *slot_irq[CONFIG_UKPLAT_LCPU_MAXCOUNT];
static int smp_started;		/* INIT and the first SIPI went out */
static __u64 sipi_tsc;		/* TSC when the first SIPI went out */
static int smp_finished;	/* ukplat_lcpu_start_all() ran */
static __nsec all_online_ns;	/* clock when the last AP came online */


static void delay_us(__u64 us)
{
	__nsec end = ukplat_monotonic_clock() + ukarch_time_usec_to_nsec(us);

	while (ukplat_monotonic_clock() < end)
		ukarch_spinwait();
}

/*
 * What the allocators need at least, besides the per-CPU structures: the
 * buddy's state table and a few pages for the boot-time allocations of the
 * libraries (schedulers, per-CPU caches) before main().
 */
#define HEAP_MIN	(1ULL << 20)

/* Bytes kvm_mem_reserve() takes for len (whole pages). */
static __u64 page_bytes(__u64 len)
{
	return ALIGN_UP(len, __PAGE_SIZE);
}

/*
 * Refuses to boot, saying how much memory would do, unless the largest free
 * region takes every per-CPU structure and HEAP_MIN: checked as one sum, so
 * that the message gives the whole need, not the first reservation's. The
 * message is formatted only when it is needed: the first call of the
 * formatter costs about 250 us of boot time under TCG (translation).
 */
static void smp_reserve_check(unsigned int ncpus)
{
	__u64 cpu = page_bytes(256 * sizeof(struct kvm_irq_slot))
		    + page_bytes(kvm_call_pool_bytes(ncpus));
	__u64 ap = page_bytes(AP_STACK_SIZE)
		   + page_bytes(2 * KVM_IST_STACK_SIZE);
	__u64 need = ncpus * cpu + (ncpus - 1) * ap + HEAP_MIN + __PAGE_SIZE;
	char what[64];

	if (kvm_mem_fits(need))
		return;
	snprintf(what, sizeof(what), "the boot structures of %u CPU%s and "
		 "the heap", ncpus, ncpus == 1 ? "" : "s");
	kvm_mem_reserve_check(need, what);
}

/* Per-CPU memory for every CPU found, reserved before allocators start. */
static void smp_reserve(void)
{
	unsigned int i;

	smp_reserve_check(kvm_cpus.ncpus);
	for (i = 0; i < kvm_cpus.ncpus; i++) {
		slot_irq[i] = kvm_mem_reserve(256 * sizeof(struct kvm_irq_slot),
					      64);
		if (i == 0)
			continue;
		kvm_ap_boot[i].stack_top = (__u64)kvm_mem_reserve(AP_STACK_SIZE,
								  16)
					   + AP_STACK_SIZE;
		slot_ist[i] = kvm_mem_reserve(2 * KVM_IST_STACK_SIZE, 16);
	}
	kvm_call_pools_init(kvm_cpus.ncpus);
}

/* Boot CPU, early: discover CPUs, set up our own interrupt state. */
void kvm_smp_init(void)
{
	struct kvm_lcpu *bsp = &kvm_lcpus[0];
	unsigned int i;

	kvm_cpu_discover(&kvm_cpus, kvm_cpuid_apic_id());
	if (kvm_cpus.nskipped)
		uk_pr_warn("%u CPUs found beyond CONFIG_UKPLAT_LCPU_MAXCOUNT "
			   "(%u): they stay off\n", kvm_cpus.nskipped,
			   CONFIG_UKPLAT_LCPU_MAXCOUNT);
	memset(kvm_apic_slot, 0xff, sizeof(kvm_apic_slot));
	for (i = 1; i < kvm_cpus.ncpus; i++)
		if (kvm_cpus.apic_id[i] < 256)
			kvm_apic_slot[kvm_cpus.apic_id[i]] = i;
	smp_reserve();
	bsp->irq = slot_irq[0];
	bsp->idx = 0;
	bsp->apic_id = kvm_cpus.apic_id[0];
	kvm_lapic_init();
	kvm_lcpu_calls_init();
	kvm_irq_init_cpu(bsp);
	bsp->online = 1;
#if CONFIG_KVM_SMP_BOOT_LOG
	uk_pr_info("%u CPUs from %s, LAPIC at 0x%lx, IOAPIC at 0x%lx\n",
		   kvm_cpus.ncpus, kvm_cpus.source, kvm_cpus.lapic_base,
		   kvm_cpus.ioapic_base);
#endif
}

/* AP side of the TSC handshake: answer each request with our TSC. */
static void tsc_sync_ap(struct kvm_lcpu *l)
{
	__u64 seen = 0;

	for (;;) {
		/* Acquire: pairs with the boot CPU's release of the request. */
		__u64 r = __atomic_load_n(&l->sync_req, __ATOMIC_ACQUIRE);

		if (r == TSC_SYNC_DONE)
			return;
		if (r == seen) {
			ukarch_spinwait();
			continue;
		}
		l->sync_tsc = rdtsc();
		/* Release: sync_tsc is visible before the answer. */
		__atomic_store_n(&l->sync_resp, r, __ATOMIC_RELEASE);
		seen = r;
	}
}

/*
 * Boot side: offset = AP's TSC - the middle of our request/answer window,
 * from the round with the narrowest window (least disturbed). A window
 * under 10 us is good enough: stop there (the AP stops on the same rule).
 */
static void tsc_sync_bsp(struct kvm_lcpu *l)
{
	__u64 best_rtt = ~0ULL, good = ukplat_tsc_frequency() / 100000, r;

	for (r = 1; r <= TSC_SYNC_ROUNDS && best_rtt > good; r++) {
		__u64 t0 = rdtsc(), t1, t2;

		/* Release/acquire: one request, one answer, in order. */
		__atomic_store_n(&l->sync_req, r, __ATOMIC_RELEASE);
		while (__atomic_load_n(&l->sync_resp, __ATOMIC_ACQUIRE) != r)
			ukarch_spinwait();
		t1 = l->sync_tsc;
		t2 = rdtsc();
		if (t2 - t0 < best_rtt) {
			best_rtt = t2 - t0;
			l->tsc_offset = (__s64)(t1 - (t0 + (t2 - t0) / 2));
			l->tsc_offset_err = best_rtt / 2;
		}
	}
	/* Release: the AP stops waiting for further rounds. */
	__atomic_store_n(&l->sync_req, TSC_SYNC_DONE, __ATOMIC_RELEASE);
}

void kvm_ap_entry(struct kvm_lcpu *l) __noreturn;

/* C entry of an AP, GS base already set (see kvm_ap_entry64). */
void kvm_ap_entry(struct kvm_lcpu *l)
{
	kvm_cpu_init_ap(l, l->ist);
	kvm_lapic_init();
	kvm_irq_init_cpu(l);
	/* Release: our set-up is complete before the boot CPU counts us. */
	__atomic_store_n(&l->online, 1, __ATOMIC_RELEASE);
	kvm_idle_loop();
}

/* First AP slot to start: 1, or 2 when a test leaves the first out. */
static unsigned int startup_first(void)
{
#if CONFIG_KVM_TEST_FAIL_FIRST_AP
	return 2;
#else
	return 1;
#endif
}

/*
 * INIT, then the first start-up IPI, to every AP to start. Hardware wants
 * 10 ms between the two, which needs the calibrated clock; hypervisors
 * want no delay, so under one this runs before the clock is calibrated.
 */
static void send_init_sipi(void)
{
	unsigned int i, first = startup_first(), n = kvm_cpus.ncpus;

	kvm_cpu_ap_wait_init();
	memcpy((void *)KVM_TRAMPOLINE_PADDR, kvm_trampoline_start,
	       kvm_trampoline_end - kvm_trampoline_start);
	for (i = first; i < n; i++)
		kvm_lapic_send_ipi(kvm_cpus.apic_id[i], ICR_INIT);
	if (ukplat_virt() == UKPLAT_VIRT_NONE)
		delay_us(10000);
	for (i = first; i < n; i++)
		kvm_lapic_send_ipi(kvm_cpus.apic_id[i],
				   ICR_STARTUP | (KVM_TRAMPOLINE_PADDR >> 12));
	sipi_tsc = rdtsc();
}

/* The second start-up IPI, SIPI_GAP_US after the first, where still due. */
static void send_sipi_again(void)
{
	unsigned int i, first = startup_first(), n = kvm_cpus.ncpus;
	__nsec due = kvm_tsc_to_ns(sipi_tsc)
		     + ukarch_time_usec_to_nsec(SIPI_GAP_US);

	while (ukplat_monotonic_clock() < due)
		ukarch_spinwait();
	for (i = first; i < n; i++)
		if (!__atomic_load_n(&kvm_ap_boot[i].arrived, __ATOMIC_ACQUIRE))
			kvm_lapic_send_ipi(kvm_cpus.apic_id[i],
					   ICR_STARTUP
					   | (KVM_TRAMPOLINE_PADDR >> 12));
}

/* Hands slot's AP the per-CPU area of index idx (it leaves its spin loop). */
static void release_slot(unsigned int slot, unsigned int idx)
{
	struct kvm_lcpu *l = &kvm_lcpus[idx];

	l->irq = slot_irq[slot];
	l->ist = slot_ist[slot];
	l->idx = idx;
	l->apic_id = kvm_cpus.apic_id[slot];
	/* Release: the per-CPU area is filled in before the AP uses it. */
	__atomic_store_n(&kvm_ap_boot[slot].lcpu, (__u64)l, __ATOMIC_RELEASE);
	/* It may be halted in kvm_ap_entry64: the store alone wakes no one. */
	kvm_lapic_send_ipi(kvm_cpus.apic_id[slot], KVM_VEC_WAKEUP);
}

/* How many APs have arrived (set their flag in the trampoline). */
static unsigned int arrivals(void)
{
	unsigned int slot, n = 0;

	for (slot = 1; slot < kvm_cpus.ncpus; slot++)
		/* Relaxed: a count for the deadline, not a hand-over. */
		n += !!__atomic_load_n(&kvm_ap_boot[slot].arrived,
				       __ATOMIC_RELAXED);
	return n;
}

/*
 * Gives dense indexes in table order: slot s is released as soon as it and
 * every slot before it have arrived, so in the common case each AP waits
 * only for its predecessors. A slot that has not arrived when no AP at all
 * arrived for CONFIG_UKPLAT_LCPU_START_TIMEOUT_MS is parked (a late arrival
 * halts) and the following slots close the gap. The deadline moves with
 * every arrival: with more vCPUs than host cores on a busy host, arrivals
 * trickle in over longer than any fixed window, but they keep coming.
 * Returns the number of CPUs with an index.
 */
static unsigned int release_in_order(void)
{
	__nsec window = ukarch_time_msec_to_nsec(
				CONFIG_UKPLAT_LCPU_START_TIMEOUT_MS);
	__nsec deadline = ukplat_monotonic_clock() + window;
	unsigned int slot, next = 1, seen = 0, now;

	for (slot = 1; slot < kvm_cpus.ncpus; slot++) {
		/* Acquire: the AP's arrival flag (set in the trampoline). */
		while (!__atomic_load_n(&kvm_ap_boot[slot].arrived,
					__ATOMIC_ACQUIRE)
		       && ukplat_monotonic_clock() < deadline) {
			ukarch_spinwait();
			if ((now = arrivals()) > seen) {
				seen = now;
				deadline = ukplat_monotonic_clock() + window;
			}
		}
		if (__atomic_load_n(&kvm_ap_boot[slot].arrived, __ATOMIC_ACQUIRE)
		    && kvm_cpus.apic_id[slot] < 256) {
			release_slot(slot, next++);
			continue;
		}
		uk_pr_warn("CPU with APIC ID %u did not come up within %d ms "
			   "of the last arrival: left out\n",
			   kvm_cpus.apic_id[slot],
			   CONFIG_UKPLAT_LCPU_START_TIMEOUT_MS);
		/* Release: a late arrival reads "park". */
		__atomic_store_n(&kvm_ap_boot[slot].lcpu, KVM_AP_PARK,
				 __ATOMIC_RELEASE);
		kvm_lapic_send_ipi(kvm_cpus.apic_id[slot], KVM_VEC_WAKEUP);
	}
	return next;
}

static void tsc_sync_call(void *arg)
{
	tsc_sync_ap(arg);
}

void kvm_tsc_offset_measure(unsigned int idx)
{
	struct kvm_lcpu *l = &kvm_lcpus[idx];

	/* A new handshake: no answer of an earlier one may count. */
	l->sync_req = 0;
	l->sync_resp = 0;
	/* The call's hand-over publishes the two stores above. */
	ukplat_lcpu_call(idx, tsc_sync_call, l, 0);
	tsc_sync_bsp(l);
}

/*
 * Sends the other CPUs on their way (trampoline, INIT, first SIPI) and
 * returns: they come up to their arrival flag while the boot CPU goes on
 * with its own set-up (the clock's calibration); ukplat_lcpu_start_all()
 * then sends the second SIPI where due, releases and counts them. Boot
 * CPU, once, after kvm_smp_init(); the clock need not be calibrated yet.
 * On hardware (INIT wants a delay measured on the clock) it leaves the
 * whole start-up to ukplat_lcpu_start_all().
 */
void kvm_smp_kick(void)
{
	if (smp_started || kvm_cpus.ncpus < 2
	    || ukplat_virt() == UKPLAT_VIRT_NONE)
		return;
	smp_started = 1;
	send_init_sipi();
}

int ukplat_lcpu_start_all(void)
{
	unsigned int n, i;

	if (smp_finished || kvm_cpus.ncpus < 2)
		return (int)ukplat_lcpu_count();
	smp_finished = 1;
	if (!smp_started) {
		smp_started = 1;
		send_init_sipi();
	}
	send_sipi_again();
	n = release_in_order();
	for (i = 1; i < n; i++)
		/* Acquire: the AP's set-up is complete (see kvm_ap_entry). */
		while (!__atomic_load_n(&kvm_lcpus[i].online, __ATOMIC_ACQUIRE))
			ukarch_spinwait();
	/* Release: CPUs counted are fully online (see ukplat_lcpu_count). */
	__atomic_store_n(&kvm_lcpu_online_count, n, __ATOMIC_RELEASE);
	all_online_ns = ukplat_monotonic_clock();
#if CONFIG_KVM_SMP_BOOT_LOG
	/*
	 * Only for the log: nothing corrects by the offsets, and with one AP
	 * at a time, each round waiting for both vCPUs to run, it took 11 /
	 * 199 / 410 ms (min / median / max) of a -smp 4 boot on the 2-core
	 * development host at load 8.
	 */
	for (i = 1; i < n; i++) {
		kvm_tsc_offset_measure(i);
		uk_pr_info("CPU %u (APIC ID %u) online, TSC offset %ld +- %lu\n",
			   i, kvm_lcpus[i].apic_id, kvm_lcpus[i].tsc_offset,
			   kvm_lcpus[i].tsc_offset_err);
	}
#endif
	return (int)n;
}

__nsec ukplat_lcpu_online_time(void)
{
	return all_online_ns;
}
