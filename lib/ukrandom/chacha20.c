/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ChaCha20 block function (RFC 8439 section 2.3): 16 32-bit words of
 * constants, key, counter and nonce; 20 rounds (10 column + diagonal
 * double rounds) of quarter rounds; the input added back; serialized
 * little-endian. x86_64 is little-endian, so words load and store as is.
 */
#include <string.h>
#include "chacha20.h"

static __u32 rotl(__u32 v, unsigned int n)
{
	return (v << n) | (v >> (32 - n));
}

static void quarter(__u32 *x, unsigned int a, unsigned int b,
		    unsigned int c, unsigned int d)
{
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rotl(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rotl(x[b] ^ x[c], 7);
}

void uk_chacha20_block(const __u8 key[32], __u32 counter,
		       const __u8 nonce[12], __u8 out[CHACHA20_BLOCK])
{
	/* "expand 32-byte k" */
	__u32 in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
	__u32 x[16];
	unsigned int i;

	memcpy(&in[4], key, 32);
	in[12] = counter;
	memcpy(&in[13], nonce, 12);
	memcpy(x, in, sizeof(x));
	for (i = 0; i < 10; i++) {
		quarter(x, 0, 4, 8, 12);
		quarter(x, 1, 5, 9, 13);
		quarter(x, 2, 6, 10, 14);
		quarter(x, 3, 7, 11, 15);
		quarter(x, 0, 5, 10, 15);
		quarter(x, 1, 6, 11, 12);
		quarter(x, 2, 7, 8, 13);
		quarter(x, 3, 4, 9, 14);
	}
	for (i = 0; i < 16; i++)
		x[i] += in[i];
	memcpy(out, x, CHACHA20_BLOCK);
}
