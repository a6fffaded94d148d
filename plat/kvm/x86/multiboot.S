/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multiboot v1 entry: QEMU (-kernel) or a boot loader jumps here in 32-bit
 * protected mode. We record the TSC, clear .bss, identity-map the first
 * 4 GiB with 2 MiB pages, enter long mode and call the C entry.
 */
#include <kvm/boot.h>
#include <kvm/lcpu.h>
#include <kvm/smp.h>
#include <kvm/irq.h>

#define MULTIBOOT_MAGIC		0x1BADB002
#define MULTIBOOT_BOOT_MAGIC	0x2BADB002
#define MULTIBOOT_FLAGS		0x00000003	/* page-aligned modules, mem info */

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define MSR_EFER	0xC0000080
#define MSR_APIC_BASE	0x1b
#define APIC_BASE_X2	(1 << 10)
#define LAPIC_SVR	0xf0
#define LAPIC_SVR_ON	0x100
#define EFER_LME	(1 << 8)
#define PTE_P		0x1
#define PTE_RW		0x2
#define PTE_PWT		0x8
#define PTE_PCD		0x10
#define PTE_PS		0x80

/* Kernel data segments in DS/ES/SS; FS and GS null (bases come from MSRs). */
	.macro LOAD_KERNEL_SEGMENTS
	movl $KVM_GDT_KDATA, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorl %eax, %eax
	movw %ax, %fs
	movw %ax, %gs
	.endm

	.section .multiboot, "a"
	.balign 4
multiboot_header:
	.long MULTIBOOT_MAGIC
	.long MULTIBOOT_FLAGS
	.long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

	.section .text.boot, "ax"
	.code32
	.globl _multiboot_entry
_multiboot_entry:
	cli
	cld
	movl %eax, %esi			/* boot loader magic */
	movl %ebx, %ebp			/* multiboot info */
	rdtsc				/* first timestamp: boot time is */
	movl %eax, kvm_boot_tsc		/* measured from here */
	movl %edx, kvm_boot_tsc + 4

	movl $__bss_start, %edi		/* .bss: zero it before any use */
	movl $__bss_end, %ecx		/* (both ends 16-aligned) */
	subl %edi, %ecx
	shrl $2, %ecx			/* 4 bytes per step: under TCG each */
	xorl %eax, %eax			/* step costs the same whatever */
	rep stosl			/* its width */
	movl $kvm_boot_stack + KVM_BOOT_STACK_SIZE, %esp

	cmpl $MULTIBOOT_BOOT_MAGIC, %esi
	jne fail32
	movl $0x80000000, %eax		/* long mode available? */
	cpuid
	cmpl $0x80000001, %eax
	jb fail32
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc fail32

	/* PML4[0] -> PDPT, PDPT[0..3] -> four page directories of 2 MiB pages */
	movl $kvm_pdpt, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl %eax, kvm_pml4
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $kvm_pd, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl %eax, kvm_pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jb 1b
	xorl %ecx, %ecx			/* 2048 entries cover 4 GiB */
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_RW | PTE_PS), %eax
	cmpl $1536, %ecx		/* 3-4 GiB is the MMIO hole: uncached */
	jb 3f
	orl $(PTE_PCD | PTE_PWT), %eax
3:	movl %eax, kvm_pd(, %ecx, 8)
	movl %ecx, %eax			/* high half of the address */
	shrl $11, %eax
	movl %eax, kvm_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jb 2b

	movl $kvm_pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PG | CR0_PE | CR0_MP | CR0_NE | CR0_WP), %eax
	movl %eax, %cr0
	lgdt kvm_gdt64_ptr
	ljmp $KVM_GDT_KCODE, $entry64

	/* Not started by a multiboot loader or no long mode: report and stop. */
fail32:
	movl $fail_msg, %esi
4:	movb (%esi), %al
	testb %al, %al
	jz 5f
	movw $0x3f8, %dx
	outb %al, %dx
	incl %esi
	jmp 4b
5:	movw $0xf4, %dx
	movl $(110 + 16), %eax		/* UKPLAT_EXIT_CRASH via isa-debug-exit */
	outl %eax, %dx
6:	hlt
	jmp 6b

	.code64
entry64:
	LOAD_KERNEL_SEGMENTS
	movq $kvm_boot_stack + KVM_BOOT_STACK_SIZE, %rsp
	movl $kvm_lcpus, %eax		/* GS: the boot CPU's per-CPU area */
	call set_gs_base
	movl %ebp, %edi			/* zero-extends the multiboot info */
	xorl %ebp, %ebp			/* ends every backtrace */
	call _kvm_entry64
7:	cli
	hlt
	jmp 7b

/* %rax: per-CPU area; sets GS base (MSR 0xc0000101) and area->self. */
set_gs_base:
	movq %rax, KVM_LCPU_SELF_OFF(%rax)
	movq %rax, %rdx
	shrq $32, %rdx
	movl $0xc0000101, %ecx
	wrmsr
	ret

/*
 * APs arrive here from the trampoline, in long mode on the boot page tables
 * and the trampoline's GDT. Find our slot by APIC ID, take its stack, say we
 * arrived, wait for the boot CPU to hand us a per-CPU area (or to park us),
 * set GS base, call C.
 */
	.globl kvm_ap_entry64
kvm_ap_entry64:
	lgdt kvm_gdt64_ptr
	LOAD_KERNEL_SEGMENTS
	movl $1, %eax
	cpuid
	shrl $24, %ebx			/* initial APIC ID */
	movzwl kvm_apic_slot(, %rbx, 2), %ebx
	cmpl $0xffff, %ebx
	je ap_park
	imull $KVM_AP_BOOT_SIZE, %ebx
	leaq kvm_ap_boot(%rbx), %rbx
	movq KVM_AP_BOOT_STACK(%rbx), %rsp
	movb $1, KVM_AP_BOOT_ARRIVED(%rbx)
	/*
	 * Wait halted, so that a waiting vCPU leaves the host's core to the
	 * others: the boot CPU sends KVM_VEC_WAKEUP after its store, and
	 * "sti; hlt" takes an interrupt made pending before the sti. Needs
	 * the LAPIC on in xAPIC mode; with x2APIC left on (firmware), spin.
	 * The ISR bit the wake-up leaves is cleared by kvm_lapic_init()'s EOI.
	 */
	movl $MSR_APIC_BASE, %ecx
	rdmsr
	testl $APIC_BASE_X2, %eax
	jnz 3f
	andl $0xfffff000, %eax
	movl $(LAPIC_SVR_ON | KVM_VEC_SPURIOUS), LAPIC_SVR(%rax)
	lidt kvm_ap_wait_idtr
1:	movq KVM_AP_BOOT_LCPU(%rbx), %rax	/* x86 loads are acquire */
	testq %rax, %rax
	jnz 2f
	sti
	hlt
	cli
	jmp 1b
3:	pause
	movq KVM_AP_BOOT_LCPU(%rbx), %rax
	testq %rax, %rax
	jz 3b
2:
	cmpq $KVM_AP_PARK, %rax
	je ap_park
	call set_gs_base
	movq %rax, %rdi
	xorl %ebp, %ebp
	call kvm_ap_entry
ap_park:
	cli
	hlt
	jmp ap_park

/* The waiting AP's wake-up and spurious vectors (kvm_cpu_ap_wait_init). */
	.globl kvm_ap_wait_irq
kvm_ap_wait_irq:
	iretq

	.section .rodata
fail_msg:
	.asciz "boot: not started by a multiboot loader or no 64-bit CPU\r\n"

	/* Boot GDT: null, 64-bit code, data; the TSS is added from C. */
	.section .data
	.balign 16
	.globl kvm_gdt64
kvm_gdt64:
	.quad 0
	.quad 0x00af9a000000ffff	/* KVM_GDT_KCODE: 64-bit ring 0 code */
	.quad 0x00cf92000000ffff	/* KVM_GDT_KDATA: ring 0 data */
	.quad 0, 0			/* KVM_GDT_TSS: 16-byte descriptor */
kvm_gdt64_end:
	.globl kvm_gdt64_ptr
kvm_gdt64_ptr:
	.word kvm_gdt64_end - kvm_gdt64 - 1
	.quad kvm_gdt64

	.globl kvm_boot_tsc
	.balign 8
kvm_boot_tsc:
	.quad 0

	.section .bss
	.balign 4096
	.globl kvm_pml4
kvm_pml4:
	.skip 4096
kvm_pdpt:
	.skip 4096

	/*
	 * Not cleared with .bss (link64.lds): every page-directory entry is
	 * written above, and stacks need no zeros. Clearing these 52 KiB
	 * cost about 60 us of boot under TCG (first touch of each page).
	 */
	.section .noclear, "aw", @nobits
	.balign 4096
	.globl kvm_pd
kvm_pd:
	.skip 4 * 4096
	/* Unmapped by kvm_boot_stack_guard_init(): overflow faults here. */
	.globl kvm_boot_stack_guard
kvm_boot_stack_guard:
	.skip 4096
	.globl kvm_boot_stack
kvm_boot_stack:
	.skip KVM_BOOT_STACK_SIZE
