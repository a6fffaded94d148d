/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intrusive lists with Unikraft's uk/list.h names (Linux's list API with a
 * uk_ prefix): a circular doubly linked list (struct uk_list_head, a head
 * and an entry embedded in each element) and a hash-bucket list
 * (struct uk_hlist_head, one pointer per bucket, and struct uk_hlist_node).
 * As in Unikraft, it also brings the BSD-style UK_SLIST, UK_STAILQ,
 * UK_LIST and UK_TAILQ macros (uk/compat_list.h).
 *
 * Invariant of uk_list: for every node n on a list, n->next->prev == n and
 * n->prev->next == n; an empty head points to itself both ways. Of
 * uk_hlist: *n->pprev == n for every linked node; an unlinked node has
 * pprev NULL (after UK_INIT_HLIST_NODE or uk_hlist_del_init).
 *
 * No locking: the user protects a list. uk_list_del() leaves the removed
 * entry's pointers as they were (use uk_list_del_init() to reuse it).
 */
#ifndef __UK_LIST_H__
#define __UK_LIST_H__

#include <uk/compat_list.h>	/* as in Unikraft: the BSD-style lists */
#include <uk/essentials.h>

struct uk_list_head {
	struct uk_list_head *next, *prev;
};

#define UK_LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define UK_LIST_HEAD(name)						\
	struct uk_list_head name = UK_LIST_HEAD_INIT(name)

static inline void UK_INIT_LIST_HEAD(struct uk_list_head *list)
{
	list->next = list;
	list->prev = list;
}

/* Links e between the adjacent entries prev and next. */
static inline void __uk_list_link(struct uk_list_head *e,
				  struct uk_list_head *prev,
				  struct uk_list_head *next)
{
	next->prev = e;
	e->next = next;
	e->prev = prev;
	prev->next = e;
}

/* Inserts e right after head (at the front: stack order). */
static inline void uk_list_add(struct uk_list_head *e,
			       struct uk_list_head *head)
{
	__uk_list_link(e, head, head->next);
}

/* Inserts e right before head (at the back: queue order). */
static inline void uk_list_add_tail(struct uk_list_head *e,
				    struct uk_list_head *head)
{
	__uk_list_link(e, head->prev, head);
}

/* Unlinks e from its list; e's own pointers are left unchanged. */
static inline void uk_list_del(struct uk_list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
}

/* Unlinks e and makes it an empty list of its own. */
static inline void uk_list_del_init(struct uk_list_head *e)
{
	uk_list_del(e);
	UK_INIT_LIST_HEAD(e);
}

/* Puts new_e where old_e was; old_e's pointers are left unchanged. */
static inline void uk_list_replace(struct uk_list_head *old_e,
				   struct uk_list_head *new_e)
{
	new_e->next = old_e->next;
	new_e->next->prev = new_e;
	new_e->prev = old_e->prev;
	new_e->prev->next = new_e;
}

static inline void uk_list_replace_init(struct uk_list_head *old_e,
					struct uk_list_head *new_e)
{
	uk_list_replace(old_e, new_e);
	UK_INIT_LIST_HEAD(old_e);
}

/* Moves e from its list to the front / back of head's. */
static inline void uk_list_move(struct uk_list_head *e,
				struct uk_list_head *head)
{
	uk_list_del(e);
	uk_list_add(e, head);
}

static inline void uk_list_move_tail(struct uk_list_head *e,
				     struct uk_list_head *head)
{
	uk_list_del(e);
	uk_list_add_tail(e, head);
}

/* Whether e is the last entry of head's list. */
static inline int uk_list_is_last(const struct uk_list_head *e,
				  const struct uk_list_head *head)
{
	return e->next == head;
}

static inline int uk_list_empty(const struct uk_list_head *head)
{
	return head->next == head;
}

/*
 * Empty, checked on both links: not fooled by a head that another CPU is
 * changing between its two stores (still no substitute for a lock).
 */
static inline int uk_list_empty_careful(const struct uk_list_head *head)
{
	const struct uk_list_head *next = head->next;

	return next == head && next == head->prev;
}

/* Exactly one entry. */
static inline int uk_list_is_singular(const struct uk_list_head *head)
{
	return !uk_list_empty(head) && head->next == head->prev;
}

/*
 * Moves head's entries from the first up to and including e to the
 * (empty, or emptied: its entries are dropped) list. e == head moves
 * nothing and empties list.
 */
static inline void uk_list_cut_position(struct uk_list_head *list,
					struct uk_list_head *head,
					struct uk_list_head *e)
{
	struct uk_list_head *first = head->next;

	if (uk_list_empty(head) || e == head) {
		UK_INIT_LIST_HEAD(list);
		return;
	}
	list->next = first;
	first->prev = list;
	list->prev = e;
	head->next = e->next;
	e->next->prev = head;
	e->next = list;
}

/* Inserts list's entries between prev and next (list itself untouched). */
static inline void __uk_list_splice_between(const struct uk_list_head *list,
					    struct uk_list_head *prev,
					    struct uk_list_head *next)
{
	struct uk_list_head *first = list->next, *last = list->prev;

	if (uk_list_empty(list))
		return;
	first->prev = prev;
	prev->next = first;
	last->next = next;
	next->prev = last;
}

/*
 * Moves list's entries to the front (splice) / back (splice_tail) of
 * head's list. list still points at them: reuse it only after
 * UK_INIT_LIST_HEAD, or use the _init forms, which do that.
 */
static inline void uk_list_splice(const struct uk_list_head *list,
				  struct uk_list_head *head)
{
	__uk_list_splice_between(list, head, head->next);
}

static inline void uk_list_splice_tail(const struct uk_list_head *list,
				       struct uk_list_head *head)
{
	__uk_list_splice_between(list, head->prev, head);
}

static inline void uk_list_splice_init(struct uk_list_head *list,
				       struct uk_list_head *head)
{
	uk_list_splice(list, head);
	UK_INIT_LIST_HEAD(list);
}

static inline void uk_list_splice_tail_init(struct uk_list_head *list,
					    struct uk_list_head *head)
{
	uk_list_splice_tail(list, head);
	UK_INIT_LIST_HEAD(list);
}

/* The element of type type whose member field is the entry ptr. */
#define uk_list_entry(ptr, type, field)	__containerof(ptr, type, field)
#define uk_list_first_entry(head, type, field)				\
	uk_list_entry((head)->next, type, field)
#define uk_list_last_entry(head, type, field)				\
	uk_list_entry((head)->prev, type, field)
#define uk_list_first_entry_or_null(head, type, field)			\
	(uk_list_empty(head) ? NULL : uk_list_first_entry(head, type, field))
#define uk_list_last_entry_or_null(head, type, field)			\
	(uk_list_empty(head) ? NULL : uk_list_last_entry(head, type, field))
/* The element after / before element p (wraps through the head). */
#define uk_list_next_entry(p, field)					\
	uk_list_entry((p)->field.next, __typeof__(*(p)), field)
#define uk_list_prev_entry(p, field)					\
	uk_list_entry((p)->field.prev, __typeof__(*(p)), field)
/* In a _safe loop that removed more than p: n becomes p's successor. */
#define uk_list_safe_reset_next(p, n, field)				\
	((n) = uk_list_next_entry(p, field))

/*
 * Loops. p: the cursor (an entry pointer, or an element pointer for the
 * _entry forms); the _safe forms keep the next one in n, so p may be
 * removed; _continue starts after p, _from at p; _reverse goes backwards.
 */
#define uk_list_for_each(p, head)					\
	for ((p) = (head)->next; (p) != (head); (p) = (p)->next)
#define uk_list_for_each_prev(p, head)					\
	for ((p) = (head)->prev; (p) != (head); (p) = (p)->prev)
#define uk_list_for_each_safe(p, n, head)				\
	for ((p) = (head)->next, (n) = (p)->next; (p) != (head);	\
	     (p) = (n), (n) = (p)->next)
#define uk_list_for_each_entry(p, head, field)				\
	for ((p) = uk_list_first_entry(head, __typeof__(*(p)), field);	\
	     &(p)->field != (head); (p) = uk_list_next_entry(p, field))
#define uk_list_for_each_entry_reverse(p, head, field)			\
	for ((p) = uk_list_last_entry(head, __typeof__(*(p)), field);	\
	     &(p)->field != (head); (p) = uk_list_prev_entry(p, field))
#define uk_list_for_each_entry_continue(p, head, field)			\
	for ((p) = uk_list_next_entry(p, field);			\
	     &(p)->field != (head); (p) = uk_list_next_entry(p, field))
#define uk_list_for_each_entry_continue_reverse(p, head, field)		\
	for ((p) = uk_list_prev_entry(p, field);			\
	     &(p)->field != (head); (p) = uk_list_prev_entry(p, field))
#define uk_list_for_each_entry_from(p, head, field)			\
	for (; &(p)->field != (head); (p) = uk_list_next_entry(p, field))
#define uk_list_for_each_entry_safe(p, n, head, field)			\
	for ((p) = uk_list_first_entry(head, __typeof__(*(p)), field),	\
	     (n) = uk_list_next_entry(p, field);			\
	     &(p)->field != (head);					\
	     (p) = (n), (n) = uk_list_next_entry(n, field))
#define uk_list_for_each_entry_safe_from(p, n, head, field)		\
	for ((n) = uk_list_next_entry(p, field);			\
	     &(p)->field != (head);					\
	     (p) = (n), (n) = uk_list_next_entry(n, field))
#define uk_list_for_each_entry_safe_reverse(p, n, head, field)		\
	for ((p) = uk_list_last_entry(head, __typeof__(*(p)), field),	\
	     (n) = uk_list_prev_entry(p, field);			\
	     &(p)->field != (head);					\
	     (p) = (n), (n) = uk_list_prev_entry(n, field))

/* Hash-bucket lists: a head is one pointer; not circular. */
struct uk_hlist_node {
	struct uk_hlist_node *next, **pprev;
};

struct uk_hlist_head {
	struct uk_hlist_node *first;
};

#define UK_HLIST_HEAD_INIT		{ .first = NULL }
#define UK_HLIST_HEAD(name)	struct uk_hlist_head name = UK_HLIST_HEAD_INIT
#define UK_INIT_HLIST_HEAD(head)	((head)->first = NULL)
#define UK_INIT_HLIST_NODE(node)					\
	do {								\
		(node)->next = NULL;					\
		(node)->pprev = NULL;					\
	} while (0)

/* Whether n is on no list (initialized, or removed with _del_init). */
static inline int uk_hlist_unhashed(const struct uk_hlist_node *n)
{
	return !n->pprev;
}

static inline int uk_hlist_empty(const struct uk_hlist_head *h)
{
	return !h->first;
}

/* Unlinks n; n's own pointers are left unchanged. */
static inline void uk_hlist_del(struct uk_hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
}

/* Unlinks n if linked and marks it unhashed. */
static inline void uk_hlist_del_init(struct uk_hlist_node *n)
{
	if (uk_hlist_unhashed(n))
		return;
	uk_hlist_del(n);
	UK_INIT_HLIST_NODE(n);
}

/* Inserts n at the front of h. */
static inline void uk_hlist_add_head(struct uk_hlist_node *n,
				     struct uk_hlist_head *h)
{
	n->next = h->first;
	if (n->next)
		n->next->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

/* Inserts n right before next, which is linked. */
static inline void uk_hlist_add_before(struct uk_hlist_node *n,
				       struct uk_hlist_node *next)
{
	n->pprev = next->pprev;
	n->next = next;
	next->pprev = &n->next;
	*n->pprev = n;
}

/* Inserts n right after prev, which is linked. */
static inline void uk_hlist_add_behind(struct uk_hlist_node *n,
				       struct uk_hlist_node *prev)
{
	n->next = prev->next;
	prev->next = n;
	n->pprev = &prev->next;
	if (n->next)
		n->next->pprev = &n->next;
}

/* Moves every node of old_h to the empty new_h; old_h becomes empty. */
static inline void uk_hlist_move_list(struct uk_hlist_head *old_h,
				      struct uk_hlist_head *new_h)
{
	new_h->first = old_h->first;
	if (new_h->first)
		new_h->first->pprev = &new_h->first;
	old_h->first = NULL;
}

#define uk_hlist_entry(ptr, type, field)	__containerof(ptr, type, field)
/* uk_hlist_entry(), or NULL for a NULL ptr (evaluated once). */
#define uk_hlist_entry_safe(ptr, type, field)				\
	({								\
		__typeof__(ptr) __uk_hl_p = (ptr);			\
		__uk_hl_p ? uk_hlist_entry(__uk_hl_p, type, field) : NULL; \
	})
#define uk_hlist_for_each(p, head)					\
	for ((p) = (head)->first; (p); (p) = (p)->next)
#define uk_hlist_for_each_safe(p, n, head)				\
	for ((p) = (head)->first; (p) && ((n) = (p)->next, 1); (p) = (n))
#define uk_hlist_for_each_entry(p, head, field)				\
	for ((p) = uk_hlist_entry_safe((head)->first, __typeof__(*(p)), \
				       field);				\
	     (p);							\
	     (p) = uk_hlist_entry_safe((p)->field.next,			\
				       __typeof__(*(p)), field))
#define uk_hlist_for_each_entry_continue(p, field)			\
	for ((p) = uk_hlist_entry_safe((p)->field.next,			\
				       __typeof__(*(p)), field);	\
	     (p);							\
	     (p) = uk_hlist_entry_safe((p)->field.next,			\
				       __typeof__(*(p)), field))
#define uk_hlist_for_each_entry_from(p, field)				\
	for (; (p);							\
	     (p) = uk_hlist_entry_safe((p)->field.next,			\
				       __typeof__(*(p)), field))
/* n: a struct uk_hlist_node * holding the next node. */
#define uk_hlist_for_each_entry_safe(p, n, head, field)			\
	for ((p) = uk_hlist_entry_safe((head)->first, __typeof__(*(p)), \
				       field);				\
	     (p) && ((n) = (p)->field.next, 1);				\
	     (p) = uk_hlist_entry_safe((n), __typeof__(*(p)), field))

#endif /* __UK_LIST_H__ */
