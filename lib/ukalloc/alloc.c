/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The uk_*() entry points: argument checks, the per-CPU statistics, and the
 * registry of allocators with its default.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <uk/alloc_impl.h>
#include <uk/spinlock.h>

/* Registered allocators, newest first. */
static struct uk_alloc *alloc_head;
/* The default allocator; read without the lock (uk/alloc.h). */
struct uk_alloc *_uk_alloc_default;
/* Protects alloc_head and the next fields of registered allocators. */
static struct uk_spinlock registry_lock = UK_SPINLOCK_INITIALIZER();

/*
 * Counts one event on the calling CPU's counters. Relaxed atomic add: the
 * counter is only summed, never used to order other memory, and the atomic
 * keeps it exact when the caller moved to another CPU after reading its
 * index (two CPUs may then add to the same copy).
 */
#define STAT_INC(a, field)						\
	__atomic_fetch_add(&(a)->_stats[ukplat_lcpu_idx()].field, 1,	\
			   __ATOMIC_RELAXED)

void uk_alloc_set_default(struct uk_alloc *a)
{
	/* Release: whoever sees a also sees it fully initialized. */
	__atomic_store_n(&_uk_alloc_default, a, __ATOMIC_RELEASE);
}

struct uk_alloc *uk_alloc_first(void)
{
	/* Acquire: pairs with the release in uk_alloc_register(). */
	return __atomic_load_n(&alloc_head, __ATOMIC_ACQUIRE);
}

int uk_alloc_register(struct uk_alloc *a)
{
	struct uk_alloc *none = NULL;
	unsigned long f;

	if (!a || !a->malloc || !a->calloc || !a->realloc
	    || !a->posix_memalign || !a->memalign || !a->free || !a->palloc
	    || !a->pfree || !a->maxalloc || !a->availmem)
		return -EINVAL;
	uk_spin_lock_irqsave(&registry_lock, f);
	a->next = alloc_head;
	/* Release: iterators see a's fields once they see a. */
	__atomic_store_n(&alloc_head, a, __ATOMIC_RELEASE);
	uk_spin_unlock_irqrestore(&registry_lock, f);
	/*
	 * Only the first registration sets the default: CAS from NULL.
	 * Release on success as in uk_alloc_set_default().
	 */
	__atomic_compare_exchange_n(&_uk_alloc_default, &none, a, 0,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	return 0;
}

/* Whether the uk_*() functions count a's blocks (or a does itself). */
static int counts_blocks(struct uk_alloc *a)
{
	return !(a->flags & (UK_ALLOC_F_COUNTS | UK_ALLOC_F_NOSTATS));
}

/* Whether a keeps statistics at all. */
static int counts(struct uk_alloc *a)
{
	return !(a->flags & UK_ALLOC_F_NOSTATS);
}

/* Counts a failed request, where a keeps statistics. */
static void count_enomem(struct uk_alloc *a)
{
	if (counts(a))
		STAT_INC(a, nb_enomem);
}

void *_uk_alloc_count(struct uk_alloc *a, void *p)
{
	if (!p)
		count_enomem(a);
	else if (counts_blocks(a))
		STAT_INC(a, nb_allocs);
	return p;
}

void *uk_calloc(struct uk_alloc *a, size_t nmemb, size_t size)
{
	if (!a)
		return NULL;
	if (size && nmemb > SIZE_MAX / size) {
		count_enomem(a);
		return NULL;
	}
	return _uk_alloc_count(a, a->calloc(a, nmemb, size));
}

void *uk_realloc(struct uk_alloc *a, void *ptr, size_t size)
{
	void *p;

	if (!a)
		return NULL;
	if (!ptr)
		return uk_malloc(a, size);
	if (!size) {
		uk_free(a, ptr);
		return NULL;
	}
	p = a->realloc(a, ptr, size);
	/* The block moved or grew: neither a new block nor a freed one. */
	if (!p)
		count_enomem(a);
	return p;
}

static int align_ok(size_t align)
{
	return align && !(align & (align - 1));
}

int uk_posix_memalign(struct uk_alloc *a, void **memptr, size_t align,
		      size_t size)
{
	int rc;

	if (!a || !memptr || !align_ok(align) || align % sizeof(void *))
		return EINVAL;
	rc = a->posix_memalign(a, memptr, align, size);
	if (!rc && counts_blocks(a))
		STAT_INC(a, nb_allocs);
	else if (rc == ENOMEM)
		count_enomem(a);
	return rc;
}

void *uk_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	if (!a || !align_ok(align))
		return NULL;
	return _uk_alloc_count(a, a->memalign(a, align, size));
}

void _uk_free_counted(struct uk_alloc *a, void *ptr)
{
	a->free(a, ptr);
	if (counts_blocks(a))
		STAT_INC(a, nb_frees);
}

void *uk_palloc(struct uk_alloc *a, unsigned long num_pages)
{
	void *p;

	if (!a || !num_pages)
		return NULL;
	p = a->palloc(a, num_pages);
	if (!p)
		count_enomem(a);
	else if (counts(a))
		STAT_INC(a, nb_pallocs);
	return p;
}

void uk_pfree(struct uk_alloc *a, void *ptr, unsigned long num_pages)
{
	if (!a || !ptr)
		return;
	a->pfree(a, ptr, num_pages);
	if (counts(a))
		STAT_INC(a, nb_pfrees);
}

long uk_alloc_availmem(struct uk_alloc *a)
{
	if (!a)
		return -EINVAL;
	return a->availmem(a);
}

long uk_alloc_maxalloc(struct uk_alloc *a)
{
	if (!a)
		return -EINVAL;
	return a->maxalloc(a);
}

int uk_alloc_addmem(struct uk_alloc *a, void *base, size_t size)
{
	if (!a)
		return -EINVAL;
	if (!a->addmem)
		return -ENOTSUP;
	return a->addmem(a, base, size);
}

int uk_alloc_stats_get(struct uk_alloc *a, struct uk_alloc_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	if (!a)
		return -EINVAL;
	if (!counts(a))
		return -ENOTSUP;
	for (i = 0; i < CONFIG_UKPLAT_LCPU_MAXCOUNT; i++) {
		struct uk_alloc_cpu_stats *c = &a->_stats[i];

		/* Relaxed: counters only; see STAT_INC. */
		st->tot_nb_allocs += __atomic_load_n(&c->nb_allocs,
						     __ATOMIC_RELAXED);
		st->tot_nb_frees += __atomic_load_n(&c->nb_frees,
						    __ATOMIC_RELAXED);
		st->tot_nb_pallocs += __atomic_load_n(&c->nb_pallocs,
						      __ATOMIC_RELAXED);
		st->tot_nb_pfrees += __atomic_load_n(&c->nb_pfrees,
						     __ATOMIC_RELAXED);
		st->nb_enomem += __atomic_load_n(&c->nb_enomem,
						 __ATOMIC_RELAXED);
	}
	st->cur_nb_allocs = st->tot_nb_allocs - st->tot_nb_frees;
	st->cur_nb_pallocs = st->tot_nb_pallocs - st->tot_nb_pfrees;
	return 0;
}
