#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# fetch.sh: puts mimalloc's source, from Debian's source package, in a build
# directory. Nothing of mimalloc is kept in the tree.
#
#   lib/ukallocmimalloc/fetch.sh DEST
#
# Result: DEST/src/{include,src,test,...} and DEST/.unpacked (the version).
# The package files (.dsc, .orig.tar.xz, .debian.tar.xz) are downloaded once
# with `apt-get source --download-only` into the cache directory
# ($UK_MIMALLOC_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/ukallocmimalloc)
# and unpacked from there with dpkg-source; once cached, no network is needed.
#
# apt needs deb-src entries: they are derived from the machine's own apt
# sources (every "deb" entry of /etc/apt/sources.list and
# /etc/apt/sources.list.d/*.{list,sources} becomes a "deb-src" entry) and kept,
# with their package lists, in the cache directory; the system's apt
# configuration is not changed. No host name is written here.
set -euo pipefail

PKG=mimalloc
VERSION=2.0.9+ds-2
UPSTREAM=2.0.9+ds

die() {
	echo "ukallocmimalloc: $*" >&2
	exit 1
}

[[ $# -eq 1 ]] || die "usage: fetch.sh DEST"
dest=$1
cache=${UK_MIMALLOC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ukallocmimalloc}
dsc=${PKG}_${VERSION}.dsc
files=("$dsc" "${PKG}_${UPSTREAM}.orig.tar.xz" "${PKG}_${VERSION}.debian.tar.xz")

if [[ -f $dest/.unpacked && $(cat "$dest/.unpacked") == "$VERSION" ]]; then
	touch "$dest/.unpacked"
	exit 0
fi
command -v dpkg-source >/dev/null 2>&1 ||
	die "dpkg-source not found: install dpkg-dev (support/scripts/install-deps does)"
mkdir -p "$cache" || die "cannot create the cache directory $cache"

# Several builds may fetch at once: one at a time per cache.
exec 9>"$cache/.lock"
flock 9

have_all() {
	local f
	for f in "${files[@]}"; do
		[[ -s $cache/$f ]] || return 1
	done
}

# deb-src twins of the machine's deb entries, in $1.
derive_sources() {
	local out=$1 f n=0
	rm -rf "$out"
	mkdir -p "$out"
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		# deb822: the Types field lists deb and/or deb-src.
		sed -E 's/^Types:.*\<deb\>.*$/Types: deb-src/' "$f" \
			>"$out/$(basename "$f")"
		n=$((n + 1))
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		sed -nE 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$f" \
			>"$out/$(basename "$f")"
		n=$((n + 1))
	done
	[[ $n -gt 0 ]] || die "no apt sources found under /etc/apt to derive deb-src entries from"
}

download() {
	local apt=$cache/apt opts log
	derive_sources "$apt/sources.list.d"
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	opts=(-o "Dir::Etc::SourceList=/dev/null"
		-o "Dir::Etc::SourceParts=$apt/sources.list.d"
		-o "Dir::State::Lists=$apt/lists"
		-o "Dir::Cache=$apt/cache"
		-o "Debug::NoLocking=1")
	# As root, apt downloads as user _apt, who cannot write our cache.
	[[ $(id -u) -eq 0 ]] && opts+=(-o "APT::Sandbox::User=root")
	log=$cache/apt.log
	echo "ukallocmimalloc: fetching $PKG $VERSION with apt-get source (cache: $cache)"
	if ! apt-get "${opts[@]}" -q update >"$log" 2>&1; then
		cat "$log" >&2
		die "apt-get update (deb-src lists) failed: no network? Put ${files[*]} in $cache to build offline"
	fi
	if ! (cd "$cache" && apt-get "${opts[@]}" -q source --download-only \
		"$PKG=$VERSION") >>"$log" 2>&1; then
		cat "$log" >&2
		die "apt-get source $PKG=$VERSION failed (no network, or no deb-src entry has it); put ${files[*]} in $cache to build offline"
	fi
}

have_all || download
have_all || die "apt-get source did not leave ${files[*]} in $cache"

tmp=$dest.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
# --no-check: apt already checked the files against the signed Sources index.
dpkg-source --no-check -x "$cache/$dsc" "$tmp/src" >/dev/null ||
	die "dpkg-source could not unpack $cache/$dsc"
rm -f "$tmp"/*.tar.* "$tmp"/*.dsc
echo "$VERSION" >"$tmp/.unpacked"
rm -rf "$dest"
mv "$tmp" "$dest"
echo "ukallocmimalloc: $PKG $VERSION unpacked in $dest"
