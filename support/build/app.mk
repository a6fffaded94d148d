# SPDX-License-Identifier: BSD-3-Clause
# Building an application from inside its own folder. The app's Makefile is
# two lines (doc/how-to-write-an-app.md):
#
#   UK_ROOT ?= ../..
#   include $(UK_ROOT)/support/build/app.mk
#
# Then `make`, `make menuconfig`, `make run SMP=2`, `make O=/tmp/x`, ... in
# that folder do what the same goals do at the top of the tree with
# A=<that folder>: every goal and variable is handed to the top Makefile in
# one call. UK_ROOT (the tree, relative to the app's folder or absolute)
# may also be given on the command line or in the environment, for an app
# that lives outside the tree.
#
# Paths given here are relative to the app's folder, but the top Makefile
# runs at the top of the tree: O and the folders of L are passed on as
# absolute paths.

UK_APP_DIR := $(abspath $(dir $(firstword $(MAKEFILE_LIST))))
override UK_ROOT := $(abspath $(UK_ROOT))

ifeq ($(wildcard $(UK_ROOT)/support/build/app.mk),)
$(error UK_ROOT=$(UK_ROOT) is not the top of the tree)
endif

# The variables that hold paths, made absolute (only if they are set; an
# empty L= reaches the top Makefile as given).
app_empty :=
app_space := $(app_empty) $(app_empty)
app_abs_paths = $(if $(O),O=$(abspath $(O))) \
	$(if $(L),L=$(subst $(app_space),:,$(strip \
		$(foreach d,$(subst :, ,$(L)),$(abspath $(d))))))

.PHONY: _app_forward $(MAKECMDGOALS)
.DEFAULT_GOAL := _app_forward

# One call for all goals, so that `make clean all` keeps its order.
_app_forward:
	@$(MAKE) --no-print-directory -C $(UK_ROOT) A=$(UK_APP_DIR) \
		UK_ROOT=$(UK_ROOT) $(app_abs_paths) $(MAKECMDGOALS)

ifneq ($(MAKECMDGOALS),)
$(MAKECMDGOALS): _app_forward
	@:
endif
