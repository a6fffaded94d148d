# SPDX-License-Identifier: BSD-3-Clause
# ukrandom host tests (support/build/host.mk): ChaCha20 against RFC 8439's
# vectors; the per-CPU generators (one shim CPU per thread) with a fake
# source, under ASan+UBSan and TSan. ukdebug's print.c gives UK_ASSERT.
HOST_SRCS := chacha20.c random.c ../ukdebug/print.c
HOST_TESTS := test_chacha20.cc test_random.cc
HOST_CFLAGS := -I$(HOST_LIBDIR) -DCONFIG_LIBUKRANDOM_RESEED_KIB=4
HOST_CXXFLAGS := -I$(HOST_LIBDIR)
HOST_TSAN := y
