/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AP start-up trampoline, copied to KVM_TRAMPOLINE_PADDR before the SIPIs.
 * A started AP runs it in real mode (CS = 0x0800, IP = 0), enters protected
 * mode, then long mode on the boot page tables, and jumps to kvm_ap_entry64.
 * Everything here is addressed relative to KVM_TRAMPOLINE_PADDR.
 */
#include <kvm/smp.h>

#define TR(sym)		(KVM_TRAMPOLINE_PADDR + (sym) - kvm_trampoline_start)
#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_NW		(1 << 29)
#define CR0_CD		(1 << 30)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define EFER_LME	(1 << 8)

	.section .rodata.trampoline, "a"
	.globl kvm_trampoline_start
	.code16
kvm_trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tr_gdt_ptr - kvm_trampoline_start
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl *(tr_pm32_ptr - kvm_trampoline_start)

	.code32
tr_pm32:
	movl $0x10, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $kvm_pml4, %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	/* INIT leaves the caches disabled (CD, NW): the AP turns them on. */
	andl $~(CR0_EM | CR0_CD | CR0_NW), %eax
	orl $(CR0_PG | CR0_MP | CR0_NE | CR0_WP), %eax
	movl %eax, %cr0
	ljmpl $0x08, $TR(tr_lm64)

	.code64
tr_lm64:
	movabsq $kvm_ap_entry64, %rax
	jmpq *%rax

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00cf9a000000ffff	/* 0x18: 32-bit code */
tr_gdt_ptr:
	.word 4 * 8 - 1
	.long TR(tr_gdt)
tr_pm32_ptr:
	.long TR(tr_pm32)
	.word 0x18
	.globl kvm_trampoline_end
kvm_trampoline_end:
