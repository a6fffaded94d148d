/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * BSD-style intrusive lists with Unikraft's names (its uk/compat_list.h,
 * which uk/list.h includes): singly linked lists (UK_SLIST), singly linked
 * tail queues (UK_STAILQ), doubly linked lists (UK_LIST) and doubly linked
 * tail queues (UK_TAILQ). As in Unikraft, `type` is a whole type (struct
 * foo, not foo), and the link and head members have the usual names
 * (slh_first, sle_next, stqh_first, stqh_last, stqe_next, lh_first,
 * le_next, le_prev, tqh_first, tqh_last, tqe_next, tqe_prev).
 *
 * Invariants: a queue's `last` pointer (stqh_last, tqh_last) points at
 * the next-pointer of its last element, or at its `first` member when it
 * is empty; every element of a LIST or TAILQ has *prev == itself, prev
 * pointing into the previous element's next-pointer or the head.
 * UK_TAILQ_LAST and UK_TAILQ_PREV rely on a head and an entry having the
 * same layout (two pointers), as in BSD.
 *
 * No locking: the user protects a list. The _SAFE loops allow removing
 * (and freeing) the current element. Unikraft's queue debugging
 * (UK_QUEUE_MACRO_DEBUG_*) is not provided.
 */
#ifndef __UK_COMPAT_LIST_H__
#define __UK_COMPAT_LIST_H__

#include <uk/essentials.h>

#define UK_QUEUE_TYPEOF(type)	type

/* ---- UK_SLIST: singly linked list ---------------------------------- */

#define UK_SLIST_HEAD(name, type)					\
	struct name {							\
		type *slh_first;					\
	}
#define UK_SLIST_HEAD_INITIALIZER(head)	{ NULL }
#define UK_SLIST_ENTRY(type)						\
	struct {							\
		type *sle_next;						\
	}

#define UK_SLIST_EMPTY(head)	((head)->slh_first == NULL)
#define UK_SLIST_FIRST(head)	((head)->slh_first)
#define UK_SLIST_NEXT(elm, field)	((elm)->field.sle_next)
#define UK_SLIST_INIT(head)	do { UK_SLIST_FIRST(head) = NULL; } while (0)

#define UK_SLIST_FOREACH(var, head, field)				\
	for ((var) = UK_SLIST_FIRST(head); (var);			\
	     (var) = UK_SLIST_NEXT((var), field))
/* From var (when not NULL), else from the first element. */
#define UK_SLIST_FOREACH_FROM(var, head, field)				\
	for ((var) = (var) ? (var) : UK_SLIST_FIRST(head); (var);	\
	     (var) = UK_SLIST_NEXT((var), field))
#define UK_SLIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = UK_SLIST_FIRST(head);				\
	     (var) && ((tvar) = UK_SLIST_NEXT((var), field), 1);	\
	     (var) = (tvar))
#define UK_SLIST_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = (var) ? (var) : UK_SLIST_FIRST(head);		\
	     (var) && ((tvar) = UK_SLIST_NEXT((var), field), 1);	\
	     (var) = (tvar))
/* varp: the address of the pointer that points at var. */
#define UK_SLIST_FOREACH_PREVPTR(var, varp, head, field)		\
	for ((varp) = &UK_SLIST_FIRST(head); ((var) = *(varp));	\
	     (varp) = &UK_SLIST_NEXT((var), field))

#define UK_SLIST_INSERT_HEAD(head, elm, field)				\
	do {								\
		UK_SLIST_NEXT((elm), field) = UK_SLIST_FIRST(head);	\
		UK_SLIST_FIRST(head) = (elm);				\
	} while (0)
#define UK_SLIST_INSERT_AFTER(slistelm, elm, field)			\
	do {								\
		UK_SLIST_NEXT((elm), field) =				\
			UK_SLIST_NEXT((slistelm), field);		\
		UK_SLIST_NEXT((slistelm), field) = (elm);		\
	} while (0)
#define UK_SLIST_REMOVE_HEAD(head, field)				\
	do {								\
		UK_SLIST_FIRST(head) =					\
			UK_SLIST_NEXT(UK_SLIST_FIRST(head), field);	\
	} while (0)
#define UK_SLIST_REMOVE_AFTER(elm, field)				\
	do {								\
		UK_SLIST_NEXT((elm), field) =				\
			UK_SLIST_NEXT(UK_SLIST_NEXT((elm), field), field); \
	} while (0)
/* Removes elm, found by walking from the head (linear time). */
#define UK_SLIST_REMOVE(head, elm, type, field)				\
	do {								\
		if (UK_SLIST_FIRST(head) == (elm)) {			\
			UK_SLIST_REMOVE_HEAD((head), field);		\
		} else {						\
			type *__uk_sl = UK_SLIST_FIRST(head);		\
									\
			while (UK_SLIST_NEXT(__uk_sl, field) != (elm))	\
				__uk_sl = UK_SLIST_NEXT(__uk_sl, field); \
			UK_SLIST_REMOVE_AFTER(__uk_sl, field);		\
		}							\
	} while (0)
/* Removes elm, which *prevp points at (see UK_SLIST_FOREACH_PREVPTR). */
#define UK_SLIST_REMOVE_PREVPTR(prevp, elm, field)			\
	do {								\
		*(prevp) = UK_SLIST_NEXT((elm), field);			\
	} while (0)
/* Appends head2's elements to head1's; head2 becomes empty. */
#define UK_SLIST_CONCAT(head1, head2, type, field)			\
	do {								\
		type *__uk_sl = UK_SLIST_FIRST(head1);			\
									\
		if (!__uk_sl) {						\
			UK_SLIST_FIRST(head1) = UK_SLIST_FIRST(head2);	\
		} else if (UK_SLIST_FIRST(head2)) {			\
			while (UK_SLIST_NEXT(__uk_sl, field))		\
				__uk_sl = UK_SLIST_NEXT(__uk_sl, field); \
			UK_SLIST_NEXT(__uk_sl, field) =			\
				UK_SLIST_FIRST(head2);			\
		}							\
		UK_SLIST_INIT(head2);					\
	} while (0)
#define UK_SLIST_SWAP(head1, head2, type)				\
	do {								\
		type *__uk_sl = UK_SLIST_FIRST(head1);			\
									\
		UK_SLIST_FIRST(head1) = UK_SLIST_FIRST(head2);		\
		UK_SLIST_FIRST(head2) = __uk_sl;			\
	} while (0)

/* ---- UK_STAILQ: singly linked tail queue --------------------------- */

#define UK_STAILQ_HEAD(name, type)					\
	struct name {							\
		type *stqh_first;					\
		type **stqh_last;					\
	}
#define UK_STAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).stqh_first }
#define UK_STAILQ_ENTRY(type)						\
	struct {							\
		type *stqe_next;					\
	}

#define UK_STAILQ_EMPTY(head)	((head)->stqh_first == NULL)
#define UK_STAILQ_FIRST(head)	((head)->stqh_first)
#define UK_STAILQ_NEXT(elm, field)	((elm)->field.stqe_next)
#define UK_STAILQ_INIT(head)						\
	do {								\
		UK_STAILQ_FIRST(head) = NULL;				\
		(head)->stqh_last = &UK_STAILQ_FIRST(head);		\
	} while (0)
/* The last element, or NULL when empty. */
#define UK_STAILQ_LAST(head, type, field)				\
	(UK_STAILQ_EMPTY(head) ? NULL :					\
	 __containerof((head)->stqh_last, type, field.stqe_next))

#define UK_STAILQ_FOREACH(var, head, field)				\
	for ((var) = UK_STAILQ_FIRST(head); (var);			\
	     (var) = UK_STAILQ_NEXT((var), field))
#define UK_STAILQ_FOREACH_FROM(var, head, field)			\
	for ((var) = (var) ? (var) : UK_STAILQ_FIRST(head); (var);	\
	     (var) = UK_STAILQ_NEXT((var), field))
#define UK_STAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = UK_STAILQ_FIRST(head);				\
	     (var) && ((tvar) = UK_STAILQ_NEXT((var), field), 1);	\
	     (var) = (tvar))
#define UK_STAILQ_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = (var) ? (var) : UK_STAILQ_FIRST(head);		\
	     (var) && ((tvar) = UK_STAILQ_NEXT((var), field), 1);	\
	     (var) = (tvar))

#define UK_STAILQ_INSERT_HEAD(head, elm, field)				\
	do {								\
		if (!(UK_STAILQ_NEXT((elm), field) = UK_STAILQ_FIRST(head))) \
			(head)->stqh_last = &UK_STAILQ_NEXT((elm), field); \
		UK_STAILQ_FIRST(head) = (elm);				\
	} while (0)
#define UK_STAILQ_INSERT_TAIL(head, elm, field)				\
	do {								\
		UK_STAILQ_NEXT((elm), field) = NULL;			\
		*(head)->stqh_last = (elm);				\
		(head)->stqh_last = &UK_STAILQ_NEXT((elm), field);	\
	} while (0)
#define UK_STAILQ_INSERT_AFTER(head, tqelm, elm, field)			\
	do {								\
		if (!(UK_STAILQ_NEXT((elm), field) =			\
		      UK_STAILQ_NEXT((tqelm), field)))			\
			(head)->stqh_last = &UK_STAILQ_NEXT((elm), field); \
		UK_STAILQ_NEXT((tqelm), field) = (elm);			\
	} while (0)
#define UK_STAILQ_REMOVE_HEAD(head, field)				\
	do {								\
		if (!(UK_STAILQ_FIRST(head) =				\
		      UK_STAILQ_NEXT(UK_STAILQ_FIRST(head), field)))	\
			(head)->stqh_last = &UK_STAILQ_FIRST(head);	\
	} while (0)
#define UK_STAILQ_REMOVE_AFTER(head, elm, field)			\
	do {								\
		if (!(UK_STAILQ_NEXT((elm), field) =			\
		      UK_STAILQ_NEXT(UK_STAILQ_NEXT((elm), field), field))) \
			(head)->stqh_last = &UK_STAILQ_NEXT((elm), field); \
	} while (0)
/* Removes elm, found by walking from the head (linear time). */
#define UK_STAILQ_REMOVE(head, elm, type, field)			\
	do {								\
		if (UK_STAILQ_FIRST(head) == (elm)) {			\
			UK_STAILQ_REMOVE_HEAD((head), field);		\
		} else {						\
			type *__uk_sq = UK_STAILQ_FIRST(head);		\
									\
			while (UK_STAILQ_NEXT(__uk_sq, field) != (elm))	\
				__uk_sq = UK_STAILQ_NEXT(__uk_sq, field); \
			UK_STAILQ_REMOVE_AFTER((head), __uk_sq, field);	\
		}							\
	} while (0)
/* Appends head2's elements to head1's; head2 becomes empty. */
#define UK_STAILQ_CONCAT(head1, head2)					\
	do {								\
		if (!UK_STAILQ_EMPTY(head2)) {				\
			*(head1)->stqh_last = UK_STAILQ_FIRST(head2);	\
			(head1)->stqh_last = (head2)->stqh_last;	\
			UK_STAILQ_INIT(head2);				\
		}							\
	} while (0)
#define UK_STAILQ_SWAP(head1, head2, type)				\
	do {								\
		type *__uk_sq_first = UK_STAILQ_FIRST(head1);		\
		type **__uk_sq_last = (head1)->stqh_last;		\
									\
		UK_STAILQ_FIRST(head1) = UK_STAILQ_FIRST(head2);	\
		(head1)->stqh_last = (head2)->stqh_last;		\
		UK_STAILQ_FIRST(head2) = __uk_sq_first;			\
		(head2)->stqh_last = __uk_sq_last;			\
		if (UK_STAILQ_EMPTY(head1))				\
			(head1)->stqh_last = &UK_STAILQ_FIRST(head1);	\
		if (UK_STAILQ_EMPTY(head2))				\
			(head2)->stqh_last = &UK_STAILQ_FIRST(head2);	\
	} while (0)

/* ---- UK_LIST: doubly linked list (UK_COMPAT_LIST_HEAD) ------------- */

/* Named so, not UK_LIST_HEAD: that is uk/list.h's list head. */
#define UK_COMPAT_LIST_HEAD(name, type)					\
	struct name {							\
		type *lh_first;						\
	}
#define UK_LIST_HEAD_INITIALIZER(head)	{ NULL }
#define UK_LIST_ENTRY(type)						\
	struct {							\
		type *le_next;						\
		type **le_prev;						\
	}

#define UK_LIST_EMPTY(head)	((head)->lh_first == NULL)
#define UK_LIST_FIRST(head)	((head)->lh_first)
#define UK_LIST_NEXT(elm, field)	((elm)->field.le_next)
#define UK_LIST_INIT(head)	do { UK_LIST_FIRST(head) = NULL; } while (0)
/* The element before elm, or NULL when elm is the first. */
#define UK_LIST_PREV(elm, head, type, field)				\
	((elm)->field.le_prev == &UK_LIST_FIRST(head) ? NULL :		\
	 __containerof((elm)->field.le_prev, type, field.le_next))

#define UK_LIST_FOREACH(var, head, field)				\
	for ((var) = UK_LIST_FIRST(head); (var);			\
	     (var) = UK_LIST_NEXT((var), field))
#define UK_LIST_FOREACH_FROM(var, head, field)				\
	for ((var) = (var) ? (var) : UK_LIST_FIRST(head); (var);	\
	     (var) = UK_LIST_NEXT((var), field))
#define UK_LIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = UK_LIST_FIRST(head);				\
	     (var) && ((tvar) = UK_LIST_NEXT((var), field), 1);		\
	     (var) = (tvar))
#define UK_LIST_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = (var) ? (var) : UK_LIST_FIRST(head);		\
	     (var) && ((tvar) = UK_LIST_NEXT((var), field), 1);		\
	     (var) = (tvar))

#define UK_LIST_INSERT_HEAD(head, elm, field)				\
	do {								\
		if ((UK_LIST_NEXT((elm), field) = UK_LIST_FIRST(head)))	\
			UK_LIST_FIRST(head)->field.le_prev =		\
				&UK_LIST_NEXT((elm), field);		\
		UK_LIST_FIRST(head) = (elm);				\
		(elm)->field.le_prev = &UK_LIST_FIRST(head);		\
	} while (0)
#define UK_LIST_INSERT_AFTER(listelm, elm, field)			\
	do {								\
		if ((UK_LIST_NEXT((elm), field) =			\
		     UK_LIST_NEXT((listelm), field)))			\
			UK_LIST_NEXT((listelm), field)->field.le_prev =	\
				&UK_LIST_NEXT((elm), field);		\
		UK_LIST_NEXT((listelm), field) = (elm);			\
		(elm)->field.le_prev = &UK_LIST_NEXT((listelm), field);	\
	} while (0)
#define UK_LIST_INSERT_BEFORE(listelm, elm, field)			\
	do {								\
		(elm)->field.le_prev = (listelm)->field.le_prev;	\
		UK_LIST_NEXT((elm), field) = (listelm);			\
		*(listelm)->field.le_prev = (elm);			\
		(listelm)->field.le_prev = &UK_LIST_NEXT((elm), field);	\
	} while (0)
#define UK_LIST_REMOVE(elm, field)					\
	do {								\
		if (UK_LIST_NEXT((elm), field))				\
			UK_LIST_NEXT((elm), field)->field.le_prev =	\
				(elm)->field.le_prev;			\
		*(elm)->field.le_prev = UK_LIST_NEXT((elm), field);	\
	} while (0)
/* Appends head2's elements to head1's; head2 becomes empty. */
#define UK_LIST_CONCAT(head1, head2, type, field)			\
	do {								\
		type *__uk_l = UK_LIST_FIRST(head1);			\
									\
		if (!__uk_l) {						\
			if ((UK_LIST_FIRST(head1) = UK_LIST_FIRST(head2))) \
				UK_LIST_FIRST(head2)->field.le_prev =	\
					&UK_LIST_FIRST(head1);		\
		} else if (UK_LIST_FIRST(head2)) {			\
			while (UK_LIST_NEXT(__uk_l, field))		\
				__uk_l = UK_LIST_NEXT(__uk_l, field);	\
			UK_LIST_NEXT(__uk_l, field) = UK_LIST_FIRST(head2); \
			UK_LIST_FIRST(head2)->field.le_prev =		\
				&UK_LIST_NEXT(__uk_l, field);		\
		}							\
		UK_LIST_INIT(head2);					\
	} while (0)
#define UK_LIST_SWAP(head1, head2, type, field)				\
	do {								\
		type *__uk_l = UK_LIST_FIRST(head1);			\
									\
		UK_LIST_FIRST(head1) = UK_LIST_FIRST(head2);		\
		UK_LIST_FIRST(head2) = __uk_l;				\
		if ((__uk_l = UK_LIST_FIRST(head1)))			\
			__uk_l->field.le_prev = &UK_LIST_FIRST(head1);	\
		if ((__uk_l = UK_LIST_FIRST(head2)))			\
			__uk_l->field.le_prev = &UK_LIST_FIRST(head2);	\
	} while (0)

/* ---- UK_TAILQ: doubly linked tail queue ---------------------------- */

#define UK_TAILQ_HEAD(name, type)					\
	struct name {							\
		type *tqh_first;					\
		type **tqh_last;					\
	}
#define UK_TAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).tqh_first }
#define UK_TAILQ_ENTRY(type)						\
	struct {							\
		type *tqe_next;						\
		type **tqe_prev;					\
	}

#define UK_TAILQ_EMPTY(head)	((head)->tqh_first == NULL)
#define UK_TAILQ_FIRST(head)	((head)->tqh_first)
#define UK_TAILQ_NEXT(elm, field)	((elm)->field.tqe_next)
#define UK_TAILQ_INIT(head)						\
	do {								\
		UK_TAILQ_FIRST(head) = NULL;				\
		(head)->tqh_last = &UK_TAILQ_FIRST(head);		\
	} while (0)
/*
 * The last element / the one before elm (NULL at the ends): tqh_last and
 * tqe_prev point at a next-pointer, which begins an entry or a head laid
 * out as struct headname; its second pointer leads one step back.
 */
#define UK_TAILQ_LAST(head, headname)					\
	(*(((struct headname *)((head)->tqh_last))->tqh_last))
#define UK_TAILQ_PREV(elm, headname, field)				\
	(*(((struct headname *)((elm)->field.tqe_prev))->tqh_last))

#define UK_TAILQ_FOREACH(var, head, field)				\
	for ((var) = UK_TAILQ_FIRST(head); (var);			\
	     (var) = UK_TAILQ_NEXT((var), field))
#define UK_TAILQ_FOREACH_FROM(var, head, field)				\
	for ((var) = (var) ? (var) : UK_TAILQ_FIRST(head); (var);	\
	     (var) = UK_TAILQ_NEXT((var), field))
#define UK_TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = UK_TAILQ_FIRST(head);				\
	     (var) && ((tvar) = UK_TAILQ_NEXT((var), field), 1);	\
	     (var) = (tvar))
#define UK_TAILQ_FOREACH_FROM_SAFE(var, head, field, tvar)		\
	for ((var) = (var) ? (var) : UK_TAILQ_FIRST(head);		\
	     (var) && ((tvar) = UK_TAILQ_NEXT((var), field), 1);	\
	     (var) = (tvar))
#define UK_TAILQ_FOREACH_REVERSE(var, head, headname, field)		\
	for ((var) = UK_TAILQ_LAST((head), headname); (var);		\
	     (var) = UK_TAILQ_PREV((var), headname, field))
#define UK_TAILQ_FOREACH_REVERSE_FROM(var, head, headname, field)	\
	for ((var) = (var) ? (var) : UK_TAILQ_LAST((head), headname);	\
	     (var); (var) = UK_TAILQ_PREV((var), headname, field))
#define UK_TAILQ_FOREACH_REVERSE_SAFE(var, head, headname, field, tvar) \
	for ((var) = UK_TAILQ_LAST((head), headname);			\
	     (var) && ((tvar) = UK_TAILQ_PREV((var), headname, field), 1); \
	     (var) = (tvar))
#define UK_TAILQ_FOREACH_REVERSE_FROM_SAFE(var, head, headname, field,	\
					   tvar)			\
	for ((var) = (var) ? (var) : UK_TAILQ_LAST((head), headname);	\
	     (var) && ((tvar) = UK_TAILQ_PREV((var), headname, field), 1); \
	     (var) = (tvar))

#define UK_TAILQ_INSERT_HEAD(head, elm, field)				\
	do {								\
		if ((UK_TAILQ_NEXT((elm), field) = UK_TAILQ_FIRST(head))) \
			UK_TAILQ_FIRST(head)->field.tqe_prev =		\
				&UK_TAILQ_NEXT((elm), field);		\
		else							\
			(head)->tqh_last = &UK_TAILQ_NEXT((elm), field); \
		UK_TAILQ_FIRST(head) = (elm);				\
		(elm)->field.tqe_prev = &UK_TAILQ_FIRST(head);		\
	} while (0)
#define UK_TAILQ_INSERT_TAIL(head, elm, field)				\
	do {								\
		UK_TAILQ_NEXT((elm), field) = NULL;			\
		(elm)->field.tqe_prev = (head)->tqh_last;		\
		*(head)->tqh_last = (elm);				\
		(head)->tqh_last = &UK_TAILQ_NEXT((elm), field);	\
	} while (0)
#define UK_TAILQ_INSERT_AFTER(head, listelm, elm, field)		\
	do {								\
		if ((UK_TAILQ_NEXT((elm), field) =			\
		     UK_TAILQ_NEXT((listelm), field)))			\
			UK_TAILQ_NEXT((elm), field)->field.tqe_prev =	\
				&UK_TAILQ_NEXT((elm), field);		\
		else							\
			(head)->tqh_last = &UK_TAILQ_NEXT((elm), field); \
		UK_TAILQ_NEXT((listelm), field) = (elm);		\
		(elm)->field.tqe_prev = &UK_TAILQ_NEXT((listelm), field); \
	} while (0)
#define UK_TAILQ_INSERT_BEFORE(listelm, elm, field)			\
	do {								\
		(elm)->field.tqe_prev = (listelm)->field.tqe_prev;	\
		UK_TAILQ_NEXT((elm), field) = (listelm);		\
		*(listelm)->field.tqe_prev = (elm);			\
		(listelm)->field.tqe_prev = &UK_TAILQ_NEXT((elm), field); \
	} while (0)
#define UK_TAILQ_REMOVE(head, elm, field)				\
	do {								\
		if (UK_TAILQ_NEXT((elm), field))			\
			UK_TAILQ_NEXT((elm), field)->field.tqe_prev =	\
				(elm)->field.tqe_prev;			\
		else							\
			(head)->tqh_last = (elm)->field.tqe_prev;	\
		*(elm)->field.tqe_prev = UK_TAILQ_NEXT((elm), field);	\
	} while (0)
/* Appends head2's elements to head1's; head2 becomes empty. */
#define UK_TAILQ_CONCAT(head1, head2, field)				\
	do {								\
		if (!UK_TAILQ_EMPTY(head2)) {				\
			*(head1)->tqh_last = UK_TAILQ_FIRST(head2);	\
			UK_TAILQ_FIRST(head2)->field.tqe_prev =		\
				(head1)->tqh_last;			\
			(head1)->tqh_last = (head2)->tqh_last;		\
			UK_TAILQ_INIT(head2);				\
		}							\
	} while (0)
#define UK_TAILQ_SWAP(head1, head2, type, field)			\
	do {								\
		type *__uk_tq_first = UK_TAILQ_FIRST(head1);		\
		type **__uk_tq_last = (head1)->tqh_last;		\
									\
		UK_TAILQ_FIRST(head1) = UK_TAILQ_FIRST(head2);		\
		(head1)->tqh_last = (head2)->tqh_last;			\
		UK_TAILQ_FIRST(head2) = __uk_tq_first;			\
		(head2)->tqh_last = __uk_tq_last;			\
		if ((__uk_tq_first = UK_TAILQ_FIRST(head1)))		\
			__uk_tq_first->field.tqe_prev =			\
				&UK_TAILQ_FIRST(head1);			\
		else							\
			(head1)->tqh_last = &UK_TAILQ_FIRST(head1);	\
		if ((__uk_tq_first = UK_TAILQ_FIRST(head2)))		\
			__uk_tq_first->field.tqe_prev =			\
				&UK_TAILQ_FIRST(head2);			\
		else							\
			(head2)->tqh_last = &UK_TAILQ_FIRST(head2);	\
	} while (0)

#endif /* __UK_COMPAT_LIST_H__ */
