/* SPDX-License-Identifier: BSD-3-Clause */
/* CPU tables: the shared IDT, and each CPU's GDT and TSS (IST stacks for #DF and NMI). */
#include <string.h>
#include <uk/arch/lcpu.h>
#include <kvm/boot.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>
#include <kvm/smp.h>

#define IDT_ENTRIES	256
#define IST_DF		1
#define IST_NMI		2

struct idt_gate {
	__u16 off_lo;
	__u16 sel;
	__u8 ist;
	__u8 type;	/* present, DPL 0, 64-bit interrupt gate: 0x8e */
	__u16 off_mid;
	__u32 off_hi;
	__u32 reserved;
} __packed;

struct desc_ptr {
	__u16 limit;
	__u64 base;
} __packed;

static struct idt_gate idt[IDT_ENTRIES] __align(16);
/* The boot CPU's IST stacks exist before the memory map is read. */
static char bsp_ist_df[KVM_IST_STACK_SIZE] __align(16);
static char bsp_ist_nmi[KVM_IST_STACK_SIZE] __align(16);

#define TRAP(n) extern char kvm_trap_##n[];
TRAP(0) TRAP(1) TRAP(2) TRAP(3) TRAP(4) TRAP(5) TRAP(6) TRAP(7)
TRAP(8) TRAP(9) TRAP(10) TRAP(11) TRAP(12) TRAP(13) TRAP(14) TRAP(15)
TRAP(16) TRAP(17) TRAP(18) TRAP(19) TRAP(20) TRAP(21) TRAP(22) TRAP(23)
TRAP(24) TRAP(25) TRAP(26) TRAP(27) TRAP(28) TRAP(29) TRAP(30) TRAP(31)
#undef TRAP
extern char kvm_irq_stubs[];	/* 16 bytes per vector from 32 on */

static char *const exception_stubs[32] = {
	kvm_trap_0, kvm_trap_1, kvm_trap_2, kvm_trap_3, kvm_trap_4,
	kvm_trap_5, kvm_trap_6, kvm_trap_7, kvm_trap_8, kvm_trap_9,
	kvm_trap_10, kvm_trap_11, kvm_trap_12, kvm_trap_13, kvm_trap_14,
	kvm_trap_15, kvm_trap_16, kvm_trap_17, kvm_trap_18, kvm_trap_19,
	kvm_trap_20, kvm_trap_21, kvm_trap_22, kvm_trap_23, kvm_trap_24,
	kvm_trap_25, kvm_trap_26, kvm_trap_27, kvm_trap_28, kvm_trap_29,
	kvm_trap_30, kvm_trap_31,
};

/*
 * The IDT an AP loads while it waits, halted, for the boot CPU to hand it
 * its per-CPU area (kvm_ap_entry64 in multiboot.S): only the wake-up and
 * the spurious vector, both returning at once. Built by the boot CPU
 * before it starts any AP; read-only afterwards.
 */
static struct idt_gate ap_wait_idt[IDT_ENTRIES] __align(16);
struct desc_ptr kvm_ap_wait_idtr;	/* for lidt in multiboot.S */
extern char kvm_ap_wait_irq[];

static void gate_set(struct idt_gate *t, unsigned int vec,
		     const void *handler, unsigned int ist)
{
	__u64 a = (__u64)handler;

	t[vec] = (struct idt_gate){
		.off_lo = a & 0xffff, .sel = KVM_GDT_KCODE, .ist = ist,
		.type = 0x8e, .off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32,
	};
}

static void idt_set(unsigned int vec, const void *handler, unsigned int ist)
{
	gate_set(idt, vec, handler, ist);
}

void kvm_cpu_ap_wait_init(void)
{
	gate_set(ap_wait_idt, KVM_VEC_WAKEUP, kvm_ap_wait_irq, 0);
	gate_set(ap_wait_idt, KVM_VEC_SPURIOUS, kvm_ap_wait_irq, 0);
	kvm_ap_wait_idtr.limit = sizeof(ap_wait_idt) - 1;
	kvm_ap_wait_idtr.base = (__u64)ap_wait_idt;
}

static void idt_build(void)
{
	unsigned int v;

	for (v = 0; v < 32; v++)
		idt_set(v, exception_stubs[v], 0);
	for (v = 32; v < IDT_ENTRIES; v++)
		idt_set(v, kvm_irq_stubs + (v - 32) * 16, 0);
	idt_set(8, kvm_trap_8, IST_DF);
	idt_set(2, kvm_trap_2, IST_NMI);
}

/* 64-bit TSS layout: IST n at byte 36 + 8 (n - 1), iomap base at 102. */
static void tss_fill(__u64 *tss, void *ist_df_top, void *ist_nmi_top)
{
	char *t = (char *)tss;

	memset(tss, 0, 104);
	memcpy(t + 36 + 8 * (IST_DF - 1), &ist_df_top, 8);
	memcpy(t + 36 + 8 * (IST_NMI - 1), &ist_nmi_top, 8);
	*(__u16 *)(t + 102) = 104;	/* no I/O permission bitmap */
}

/*
 * Gives this CPU its own GDT (a loaded TSS descriptor is marked busy, so
 * CPUs cannot share one) and TSS, and loads them and the shared IDT.
 */
static void tables_load(struct kvm_lcpu *l, void *df_top, void *nmi_top)
{
	__u64 base = (__u64)l->tss, limit = 104 - 1;
	struct desc_ptr p;

	tss_fill(l->tss, df_top, nmi_top);
	l->gdt[0] = 0;
	l->gdt[1] = kvm_gdt64[1];
	l->gdt[2] = kvm_gdt64[2];
	/* Available 64-bit TSS, present: type 0x9, P bit 0x80. */
	l->gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16)
		| (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48)
		| (((base >> 24) & 0xff) << 56);
	l->gdt[4] = base >> 32;
	p.limit = sizeof(l->gdt) - 1;
	p.base = (__u64)l->gdt;
	__asm__ __volatile__("lgdt %0" :: "m"(p));
	__asm__ __volatile__("ltr %w0" :: "r"(KVM_GDT_TSS));
	p.limit = sizeof(idt) - 1;
	p.base = (__u64)idt;
	__asm__ __volatile__("lidt %0" :: "m"(p));
}

void kvm_cpu_init(void)
{
	idt_build();
	tables_load(&kvm_lcpus[0], bsp_ist_df + sizeof(bsp_ist_df),
		    bsp_ist_nmi + sizeof(bsp_ist_nmi));
	/* The legacy 8259 PICs stay masked: the IOAPIC delivers ISA lines. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void kvm_cpu_init_ap(struct kvm_lcpu *l, void *ist_base)
{
	char *s = ist_base;

	tables_load(l, s + KVM_IST_STACK_SIZE, s + 2 * KVM_IST_STACK_SIZE);
}
