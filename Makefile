# SPDX-License-Identifier: BSD-3-Clause
# Entry point: make A=<app> [O=<build dir>] [L=<lib dir>:<lib dir>] [V=1] <target>
# Configuration targets run here; the image itself is built by a sub-make of
# Makefile.uk (the build rules) once the configuration exists.
SHELL := /bin/bash
UK_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
PYTHON ?= /usr/bin/python3

A ?= apps/helloworld
override A := $(abspath $(A))
O ?= $(A)/build
override O := $(abspath $(O))
# Out-of-tree libraries are remembered in the build folder: a later build of
# the same O without L= keeps them (and their options in .config); L= with
# an empty value leaves them out, with a note.
L_FILE := $(O)/kconfig/L
empty :=
space := $(empty) $(empty)
ifeq ($(origin L),undefined)
L := $(shell cat $(L_FILE) 2>/dev/null)
endif
UK_EXTLIBS := $(foreach d,$(subst :, ,$(L)),$(abspath $(d)))
APPNAME := $(notdir $(A))
IMAGE := $(O)/$(APPNAME)_kvm-x86_64
# An app may preset make run's variables (a server: HOSTFWD, ARGS).
-include $(A)/run.mk
SMP ?= 4
MEM ?= 128
ARGS ?=
TIMEOUT ?= 120
ACCEL ?= auto
MACHINE ?= pc
DEVICES ?=
NET ?= none
NICS ?= 1
QUEUES ?= 1
HOSTFWD ?=
NSRUN ?=

KCONFIG_GEN := $(O)/kconfig
KCONFIG_ENV := UK_ROOT=$(UK_ROOT) UK_APP=$(A) UK_KCONFIG_GEN=$(KCONFIG_GEN) \
	KCONFIG_CONFIG=$(O)/.config srctree=$(UK_ROOT)
KCONFIG := $(KCONFIG_ENV) $(PYTHON) $(UK_ROOT)/support/scripts/kconfig.py
KCONFIG_FILES := $(UK_ROOT)/Config.uk $(wildcard $(UK_ROOT)/plat/*/Config.uk \
	$(UK_ROOT)/lib/*/Config.uk $(UK_ROOT)/drivers/*/Config.uk \
	$(A)/Config.uk $(addsuffix /Config.uk,$(UK_EXTLIBS)))
CONFIG_H := $(O)/include/uk/config.h
CONFIG_STAMP := $(KCONFIG_GEN)/.stamp

SUBMAKE = $(MAKE) --no-print-directory -f $(UK_ROOT)/Makefile.uk \
	UK_ROOT=$(UK_ROOT) A=$(A) O=$(O) APPNAME=$(APPNAME) \
	UK_EXTLIBS="$(UK_EXTLIBS)" CONFIG_H=$(CONFIG_H) V=$(V)

.PHONY: all image menuconfig defconfig olddefconfig savedefconfig run accel \
	clean distclean help test test-host test-guest test-system host-lib bench \
	deps stress-sched FORCE
.DEFAULT_GOAL := all

all image: $(CONFIG_STAMP)
	@+$(SUBMAKE) image

# --- configuration -----------------------------------------------------------
# The generated Kconfig fragment that sources out-of-tree libraries (L=);
# rewritten only when L changes so it does not trigger needless rebuilds.
$(KCONFIG_GEN)/extlibs.uk: FORCE
	@mkdir -p $(@D)
	@for d in $(UK_EXTLIBS); do \
		[ -f "$$d/Config.uk" ] || { echo "error: L=$(L): $$d/Config.uk" \
			"does not exist (L lists library folders, separated by ':')" >&2; \
			exit 1; }; \
	done
	@old=$$(cat $(L_FILE) 2>/dev/null); \
	if [ -n "$$old" ] && [ -z "$(strip $(UK_EXTLIBS))" ]; then \
		echo "note: L is empty: the out-of-tree libraries this build" \
			"remembered ($$old) are left out and their options" \
			"dropped from $(O)/.config"; \
	fi
	@echo '$(subst $(space),:,$(strip $(UK_EXTLIBS)))' > $(L_FILE).tmp
	@cmp -s $(L_FILE).tmp $(L_FILE) && rm -f $(L_FILE).tmp || \
		mv $(L_FILE).tmp $(L_FILE)
	@{ $(foreach d,$(UK_EXTLIBS),echo 'source "$(d)/Config.uk"';) true; } > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# First build of an app: start from its defconfig (or from the defaults).
# A defconfig newer than .config (changed by a pull) replaces it, with a
# note; menuconfig changes made since the defconfig last changed are kept.
$(O)/.config: $(wildcard $(A)/defconfig) | $(KCONFIG_GEN)/extlibs.uk
	@mkdir -p $(O)
	@if [ -f $@ ]; then \
		echo "note: $(A)/defconfig is newer than $@: configuring from it again"; \
	fi
	@if [ -f $(A)/defconfig ]; then \
		$(KCONFIG) defconfig $(UK_ROOT)/Config.uk $@ $(CONFIG_H) $(A)/defconfig; \
	else \
		$(KCONFIG) olddefconfig $(UK_ROOT)/Config.uk $@ $(CONFIG_H); \
	fi
	@touch $@

$(CONFIG_STAMP): $(O)/.config $(KCONFIG_FILES) $(KCONFIG_GEN)/extlibs.uk
	@$(KCONFIG) genconfig $(UK_ROOT)/Config.uk $(O)/.config $(CONFIG_H)
	@touch $@

defconfig: $(KCONFIG_GEN)/extlibs.uk
	@mkdir -p $(O)
	@$(KCONFIG) defconfig $(UK_ROOT)/Config.uk $(O)/.config $(CONFIG_H) \
		$(or $(DEFCONFIG),$(A)/defconfig)
	@touch $(CONFIG_STAMP)

olddefconfig: $(KCONFIG_GEN)/extlibs.uk
	@mkdir -p $(O)
	@$(KCONFIG) olddefconfig $(UK_ROOT)/Config.uk $(O)/.config $(CONFIG_H)
	@touch $(CONFIG_STAMP)

savedefconfig: $(O)/.config
	@$(KCONFIG) savedefconfig $(UK_ROOT)/Config.uk $(O)/.config $(CONFIG_H) \
		$(O)/defconfig

menuconfig: $(O)/.config deps
	@$(KCONFIG_ENV) MENUCONFIG_STYLE=aquatic $(PYTHON) -m menuconfig \
		$(UK_ROOT)/Config.uk
	@$(KCONFIG) genconfig $(UK_ROOT)/Config.uk $(O)/.config $(CONFIG_H)
	@touch $(CONFIG_STAMP)

# --- running and testing -----------------------------------------------------
deps:
	@$(UK_ROOT)/support/scripts/install-deps

# make cannot exit with the guest's status (it exits 2 on any failure):
# qemu-run's last line says the status and what it means, and make's
# "Error N" line repeats N. Scripts wanting the status itself call qemu-run.
run: deps
	@$(MAKE) --no-print-directory A=$(A) O=$(O) L=$(L) V=$(V) all
	@$(PYTHON) $(UK_ROOT)/support/scripts/qemu-run --smp $(SMP) --mem $(MEM) \
		--timeout $(TIMEOUT) --args "$(ARGS)" --accel $(ACCEL) \
		--machine $(MACHINE) $(foreach d,$(DEVICES),--device $(d)) \
		--net $(NET) --nics $(NICS) --queues $(QUEUES) \
		$(foreach f,$(HOSTFWD),--hostfwd $(f)) \
		$(if $(NSRUN),--ns-run "$(NSRUN)") $(IMAGE)

# Which accelerator runs and testing would use here, and why.
accel: deps
	@$(PYTHON) $(UK_ROOT)/support/scripts/qemu-run --accel $(ACCEL) \
		--check-accel

test: deps
	@cd $(UK_ROOT) && support/scripts/check-layers
	@$(UK_ROOT)/support/scripts/run-tests all $(if $(LIB),--lib $(LIB)) \
		--smp "$(or $(SMP_LIST),1 2 4)"

# The scheduler's race regressions RUNS times at -smp 8 (not in make test).
stress-sched:
	@$(UK_ROOT)/support/scripts/stress-sched $(or $(RUNS),200) 8

test-host: deps
	@$(UK_ROOT)/support/scripts/run-tests host $(if $(LIB),--lib $(LIB))

# Every benchmark of doc/, one summary table (support/bench/run, which
# doc/measurements.md quotes); QUICK=1: 3 runs per figure instead of 5,
# shorter cells, no network rows; BENCH_ONLY=<section,...> (--list names them).
bench: deps
	@$(PYTHON) $(UK_ROOT)/support/bench/run $(if $(QUICK),--quick) \
		$(if $(BENCH_O),--out $(BENCH_O)) \
		$(if $(BENCH_ONLY),--only $(BENCH_ONLY))

test-guest: deps
	@$(UK_ROOT)/support/scripts/run-tests guest $(if $(LIB),--lib $(LIB)) \
		--smp "$(or $(SMP_LIST),1 2 4)"

test-system: deps
	@$(UK_ROOT)/support/scripts/run-tests system

# One library as a static library for Linux programs: support/build/hostlib.mk
# (O, when given, is passed on; there it defaults to build/host-lib).
host-lib:
	@$(MAKE) --no-print-directory -f $(UK_ROOT)/support/build/hostlib.mk \
		LIB=$(LIB)

# SMP means "vCPUs of one run" for make run; test-guest takes a list.
ifneq ($(filter test test-guest,$(MAKECMDGOALS)),)
SMP_LIST := $(if $(filter command line,$(origin SMP)),$(SMP),1 2 4)
endif

clean:
	@$(if $(wildcard $(O)),$(SUBMAKE) clean)

distclean:
	rm -rf $(O)

help:
	@echo 'Usage: make [A=<app dir>] [O=<build dir>] [L=<dir>:<dir>] [V=1] <target>'
	@echo ''
	@echo 'Variables (default):'
	@echo '  A=<dir>        the application (apps/helloworld)'
	@echo '  O=<dir>        the build folder ($$A/build)'
	@echo '  L=<dir>:<dir>  out-of-tree libraries (none; remembered in $$O:'
	@echo '                 later builds of $$O keep them, L= drops them)'
	@echo '  V=1            show full commands (V unset: one line per step)'
	@echo ''
	@echo 'Building:'
	@echo '  all            build the image $$O/<app>_kvm-x86_64 (+ .dbg, .multiboot)'
	@echo '  menuconfig     configure the image in a terminal UI'
	@echo '  defconfig      reset .config from $$A/defconfig (or DEFCONFIG=<file>)'
	@echo '  olddefconfig   update .config, new options get their defaults'
	@echo '  savedefconfig  write the minimal config to $$O/defconfig'
	@echo '  clean          remove objects and images, keep .config'
	@echo '  distclean      remove the whole build directory'
	@echo '  host-lib       LIB=uklock|ukalloc|ukallocbbuddy|uknr for Linux programs:'
	@echo '                 build/host-lib/<lib> (or $$O/<lib>), doc/host-libraries.md'
	@echo ''
	@echo 'Running:'
	@echo '  run            build and boot $$A on QEMU; the last line says the'
	@echo '                 guest'"'"'s exit status and its meaning (make itself'
	@echo '                 exits 0, or 2 for any non-zero status: scripts use'
	@echo '                 support/scripts/qemu-run, which exits with it)'
	@echo '    SMP=<n>        vCPUs (4)'
	@echo '    MEM=<MiB>      guest memory (128)'
	@echo '    ARGS="..."     the guest'"'"'s command line (empty)'
	@echo '    TIMEOUT=<s>    kill QEMU after <s> seconds, status 124 (120)'
	@echo '    ACCEL=auto|kvm|tcg  accelerator (auto: KVM only when a probe'
	@echo '                   guest ran under it here, else TCG; kvm: error if'
	@echo '                   KVM does not work; also for test*, benchmarks)'
	@echo '    MACHINE=pc|q35 QEMU machine type (pc)'
	@echo '    DEVICES="<spec> ..."  QEMU devices to add, e.g.'
	@echo '                   DEVICES=virtio-rng-pci (none)'
	@echo '    NET=none|user|hub|tap  virtio-net devices (none): user = QEMU'"'"'s'
	@echo '                   slirp, no root; hub = devices joined to each'
	@echo '                   other; tap = as root, taps on a bridge in a'
	@echo '                   network namespace made for the run and removed'
	@echo '                   after it (host side 10.77.0.1/24, printed)'
	@echo '    NICS=<k>       virtio-net devices with NET (1)'
	@echo '    QUEUES=<n>     queue pairs per device, NET=tap only (1)'
	@echo '    HOSTFWD="<spec> ..."  NET=user port forwards, e.g.'
	@echo '                   HOSTFWD=tcp:127.0.0.1:8080-:80 (none)'
	@echo '    NSRUN="<cmd>"  NET=tap: run <cmd> in the namespace beside the'
	@echo '                   guest, e.g. NSRUN="support/scripts/net-flows br0"'
	@echo '  accel          say which accelerator ACCEL selects here, and why'
	@echo ''
	@echo 'Testing:'
	@echo '  test           host, guest and system tests (everything CI runs)'
	@echo '  test-host      googletest suites under ASan+UBSan and TSan [LIB=<name>]'
	@echo '  test-guest     uktest app booted once per vCPU count'
	@echo '                 [LIB=<name>] [SMP="1 2 4"]'
	@echo '  test-system    end-to-end: helloworld output, exit statuses, crash'
	@echo '                 reports, a deliberately failing uktest case'
	@echo '  bench          every benchmark of doc/, one table (doc/measurements.md)'
	@echo '                 [QUICK=1: 3 runs each, no network] [BENCH_O=<dir>]'
	@echo '                 [BENCH_ONLY=<section,...>: support/bench/run --list]'
	@echo '  deps           install missing Debian packages (as root)'
	@echo '  V=1            show full commands'

FORCE:
