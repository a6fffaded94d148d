# SPDX-License-Identifier: BSD-3-Clause
# lwip host tests (support/build/host.mk): the mailboxes under lwIP's
# sys_arch (mbox.c) unchanged on support/host/sched.c's wait queues, with
# uklock's spinlock underneath: many producers and consumers, deadlines,
# no lost wake-up (test_mbox.cc).
HOST_SRCS := mbox.c ../uklock/spinlock.c ../ukdebug/print.c \
	$(HOST_ROOT)/support/host/sched.c
HOST_TESTS := test_mbox.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_LDLIBS :=
HOST_TSAN := y
