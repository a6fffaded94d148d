/* SPDX-License-Identifier: BSD-3-Clause */
// ukrandom's per-CPU generators on the host (one shim CPU per thread):
// distinct streams per CPU, reseeding from a registered source every
// RESEED_KIB (4 KiB here), a source with nothing to give does not stop
// output, and a frequency check of the bytes. Threads run at once (TSan).
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

extern "C" {
#include <uk/plat/lcpu.h>
#include <uk/random.h>
#include "random_impl.h"
}

namespace {

std::atomic<unsigned long> source_reads{0};
std::atomic<bool> source_empty{false};

ssize_t fake_read(void *buf, size_t len, int flags)
{
	static std::atomic<uint8_t> next{1};

	source_reads++;
	if ((flags & UK_RANDOM_NONBLOCK) && source_empty.load())
		return -EAGAIN;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)buf)[i] = next.fetch_add(37);
	return (ssize_t)len;
}

const struct uk_random_source fake = { "fake", fake_read };

TEST(UkRandom, RegisterRejectsBadSources)
{
	struct uk_random_source bad = { "bad", nullptr };

	EXPECT_EQ(uk_random_source_register(nullptr), -EINVAL);
	EXPECT_EQ(uk_random_source_register(&bad), -EINVAL);
}

TEST(UkRandom, CpusGetDistinctStreamsAndReseed)
{
	const unsigned int nthr = 4, len = 64 * 1024;
	std::vector<std::vector<uint8_t>> out(nthr,
					      std::vector<uint8_t>(len));
	std::vector<unsigned int> cpu(nthr);
	std::vector<std::thread> t;

	ukplat_host_lcpu_reset();
	ASSERT_EQ(uk_random_source_register(&fake), 0);
	for (unsigned int i = 0; i < nthr; i++)
		t.emplace_back([&, i] {
			cpu[i] = ukplat_lcpu_idx();
			for (unsigned int off = 0; off < len; off += 1000)
				uk_random_fill_buffer(&out[i][off],
						      std::min(1000u, len - off));
		});
	for (auto &th : t)
		th.join();
	for (unsigned int i = 0; i < nthr; i++) {
		// 64 KiB in 1000-byte calls: a reseed at least every 5 calls.
		EXPECT_GE(uk_random_reseeds(cpu[i]), 12u) << "cpu " << cpu[i];
		for (unsigned int j = i + 1; j < nthr; j++)
			EXPECT_NE(memcmp(out[i].data(), out[j].data(), 64), 0);
		unsigned long ones = 0;
		for (uint8_t b : out[i])
			ones += __builtin_popcount(b);
		// 512 Ki fair bits: sd 362; 6 sd either way.
		EXPECT_NEAR((double)ones, len * 4.0, 2200.0);
	}
	EXPECT_GE(source_reads.load(), nthr * 12ul);
}

TEST(UkRandom, EmptySourceDelaysReseedButNotOutput)
{
	uint8_t a[8192], b[8192];

	ukplat_host_lcpu_reset();
	uk_random_fill_buffer(a, 16);		// seeded by now
	unsigned long before = uk_random_reseeds(ukplat_lcpu_idx());
	source_empty = true;
	EXPECT_EQ(uk_random_fill_buffer(a, sizeof(a)), (ssize_t)sizeof(a));
	EXPECT_EQ(uk_random_fill_buffer(b, sizeof(b)), (ssize_t)sizeof(b));
	EXPECT_EQ(uk_random_reseeds(ukplat_lcpu_idx()), before);
	EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
	source_empty = false;
	uk_random_fill_buffer(a, 16);
	EXPECT_EQ(uk_random_reseeds(ukplat_lcpu_idx()), before + 1);
}

TEST(UkRandom, ValuesAndSourceName)
{
	uint32_t x = 0, y = 0;
	uint64_t z = 0;

	EXPECT_EQ(uk_random_u32(&x), 0);
	EXPECT_EQ(uk_random_u32(&y), 0);
	EXPECT_EQ(uk_random_u64(&z), 0);
	EXPECT_TRUE(x != y || z != 0);
	EXPECT_STREQ(uk_random_source_name(), "none");	// init never ran
}

} // namespace
