/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Entry stubs of interrupt vectors 32-255, 16 bytes apart from kvm_irq_stubs:
 * push a zero error code and the vector, save the general registers (struct
 * kvm_regs order) and the FPU/SSE state (handlers are ordinary C and may use
 * SSE), call kvm_irq_dispatch(regs), restore everything, iretq.
 */
#include <kvm/regs_asm.h>
	.text
	.balign 16
	.globl kvm_irq_stubs
kvm_irq_stubs:
	.set vec, 32
	.rept 224
	.balign 16
	pushq $0
	pushq $vec
	jmp kvm_irq_common
	.set vec, vec + 1
	.endr

kvm_irq_common:
	KVM_SAVE_GPRS
	movq %rsp, %rbx			/* callee-saved: the register frame */
	pushq 17 * 8(%rbx)		/* frame link through the interrupted */
	pushq 8 * 8(%rbx)		/* code: {RBP, RIP} for backtraces */
	movq %rsp, %rbp
	subq $512, %rsp
	andq $-16, %rsp
	fxsave64 (%rsp)
	movq %rbx, %rdi
	cld
	call kvm_irq_dispatch
	fxrstor64 (%rsp)
	movq %rbx, %rsp
	KVM_RESTORE_GPRS
	addq $16, %rsp			/* vector and error code */
	iretq
