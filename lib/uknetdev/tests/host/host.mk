# SPDX-License-Identifier: BSD-3-Clause
# uknetdev host tests (support/build/host.mk): netbuf layout, windows,
# chains and reference counts (4 threads), and the netdev layer against a
# device written in the test: state machine, tx/rx status flags, bursts,
# per-queue statistics that add up over 4 threads; netbuf pools taken
# from and given back by 4 threads. ukalloc (with its
# spinlock) gives uk_memalign/uk_calloc, ukdebug's print.c UK_ASSERT.
HOST_SRCS := netbuf.c netbuf_pool.c netdev.c ../ukalloc/alloc.c ../uklock/spinlock.c \
	../ukdebug/print.c
HOST_TESTS := test_netbuf.cc test_netdev.cc test_netbuf_pool.cc
HOST_CFLAGS := -DCONFIG_LIBUKNETDEV_MAXNBQUEUES=4 \
	-DCONFIG_LIBUKNETDEV_MAXNBDEVS=16 -DCONFIG_LIBUKNETDEV_STATS=1
HOST_CXXFLAGS := $(HOST_CFLAGS)
HOST_TSAN := y
