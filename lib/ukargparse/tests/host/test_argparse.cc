/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests for uk_argnparse(): compares against expected word lists,
// including a randomized round trip through single-quoting.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

extern "C" {
#include <uk/argparse.h>
}

static std::vector<std::string> split(std::string s, int maxcount = 64)
{
	std::vector<char> buf(s.begin(), s.end());
	buf.push_back('\0');
	std::vector<char *> argv(maxcount + 1, nullptr);
	int argc = uk_argnparse(buf.data(), buf.size(), argv.data(), maxcount);
	std::vector<std::string> out;
	for (int i = 0; i < argc; i++)
		out.emplace_back(argv[i]);
	if (argc < maxcount)
		EXPECT_EQ(argv[argc], nullptr);
	return out;
}

TEST(ArgParse, Blanks)
{
	EXPECT_EQ(split("  a\tbb  c \n"),
		  (std::vector<std::string>{"a", "bb", "c"}));
	EXPECT_TRUE(split("").empty());
	EXPECT_TRUE(split(" \t ").empty());
}

TEST(ArgParse, Quoting)
{
	EXPECT_EQ(split("'a b' \"c d\" e\\ f"),
		  (std::vector<std::string>{"a b", "c d", "e f"}));
	EXPECT_EQ(split("x'y'\"z\""), (std::vector<std::string>{"xyz"}));
	EXPECT_EQ(split("'it\\s'"), (std::vector<std::string>{"it\\s"}));
	EXPECT_EQ(split("\"q\\\"q\""), (std::vector<std::string>{"q\"q"}));
	EXPECT_EQ(split("''"), (std::vector<std::string>{""}));
	EXPECT_EQ(split("'unterminated x"),
		  (std::vector<std::string>{"unterminated x"}));
}

TEST(ArgParse, MaxCount)
{
	EXPECT_EQ(split("a b c d", 2), (std::vector<std::string>{"a", "b"}));
	EXPECT_TRUE(split("a b", 0).empty());
}

TEST(ArgParse, MaxLenWithoutTerminator)
{
	char buf[5] = {'a', 'b', ' ', 'c', 'd'};
	char *argv[4];
	EXPECT_EQ(uk_argnparse(buf, sizeof(buf), argv, 4), 2);
	EXPECT_STREQ(argv[0], "ab");
	EXPECT_STREQ(argv[1], "c");	// the last byte became the terminator
	EXPECT_EQ(uk_argnparse(buf, 0, argv, 4), 0);
}

// A NUL-terminated string with no length, as Unikraft callers pass it.
TEST(ArgParse, MaxLenSizeMax)
{
	char buf[] = "one 'two words' three";
	char *argv[4];
	EXPECT_EQ(uk_argnparse(buf, SIZE_MAX, argv, 4), 3);
	EXPECT_STREQ(argv[0], "one");
	EXPECT_STREQ(argv[1], "two words");
	EXPECT_STREQ(argv[2], "three");
	EXPECT_EQ(argv[3], nullptr);
}

// Any list of words survives quoting each one with '...' and splitting.
TEST(ArgParse, RandomRoundTrip)
{
	std::mt19937 rng(1234);
	const std::string alphabet = "ab \t\"\\x-=";
	for (int iter = 0; iter < 2000; iter++) {
		std::vector<std::string> words(rng() % 6);
		std::string line;
		for (auto &w : words) {
			size_t len = rng() % 5;
			for (size_t i = 0; i < len; i++)
				w += alphabet[rng() % alphabet.size()];
			line += " '" + w + "' ";
		}
		EXPECT_EQ(split(line), words) << "line: " << line;
	}
}
