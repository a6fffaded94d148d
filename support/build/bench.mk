# SPDX-License-Identifier: BSD-3-Clause
# Host benchmarks: the recipe shared by the libraries' bench/Makefile. A
# benchmark is one program built with gcc -O2 against the host shim (as
# support/build/host.mk builds the host tests, without sanitizers) and run
# with ARGS:
#
#   make -C lib/<name>/bench [O=<dir>] [run] [ARGS="..."] [clean]
#
# The including Makefile sets, then includes this file:
#   BENCH_NAME    the library's name; O defaults to /tmp/<name>-bench
#   BENCH_SRCS    every source of the program (absolute paths)
#   BENCH_HDRS    headers it depends on (absolute paths)
#   BENCH_INCS    library directories under lib/ whose include/ it needs
#   BENCH_CFLAGS  extra flags (-I of private directories, -D)
# and may use BENCH_ROOT (the repository) and BENCH_HERE (its bench/).
BENCH_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
BENCH_HERE := $(abspath $(dir $(firstword $(MAKEFILE_LIST))))
O ?= /tmp/$(BENCH_NAME)-bench
ARGS ?=

CC := gcc
CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra -Werror -pthread \
	-I$(BENCH_ROOT)/support/host/include -I$(BENCH_ROOT)/include \
	$(foreach l,$(BENCH_INCS),-I$(BENCH_ROOT)/lib/$(l)/include) \
	$(BENCH_CFLAGS) \
	-include $(BENCH_ROOT)/support/host/include/uk/config.h \
	-D__LIBNAME__=lib$(BENCH_NAME)

.PHONY: all run clean
all: $(O)/bench

$(O)/bench: $(BENCH_SRCS) $(BENCH_HDRS) $(MAKEFILE_LIST)
	@mkdir -p $(O)
	$(CC) $(CFLAGS) -o $@ $(BENCH_SRCS)

run: $(O)/bench
	$(O)/bench $(ARGS)

clean:
	rm -rf $(O)
