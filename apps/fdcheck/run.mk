# SPDX-License-Identifier: BSD-3-Clause
# make run's defaults for fdcheck: QEMU's user network, a static address
# (it sends a datagram to itself), no root needed.
NET ?= user
ARGS ?= netdev.ip=10.0.2.15/24:10.0.2.2
