/* SPDX-License-Identifier: BSD-3-Clause */
/* ChaCha20 block function (RFC 8439 section 2.3), private to ukrandom. */
#ifndef __UKRANDOM_CHACHA20_H__
#define __UKRANDOM_CHACHA20_H__

#include <uk/essentials.h>

#define CHACHA20_BLOCK	64

/*
 * Writes the 64-byte block for key (32 bytes), 32-bit block counter and
 * 96-bit nonce (12 bytes), serialized little-endian as the RFC says.
 */
void uk_chacha20_block(const __u8 key[32], __u32 counter,
		       const __u8 nonce[12], __u8 out[CHACHA20_BLOCK]);

#endif /* __UKRANDOM_CHACHA20_H__ */
