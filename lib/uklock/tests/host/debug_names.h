/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklock host tests: the names the debug build of the spinlock gets, so it
 * links next to the normal build. Included first by debug_spinlock.c and
 * test_spinlock_debug.cc, after defining CONFIG_LIBUKLOCK_DEBUG.
 */
#ifndef UKLOCK_HOST_DEBUG_NAMES_H
#define UKLOCK_HOST_DEBUG_NAMES_H

#define uk_spinlock uk_spinlock_dbg
#define _uk_spin_lock_contended _uk_spin_lock_contended_dbg
#define _uk_spin_count_pass _uk_spin_count_pass_dbg
#define uk_spin_held_count uk_spin_held_count_dbg

#endif
