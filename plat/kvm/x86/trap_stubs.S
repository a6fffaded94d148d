/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CPU exception entry stubs: each pushes a dummy error code when the CPU does
 * not, then its vector, saves the general registers in struct kvm_regs order
 * and calls kvm_trap() with a pointer to them. Every exception is fatal here.
 */
#include <kvm/regs_asm.h>
	.macro TRAP_NOERR vec
	.globl kvm_trap_\vec
kvm_trap_\vec:
	pushq $0
	pushq $\vec
	jmp kvm_trap_common
	.endm

	.macro TRAP_ERR vec
	.globl kvm_trap_\vec
kvm_trap_\vec:
	pushq $\vec
	jmp kvm_trap_common
	.endm

	.text
	TRAP_NOERR 0
	TRAP_NOERR 1
	TRAP_NOERR 2
	TRAP_NOERR 3
	TRAP_NOERR 4
	TRAP_NOERR 5
	TRAP_NOERR 6
	TRAP_NOERR 7
	TRAP_ERR 8
	TRAP_NOERR 9
	TRAP_ERR 10
	TRAP_ERR 11
	TRAP_ERR 12
	TRAP_ERR 13
	TRAP_ERR 14
	TRAP_NOERR 15
	TRAP_NOERR 16
	TRAP_ERR 17
	TRAP_NOERR 18
	TRAP_NOERR 19
	TRAP_NOERR 20
	TRAP_ERR 21
	TRAP_NOERR 22
	TRAP_NOERR 23
	TRAP_NOERR 24
	TRAP_NOERR 25
	TRAP_NOERR 26
	TRAP_NOERR 27
	TRAP_NOERR 28
	TRAP_ERR 29
	TRAP_ERR 30
	TRAP_NOERR 31

kvm_trap_common:
	KVM_SAVE_GPRS
	movq %rsp, %rdi
	/* Link the frame chain through the faulting code: rbp -> {rbp, rip}. */
	pushq 17 * 8(%rsp)		/* interrupted RIP */
	pushq 9 * 8(%rsp)		/* interrupted RBP (rsp moved by 8) */
	movq %rsp, %rbp
	andq $-16, %rsp
	cld
	call kvm_trap
1:	cli
	hlt
	jmp 1b
