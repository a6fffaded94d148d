# SPDX-License-Identifier: BSD-3-Clause
# ukdebug host test settings for the generic runner (support/build/host.mk).
HOST_SRCS := print.c
HOST_TESTS := test_print.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := y
