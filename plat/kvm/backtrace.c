/* SPDX-License-Identifier: BSD-3-Clause */
/* Crash support: frame-pointer backtraces, the embedded symbol table, ukplat_crash(). */
#include <stdio.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/paging.h>
#include <uk/plat/lcpu.h>
#include <kvm/boot.h>
#include <kvm/crash.h>
#include <kvm/apic.h>

#define BACKTRACE_MAX_DEPTH	32
#define IDENTITY_MAP_END	(4ULL << 30)

struct symtab_entry {
	__u32 addr;
	__u32 name;	/* offset into uk_symtab_names */
};

/* Generated at link time (support/build/gensymtab.sh), sorted by address. */
extern const __u64 uk_symtab_count;
extern const struct symtab_entry uk_symtab_entries[];
extern const char uk_symtab_names[];

/* Index of the CPU reporting a crash, -1 while none is. */
static int crash_cpu = -1;

const char *ukplat_symbol(unsigned long addr, unsigned long *off)
{
	unsigned long lo = 0, hi = uk_symtab_count;

	if (!hi || addr < uk_symtab_entries[0].addr
	    || addr >= (unsigned long)_etext)
		return NULL;
	while (hi - lo > 1) {	/* last entry with .addr <= addr */
		unsigned long mid = (lo + hi) / 2;

		if (uk_symtab_entries[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*off = addr - uk_symtab_entries[lo].addr;
	return uk_symtab_names + uk_symtab_entries[lo].name;
}

static int frame_readable(unsigned long fp)
{
	return fp >= 0x1000 && fp + 16 <= IDENTITY_MAP_END && !(fp & 7);
}

static void frame_print(unsigned int depth, unsigned long ret)
{
	unsigned long off;
	/* ret - 1 is inside the call: noreturn calls end their function. */
	const char *sym = ukplat_symbol(ret - 1, &off);

	if (sym)
		printf("  #%-2u %016lx %s+0x%lx\n", depth, ret, sym, off + 1);
	else
		printf("  #%-2u %016lx\n", depth, ret);
}

void kvm_backtrace_from(unsigned long fp)
{
	unsigned long prev_ret = 0, repeats = 0;
	unsigned int depth;

	printf("Backtrace:\n");
	for (depth = 0; depth < BACKTRACE_MAX_DEPTH && frame_readable(fp);
	     depth++) {
		unsigned long *frame = (unsigned long *)fp;
		unsigned long ret = frame[1];

		if (!ret)
			break;
		if (ret == prev_ret && depth > 1) {	/* deep recursion */
			repeats++;
		} else {
			if (repeats)
				printf("  ... %lu more frames like the one above\n",
				       repeats);
			repeats = 0;
			frame_print(depth, ret);
		}
		prev_ret = ret;
		/*
		 * Stacks grow down: each caller's frame must be higher. Not
		 * for the first step: a trap's frame is on its own (IST)
		 * stack, which may lie above the interrupted one.
		 */
		if (depth > 0 && frame[0] <= fp)
			break;
		fp = frame[0];
	}
	if (repeats)
		printf("  ... %lu more frames like the one above\n", repeats);
}

void ukplat_backtrace(void)
{
	kvm_backtrace_from((unsigned long)__builtin_frame_address(0));
}

int kvm_crash_in_progress(void)
{
	/* Relaxed: only steers where a CPU goes; the report is serialized. */
	return __atomic_load_n(&crash_cpu, __ATOMIC_RELAXED) >= 0;
}

int kvm_crash_cpu_is_me(void)
{
	return __atomic_load_n(&crash_cpu, __ATOMIC_RELAXED)
	       == (int)ukplat_lcpu_idx();
}

/* A CPU that is not reporting the crash stops here for good. */
void kvm_crash_park(void)
{
	for (;;) {
		ukplat_lcpu_disable_irq();
		ukplat_lcpu_halt();
	}
}

void kvm_crash_enter(void)
{
	int expect = -1, me = (int)ukplat_lcpu_idx();

	ukplat_lcpu_disable_irq();
	/* Acquire/release: one CPU wins the report; the rest see it. */
	if (!__atomic_compare_exchange_n(&crash_cpu, &expect, me, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (expect != me)
			kvm_crash_park();	/* one readable report */
		printf("\nCRASH while reporting a crash; stopping\n");
		ukplat_exit(UKPLAT_EXIT_CRASH);
	}
	/* Stop the others mid-flight (NMI reaches them with IRQs off too). */
	if (ukplat_lcpu_count() > 1)
		kvm_lapic_send_nmi_others();
}

/* Set once by a library at init; read by the crashing CPU. */
static void (*crash_hook)(unsigned long fault_addr);

void ukplat_crash_set_hook(void (*fn)(unsigned long fault_addr))
{
	/* Release: a crash on another CPU sees a complete hook. */
	__atomic_store_n(&crash_hook, fn, __ATOMIC_RELEASE);
}

void kvm_crash_run_hook(unsigned long fault_addr)
{
	/* Acquire: pairs with the release in ukplat_crash_set_hook(). */
	void (*fn)(unsigned long) = __atomic_load_n(&crash_hook,
						    __ATOMIC_ACQUIRE);

	if (fn)
		fn(fault_addr);
}

void ukplat_crash(void)
{
	kvm_crash_enter();
	printf("CRASH on CPU %u\n", ukplat_lcpu_idx());
	kvm_crash_run_hook(0);
	ukplat_backtrace();
	ukplat_exit(UKPLAT_EXIT_CRASH);
}
