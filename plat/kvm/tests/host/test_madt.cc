/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests for CPU discovery: MADT parsing (LAPIC, x2APIC, disabled and
// online-capable CPUs, duplicates, IOAPIC, overrides, malformed entries) and
// the boot-CPU ordering and maximum-count rules.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include <kvm/acpi.h>
}

// Builds an MADT in memory: 44-byte header, then entries.
struct Madt {
	std::vector<uint8_t> b = std::vector<uint8_t>(44, 0);

	Madt(uint32_t lapic = 0xfee00000)
	{
		memcpy(b.data(), "APIC", 4);
		memcpy(b.data() + 36, &lapic, 4);
	}
	void raw(std::vector<uint8_t> e) { b.insert(b.end(), e.begin(), e.end()); }
	void lapic(uint8_t id, uint32_t flags)
	{
		std::vector<uint8_t> e = {0, 8, id, id};
		e.resize(8);
		memcpy(e.data() + 4, &flags, 4);
		raw(e);
	}
	void x2apic(uint32_t id, uint32_t flags)
	{
		std::vector<uint8_t> e(16, 0);
		e[0] = 9;
		e[1] = 16;
		memcpy(e.data() + 4, &id, 4);
		memcpy(e.data() + 8, &flags, 4);
		raw(e);
	}
	void ioapic(uint32_t addr)
	{
		std::vector<uint8_t> e(12, 0);
		e[0] = 1;
		e[1] = 12;
		memcpy(e.data() + 4, &addr, 4);
		raw(e);
	}
	void iso(uint8_t irq, uint32_t gsi)
	{
		std::vector<uint8_t> e(10, 0);
		e[0] = 2;
		e[1] = 10;
		e[3] = irq;
		memcpy(e.data() + 4, &gsi, 4);
		raw(e);
	}
	const void *table()
	{
		uint32_t len = (uint32_t)b.size();
		memcpy(b.data() + 4, &len, 4);
		return b.data();
	}
};

TEST(Madt, CpusIoapicAndOverrides)
{
	Madt m;
	m.lapic(0, 1);
	m.lapic(1, 1);
	m.lapic(2, 0);		// disabled, not online-capable: skipped
	m.lapic(3, 2);		// online-capable: counted
	m.x2apic(1, 1);		// same CPU listed again as x2APIC
	m.x2apic(300, 1);
	m.ioapic(0xfec00000);
	m.ioapic(0xfec01000);	// only the first is used
	m.iso(0, 2);
	m.lapic(4, 1);		// after a 10-byte entry: unaligned fields
	struct kvm_cpu_map map;
	kvm_cpu_map_init(&map);
	kvm_madt_parse(m.table(), &map);
	ASSERT_EQ(map.ncpus, 5u);
	EXPECT_EQ(map.apic_id[4], 4u);
	EXPECT_EQ(map.apic_id[0], 0u);
	EXPECT_EQ(map.apic_id[1], 1u);
	EXPECT_EQ(map.apic_id[2], 3u);
	EXPECT_EQ(map.apic_id[3], 300u);
	EXPECT_EQ(map.lapic_base, 0xfee00000u);
	EXPECT_EQ(map.ioapic_base, 0xfec00000u);
	EXPECT_EQ(map.isa_gsi[0], 2u);
	EXPECT_EQ(map.isa_gsi[4], 4u);
}

TEST(Madt, MalformedEntriesStopTheWalk)
{
	Madt m;
	m.lapic(0, 1);
	m.raw({0, 0, 5, 5});	// length 0 would loop forever
	m.lapic(7, 1);
	struct kvm_cpu_map map;
	kvm_cpu_map_init(&map);
	kvm_madt_parse(m.table(), &map);
	EXPECT_EQ(map.ncpus, 1u);

	Madt t;
	t.lapic(0, 1);
	t.raw({0, 8, 9, 9});	// runs past the table's end
	kvm_cpu_map_init(&map);
	kvm_madt_parse(t.table(), &map);
	EXPECT_EQ(map.ncpus, 1u);
}

TEST(Madt, MaximumCountAndBootCpuFirst)
{
	Madt m;
	for (unsigned i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT + 5; i++)
		m.x2apic(100 + i, 1);
	struct kvm_cpu_map map;
	kvm_cpu_map_init(&map);
	kvm_madt_parse(m.table(), &map);
	EXPECT_EQ(map.ncpus, (unsigned)CONFIG_UKPLAT_LCPU_MAXCOUNT);
	EXPECT_EQ(map.nskipped, 5u);

	// The boot CPU is listed: it moves to index 0, its place takes CPU 0.
	kvm_cpu_map_finish(&map, 105);
	EXPECT_EQ(map.apic_id[0], 105u);
	EXPECT_EQ(map.apic_id[5], 100u);
	EXPECT_EQ(map.ncpus, (unsigned)CONFIG_UKPLAT_LCPU_MAXCOUNT);

	// The boot CPU was cut by the maximum: it still runs, first.
	kvm_cpu_map_init(&map);
	kvm_madt_parse(m.table(), &map);
	kvm_cpu_map_finish(&map, 100 + CONFIG_UKPLAT_LCPU_MAXCOUNT + 2);
	EXPECT_EQ(map.apic_id[0], 100u + CONFIG_UKPLAT_LCPU_MAXCOUNT + 2);
	EXPECT_EQ(map.apic_id[1], 100u);
	EXPECT_EQ(map.ncpus, (unsigned)CONFIG_UKPLAT_LCPU_MAXCOUNT);
	EXPECT_EQ(map.nskipped, 6u);
}

TEST(Madt, NoTableMeansBootCpuOnly)
{
	struct kvm_cpu_map map;
	kvm_cpu_map_init(&map);
	kvm_cpu_map_finish(&map, 7);
	EXPECT_EQ(map.ncpus, 1u);
	EXPECT_EQ(map.apic_id[0], 7u);
	EXPECT_EQ(map.lapic_base, 0xfee00000u);
}
