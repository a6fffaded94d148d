/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 cooperative context switch (uk/arch/ctx.h): a function call, so
 * only the callee-saved registers and the FPU control words (MXCSR, x87
 * CW: callee-saved in the SysV ABI) need saving; XMM registers are
 * caller-saved. The frame is the one ukarch_ctx_frame_init() builds.
 *
 * void ukarch_ctx_switch(unsigned long *prev_sp, unsigned long next_sp)
 */
	.text
	.globl ukarch_ctx_switch
ukarch_ctx_switch:
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

/*
 * First "return" of a new context: r12 holds the entry function, rbx its
 * argument, rbp 0 (ends backtraces). The entry never returns.
 */
	.globl ukarch_ctx_trampoline
ukarch_ctx_trampoline:
	movq %rbx, %rdi
	call *%r12
	ud2
