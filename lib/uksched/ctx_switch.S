/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cooperative context switch: a function call, so only the callee-saved
 * registers and the FPU control words (MXCSR, x87 CW: callee-saved in the
 * SysV ABI) need saving; XMM registers are caller-saved.
 *
 * void uk_sched_ctx_switch(unsigned long *prev_sp, unsigned long next_sp)
 */
	.text
	.globl uk_sched_ctx_switch
uk_sched_ctx_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr (%rsp)
	fnstcw 4(%rsp)
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	ldmxcsr (%rsp)
	fldcw 4(%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* First "return" of a new thread: rbx holds the thread, rbp 0. */
	.globl uk_sched_thread_trampoline
uk_sched_thread_trampoline:
	movq %rbx, %rdi
	call uk_sched_thread_start
	ud2

	.globl uk_sched_thread_trampoline_addr
uk_sched_thread_trampoline_addr:
	leaq uk_sched_thread_trampoline(%rip), %rax
	ret
