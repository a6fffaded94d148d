/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Priorities of init functions, constructors and test suites (Unikraft's
 * uk/prio.h): 0 (UK_PRIO_EARLIEST) runs first, 9 (UK_PRIO_LATEST) last.
 * They end up in section names, so UK_PRIO_AFTER/BEFORE give a literal
 * digit, not an expression. Stepping past 0 or 9 gives the identifier
 * __UK_PRIO_OUT_OF_RANGE, declared nowhere: the init and constructor
 * macros check their priority at compile time, so that fails to compile,
 * naming it.
 */
#ifndef __UK_PRIO_H__
#define __UK_PRIO_H__

#define UK_PRIO_EARLIEST	0
#define UK_PRIO_LATEST		9

#define __UK_PRIO_AFTER_0	1
#define __UK_PRIO_AFTER_1	2
#define __UK_PRIO_AFTER_2	3
#define __UK_PRIO_AFTER_3	4
#define __UK_PRIO_AFTER_4	5
#define __UK_PRIO_AFTER_5	6
#define __UK_PRIO_AFTER_6	7
#define __UK_PRIO_AFTER_7	8
#define __UK_PRIO_AFTER_8	9
#define __UK_PRIO_AFTER_9	__UK_PRIO_OUT_OF_RANGE
#define __UK_PRIO_BEFORE_0	__UK_PRIO_OUT_OF_RANGE
#define __UK_PRIO_BEFORE_1	0
#define __UK_PRIO_BEFORE_2	1
#define __UK_PRIO_BEFORE_3	2
#define __UK_PRIO_BEFORE_4	3
#define __UK_PRIO_BEFORE_5	4
#define __UK_PRIO_BEFORE_6	5
#define __UK_PRIO_BEFORE_7	6
#define __UK_PRIO_BEFORE_8	7
#define __UK_PRIO_BEFORE_9	8

/* The two-step paste expands a macro argument (UK_PRIO_LATEST) first. */
#define __UK_PRIO_AFTER(x)	__UK_PRIO_AFTER_##x
#define __UK_PRIO_BEFORE(x)	__UK_PRIO_BEFORE_##x
/* The priority right after / before x (a digit or a macro of one). */
#define UK_PRIO_AFTER(x)	__UK_PRIO_AFTER(x)
#define UK_PRIO_BEFORE(x)	__UK_PRIO_BEFORE(x)

#endif /* __UK_PRIO_H__ */
