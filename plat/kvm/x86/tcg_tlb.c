/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Under QEMU TCG: lets QEMU size each CPU's software TLB to what the CPU
 * uses. QEMU resizes a vCPU's TLB only when the guest flushes it, by the
 * use it saw since the window began: it grows when most entries were in
 * use and shrinks when few were. This kernel has one address space and
 * almost never flushes; the flushes it does make are the guard-page
 * invlpg broadcasts of thread creation and exit (QEMU flushes all of a
 * TLB for an invlpg inside a 2 MiB mapping), and they reach the other
 * CPUs while those idle, which shrinks their TLBs to QEMU's minimum. A CPU
 * that then gets work never flushes again, so its TLB stays small: a
 * secondary CPU ran a 512 KiB random walk 20x slower than the boot CPU
 * (doc/measurements.md, "Secondary CPUs under TCG"). So under TCG each
 * CPU's timer ticks every KVM_TCG_TLB_TICK_NS and the tick reloads CR3,
 * unless the tick woke the CPU from hlt (flushing an idle CPU's TLB would
 * shrink it again). Under KVM and on hardware nothing of this runs.
 */
#include <uk/arch/lcpu.h>
#include <uk/plat/lcpu.h>
#include <kvm/boot.h>
#include <kvm/lcpu.h>
#include <kvm/timer.h>

#define HLT_OPCODE	0xf4

/* Set once by the boot CPU before any timer runs, read-only afterwards. */
static int tcg;

void kvm_tcg_tlb_init(void)
{
	tcg = ukplat_virt() == UKPLAT_VIRT_EMU;
}

int kvm_tcg_tlb_enabled(void)
{
	return tcg;
}

/*
 * The tick, in the timer interrupt of CPU l. l->irq_rip is where the
 * interrupt came in: after "sti; hlt" the byte after hlt. Another
 * instruction ending in 0xf4 only costs one tick's flush.
 */
void kvm_tcg_tlb_tick(struct kvm_lcpu *l)
{
	/*
	 * Only this CPU writes its counters; tests read snapshots. Relaxed
	 * for the tick; release for its class (idle or flush), so that a
	 * reader that loads the classes with acquire and then the ticks
	 * finds ticks >= flushes + idle.
	 */
	__atomic_store_n(&l->tlb_ticks, l->tlb_ticks + 1, __ATOMIC_RELAXED);
	if (*(const __u8 *)(l->irq_rip - 1) == HLT_OPCODE) {
		__atomic_store_n(&l->tlb_idle, l->tlb_idle + 1,
				 __ATOMIC_RELEASE);
		return;
	}
	kvm_tlb_flush_local();
	__atomic_store_n(&l->tlb_flushes, l->tlb_flushes + 1,
			 __ATOMIC_RELEASE);
}
