#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# fetch.sh: puts lwIP 2.1.3, from Debian's source package, in a build
# directory (DEST/src/src/{core,api,netif,include}). Nothing of lwIP is kept
# in the tree.
#
#   lib/lwip/fetch.sh DEST
#
# Pristine upstream 2.1.3 (dpkg-source --skip-patches): Debian's "port"
# patch makes sockets.c depend on macros of Debian's own Linux port; the
# others add what we do not use (socket headers from the OS, a tcpip
# callback that waits, more sockets) or fix PPP (CVE-2020-8597), which we
# do not compile. Cache: $UK_LWIP_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/lwip;
# once the package files are there no network is needed
# (support/scripts/fetch-debian-source).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../../support/scripts/fetch-debian-source" lwip lwip \
	2.1.3+dfsg1-2 "${UK_LWIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lwip}" \
	"$1" --skip-patches
