#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# run.sh: the figures of doc/newlib-bench.md, one table.
#
#   apps/libcbench/run.sh [OUT]      (OUT: build folder, default /tmp/libcbench)
#
# 1. snprintf()/strtod() ns per call: libcbench built with nolibc and with
#    newlib, each booted once at -smp 1, and the same source on the host
#    with glibc. Guests run under the accelerator qemu-run picks (TCG
#    here), so guest rows compare with each other; the glibc row is native.
# 2. Image size (stripped ELF) of apps/helloworld with nolibc and newlib.
# 3. newlib's build: cached (what every build after the first pays), and
#    cold when COLD=1 (a fresh cache folder: download, configure, compile).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-/tmp/libcbench}
mkdir -p "$OUT"

# build APP O [newlib]: builds APP into O, with newlib when asked.
build() {
	local app=$1 o=$2 cfg=$2.defconfig
	cp "$ROOT/$app/defconfig" "$cfg"
	[[ ${3:-} == newlib ]] && echo CONFIG_LIBNEWLIB=y >>"$cfg"
	make --no-print-directory -C "$ROOT" A="$app" O="$o" DEFCONFIG="$cfg" \
		defconfig >/dev/null
	make --no-print-directory -C "$ROOT" A="$app" O="$o" >/dev/null
}

boot() {
	"$ROOT/support/scripts/qemu-run" --quiet --smp 1 --timeout 300 "$1" |
		grep '^libcbench '
}

echo "libcbench: building (nolibc, newlib, host glibc)" >&2
build apps/libcbench "$OUT/nolibc"
build apps/libcbench "$OUT/newlib" newlib
gcc -O2 -Wall -o "$OUT/host" "$ROOT/apps/libcbench/main.c"

printf '%-8s %18s %16s\n' libc "snprintf ns/call" "strtod ns/call"
for r in "$(boot "$OUT/nolibc/libcbench_kvm-x86_64")" \
	"$(boot "$OUT/newlib/libcbench_kvm-x86_64")" "$("$OUT/host")"; do
	read -r _ name _ sn _ st _ <<<"$r"
	printf '%-8s %18s %16s\n' "$name" "$sn" "$st"
done

echo "libcbench: building helloworld twice" >&2
build apps/helloworld "$OUT/hello-nolibc"
build apps/helloworld "$OUT/hello-newlib" newlib
printf '\n%-22s %10s\n' "helloworld image" bytes
printf '%-22s %10s\n' nolibc "$(stat -c %s "$OUT/hello-nolibc/helloworld_kvm-x86_64")"
printf '%-22s %10s\n' newlib "$(stat -c %s "$OUT/hello-newlib/helloworld_kvm-x86_64")"

t0=$(date +%s.%N)
"$ROOT/lib/newlib/build.sh" "$OUT/newlib-cached"
t1=$(date +%s.%N)
printf '\n%-22s %10s\n' "newlib build" seconds
printf '%-22s %10.2f\n' cached "$(awk "BEGIN { print $t1 - $t0 }")"
if [[ ${COLD:-0} == 1 ]]; then
	rm -rf "$OUT/cold-cache"
	t0=$(date +%s.%N)
	UK_NEWLIB_CACHE=$OUT/cold-cache "$ROOT/lib/newlib/build.sh" \
		"$OUT/newlib-cold" >&2
	t1=$(date +%s.%N)
	printf '%-22s %10.2f\n' "cold ($(nproc) cores)" "$(awk "BEGIN { print $t1 - $t0 }")"
fi
