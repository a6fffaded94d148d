# SPDX-License-Identifier: BSD-3-Clause
# uknr host tests (support/build/host.mk): the library (NR and CNR), the
# example structures, probes of private parts (reader-writer lock, combiner,
# a broken CNR scan), under ASan+UBSan and TSan. ukdebug's print.c gives
# UK_ASSERT/UK_CRASH.
HOST_SRCS := nr.c log.c combine.c dist_rwlock.c placement.c idle.c cnr.c \
	dalloc.c examples/hashmap.c examples/pqueue.c examples/cnr_hashmap.c \
	tests/host/rw_probe.c tests/host/cnr_probe.c ../ukdebug/print.c
HOST_TESTS := test_model.cc test_lin.cc test_concurrent.cc test_errors.cc \
	test_cnr.cc test_dalloc.cc
HOST_CFLAGS := -I$(HOST_LIBDIR)
HOST_CXXFLAGS :=
HOST_TSAN := y
