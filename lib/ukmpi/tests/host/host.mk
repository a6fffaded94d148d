# SPDX-License-Identifier: BSD-3-Clause
# ukmpi host tests (support/build/host.mk): the channels, the mailbox and
# the collectives, unchanged, with pthreads playing CPUs (each test thread
# takes a CPU index with ukplat_host_lcpu_set_idx()). Blocking uses
# support/host/sched.c (uksched's wait queues on futexes) and uklock's
# semaphore; ukdebug's print.c gives UK_ASSERT its output, ukalloc's
# alloc.c the uk_malloc() the tests feed a malloc-backed allocator.
HOST_SRCS := chan.c mbox.c mpi.c ../ukalloc/alloc.c ../uklock/spinlock.c \
	../uklock_blocking/semaphore.c \
	../ukdebug/print.c $(HOST_ROOT)/support/host/sched.c
HOST_TESTS := test_chan.cc test_mbox.cc test_mpi.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := y
