# SPDX-License-Identifier: BSD-3-Clause
# uklock host tests (support/build/host.mk). Two builds of the spinlock in
# one binary: spinlock.c as is (test_spinlock.cc), and debug_spinlock.c,
# which is spinlock.c with CONFIG_LIBUKLOCK_DEBUG under other names
# (debug_names.h; test_spinlock_debug.cc). ukdebug's print.c gives UK_CRASH.
# The blocking locks' host tests are in lib/uklock_blocking.
HOST_SRCS := spinlock.c tests/host/debug_spinlock.c ../ukdebug/print.c
HOST_TESTS := test_spinlock.cc test_spinlock_debug.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
# ukplat_symbol() in test_spinlock_debug.cc looks names up with dladdr().
HOST_LDLIBS := -rdynamic
HOST_TSAN := y
