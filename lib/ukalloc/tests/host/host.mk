# SPDX-License-Identifier: BSD-3-Clause
# ukalloc host tests (support/build/host.mk): the uk_*() entry points, the
# registry and the generic malloc-on-pages operations, over a page allocator
# written in the test.
HOST_SRCS := alloc.c ifpages.c ../uklock/spinlock.c ../ukdebug/print.c
HOST_TESTS := test_alloc.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := y
