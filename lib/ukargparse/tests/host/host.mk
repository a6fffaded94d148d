# SPDX-License-Identifier: BSD-3-Clause
HOST_SRCS := argparse.c
HOST_TESTS := test_argparse.cc
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_TSAN := n
