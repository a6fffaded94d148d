/* Private to ukallocmimalloc: what the glue files share. */
#ifndef __UK_MIMALLOC_GLUE_H__
#define __UK_MIMALLOC_GLUE_H__

#include <stddef.h>
#include <uk/alloc.h>

/*
 * The allocator mimalloc takes its memory from (the boot allocator); set
 * once by glue.c before mimalloc starts, read-only afterwards.
 */
extern struct uk_alloc *uk_mimalloc_backing;

/* Bytes mimalloc currently holds from the backing allocator (os.c). */
size_t uk_mimalloc_os_bytes(void);

/* Counts bytes taken from (or, negative, given back to) the backing. */
void uk_mimalloc_os_account(long bytes);

#endif /* __UK_MIMALLOC_GLUE_H__ */
