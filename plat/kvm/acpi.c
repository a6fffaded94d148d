/* SPDX-License-Identifier: BSD-3-Clause */
/* CPU discovery: the ACPI MADT (RSDP -> RSDT/XSDT -> "APIC"), or the MP table when there is no ACPI. */
#include <string.h>
#include <kvm/acpi.h>

struct acpi_rsdp {
	char sig[8];		/* "RSD PTR " */
	__u8 checksum;
	char oem[6];
	__u8 revision;
	__u32 rsdt;
	__u32 length;		/* revision >= 2 from here */
	__u64 xsdt;
	__u8 xchecksum;
	__u8 reserved[3];
} __packed;

struct acpi_sdt {
	char sig[4];
	__u32 length;
	__u8 revision;
	__u8 checksum;
	char oem[6];
	char oem_table[8];
	__u32 oem_rev;
	__u32 creator;
	__u32 creator_rev;
} __packed;

struct acpi_madt {
	struct acpi_sdt h;
	__u32 lapic_addr;
	__u32 flags;
	__u8 entries[];
} __packed;

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_ADDR		5
#define MADT_X2APIC		9
#define MADT_CPU_ENABLED	0x1
#define MADT_CPU_ONLINE_CAPABLE	0x2

struct mp_fps {
	char sig[4];		/* "_MP_" */
	__u32 config;
	__u8 length;		/* in 16-byte units */
	__u8 revision;
	__u8 checksum;
	__u8 features[5];
} __packed;

struct mp_config {
	char sig[4];		/* "PCMP" */
	__u16 length;
	__u8 revision;
	__u8 checksum;
	char oem[20];
	__u32 oem_table;
	__u16 oem_size;
	__u16 count;
	__u32 lapic_addr;
	__u16 ext_length;
	__u8 ext_checksum;
	__u8 reserved;
} __packed;

/* Table fields are not aligned (entries have odd lengths): copy them out. */
static __u32 rd32(const void *p)
{
	__u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __u64 rd64(const void *p)
{
	__u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int checksum_ok(const void *p, unsigned long len)
{
	const __u8 *b = p;
	__u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/*
 * Every 16-byte boundary of [start, start + len) is a candidate: its first
 * four bytes are compared as one load (a call per candidate costs more than
 * the whole scan under TCG), the rest of sig and the checksum only then.
 */
static void *scan(unsigned long start, unsigned long len, const char *sig,
		  unsigned int siglen, unsigned int cslen)
{
	__u32 head = rd32(sig);
	unsigned long p;

	for (p = start; p + cslen <= start + len; p += 16)
		if (*(const volatile __u32 *)p == head
		    && !memcmp((void *)p, sig, siglen)
		    && checksum_ok((void *)p, cslen))
			return (void *)p;
	return NULL;
}

/* The EBDA's first KiB, then the BIOS area 0xE0000-0xFFFFF. */
static void *scan_bios(const char *sig, unsigned int siglen,
		       unsigned int cslen)
{
	unsigned long bda_ebda = 0x40e, ebda;	/* BIOS data area word */
	void *p = NULL;

	/* Hide the constant: gcc flags dereferences of the zero page. */
	__asm__("" : "+r"(bda_ebda));
	ebda = (unsigned long)*(volatile __u16 *)bda_ebda << 4;
	if (ebda >= 0x80000 && ebda < 0xa0000)
		p = scan(ebda, 1024, sig, siglen, cslen);
	return p ? p : scan(0xe0000, 0x20000, sig, siglen, cslen);
}

static void cpu_add(struct kvm_cpu_map *map, __u32 apic_id)
{
	unsigned int i;

	for (i = 0; i < map->ncpus; i++)
		if (map->apic_id[i] == apic_id)
			return;	/* listed twice (LAPIC and x2APIC entries) */
	if (map->ncpus == CONFIG_UKPLAT_LCPU_MAXCOUNT) {
		map->nskipped++;
		return;
	}
	map->apic_id[map->ncpus++] = apic_id;
}

void kvm_madt_parse(const void *table, struct kvm_cpu_map *map)
{
	const struct acpi_madt *madt = table;
	const __u8 *e = madt->entries;
	const __u8 *end = (const __u8 *)madt + rd32(&madt->h.length);

	map->lapic_base = rd32(&madt->lapic_addr);
	while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
		__u32 flags;

		switch (e[0]) {
		case MADT_LAPIC:
			flags = rd32(e + 4);
			if (flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE))
				cpu_add(map, e[3]);
			break;
		case MADT_X2APIC:
			flags = rd32(e + 8);
			if (flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE))
				cpu_add(map, rd32(e + 4));
			break;
		case MADT_IOAPIC:
			if (!map->ioapic_base)
				map->ioapic_base = rd32(e + 4);
			break;
		case MADT_ISO:	/* legacy IRQ e[3] arrives on GSI ... */
			if (e[3] < 16)
				map->isa_gsi[e[3]] = rd32(e + 4);
			break;
		case MADT_LAPIC_ADDR:
			map->lapic_base = rd64(e + 4);
			break;
		}
		e += e[1];
	}
}

static const struct acpi_sdt *sdt_find(const struct acpi_rsdp *rsdp,
				       const char *sig)
{
	int x = rsdp->revision >= 2 && rsdp->xsdt
		&& checksum_ok(rsdp, sizeof(*rsdp));
	const struct acpi_sdt *root = (const void *)(x ? rsdp->xsdt
						     : rsdp->rsdt);
	unsigned int i, n, esize = x ? 8 : 4;

	if (!checksum_ok(root, root->length))
		return NULL;
	n = (root->length - sizeof(*root)) / esize;
	for (i = 0; i < n; i++) {
		const __u8 *ent = (const __u8 *)(root + 1) + i * esize;
		const struct acpi_sdt *t = (const void *)(x ? rd64(ent)
						  : rd32(ent));

		if (!memcmp(t->sig, sig, 4) && checksum_ok(t, t->length))
			return t;
	}
	return NULL;
}

/*
 * The RSDP, looked for once: the firmware's tables do not move. Written by
 * the boot CPU during its set-up (CPU discovery, then the PCI scan of the
 * init table), before any other CPU runs code that could ask.
 */
static const struct acpi_rsdp *rsdp_found;
static int rsdp_searched;

static const struct acpi_rsdp *rsdp_get(void)
{
	if (!rsdp_searched) {
		rsdp_found = scan_bios("RSD PTR ", 8, 20);
		rsdp_searched = 1;
	}
	return rsdp_found;
}

static int acpi_discover(struct kvm_cpu_map *map)
{
	const struct acpi_rsdp *rsdp = rsdp_get();
	const struct acpi_sdt *madt;

	if (!rsdp)
		return -1;
	madt = sdt_find(rsdp, "APIC");
	if (!madt)
		return -1;
	kvm_madt_parse(madt, map);
	return map->ncpus ? 0 : -1;
}

const void *kvm_acpi_table(const char *sig)
{
	const struct acpi_rsdp *rsdp = rsdp_get();

	return rsdp ? sdt_find(rsdp, sig) : NULL;
}

static int mptable_discover(struct kvm_cpu_map *map)
{
	const struct mp_fps *fps = scan_bios("_MP_", 4, 16);
	const struct mp_config *cfg;
	const __u8 *e;
	unsigned int i;

	if (!fps || !fps->config)
		return -1;
	cfg = (const void *)(unsigned long)fps->config;
	if (memcmp(cfg->sig, "PCMP", 4) || !checksum_ok(cfg, cfg->length))
		return -1;
	map->lapic_base = cfg->lapic_addr;
	e = (const __u8 *)(cfg + 1);
	for (i = 0; i < cfg->count; i++) {
		if (e[0] == 0) {	/* processor: id, version, flags */
			if (e[3] & 1)
				cpu_add(map, e[1]);
			e += 20;
		} else {
			if (e[0] == 2 && !map->ioapic_base)
				map->ioapic_base = rd32(e + 4);
			e += 8;
		}
	}
	return map->ncpus ? 0 : -1;
}

/* Puts the boot CPU first (adding it when the table lacks it). */
void kvm_cpu_map_finish(struct kvm_cpu_map *map, __u32 bsp_apic_id)
{
	unsigned int i;

	if (!map->lapic_base)
		map->lapic_base = 0xfee00000;
	for (i = 0; i < map->ncpus; i++) {
		if (map->apic_id[i] == bsp_apic_id) {
			map->apic_id[i] = map->apic_id[0];
			map->apic_id[0] = bsp_apic_id;
			return;
		}
	}
	/* Not listed (or cut by the maximum): it runs anyway, first. */
	if (map->ncpus == CONFIG_UKPLAT_LCPU_MAXCOUNT) {
		map->ncpus--;
		map->nskipped++;
	}
	memmove(&map->apic_id[1], &map->apic_id[0],
		map->ncpus * sizeof(map->apic_id[0]));
	map->apic_id[0] = bsp_apic_id;
	map->ncpus++;
}

void kvm_cpu_map_init(struct kvm_cpu_map *map)
{
	unsigned int i;

	memset(map, 0, sizeof(*map));
	for (i = 0; i < 16; i++)
		map->isa_gsi[i] = i;
}

void kvm_cpu_discover(struct kvm_cpu_map *map, __u32 bsp_apic_id)
{
	kvm_cpu_map_init(map);
	if (acpi_discover(map) == 0) {
		map->source = "ACPI MADT";
	} else if (mptable_discover(map) == 0) {
		map->source = "MP table";
	} else {
		map->source = "none (boot CPU only)";
		map->ncpus = 0;
	}
	kvm_cpu_map_finish(map, bsp_apic_id);
}
