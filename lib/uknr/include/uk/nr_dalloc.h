/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr deterministic allocation: memory for replicated state allocated
 * while an operation is applied (inside dispatch_mut), such that the
 * allocation succeeds on every replica or fails on every replica. The
 * first replica to apply an operation's n-th allocation performs it for
 * all replicas (one block each) and keeps the results until the others
 * reach the same operation; if any of the blocks cannot be had, it frees
 * the others and every replica gets NULL. Replicas so stay identical when
 * memory runs out, whichever replica runs first and whatever else
 * allocates meanwhile.
 *
 * A uk_nr_dalloc belongs to one log: pass it in uk_nr_config.dalloc (CNR:
 * uk_cnr_config.dalloc[log]) and to the structure (e.g. through ds_arg),
 * which calls uk_nr_dalloc_alloc() with its replica number from its
 * dispatch_mut(). With one replica it simply forwards to the allocator.
 */
#ifndef __UK_NR_DALLOC_H__
#define __UK_NR_DALLOC_H__

#include <stddef.h>
#include <uk/nr.h>

#ifdef __cplusplus
extern "C" {
#endif

struct uk_nr_dalloc;

/*
 * Creates an allocator for an instance (or a CNR log) of `replicas`
 * replicas whose log has `log_entries` entries (the values the instance
 * will have: uk_nr_create() refuses a mismatch), where an operation makes
 * at most `per_op` deterministic allocations (more return NULL on every
 * replica). Memory comes from alloc/free (both NULL: posix_memalign/free);
 * alloc's replica argument is the replica a block is for. Results wait in
 * a table of log_entries * per_op records. Returns 0, -EINVAL, -ENOMEM.
 */
int uk_nr_dalloc_create(struct uk_nr_dalloc **out, unsigned int replicas,
			unsigned int log_entries, unsigned int per_op,
			uk_nr_alloc_fn alloc, uk_nr_free_fn free, void *arg);

/* Frees the table and every block that a replica has not picked up (one
 * that never applied the operation). After the instance is destroyed. */
void uk_nr_dalloc_destroy(struct uk_nr_dalloc *d);

/*
 * size bytes (aligned to 16) for replica `replica`, from its dispatch_mut()
 * only: the same call on every replica gets a block, or NULL on every
 * replica. May wait briefly while another replica is allocating the same
 * block set.
 */
void *uk_nr_dalloc_alloc(struct uk_nr_dalloc *d, unsigned int replica,
			 size_t size);

/* Frees a block from uk_nr_dalloc_alloc() (each replica its own). */
void uk_nr_dalloc_free(struct uk_nr_dalloc *d, void *p);

#ifdef __cplusplus
}
#endif

#endif /* __UK_NR_DALLOC_H__ */
