/* SPDX-License-Identifier: BSD-3-Clause */
/* The memory map: multiboot's RAM list turned into sorted, page-aligned regions. */
#include <string.h>
#include <uk/plat/memory.h>
#include <kvm/boot.h>
#include <kvm/mem.h>

#define MAX_REGIONS	32
#define LOW_MEM_END	0x100000ULL	/* BIOS, EBDA, option ROMs */
#define MAPPED_END	(4ULL << 30)	/* what the boot page tables map */
/* What QEMU's firmware keeps at the top of RAM (its tables), at most. */
#define FIRMWARE_TOP	(256ULL << 10)
/* MiB that hold x bytes and the firmware's tables. */
#define MIB_UP(x)	\
	((unsigned long)DIV_ROUND_UP((x) + FIRMWARE_TOP, 1ULL << 20))

static struct ukplat_memregion_desc regions[MAX_REGIONS];
static int nregions;
static __u64 ram_total;	/* bytes of RAM in multiboot's map */
static __u64 ram_top;	/* end of the highest RAM below MAPPED_END */

static void region_add(__u64 start, __u64 end, unsigned int flags)
{
	int i;

	if (start >= end || nregions == MAX_REGIONS)
		return;
	for (i = nregions; i > 0 && regions[i - 1].pbase > start; i--)
		regions[i] = regions[i - 1];
	regions[i] = (struct ukplat_memregion_desc){
		.pbase = start, .len = end - start, .flags = flags,
	};
	nregions++;
}

/* Adds the free part of [start, end) that lies outside the kernel image. */
static void ram_add(__u64 start, __u64 end)
{
	__u64 kstart = ALIGN_DOWN((__u64)__kernel_start, __PAGE_SIZE);
	__u64 kend = ALIGN_UP((__u64)_end, __PAGE_SIZE);

	ram_total += end - start;
	ram_top = MAX(ram_top, MIN(end, MAPPED_END));
	start = ALIGN_UP(MAX(start, LOW_MEM_END), __PAGE_SIZE);
	end = ALIGN_DOWN(MIN(end, MAPPED_END), __PAGE_SIZE);
	if (start >= end)
		return;
	if (end <= kstart || start >= kend) {
		region_add(start, end, UKPLAT_MEMRF_FREE);
		return;
	}
	region_add(start, kstart, UKPLAT_MEMRF_FREE);
	region_add(kend, end, UKPLAT_MEMRF_FREE);
}

void kvm_memregions_init(const struct multiboot_info *mi)
{
	__u64 kstart = ALIGN_DOWN((__u64)__kernel_start, __PAGE_SIZE);
	__u64 kend = ALIGN_UP((__u64)_end, __PAGE_SIZE);

	region_add(kstart, kend, UKPLAT_MEMRF_KERNEL);
	if (mi->flags & (1 << 6)) {
		__u64 p = mi->mmap_addr, end = p + mi->mmap_length;

		while (p < end) {
			const struct multiboot_mmap_entry *e = (void *)p;

			if (e->type == 1)
				ram_add(e->addr, e->addr + e->len);
			p += e->size + sizeof(e->size);
		}
	} else if (mi->flags & 1) {
		ram_add(LOW_MEM_END, LOW_MEM_END + mi->mem_upper * 1024ULL);
	}
	if (ram_top < kend)
		kvm_boot_refuse("%lu KiB of RAM cannot hold the image, which "
				"ends at %lu KiB; run it with at least %lu MiB",
				(unsigned long)(ram_total >> 10),
				(unsigned long)(kend >> 10),
				/* plus smp.c's HEAP_MIN; the next boot checks */
				MIB_UP(kend + (1ULL << 20)));
}

static struct ukplat_memregion_desc *largest_free(void)
{
	struct ukplat_memregion_desc *best = NULL;
	int i;

	for (i = 0; i < nregions; i++)
		if ((regions[i].flags & UKPLAT_MEMRF_FREE)
		    && (!best || regions[i].len > best->len))
			best = &regions[i];
	return best;
}

/*
 * The guest needs need bytes more than the largest free region has: one
 * line saying how much memory would do, then exit. More memory extends the
 * top region, so the top must grow by the shortfall, and the firmware keeps
 * its tables above that.
 */
static void __noreturn refuse_short(__u64 need, const char *what)
{
	struct ukplat_memregion_desc *best = largest_free();
	__u64 have = best ? best->len : 0;

	kvm_boot_refuse("%lu KiB of RAM is too little: %s need %lu KiB, the "
			"largest free region has %lu KiB; run it with at least "
			"%lu MiB", (unsigned long)(ram_total >> 10), what,
			(unsigned long)(need >> 10), (unsigned long)(have >> 10),
			MIB_UP(ram_top + need - have));
}

int kvm_mem_fits(__u64 need)
{
	struct ukplat_memregion_desc *best = largest_free();

	return best && best->len >= need;
}

void kvm_mem_reserve_check(__u64 need, const char *what)
{
	if (!kvm_mem_fits(need))
		refuse_short(need, what);
}

/*
 * Takes len bytes (page granular, aligned to align) for platform use from
 * the top of the largest free region and marks them reserved. Only before
 * the allocators receive the free regions (that is, before ukboot runs).
 * When no region is large enough the guest cannot run: it says how much
 * memory it needs and exits (kvm_boot_refuse()); it never returns NULL.
 */
void *kvm_mem_reserve(__u64 len, __u64 align)
{
	struct ukplat_memregion_desc *best = largest_free();
	__u64 start, end;

	len = ALIGN_UP(len, __PAGE_SIZE);
	align = MAX(align, __PAGE_SIZE);
	if (!best || best->len < len + align)
		refuse_short(len + align, "platform structures");
	end = best->pbase + best->len;
	start = ALIGN_DOWN(end - len, align);
	best->len = start - best->pbase;
	region_add(start, end, UKPLAT_MEMRF_RESERVED);
	memset((void *)start, 0, end - start);
	return (void *)start;
}

int ukplat_memregion_count(void)
{
	return nregions;
}

int ukplat_memregion_get(int i, struct ukplat_memregion_desc **mrd)
{
	if (i < 0 || i >= nregions)
		return -1;
	*mrd = &regions[i];
	return 0;
}
