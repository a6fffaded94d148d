# SPDX-License-Identifier: BSD-3-Clause
# ukallocbbuddy host tests (support/build/host.mk): the allocator with
# ukalloc's entry points, uklock's spinlock and ukdebug's printing, over
# malloc'd arenas; threads play CPUs.
HOST_SRCS := buddy.c pcpu.c bbuddy.c ../ukalloc/alloc.c ../ukalloc/ifpages.c \
	../uklock/spinlock.c ../ukdebug/print.c
HOST_TESTS := test_bbuddy.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := y
