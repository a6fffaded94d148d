/* SPDX-License-Identifier: BSD-3-Clause */
/* plat/kvm internals for crash reporting. */
#ifndef __KVM_CRASH_H__
#define __KVM_CRASH_H__

/*
 * Marks the start of a crash report. A second crash while reporting (a
 * fault in the report itself) exits at once instead of looping.
 */
void kvm_crash_enter(void);

/* True once some CPU has started a crash report. */
int kvm_crash_in_progress(void);

/* True when the calling CPU is the one reporting the crash. */
int kvm_crash_cpu_is_me(void);

/* Stops the calling CPU for good (interrupts off, halted). */
void kvm_crash_park(void) __noreturn;

/* Calls the hook of ukplat_crash_set_hook(), if any, with fault_addr. */
void kvm_crash_run_hook(unsigned long fault_addr);

/* Prints the frame-pointer chain that starts at frame address fp. */
void kvm_backtrace_from(unsigned long fp);

#endif /* __KVM_CRASH_H__ */
