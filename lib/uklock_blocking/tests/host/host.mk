# SPDX-License-Identifier: BSD-3-Clause
# uklock_blocking host tests (support/build/host.mk): the blocking locks run
# unchanged on support/host/sched.c, a pthread stand-in for uksched's wait
# queues, with uklock's spinlock underneath (test_blocking.cc).
HOST_SRCS := mutex.c semaphore.c rwlock.c ../uklock/spinlock.c \
	../ukdebug/print.c $(HOST_ROOT)/support/host/sched.c
HOST_TESTS := test_blocking.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_LDLIBS :=
HOST_TSAN := y
