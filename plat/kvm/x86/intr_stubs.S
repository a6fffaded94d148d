/*
 * Entry stubs of interrupt vectors 32-255, 16 bytes apart from kvm_irq_stubs:
 * push a zero error code and the vector, save the general registers (struct
 * kvm_regs order) and the FPU/SSE state (handlers are ordinary C and may use
 * SSE), call kvm_irq_dispatch(regs), restore everything, iretq.
 */
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
	addq $16, %rsp			/* vector and error code */
	iretq
