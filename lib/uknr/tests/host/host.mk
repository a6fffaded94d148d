# uknr host tests (support/build/host.mk): the library, the example
# structures and a probe of the private reader-writer lock, under ASan+UBSan
# and TSan. ukdebug's print.c gives UK_ASSERT/UK_CRASH.
HOST_SRCS := nr.c log.c combine.c rwlock.c placement.c idle.c \
	examples/hashmap.c examples/pqueue.c tests/host/rw_probe.c \
	../ukdebug/print.c
HOST_TESTS := test_model.cc test_lin.cc test_concurrent.cc test_errors.cc
HOST_CFLAGS := -I$(HOST_LIBDIR)
HOST_CXXFLAGS :=
HOST_TSAN := y
