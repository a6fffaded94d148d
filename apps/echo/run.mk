# SPDX-License-Identifier: BSD-3-Clause
# make run's defaults for echo (included by the top Makefile). NET=user:
# the host's 127.0.0.1:7007 reaches the guest's TCP and UDP port 7.
# NET=tap: a static address on the runner's bridge (host side 10.77.0.1).
ifeq ($(NET),user)
HOSTFWD ?= tcp:127.0.0.1:7007-:7 udp:127.0.0.1:7007-:7
endif
ifeq ($(NET),tap)
ARGS ?= netdev.ip=10.77.0.2/24:10.77.0.1
endif
TIMEOUT ?= 0
