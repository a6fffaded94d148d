/* SPDX-License-Identifier: BSD-3-Clause */
/* Assembly macros that save and restore the general registers in struct kvm_regs order. */
#ifndef __KVM_REGS_ASM_H__
#define __KVM_REGS_ASM_H__

	.macro KVM_SAVE_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro KVM_RESTORE_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	.endm

#endif /* __KVM_REGS_ASM_H__ */
