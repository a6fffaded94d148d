/* SPDX-License-Identifier: BSD-3-Clause */
/* Fatal CPU exceptions: print what happened, where, the registers and a backtrace, then exit. */
#include <stdio.h>
#include <uk/plat/bootstrap.h>
#include <uk/plat/lcpu.h>
#include <kvm/boot.h>
#include <kvm/crash.h>

/* Saved by trap_stubs.S, lowest address first. */
struct kvm_regs {
	__u64 r15, r14, r13, r12, r11, r10, r9, r8;
	__u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	__u64 vector, error;
	__u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

static const char *const exception_names[32] = {
	"Divide error", "Debug", "NMI", "Breakpoint", "Overflow",
	"BOUND range exceeded", "Invalid opcode", "Device not available",
	"Double fault", "Coprocessor segment overrun", "Invalid TSS",
	"Segment not present", "Stack-segment fault", "General protection",
	"Page fault", "Reserved (15)", "x87 floating-point error",
	"Alignment check", "Machine check", "SIMD floating-point error",
	"Virtualization exception", "Control protection", "Reserved (22)",
	"Reserved (23)", "Reserved (24)", "Reserved (25)", "Reserved (26)",
	"Reserved (27)", "Hypervisor injection", "VMM communication",
	"Security exception", "Reserved (31)",
};

static __u64 read_cr2(void)
{
	__u64 v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static void print_regs(const struct kvm_regs *r)
{
	printf("RIP: %016lx  CS: %04lx  RFLAGS: %016lx\n", r->rip, r->cs,
	       r->rflags);
	printf("RSP: %016lx  SS: %04lx\n", r->rsp, r->ss);
	printf("RAX: %016lx  RBX: %016lx  RCX: %016lx\n", r->rax, r->rbx,
	       r->rcx);
	printf("RDX: %016lx  RSI: %016lx  RDI: %016lx\n", r->rdx, r->rsi,
	       r->rdi);
	printf("RBP: %016lx  R8:  %016lx  R9:  %016lx\n", r->rbp, r->r8, r->r9);
	printf("R10: %016lx  R11: %016lx  R12: %016lx\n", r->r10, r->r11,
	       r->r12);
	printf("R13: %016lx  R14: %016lx  R15: %016lx\n", r->r13, r->r14,
	       r->r15);
}

void kvm_trap(struct kvm_regs *r) __noreturn;

void kvm_trap(struct kvm_regs *r)
{
	const char *name = r->vector < 32 ? exception_names[r->vector]
					  : "Unexpected interrupt";
	unsigned long guard = (unsigned long)kvm_boot_stack_guard;
	unsigned long off;
	const char *sym;

	/* The NMI that the reporting CPU sends to stop everybody else. */
	if (r->vector == 2 && kvm_crash_in_progress())
		kvm_crash_park();
	kvm_crash_enter();
	printf("\nCRASH on CPU %u: %s (vector %lu, error code 0x%lx)\n",
	       ukplat_lcpu_idx(), name, r->vector, r->error);
	if (r->vector == 8 || (r->vector == 14 && read_cr2() >= guard
			       && read_cr2() < guard + __PAGE_SIZE))
		printf("Probable stack overflow (RSP %016lx)\n", r->rsp);
	if (r->rsp >= guard && r->rsp < guard + __PAGE_SIZE)
		printf("RSP is in the boot stack's guard page (%016lx)\n",
		       guard);
	kvm_crash_run_hook(r->vector == 8 || r->vector == 14 ? read_cr2() : 0);
	if (r->vector == 14)
		printf("Fault address (CR2): %016lx (%s, %s, %s)\n", read_cr2(),
		       (r->error & 1) ? "protection" : "not present",
		       (r->error & 2) ? "write" : "read",
		       (r->error & 16) ? "instruction fetch" : "data");
	sym = ukplat_symbol(r->rip, &off);
	if (sym)
		printf("At %s+0x%lx\n", sym, off);
	print_regs(r);
	/* Start at the frame trap_stubs.S links in: {interrupted RBP, RIP}. */
	kvm_backtrace_from(*(unsigned long *)__builtin_frame_address(0));
	ukplat_exit(UKPLAT_EXIT_CRASH);
}
