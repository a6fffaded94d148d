/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Page-table changes after boot: the unmapped guard page below the boot
 * stack, and guard pages on request (ukplat_page_guard), which split 2 MiB
 * mappings into 4 KiB pages from a fixed pool of tables.
 */
#include <errno.h>
#include <kvm/boot.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/paging.h>

#define PTE_P		0x1ULL
#define PTE_RW		0x2ULL
#define PTE_PS		0x80ULL
#define PTE_ADDR	0x000ffffffffff000ULL
#define PAGE_2M		(2ULL << 20)
#define GUARD_LIMIT	(3ULL << 30)	/* RAM ends where the MMIO hole starts */

/* Replaces the 2 MiB mapping that holds the boot guard with 4 KiB pages. */
static __u64 boot_guard_pt[512] __align(__PAGE_SIZE);

/* Page tables for 2 MiB mappings split by ukplat_page_guard(). */
static __u64 split_pool[CONFIG_KVM_PAGING_SPLIT_TABLES][512]
	__align(__PAGE_SIZE);
static unsigned int split_used;
/* Protects kvm_pd entries, split tables and split_used after boot. */
static volatile int paging_lock;

void kvm_tlb_flush_local(void)
{
	/* Reloading CR3 drops every non-global translation. */
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3"
			     ::: "rax", "memory");
}

static void fill_split(__u64 *pt, __u64 base)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		pt[i] = (base + i * __PAGE_SIZE) | PTE_P | PTE_RW;
}

void kvm_boot_stack_guard_init(void)
{
	__u64 guard = (__u64)kvm_boot_stack_guard;
	__u64 base = ALIGN_DOWN(guard, PAGE_2M);

	fill_split(boot_guard_pt, base);
	boot_guard_pt[(guard - base) / __PAGE_SIZE] = 0;
	kvm_pd[base / PAGE_2M] = (__u64)boot_guard_pt | PTE_P | PTE_RW;
	kvm_tlb_flush_local();
}

static void invlpg(void *va)
{
	__asm__ __volatile__("invlpg (%0)" :: "r"(va) : "memory");
}

/* IPI handler: another CPU changed the mapping of the page at arg. */
static void remote_invlpg(void *arg)
{
	invlpg(arg);
}

/* The 4 KiB table that maps va, splitting its 2 MiB page; NULL: pool empty. */
static __u64 *table_of(__u64 va)
{
	__u64 *pde = &kvm_pd[va / PAGE_2M];

	if (*pde & PTE_PS) {
		__u64 *pt;

		if (split_used == CONFIG_KVM_PAGING_SPLIT_TABLES)
			return NULL;
		pt = split_pool[split_used++];
		fill_split(pt, ALIGN_DOWN(va, PAGE_2M));
		/* Release: the table is complete before walkers can see it. */
		__atomic_store_n(pde, (__u64)pt | PTE_P | PTE_RW,
				 __ATOMIC_RELEASE);
	}
	return (__u64 *)(*pde & PTE_ADDR);
}

int ukplat_page_guard(void *va, int guard)
{
	__u64 a = (__u64)va, *pt;
	unsigned long f;

	if ((a & (__PAGE_SIZE - 1)) || a >= GUARD_LIMIT)
		return -EINVAL;
	f = ukplat_lcpu_save_irqf();
	/* Acquire/release: a test-and-set lock around the tables. */
	while (__atomic_exchange_n(&paging_lock, 1, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	pt = table_of(a);
	if (pt)
		pt[(a % PAGE_2M) / __PAGE_SIZE] = guard ? 0
					: a | PTE_P | PTE_RW;
	__atomic_store_n(&paging_lock, 0, __ATOMIC_RELEASE);
	ukplat_lcpu_restore_irqf(f);
	if (!pt)
		return -ENOMEM;
	invlpg(va);
	ukplat_lcpu_call_others(remote_invlpg, va, 1);
	return 0;
}

int ukplat_page_is_guard(unsigned long addr)
{
	__u64 pde;

	if (addr >= GUARD_LIMIT)
		return 0;
	pde = kvm_pd[addr / PAGE_2M];
	if (pde & PTE_PS)
		return 0;
	return !(((__u64 *)(pde & PTE_ADDR))[(addr % PAGE_2M) / __PAGE_SIZE]
		 & PTE_P);
}
