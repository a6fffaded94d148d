#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# build.sh: newlib 3.3.0 from Debian's newlib-source package, configured and
# compiled once per machine and configuration for our freestanding x86_64
# flags, cached outside the tree, and linked into $O.
#
#   lib/newlib/build.sh DEST
#
# Result: DEST/include (newlib's headers), DEST/lib/{libc.a,libm.a} and
# DEST/.built (the cache key). Nothing of newlib is kept in the tree.
#
# The cache ($UK_NEWLIB_CACHE, default ${XDG_CACHE_HOME:-$HOME/.cache}/uk-smp/
# newlib) holds the downloaded .deb and one installed build per key; the key
# is a hash of the version, the configure arguments, the target flags and the
# compiler's version, so that every app folder (and CI's make test) reuses one
# build and a flag change builds a new one. The .deb comes from
# /usr/src/newlib when the package is installed, else from `apt-get download`
# (the machine's own apt sources; with private package lists if the system's
# are missing). Once cached, no network is needed.
set -euo pipefail

VERSION=3.3.0-1.3+deb12u1
TARBALL=newlib-3.3.0.tar.xz

# What makes newlib fit our images (doc/newlib.md, "Build and cache"):
# retargetable locks (ours, lib/newlib/lock.c), one set of stdin/stdout/
# stderr for all threads (each with its own lock), no syscalls of its own,
# plain syscall names (write, not _write), __getreent() from the OS (per
# thread), malloc from the OS (ukalloc), C99 formats (%a) and long long.
CONF_ARGS=(--target=x86_64-elf --disable-multilib
	--disable-newlib-supplied-syscalls
	--enable-newlib-retargetable-locking
	--enable-newlib-global-stdio-streams
	--enable-newlib-io-c99-formats --enable-newlib-io-long-long
	--disable-newlib-atexit-dynamic-alloc
	--disable-nls)
TARGET_CFLAGS="-O2 -g -m64 -mno-red-zone -mcmodel=small -fno-pic -fno-pie \
-ffreestanding -fno-stack-protector -fno-omit-frame-pointer \
-fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
-ffunction-sections -fdata-sections \
-D__DYNAMIC_REENT__ -DMALLOC_PROVIDED -DMISSING_SYSCALL_NAMES"

die() {
	echo "newlib: $*" >&2
	exit 1
}

[[ $# -eq 1 ]] || die "usage: build.sh DEST"
dest=$1
cache=${UK_NEWLIB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uk-smp/newlib}
key=$( { echo "$VERSION"; echo "${CONF_ARGS[*]}"; echo "$TARGET_CFLAGS";
	gcc --version | head -1; } | sha256sum | cut -c1-16)
inst=$cache/build-$key

if [[ -f $dest/.built && $(cat "$dest/.built") == "$key" &&
	-f $inst/.done && -d $dest/include && ! -L $dest/include ]]; then
	exit 0
fi
mkdir -p "$cache" || die "cannot create the cache directory $cache"

# Several builds (app folders, make -j) may want newlib at once: one builds,
# the others wait and then find it cached.
exec 9>"$cache/.lock"
flock 9

deb=$cache/newlib-source_${VERSION}_all.deb

# The .deb, downloaded with the machine's own apt sources. As root, apt
# downloads as user _apt, who cannot write our cache.
download() {
	local apt=$cache/apt opts=() log=$cache/apt.log
	[[ $(id -u) -eq 0 ]] && opts+=(-o "APT::Sandbox::User=root")
	echo "newlib: fetching newlib-source $VERSION with apt-get download (cache: $cache)"
	if (cd "$cache" && apt-get "${opts[@]}" -q download \
		"newlib-source=$VERSION") >"$log" 2>&1; then
		mv "$cache"/newlib-source_*"_all.deb" "$deb" 2>/dev/null || true
		[[ -s $deb ]] && return 0
	fi
	# No usable system package lists: private ones, from the same sources.
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
	opts+=(-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
		-o "Debug::NoLocking=1")
	if ! apt-get "${opts[@]}" -q update >>"$log" 2>&1 ||
		! (cd "$cache" && apt-get "${opts[@]}" -q download \
			"newlib-source=$VERSION") >>"$log" 2>&1; then
		cat "$log" >&2
		die "apt-get download newlib-source=$VERSION failed (no network?); put $(basename "$deb") in $cache to build offline"
	fi
	mv "$cache"/newlib-source_*"_all.deb" "$deb" 2>/dev/null || true
}

build() {
	local work=$cache/work-$key src tarball=/usr/src/newlib/$TARBALL
	local jobs t0=$SECONDS
	rm -rf "$work" "$inst"
	mkdir -p "$work/build"
	if [[ ! -f $tarball ]]; then
		[[ -s $deb ]] || download
		dpkg-deb -x "$deb" "$work/pkg" || die "cannot unpack $deb"
		tarball=$work/pkg/usr/src/newlib/$TARBALL
	fi
	tar -C "$work" -xJf "$tarball" || die "cannot unpack $tarball"
	src=$work/newlib-salsa
	[[ -x $src/configure ]] || die "$tarball has no newlib-salsa/configure"
	jobs=$(nproc)
	echo "newlib: configuring and building newlib $VERSION ($jobs jobs, a few minutes, once per configuration; log: $work/build.log)"
	(cd "$work/build" && "$src/configure" "${CONF_ARGS[@]}" \
		--prefix="$inst" \
		CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as \
		LD_FOR_TARGET=ld NM_FOR_TARGET=nm RANLIB_FOR_TARGET=ranlib \
		OBJDUMP_FOR_TARGET=objdump STRIP_FOR_TARGET=strip \
		CFLAGS_FOR_TARGET="$TARGET_CFLAGS" &&
		make -j"$jobs" all-target-newlib &&
		make install-target-newlib) >"$work/build.log" 2>&1 || {
		tail -40 "$work/build.log" >&2
		die "building newlib failed; the whole log: $work/build.log"
	}
	[[ -f $inst/x86_64-elf/lib/libc.a && -f $inst/x86_64-elf/lib/libm.a ]] ||
		die "newlib's install has no x86_64-elf/lib/libc.a"
	echo "$key" >"$inst/.done"
	rm -rf "$work"
	echo "newlib: built in $((SECONDS - t0)) s, cached in $inst"
}

[[ -f $inst/.done ]] || build

# DEST points at the cached build: links, so app folders share one copy.
# Every header but stdatomic.h, which is gcc's (newlib's FreeBSD one does
# not build with gcc 12: its _Atomic types are structs here).
tmp=$dest.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp/include"
for f in "$inst/x86_64-elf/include"/*; do
	[[ $(basename "$f") == stdatomic.h ]] && continue
	ln -s "$f" "$tmp/include/"
done
ln -s "$inst/x86_64-elf/lib" "$tmp/lib"
echo "$key" >"$tmp/.built"
rm -rf "$dest"
mv "$tmp" "$dest"
