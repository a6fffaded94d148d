/* SPDX-License-Identifier: BSD-3-Clause */
/* Placeholder symbol table for the first link pass (see gensymtab.sh). */
	.section .uk_symtab, "a"
	.balign 8
	.globl uk_symtab_count
uk_symtab_count:
	.quad 0
	.globl uk_symtab_entries
uk_symtab_entries:
	.globl uk_symtab_names
uk_symtab_names:
	.byte 0
