# SPDX-License-Identifier: BSD-3-Clause
# make run's defaults for httpreply (included by the top Makefile).
# NET=user: the host's 127.0.0.1:8080 reaches the guest's port 80
# (curl http://127.0.0.1:8080/). NET=tap: a static address on the
# runner's bridge (host side 10.77.0.1), reached from its namespace.
# A server runs until stopped: no timeout.
ifeq ($(NET),user)
HOSTFWD ?= tcp:127.0.0.1:8080-:80
endif
ifeq ($(NET),tap)
ARGS ?= netdev.ip=10.77.0.2/24:10.77.0.1
endif
TIMEOUT ?= 0
