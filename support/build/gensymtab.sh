#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Writes an assembly file with the image's function symbols, sorted by address,
# for in-guest backtraces: uk_symtab_count, then {u32 address, u32 name offset}
# pairs, then the NUL-terminated names. Usage: gensymtab.sh <nm> <elf>
set -euo pipefail
nm=$1
elf=$2
"$nm" -n --defined-only "$elf" | awk '
	BEGIN { n = 0 }
	$2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^__x86\.get_pc/ {
		addr[n] = $1; name[n] = $3; n++
	}
	END {
		print "\t.section .uk_symtab, \"a\""
		print "\t.balign 8"
		print "\t.globl uk_symtab_count"
		print "uk_symtab_count:"
		printf "\t.quad %d\n", n
		print "\t.globl uk_symtab_entries"
		print "uk_symtab_entries:"
		off = 0
		for (i = 0; i < n; i++) {
			printf "\t.long 0x%s, %d\n", addr[i], off
			off += length(name[i]) + 1
		}
		print "\t.globl uk_symtab_names"
		print "uk_symtab_names:"
		for (i = 0; i < n; i++)
			printf "\t.asciz \"%s\"\n", name[i]
	}'
