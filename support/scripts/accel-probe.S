/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * accel-probe.S: the tiny guest that qemu-run boots to find out whether an
 * accelerator (KVM) can really run our images on this host, before it trusts
 * it with the user's image. An open /dev/kvm proves nothing: on some hosts
 * (nested virtualisation half enabled) QEMU aborts while setting MSRs, or the
 * guest dies with "KVM internal error ... emulation failure", or hangs.
 *
 * The probe does what every image of ours does first, and nothing else:
 * enters at the multiboot entry point in 32-bit protected mode, checks for
 * long mode, switches to it on identity-mapped 2 MiB pages, reads the local
 * APIC's version register through MMIO (emulated memory: where broken KVM
 * setups stop), prints one line on COM1 and reports status 42 through the
 * isa-debug-exit port. qemu-run accepts the accelerator only when both the
 * line and the status arrive; any other end (QEMU error, no status, a
 * timeout) is the reason it prints for using TCG.
 *
 * Built by qemu-run with `as --32` and `ld -m elf_i386` into its cache; it
 * runs under TCG as well, which is how the system tests check the probe.
 */
#define COM1		0x3f8
#define DEBUG_EXIT	0xf4
#define PROBE_STATUS	42
#define STATUS_OFFSET	16	/* qemu-run's offset: QEMU's own errors exit 1 */
#define LAPIC_VERSION	0xfee00030

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0
#define MB_BOOT_MAGIC	0x2badb002

#define PTE_P		0x001
#define PTE_RW		0x002
#define PTE_PCD		0x010
#define PTE_PS		0x080

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl _start
_start:
	cli
	cmpl $MB_BOOT_MAGIC, %eax
	jne fail32
	movl $bss_start, %edi		/* page tables and stack: zero them */
	movl $(stack_top - bss_start) / 4, %ecx
	xorl %eax, %eax
	rep stosl
	movl $stack_top, %esp
	movl $0x80000000, %eax		/* extended CPUID leaves present? */
	cpuid
	cmpl $0x80000001, %eax
	jb fail32
	movl $0x80000001, %eax		/* long mode supported? */
	cpuid
	btl $29, %edx
	jnc fail32

	/*
	 * PML4[0] -> PDPT; PDPT[0] -> pd_low (first 2 MiB: the probe itself),
	 * PDPT[3] -> pd_high (the 2 MiB page holding the local APIC, uncached).
	 */
	movl $pdpt, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl %eax, pml4
	movl $pd_low, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl %eax, pdpt
	movl $pd_high, %eax
	orl $(PTE_P | PTE_RW), %eax
	movl %eax, pdpt + 3 * 8
	movl $(PTE_P | PTE_RW | PTE_PS), pd_low
	movl $(0xfee00000 | PTE_P | PTE_RW | PTE_PCD | PTE_PS), \
		pd_high + ((0xfee00000 >> 21) & 511) * 8

	movl %cr4, %eax			/* PAE */
	orl $0x20, %eax
	movl %eax, %cr4
	movl $pml4, %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	orl $0x100, %eax
	wrmsr
	movl %cr0, %eax			/* paging on: long mode active */
	orl $0x80000001, %eax
	movl %eax, %cr0
	lgdt gdt_ptr
	ljmp $0x08, $long_mode

fail32:					/* no long mode: status 1 */
	movl $(1 + STATUS_OFFSET), %eax
	outl %eax, $DEBUG_EXIT
1:	hlt
	jmp 1b

	.code64
long_mode:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl LAPIC_VERSION, %eax	/* version in bits 0-7: 0x1x for xAPIC */
	testb $0x10, %al
	jz fail64
	leaq message(%rip), %rsi
	movl $COM1, %edx
2:	lodsb
	testb %al, %al
	jz 3f
	outb %al, %dx
	jmp 2b
3:	movl $(PROBE_STATUS + STATUS_OFFSET), %eax
	outl %eax, $DEBUG_EXIT
4:	hlt
	jmp 4b

fail64:					/* no usable local APIC: status 2 */
	movl $(2 + STATUS_OFFSET), %eax
	outl %eax, $DEBUG_EXIT
5:	hlt
	jmp 5b

	.section .rodata
message:
	.asciz "accel-probe: long mode and local APIC OK\n"
	.align 8
gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
gdt_ptr:
	.word gdt_ptr - gdt - 1
	.long gdt

	.bss
	.align 4096
bss_start:
pml4:	.skip 4096
pdpt:	.skip 4096
pd_low:	.skip 4096
pd_high: .skip 4096
	.skip 4096
stack_top:
