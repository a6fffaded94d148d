/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Error codes carried in pointers (Unikraft's uk/errptr.h): a function
 * that returns a pointer returns ERR2PTR(-ENOMEM) on failure, and the
 * caller tests PTRISERR(p) and takes PTR2ERR(p). The top MAXERRNO
 * addresses below zero can never be valid objects, so they are free to
 * mean errors. As in Unikraft, NULL counts as an error too (PTR2ERR gives
 * 0 for it): test for NULL first where NULL means something else.
 */
#ifndef __UK_ERRPTR_H__
#define __UK_ERRPTR_H__

#include <uk/essentials.h>

/* Largest errno a pointer can carry. */
#ifndef MAXERRNO
#define MAXERRNO	512
#endif

/* Whether ptr is NULL or carries an error (-MAXERRNO .. -1). */
#define PTRISERR(ptr)							\
	((__sptr)(ptr) <= 0 && (__sptr)(ptr) >= -(__sptr)MAXERRNO)
/* The (negative) error ptr carries; 0 for NULL. */
#define PTR2ERR(ptr)	((int)(__sptr)(ptr))
/* A pointer carrying the negative errno err. */
#define ERR2PTR(err)	((void *)(__sptr)(err))

#endif /* __UK_ERRPTR_H__ */
