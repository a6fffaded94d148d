/* Boot page-table changes: the unmapped guard page below the boot stack. */
#include <kvm/boot.h>

#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL
#define PAGE_2M		(2ULL << 20)

/* Replaces the 2 MiB mapping that holds the guard page with 4 KiB pages. */
static __u64 guard_pt[512] __align(__PAGE_SIZE);

void kvm_boot_stack_guard_init(void)
{
	__u64 guard = (__u64)kvm_boot_stack_guard;
	__u64 base = ALIGN_DOWN(guard, PAGE_2M);
	unsigned int i;

	for (i = 0; i < 512; i++)
		guard_pt[i] = (base + i * __PAGE_SIZE) | PTE_P | PTE_RW;
	guard_pt[(guard - base) / __PAGE_SIZE] = 0;
	kvm_pd[base / PAGE_2M] = (__u64)guard_pt | PTE_P | PTE_RW;
	/* Reloading CR3 drops the old 2 MiB translation from the TLB. */
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3"
			     ::: "rax", "memory");
}
