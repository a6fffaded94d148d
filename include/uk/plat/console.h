/* SPDX-License-Identifier: BSD-3-Clause */
/* Platform console: the kernel's text output (serial COM1 on plat/kvm). */
#ifndef __UK_PLAT_CONSOLE_H__
#define __UK_PLAT_CONSOLE_H__

#include <uk/essentials.h>

/*
 * Writes len bytes of buf to the console, translating "\n" to "\r\n".
 * Callable from any context, including exception handlers, once the platform
 * has started C code. Returns the number of bytes consumed (always len).
 */
int ukplat_coutk(const char *buf, unsigned int len);

/*
 * ANSI terminal escape sequences as string literals (Unikraft's names), to
 * paste into messages: uk_pr_info(UK_ANSI_MOD_BOLD "x" UK_ANSI_MOD_RESET).
 * Cursor movements take literal numbers; colors are UK_ANSI_COLOR_* (or
 * the digits 0-7).
 */
#define __UK_ANSI_INTRO			"\033["
#define __UK_ANSI_CMD0(cmd)		__UK_ANSI_INTRO cmd
#define __UK_ANSI_CMD1(cmd, arg)	__UK_ANSI_INTRO arg cmd
#define __UK_ANSI_CMD2(cmd, arg0, arg1)	__UK_ANSI_INTRO arg0 ";" arg1 cmd
#define UK_ANSI_CLEARLINE		__UK_ANSI_CMD0("K")
#define UK_ANSI_CLEARSCREEN		__UK_ANSI_CMD1("J", "2")
#define UK_ANSI_HOME			__UK_ANSI_CMD0("H")
#define UK_ANSI_UP(n)			__UK_ANSI_CMD1("A", STRINGIFY(n))
#define UK_ANSI_DOWN(n)			__UK_ANSI_CMD1("B", STRINGIFY(n))
#define UK_ANSI_RIGHT(n)		__UK_ANSI_CMD1("C", STRINGIFY(n))
#define UK_ANSI_LEFT(n)			__UK_ANSI_CMD1("D", STRINGIFY(n))
/* Line l, column c (both from 1). */
#define UK_ANSI_POS(l, c)						\
	__UK_ANSI_CMD2("H", STRINGIFY(l), STRINGIFY(c))

#define __UK_ANSI_MOD1(m)		__UK_ANSI_CMD1("m", m)
#define __UK_ANSI_MOD2(m0, m1)		__UK_ANSI_CMD2("m", m0, m1)
#define UK_ANSI_MOD_RESET		__UK_ANSI_MOD1("0")
#define UK_ANSI_MOD_BOLD		__UK_ANSI_MOD1("1")
#define UK_ANSI_MOD_UNDERSCORE		__UK_ANSI_MOD1("4")
#define UK_ANSI_MOD_BLINK		__UK_ANSI_MOD1("5")
#define UK_ANSI_MOD_INVERT		__UK_ANSI_MOD1("7")
#define UK_ANSI_MOD_HIDE		__UK_ANSI_MOD1("8")

#define UK_ANSI_COLOR_BLACK		0
#define UK_ANSI_COLOR_RED		1
#define UK_ANSI_COLOR_GREEN		2
#define UK_ANSI_COLOR_YELLOW		3
#define UK_ANSI_COLOR_BLUE		4
#define UK_ANSI_COLOR_MAGENTA		5
#define UK_ANSI_COLOR_CYAN		6
#define UK_ANSI_COLOR_WHITE		7
/* SGR codes: foreground 30 + color, background 40 + color. */
#define __UK_ANSI_MOD_COLOR_FG0		"30"
#define __UK_ANSI_MOD_COLOR_FG1		"31"
#define __UK_ANSI_MOD_COLOR_FG2		"32"
#define __UK_ANSI_MOD_COLOR_FG3		"33"
#define __UK_ANSI_MOD_COLOR_FG4		"34"
#define __UK_ANSI_MOD_COLOR_FG5		"35"
#define __UK_ANSI_MOD_COLOR_FG6		"36"
#define __UK_ANSI_MOD_COLOR_FG7		"37"
#define __UK_ANSI_MOD_COLOR_BG0		"40"
#define __UK_ANSI_MOD_COLOR_BG1		"41"
#define __UK_ANSI_MOD_COLOR_BG2		"42"
#define __UK_ANSI_MOD_COLOR_BG3		"43"
#define __UK_ANSI_MOD_COLOR_BG4		"44"
#define __UK_ANSI_MOD_COLOR_BG5		"45"
#define __UK_ANSI_MOD_COLOR_BG6		"46"
#define __UK_ANSI_MOD_COLOR_BG7		"47"
/* UK_CONCAT expands a UK_ANSI_COLOR_* argument to its digit first. */
#define UK_ANSI_MOD_COLOR(fg, bg)					\
	__UK_ANSI_MOD2(UK_CONCAT(__UK_ANSI_MOD_COLOR_FG, fg),		\
		       UK_CONCAT(__UK_ANSI_MOD_COLOR_BG, bg))
#define UK_ANSI_MOD_COLORFG(fg)						\
	__UK_ANSI_MOD1(UK_CONCAT(__UK_ANSI_MOD_COLOR_FG, fg))
#define UK_ANSI_MOD_COLORBG(bg)						\
	__UK_ANSI_MOD1(UK_CONCAT(__UK_ANSI_MOD_COLOR_BG, bg))

#endif /* __UK_PLAT_CONSOLE_H__ */
