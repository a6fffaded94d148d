# SPDX-License-Identifier: BSD-3-Clause
# Host libraries: builds one library of this tree as a static library for
# ordinary Linux programs (threads play CPUs), installs the headers a program
# needs next to it, and prints how to compile against it.
#
#   make host-lib LIB=<name> [O=<dir>] [V=1]                 (top Makefile)
#   make -f support/build/hostlib.mk LIB=<name> [O=<dir>] [V=1] [build|clean]
#
# LIB is one of $(HL_LIBS) below. O defaults to <repo>/build/host-lib; the
# result goes to $(O)/<LIB>/:
#   lib/lib<LIB>.a  the library and all it needs: the parts of other
#                   libraries it calls (uklock's spinlock, ukdebug's
#                   printing, ...) and the host shim (support/host: the
#                   platform API on Linux; for uklock, uksched's wait queues
#                   on pthreads). Nothing from a tests/ folder.
#   include/        the library's public headers and every header of this
#                   tree they include
#   host-include/   the shim's headers among those, uk/config.h included; some
#                   replace headers of include/, so they come first
#   obj/            objects and the header checks (not part of the result)
# A program compiles with
#   -I<dir>/host-include -I<dir>/include -include uk/config.h
# (uk/config.h fixes options that change structure layouts: the program must
# see the one the library was built with) and links <dir>/lib/lib<LIB>.a
# -pthread. doc/host-libraries.md shows it with example programs.
#
# Every library source and every public header is compiled as C with
# -Wall -Wextra -Werror; each public header on its own (one file that
# includes only it), which checks that it stands alone on Linux and lists
# the headers to install (gcc -MMD).

SHELL := /bin/bash
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:
.SUFFIXES:

HL_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)

# --- what each library is made of ----------------------------------------------
# HL_SRCS_<lib>: sources, relative to the repository. HL_HDRS_<lib>: the
# headers a program may include (under uk/). <uk/plat/lcpu.h> is in every
# list: its ukplat_host_lcpu_*() calls let a program decide which "CPU" a
# thread is (doc/host-libraries.md).
HL_LIBS := uklock ukalloc ukallocbbuddy uknr

HL_BASE := lib/ukdebug/print.c support/host/shim.c
HL_SPIN := lib/uklock/spinlock.c
HL_ALLOC := lib/ukalloc/alloc.c lib/ukalloc/ifpages.c

HL_SRCS_uklock := $(HL_SPIN) $(addprefix lib/uklock_blocking/,mutex.c \
	semaphore.c rwlock.c) support/host/sched.c $(HL_BASE)
HL_HDRS_uklock := uk/spinlock.h uk/mutex.h uk/semaphore.h uk/rwlock.h \
	uk/plat/lcpu.h

# ukalloc alone is the interface and the registry, for a program that brings
# its own page allocator (uk/alloc_impl.h). Not libc.c: glibc has malloc().
HL_SRCS_ukalloc := $(HL_ALLOC) $(HL_SPIN) $(HL_BASE)
HL_HDRS_ukalloc := uk/alloc.h uk/alloc_impl.h uk/plat/lcpu.h

# Not boot.c: it hands the guest's memory map to the allocator at boot.
HL_SRCS_ukallocbbuddy := lib/ukallocbbuddy/buddy.c lib/ukallocbbuddy/pcpu.c \
	lib/ukallocbbuddy/bbuddy.c $(HL_SRCS_ukalloc)
HL_HDRS_ukallocbbuddy := uk/allocbbuddy.h $(HL_HDRS_ukalloc)

HL_SRCS_uknr := $(addprefix lib/uknr/,nr.c log.c combine.c dist_rwlock.c \
	placement.c idle.c cnr.c dalloc.c examples/hashmap.c \
	examples/pqueue.c examples/cnr_hashmap.c) $(HL_BASE)
HL_HDRS_uknr := uk/nr.h uk/nr_hashmap.h uk/nr_pqueue.h uk/cnr.h \
	uk/cnr_hashmap.h uk/nr_dalloc.h uk/plat/lcpu.h

# __LIBNAME__ (the prefix of uk_pr_*() messages) of the files outside lib/.
HL_NAME_support/host/shim.c := libukplat
HL_NAME_support/host/sched.c := libuksched

# --- arguments -------------------------------------------------------------------
ifeq ($(strip $(LIB)),)
$(error LIB=<name> is required, one of: $(HL_LIBS))
endif
override LIB := $(patsubst lib%,%,$(strip $(LIB)))
ifeq ($(filter $(LIB),$(HL_LIBS)),)
$(error LIB=$(LIB): no host build of that library; there are: $(HL_LIBS))
endif

O ?= $(HL_ROOT)/build/host-lib
override O := $(abspath $(O))
D := $(O)/$(LIB)
ARCHIVE := $(D)/lib/lib$(LIB).a

ifneq ($(filter-out lib/% support/host/%,$(HL_SRCS_$(LIB))),)
$(error hostlib.mk: sources outside lib/ and support/host/)
endif
ifneq ($(filter %/tests/%,$(HL_SRCS_$(LIB))),)
$(error hostlib.mk: a host library may not contain test files)
endif

# --- tools and flags -------------------------------------------------------------
HOSTCC := gcc
HOSTAR := ar

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(HL_ROOT)/%,%,$(patsubst $(O)/%,%,$(2)))'
endif

# The include path of the host tests (support/build/host.mk): the shim's
# headers first, then the tree's, every library's but nolibc's (its headers
# would shadow glibc's).
HL_SHIM_INC := $(HL_ROOT)/support/host/include
HL_INCLUDES := -I$(HL_SHIM_INC) -I$(HL_ROOT)/include \
	$(addprefix -I,$(filter-out $(HL_ROOT)/lib/nolibc/include,\
		$(patsubst %/.,%,$(sort $(wildcard $(HL_ROOT)/lib/*/include/.)))))
HL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread \
	$(HL_INCLUDES) -include $(HL_SHIM_INC)/uk/config.h
# $(1) = source, relative to the repository
libname = $(or $(HL_NAME_$(1)),lib$(word 2,$(subst /, ,$(1))))

# --- objects and archive ---------------------------------------------------------
OBJS := $(patsubst %.c,$(D)/obj/%.o,$(HL_SRCS_$(LIB)))
# One C file per public header: uk/plat/lcpu.h -> hdr/uk_plat_lcpu.c
HDR_OBJS := $(foreach h,$(HL_HDRS_$(LIB)),$(D)/obj/hdr/$(subst /,_,$(h:.h=)).o)

# $(1) = source, relative to the repository
define objrule
$(patsubst %.c,$(D)/obj/%.o,$(1)): $(HL_ROOT)/$(1) $(D)/obj/.flags
	$$(call quiet,HOSTCC,$(1))
	$(Q)mkdir -p $$(@D)
	$(Q)$(HOSTCC) $(HL_CFLAGS) -D__LIBNAME__=$(call libname,$(1)) \
		-MMD -MP -c $$< -o $$@
endef
$(foreach s,$(HL_SRCS_$(LIB)),$(eval $(call objrule,$(s))))

# $(1) = header (uk/...)
define hdrrule
$(D)/obj/hdr/$(subst /,_,$(1:.h=)).o: $(D)/obj/.flags
	$$(call quiet,CHECK,$(1))
	$(Q)mkdir -p $$(@D)
	$(Q)printf '#include <%s>\n' '$(1)' > $$(@:.o=.c)
	$(Q)$(HOSTCC) $(HL_CFLAGS) -D__LIBNAME__=hostlib_check \
		-MMD -MP -c $$(@:.o=.c) -o $$@
endef
$(foreach h,$(HL_HDRS_$(LIB)),$(eval $(call hdrrule,$(h))))

$(ARCHIVE): $(OBJS)
	$(call quiet,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@
	$(Q)$(HOSTAR) rcs $@ $^

# Objects are rebuilt when the flags change.
$(D)/obj/.flags: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' '$(HL_CFLAGS)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# --- headers ---------------------------------------------------------------------
# Every header of this tree that the checks read (their .d files), copied to
# include/ or host-include/ under the name it is included by: the part after
# <repo>/include/, <repo>/lib/<x>/include/ or <repo>/support/host/include/.
# Both folders are made again from scratch, so a header no longer needed
# does not stay behind.
$(D)/obj/headers.stamp: $(HDR_OBJS)
	$(call quiet,INSTALL,$(D)/include $(D)/host-include)
	$(Q)rm -rf $(D)/include $(D)/host-include
	$(Q)sed -e 's/\\$$//' -e 's/:/ /g' $(HDR_OBJS:.o=.d) | tr ' ' '\n' | \
	grep '^$(HL_ROOT)/.*\.h$$' | sort -u | while read -r h; do \
		case $$h in \
		$(HL_SHIM_INC)/*) to=$(D)/host-include/$${h#$(HL_SHIM_INC)/} ;; \
		$(HL_ROOT)/include/*) to=$(D)/include/$${h#$(HL_ROOT)/include/} ;; \
		$(HL_ROOT)/lib/*/include/*) \
			to=$(D)/include/$${h#$(HL_ROOT)/lib/*/include/} ;; \
		*) echo "hostlib.mk: $$h is not a public header" >&2; exit 1 ;; \
		esac; \
		install -D -m 644 "$$h" "$$to" || exit 1; \
	done
	$(Q)touch $@

# --- targets ---------------------------------------------------------------------
.PHONY: build clean FORCE
FORCE:

build: $(ARCHIVE) $(D)/obj/headers.stamp
	@echo 'host-lib: $(LIB) for Linux programs in $(D):'
	@echo '  lib/lib$(LIB).a, include/, host-include/'
	@echo 'Compile and link a program that uses it with:'
	@echo '  gcc -I$(D)/host-include -I$(D)/include -include uk/config.h \'
	@echo '      prog.c $(ARCHIVE) -pthread'
	@echo '(doc/host-libraries.md)'

clean:
	rm -rf $(D)

-include $(OBJS:.o=.d) $(HDR_OBJS:.o=.d)
