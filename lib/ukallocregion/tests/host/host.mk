# SPDX-License-Identifier: BSD-3-Clause
HOST_SRCS := region.c
HOST_TESTS := test_region.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := y
