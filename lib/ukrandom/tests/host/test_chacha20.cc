/* SPDX-License-Identifier: BSD-3-Clause */
// ChaCha20 block function against RFC 8439: the block of section 2.3.2,
// the encryption example of section 2.4.2 (keystream from counter 1), and
// the first test vector of appendix A.1 (zero key, nonce and counter).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "chacha20.h"
}

namespace {

std::vector<uint8_t> hex(const char *s)
{
	std::vector<uint8_t> v;

	for (; s[0] && s[1]; s += 2)
		v.push_back((uint8_t)std::stoi(std::string(s, 2), nullptr, 16));
	return v;
}

std::vector<uint8_t> key0to31()
{
	std::vector<uint8_t> k(32);

	for (int i = 0; i < 32; i++)
		k[i] = i;
	return k;
}

TEST(Chacha20, Rfc8439Section232Block)
{
	auto key = key0to31();
	auto nonce = hex("000000090000004a00000000");
	auto want = hex("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
			"d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
	uint8_t out[64];

	uk_chacha20_block(key.data(), 1, nonce.data(), out);
	EXPECT_EQ(std::vector<uint8_t>(out, out + 64), want);
}

TEST(Chacha20, Rfc8439AppendixA1Vector1)
{
	uint8_t key[32] = {}, nonce[12] = {}, out[64];
	auto want = hex("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
			"da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");

	uk_chacha20_block(key, 0, nonce, out);
	EXPECT_EQ(std::vector<uint8_t>(out, out + 64), want);
}

TEST(Chacha20, Rfc8439Section242Encryption)
{
	const std::string plain = "Ladies and Gentlemen of the class of '99: "
		"If I could offer you only one tip for the future, sunscreen "
		"would be it.";
	auto key = key0to31();
	auto nonce = hex("000000000000004a00000000");
	auto want = hex("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
			"f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
			"07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
			"5af90bbf74a35be6b40b8eedf2785e42874d");
	std::vector<uint8_t> ct(plain.size());
	uint8_t ks[64];

	ASSERT_EQ(plain.size(), 114u);
	for (size_t i = 0; i < plain.size(); i++) {
		if (i % 64 == 0)
			uk_chacha20_block(key.data(), 1 + i / 64, nonce.data(), ks);
		ct[i] = plain[i] ^ ks[i % 64];
	}
	EXPECT_EQ(ct, want);
}

TEST(Chacha20, OneBitOfKeyChangesHalfTheBlock)
{
	auto key = key0to31();
	uint8_t nonce[12] = {}, a[64], b[64];
	int diff = 0;

	uk_chacha20_block(key.data(), 0, nonce, a);
	key[17] ^= 0x10;
	uk_chacha20_block(key.data(), 0, nonce, b);
	for (int i = 0; i < 64; i++)
		diff += __builtin_popcount(a[i] ^ b[i]);
	EXPECT_GT(diff, 256 - 64);
	EXPECT_LT(diff, 256 + 64);
}

} // namespace
