/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of ukdebug: message line format, printing, assert and crash.
#include <gtest/gtest.h>
#include <uk/assert.h>
#include <uk/print.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string line(size_t size, int lvl, const char *lib, __nsec now,
		 const char *msg)
{
	std::vector<char> buf(size + 1, 'X');
	size_t len = uk_printk_format(buf.data(), size, lvl, lib, now, "%s",
				      msg);

	EXPECT_EQ('X', buf[size]) << "wrote past size";
	if (!size)
		return "";
	EXPECT_EQ(len, strlen(buf.data()));
	EXPECT_LT(len, size);
	return buf.data();
}

TEST(UkdebugPrint, LineFormat)
{
	EXPECT_EQ("[    1.234567] Warn: [libfoo] hello 42\n",
		  line(128, KLVL_WARN, "libfoo", 1234567890ULL, "hello 42\n"));
	EXPECT_EQ("[    0.000000] Crit: [x] a\n",
		  line(128, KLVL_CRIT, "x", 999, "a"));
	EXPECT_EQ("[12345.000001] Err: [x] b\n",
		  line(128, KLVL_ERR, "x", 12345000001000ULL, "b"));
	EXPECT_EQ("[123456.999999] Info: [x] c\n",
		  line(128, KLVL_INFO, "x", 123456999999999ULL, "c"));
	EXPECT_EQ("[    0.000001] Debug: [x] d\n",
		  line(128, KLVL_DEBUG, "x", 1000, "d"));
	EXPECT_EQ("[    0.000000] ???: [x] e\n", line(128, -1, "x", 0, "e"));
}

TEST(UkdebugPrint, Newlines)
{
	EXPECT_EQ("[    0.000000] Warn: [l] \n",
		  line(64, KLVL_WARN, "l", 0, ""));
	EXPECT_EQ("[    0.000000] Warn: [l] two\n\n",
		  line(64, KLVL_WARN, "l", 0, "two\n\n"));
	EXPECT_EQ("[    0.000000] Warn: [l] a\nb\n",
		  line(64, KLVL_WARN, "l", 0, "a\nb"));
}

// Every buffer size: NUL-terminated, never overruns, ends "...\n" when cut.
TEST(UkdebugPrint, TruncationAtEverySize)
{
	const std::string full = "[    0.000000] Warn: [l] 0123456789abcdef\n";

	for (size_t size = 0; size <= full.size() + 2; size++) {
		std::string got = line(size, KLVL_WARN, "l", 0,
				       "0123456789abcdef");
		if (size > full.size()) {
			EXPECT_EQ(full, got);
		} else if (size >= 5) {
			EXPECT_EQ(size - 1, got.size());
			EXPECT_EQ("...\n", got.substr(got.size() - 4));
			EXPECT_EQ(full.substr(0, size - 5),
				  got.substr(0, size - 5));
		}
	}
}

std::string captured(void (*fn)())
{
	testing::internal::CaptureStdout();
	fn();
	fflush(stdout);
	std::string out = testing::internal::GetCapturedStdout(), norm;

	for (char c : out)
		if (c != '\r')
			norm += c;
	return norm;
}

TEST(UkdebugPrint, PrintsOneLine)
{
	std::string out = captured([] {
		_uk_printk(KLVL_ERR, "libtest", "value %d", 7);
	});

	ASSERT_EQ('[', out[0]);
	EXPECT_NE(std::string::npos, out.find("] Err: [libtest] value 7\n"));
	EXPECT_EQ(out.size(), out.find('\n') + 1);
}

TEST(UkdebugPrint, LongMessageIsCut)
{
	std::string out = captured([] {
		std::string big(1000, 'm');

		_uk_printk(KLVL_WARN, "l", "%s", big.c_str());
	});

	EXPECT_EQ((size_t)UK_PRINTK_MAXLEN - 1, out.size());
	EXPECT_EQ("...\n", out.substr(out.size() - 4));
}

// Concurrent messages from many threads (run under TSan as well).
TEST(UkdebugPrint, ConcurrentPrinting)
{
	std::string out = captured([] {
		std::vector<std::thread> threads;

		for (int t = 0; t < 4; t++)
			threads.emplace_back([t] {
				for (int i = 0; i < 50; i++)
					_uk_printk(KLVL_INFO, "thr",
						   "thread %d msg %d", t, i);
			});
		for (auto &th : threads)
			th.join();
	});

	EXPECT_EQ(200, std::count(out.begin(), out.end(), '\n'));
}

TEST(UkdebugPrint, AssertTrueDoesNotCrash)
{
	int calls = 0;

	UK_ASSERT(1 + 1 == 2);
	UK_ASSERT(++calls == 1);
	UK_BUGON(calls != 1);
#if CONFIG_LIBUKDEBUG_ENABLE_ASSERT
	EXPECT_EQ(1, calls);
#else
	EXPECT_EQ(0, calls);
#endif
}

TEST(UkdebugPrintDeathTest, CrashPathsDie)
{
	EXPECT_DEATH(_uk_assert_fail("libx", "a == b", "f.c", 3), "");
	EXPECT_DEATH(_uk_crash("libx", "f.c", 4, "boom %d", 1), "");
	EXPECT_DEATH(UK_CRASH("boom"), "");
	EXPECT_DEATH(UK_BUG(), "");
}

} // namespace
