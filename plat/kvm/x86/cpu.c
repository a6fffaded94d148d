/* Boot CPU tables: GDT with a TSS (IST stacks for #DF and NMI) and the IDT. */
#include <string.h>
#include <uk/arch/lcpu.h>
#include <kvm/boot.h>

#define IDT_ENTRIES	256
#define IST_DF		1
#define IST_NMI		2

struct tss64 {
	__u32 reserved0;
	__u64 rsp[3];
	__u64 reserved1;
	__u64 ist[7];
	__u64 reserved2;
	__u16 reserved3;
	__u16 iomap_base;
} __packed;

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

static struct tss64 boot_tss __align(16);
static struct idt_gate idt[IDT_ENTRIES] __align(16);
static char ist_df_stack[KVM_IST_STACK_SIZE] __align(16);
static char ist_nmi_stack[KVM_IST_STACK_SIZE] __align(16);

#define TRAP(n) extern char kvm_trap_##n[];
TRAP(0) TRAP(1) TRAP(2) TRAP(3) TRAP(4) TRAP(5) TRAP(6) TRAP(7)
TRAP(8) TRAP(9) TRAP(10) TRAP(11) TRAP(12) TRAP(13) TRAP(14) TRAP(15)
TRAP(16) TRAP(17) TRAP(18) TRAP(19) TRAP(20) TRAP(21) TRAP(22) TRAP(23)
TRAP(24) TRAP(25) TRAP(26) TRAP(27) TRAP(28) TRAP(29) TRAP(30) TRAP(31)
TRAP(255)
#undef TRAP

static char *const exception_stubs[32] = {
	kvm_trap_0, kvm_trap_1, kvm_trap_2, kvm_trap_3, kvm_trap_4,
	kvm_trap_5, kvm_trap_6, kvm_trap_7, kvm_trap_8, kvm_trap_9,
	kvm_trap_10, kvm_trap_11, kvm_trap_12, kvm_trap_13, kvm_trap_14,
	kvm_trap_15, kvm_trap_16, kvm_trap_17, kvm_trap_18, kvm_trap_19,
	kvm_trap_20, kvm_trap_21, kvm_trap_22, kvm_trap_23, kvm_trap_24,
	kvm_trap_25, kvm_trap_26, kvm_trap_27, kvm_trap_28, kvm_trap_29,
	kvm_trap_30, kvm_trap_31,
};

static void idt_set(unsigned int vec, const void *handler, unsigned int ist)
{
	__u64 a = (__u64)handler;

	idt[vec] = (struct idt_gate){
		.off_lo = a & 0xffff, .sel = KVM_GDT_KCODE, .ist = ist,
		.type = 0x8e, .off_mid = (a >> 16) & 0xffff, .off_hi = a >> 32,
	};
}

static void tss_install(void)
{
	__u64 base = (__u64)&boot_tss;
	__u64 limit = sizeof(boot_tss) - 1;

	boot_tss.ist[IST_DF - 1] = (__u64)ist_df_stack + sizeof(ist_df_stack);
	boot_tss.ist[IST_NMI - 1] = (__u64)ist_nmi_stack + sizeof(ist_nmi_stack);
	boot_tss.iomap_base = sizeof(boot_tss);
	/* Available 64-bit TSS, present: type 0x9, P bit 0x80. */
	kvm_gdt64[KVM_GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16)
		| (0x89ULL << 40) | (((limit >> 16) & 0xf) << 48)
		| (((base >> 24) & 0xff) << 56);
	kvm_gdt64[KVM_GDT_TSS / 8 + 1] = base >> 32;
	__asm__ __volatile__("ltr %w0" :: "r"(KVM_GDT_TSS));
}

static void pic_mask_all(void)
{
	/* The legacy 8259 PICs stay masked: no interrupt source is used yet. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

void kvm_cpu_init(void)
{
	struct desc_ptr p;
	unsigned int v;

	tss_install();
	for (v = 0; v < 32; v++)
		idt_set(v, exception_stubs[v], 0);
	for (v = 32; v < IDT_ENTRIES; v++)
		idt_set(v, kvm_trap_255, 0);
	idt_set(8, kvm_trap_8, IST_DF);
	idt_set(2, kvm_trap_2, IST_NMI);
	p.limit = sizeof(idt) - 1;
	p.base = (__u64)idt;
	__asm__ __volatile__("lidt %0" :: "m"(p));
	pic_mask_all();
}
