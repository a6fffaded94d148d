/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 execution contexts for a cooperative scheduler: the register
 * frame a switch saves and restores (with the FPU control words), the
 * frame that starts a new context, and the TLS base register. uksched
 * uses these; it holds no x86 register layout of its own.
 */
#ifndef __UK_ARCH_CTX_H__
#define __UK_ARCH_CTX_H__

#include <uk/arch/lcpu.h>
#include <uk/arch/types.h>

#define UKARCH_MSR_FS_BASE	0xc0000100
/* MXCSR 0x1f80 (all exceptions masked), x87 CW 0x037f: the ABI's defaults. */
#define UKARCH_CTX_FPU_INIT	0x037f00001f80UL

/*
 * Saves the caller's context on its stack, stores its stack pointer in
 * *prev_sp, and resumes the context whose stack pointer is next_sp (one
 * saved by this function or built by ukarch_ctx_frame_init()). Returns
 * when some CPU switches back to the caller. Interrupts as the caller
 * wants them; any CPU.
 */
void ukarch_ctx_switch(unsigned long *prev_sp, unsigned long next_sp);

/* First code of a new context (the frame's return address). */
void ukarch_ctx_trampoline(void);

/*
 * Builds on the stack ending at stack_top the frame that
 * ukarch_ctx_switch() restores, so that switching to it calls entry(arg)
 * with the stack aligned as the ABI wants; entry must not return.
 * Returns the stack pointer to switch to.
 */
static inline unsigned long ukarch_ctx_frame_init(unsigned long stack_top,
						  void (*entry)(void *),
						  void *arg)
{
	/* After the ret, rsp is 16-aligned: the trampoline's call then
	 * enters entry with rsp = 8 mod 16. */
	unsigned long *sp = (unsigned long *)(stack_top & ~15UL);

	*--sp = (unsigned long)ukarch_ctx_trampoline;	/* ret */
	*--sp = 0;				/* rbp: ends backtraces */
	*--sp = (unsigned long)arg;		/* rbx */
	*--sp = (unsigned long)entry;		/* r12 */
	*--sp = 0;				/* r13 */
	*--sp = 0;				/* r14 */
	*--sp = 0;				/* r15 */
	*--sp = UKARCH_CTX_FPU_INIT;		/* MXCSR, x87 CW */
	return (unsigned long)sp;
}

/* Loads the thread pointer (%fs base) of the calling CPU. */
static inline void ukarch_tls_base_set(unsigned long tcb)
{
	wrmsr(UKARCH_MSR_FS_BASE, (__u64)tcb);
}

#endif /* __UK_ARCH_CTX_H__ */
