# SPDX-License-Identifier: BSD-3-Clause
# virtio host tests (support/build/host.mk, HOST_LIBDIR=drivers/virtio):
# the split virtqueue against a simulated device, under ASan+UBSan and
# TSan (producer, consumer and device in three threads). ukdebug's print.c
# gives UK_ASSERT.
HOST_SRCS := virtqueue.c ../../lib/ukdebug/print.c
HOST_TESTS := test_virtqueue.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := y
