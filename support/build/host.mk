# SPDX-License-Identifier: BSD-3-Clause
# Host tests: builds and runs one library's googletest suites on Linux.
#
#   make -f support/build/host.mk LIB=<name> [O=<dir>] [V=1] [build|run|clean]
#
# LIB is the library's directory under lib/ ("foo" for lib/foo; "libfoo" works
# too when there is no lib/libfoo). HOST_LIBDIR=<dir> points at a library
# elsewhere (default <repo>/lib/<LIB>). O defaults to <repo>/build/host; the
# objects and binaries go to $(O)/<LIB>/<variant>/.
#
# The library describes its suites in lib/<name>/tests/host/host.mk:
#   HOST_SRCS     library sources, relative to lib/<name>/
#   HOST_TESTS    googletest sources (.cc/.cpp), relative to lib/<name>/tests/host/
#   HOST_CFLAGS   extra flags for HOST_SRCS
#   HOST_CXXFLAGS extra flags for HOST_TESTS
#   HOST_LDLIBS   extra libraries to link (optional)
#   HOST_TSAN     y: also build and run a ThreadSanitizer binary
#
# Variants: "asan" (AddressSanitizer + UndefinedBehaviorSanitizer) always,
# "tsan" (ThreadSanitizer) with HOST_TSAN=y. Each binary links the library
# sources, the tests, support/host/shim.c (the platform API on Linux) and
# googletest's main. Every object gets -include support/host/include/uk/config.h
# and the include path support/host/include, include/, lib/*/include (all but
# lib/nolibc/include, whose headers would shadow glibc's).
#
# Targets:
#   build (default)  the binaries, $(O)/<LIB>/<variant>/test-<LIB>
#   run              builds, then runs each binary (all of them, even after a
#                    failure), printing "  PASS    <LIB> [<variant>]" or
#                    "  FAIL    <LIB> [<variant>] (exit N)"; fails if any failed
#   print-variants   prints the variants this library builds
#   clean            removes $(O)/<LIB>
# Variables for run: TEST_ARGS (passed to every binary, e.g.
# --gtest_filter=Foo.*), HOST_TIMEOUT (seconds per binary, default 300).

SHELL := /bin/bash
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:
.SUFFIXES:

HOST_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
HOST_SHIM_DIR := $(HOST_ROOT)/support/host

ifeq ($(strip $(LIB)),)
$(error LIB=<name> is required, e.g. make -f support/build/host.mk LIB=nolibc run)
endif
# "libfoo" names lib/foo unless lib/libfoo exists.
ifneq ($(filter lib%,$(LIB)),)
ifeq ($(wildcard $(HOST_ROOT)/lib/$(LIB)/.),)
override LIB := $(patsubst lib%,%,$(LIB))
endif
endif

HOST_LIBDIR ?= $(HOST_ROOT)/lib/$(LIB)
override HOST_LIBDIR := $(abspath $(HOST_LIBDIR))
O ?= $(HOST_ROOT)/build/host
override O := $(abspath $(O))
HOST_TIMEOUT ?= 300
TEST_ARGS ?=

HOST_LIBMK := $(HOST_LIBDIR)/tests/host/host.mk
ifeq ($(wildcard $(HOST_LIBMK)),)
$(error $(HOST_LIBMK) does not exist: library "$(LIB)" has no host tests)
endif

HOST_SRCS :=
HOST_TESTS :=
HOST_CFLAGS :=
HOST_CXXFLAGS :=
HOST_LDLIBS :=
HOST_TSAN := n
include $(HOST_LIBMK)

ifeq ($(strip $(HOST_TESTS)),)
$(error $(HOST_LIBMK) sets no HOST_TESTS)
endif

# --- tools and flags --------------------------------------------------------------
HOSTCC := gcc
HOSTCXX := g++

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s [%s]\n' '$(1)' '$(call show,$(2))' '$(3)'
endif
# Paths in messages: relative to the repository when inside it.
show = $(patsubst $(HOST_ROOT)/%,%,$(1))
# Quotes $(1) for use inside '...' in the shell.
squote = $(subst ','\'',$(1))

VARIANTS := asan $(if $(filter y,$(strip $(HOST_TSAN))),tsan)
SAN_asan := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-g -O1 -fno-omit-frame-pointer
SAN_tsan := -fsanitize=thread -g -O1 -fno-omit-frame-pointer

HOST_INCLUDES := -I$(HOST_SHIM_DIR)/include -I$(HOST_ROOT)/include \
	$(addprefix -I,$(filter-out $(HOST_ROOT)/lib/nolibc/include,\
		$(patsubst %/.,%,$(sort $(wildcard $(HOST_ROOT)/lib/*/include/.))))) \
	$(if $(filter-out $(HOST_ROOT)/lib/%,$(HOST_LIBDIR)),\
		$(if $(wildcard $(HOST_LIBDIR)/include/.),-I$(HOST_LIBDIR)/include))
HOST_CPPFLAGS := $(HOST_INCLUDES) -include $(HOST_SHIM_DIR)/include/uk/config.h
HOST_LIBNAME := lib$(LIB)
SHIM_HEADERS := $(sort $(shell find $(HOST_SHIM_DIR)/include -name '*.h'))

# $(1) = variant
base_cflags = $(SAN_$(1)) -std=gnu11 -Wall -Wextra -Werror $(HOST_CPPFLAGS)
src_cflags = $(call base_cflags,$(1)) -D__LIBNAME__=$(HOST_LIBNAME) \
	$(HOST_CFLAGS)
# googletest's EXPECT_*/ASSERT_* expand to if/else: `if (c) EXPECT_EQ(a, b);`
# trips -Wdangling-else although it does what it says.
test_cxxflags = $(SAN_$(1)) -std=gnu++17 -Wall -Wextra -Werror \
	-Wno-dangling-else $(HOST_CPPFLAGS) $(HOST_CXXFLAGS)
ldflags = $(SAN_$(1)) -pthread
ldlibs = $(HOST_LDLIBS) -lgtest_main -lgtest -pthread

# --- objects ------------------------------------------------------------------------
# $(O)/<LIB>/<variant>/{src,tests}/<path>.o; "../" in a path becomes "__/".
vdir = $(O)/$(LIB)/$(1)
objname = $(subst ../,__/,$(patsubst /%,_abs/%,$(basename $(1)))).o
srcpath = $(if $(filter /%,$(2)),$(2),$(1)/$(2))
BIN = $(call vdir,$(1))/test-$(LIB)

# $(1)=variant $(2)=kind(cc|cxx) $(3)=source $(4)=object $(5)=flags var
define objrule
$(4): $(3) $(call vdir,$(1))/.flags
	$$(call quiet,$(if $(filter cc,$(2)),HOSTCC,HOSTCXX),$(3),$(1))
	$(Q)mkdir -p $$(@D)
	$(Q)$(if $(filter cc,$(2)),$(HOSTCC),$(HOSTCXX)) $$(call $(5),$(1)) \
		-MMD -MP -MF $(4:.o=.d) -c $(3) -o $(4)
$(1)_OBJS += $(4)
endef

# $(1)=variant
# (The objrule evals run while $(call variantrule) expands, before the rest.)
define variantrule
$(foreach s,$(HOST_SRCS),$(eval $(call objrule,$(1),cc,$(call srcpath,$(HOST_LIBDIR),$(s)),$(call vdir,$(1))/src/$(call objname,$(s)),src_cflags)))
$(foreach t,$(HOST_TESTS),$(eval $(call objrule,$(1),cxx,$(call srcpath,$(HOST_LIBDIR)/tests/host,$(t)),$(call vdir,$(1))/tests/$(call objname,$(t)),test_cxxflags)))
$(eval $(call objrule,$(1),cc,$(HOST_SHIM_DIR)/shim.c,$(call vdir,$(1))/shim/shim.o,base_cflags))

$(call BIN,$(1)): $$($(1)_OBJS)
	$$(call quiet,HOSTLD,$$@,$(1))
	$(Q)$(HOSTCXX) $(call ldflags,$(1)) -o $$@ $$^ $(ldlibs)

# Objects are rebuilt when any flag changes (a file holding them), and when a
# shim header comes or goes (it may shadow one the .d files list).
$(call vdir,$(1))/.flags: FORCE
	@mkdir -p $$(@D)
	@printf '%s\n' '$(call squote,$(call src_cflags,$(1)))' \
		'$(call squote,$(call test_cxxflags,$(1)))' \
		'$(call squote,$(call base_cflags,$(1)))' \
		'$(SHIM_HEADERS)' > $$@.tmp
	@cmp -s $$@.tmp $$@ && rm -f $$@.tmp || mv $$@.tmp $$@

ALL_OBJS += $$($(1)_OBJS)
endef

ALL_OBJS :=
$(foreach v,$(VARIANTS),$(eval $(v)_OBJS :=))
$(foreach v,$(VARIANTS),$(eval $(call variantrule,$(v))))

# --- targets ----------------------------------------------------------------------
.PHONY: build run clean print-variants FORCE
FORCE:

build: $(foreach v,$(VARIANTS),$(call BIN,$(v)))

# Sanitizer settings: leaks are errors, the first report ends the run.
RUN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

# TSan cannot map its shadow memory with the address space randomization of
# recent kernels (vm.mmap_rnd_bits > 28): run it without, where allowed.
TSAN_PREFIX = $$( [ "$$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" \
	-gt 28 ] && setarch -R true 2>/dev/null && echo setarch -R)

run: build
	@failed=0; \
	for v in $(VARIANTS); do \
		bin=$(O)/$(LIB)/$$v/test-$(LIB); \
		printf '  %-7s %s [%s]\n' HOSTRUN "$${bin#$(HOST_ROOT)/}" $$v; \
		pre=; [ $$v = tsan ] && pre="$(TSAN_PREFIX)"; \
		rc=0; env $(RUN_ENV) timeout -k 10 $(HOST_TIMEOUT) \
			$$pre "$$bin" $(TEST_ARGS) || rc=$$?; \
		if [ $$rc -eq 0 ]; then \
			printf '  %-7s %s [%s]\n' PASS $(LIB) $$v; \
		else \
			[ $$rc -eq 124 ] && echo "host.mk: $$bin timed out after $(HOST_TIMEOUT) s" >&2; \
			printf '  %-7s %s [%s] (exit %d)\n' FAIL $(LIB) $$v $$rc; \
			failed=1; \
		fi; \
	done; \
	exit $$failed

print-variants:
	@echo $(VARIANTS)

clean:
	rm -rf $(O)/$(LIB)

-include $(patsubst %.o,%.d,$(ALL_OBJS))
