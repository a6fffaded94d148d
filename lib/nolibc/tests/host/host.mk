# SPDX-License-Identifier: BSD-3-Clause
# nolibc host test settings for the generic runner (support/build/host.mk).
NOLIBC_HOST_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

HOST_SRCS := string.c strings.c strdup.c ctype.c errno.c format.c \
	format_fp.c stdio.c stdlib.c qsort.c assert.c
HOST_TESTS := test_printf.cc test_string.cc test_stdlib.cc

# The sources compile against nolibc's own headers (FILE, errno, limits.h
# are ours) with every public function renamed nolibc_* by rename.h, so
# they link next to glibc. No builtins: gcc must not swap in glibc's code.
HOST_CFLAGS := -ffreestanding -fno-builtin -U_FORTIFY_SOURCE \
	-fno-tree-loop-distribute-patterns \
	-I$(NOLIBC_HOST_DIR)/../../include \
	-include $(NOLIBC_HOST_DIR)/rename.h
HOST_CXXFLAGS := -I$(NOLIBC_HOST_DIR) -Wno-format-nonliteral
HOST_TSAN := n
