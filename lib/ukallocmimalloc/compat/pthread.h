/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What mimalloc 2.0.9 includes as <pthread.h> in the guest. Its internal
 * header includes <pthread.h> on every non-Windows system and init.c uses a
 * key only to learn when a thread ends. In the guest that signal is uksched's
 * thread-exit hook (glue.c calls mi_thread_done()), so the key functions do
 * nothing. No other pthread function is provided (the threads of mimalloc's
 * test-stress.c come from tests/test_threads.h, which only that test's
 * build force-includes: no production header includes a test header).
 */
#ifndef __UK_MIMALLOC_COMPAT_PTHREAD_H__
#define __UK_MIMALLOC_COMPAT_PTHREAD_H__

/* As glibc has it (bench/ builds this on the host too). */
typedef unsigned int pthread_key_t;

static inline int pthread_key_create(pthread_key_t *key,
				     void (*destructor)(void *))
{
	(void)destructor;
	*key = 0;
	return 0;
}

static inline int pthread_setspecific(pthread_key_t key, const void *value)
{
	(void)key;
	(void)value;
	return 0;
}

#endif /* __UK_MIMALLOC_COMPAT_PTHREAD_H__ */
