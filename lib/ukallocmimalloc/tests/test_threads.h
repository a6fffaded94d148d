/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pthread_create/pthread_join for mimalloc's test-stress.c in the guest
 * (force-included by that test's build only, Makefile.uk):
 * uksched threads, placed round-robin over every online CPU
 * (tests/test_upstream.c implements them and counts the threads).
 */
#ifndef __UK_MIMALLOC_TEST_PTHREAD_H__
#define __UK_MIMALLOC_TEST_PTHREAD_H__

/*
 * A C library's own pthread_t (newlib's sys/types.h) is declared first and
 * left alone: the tests' pthread_t is ours under another name.
 */
#include <sys/types.h>

struct uk_thread;
typedef struct uk_thread *uk_mimalloc_test_pthread_t;
#define pthread_t uk_mimalloc_test_pthread_t

int uk_mimalloc_test_pthread_create(pthread_t *t, const void *attr,
				    void *(*fn)(void *), void *arg);
int uk_mimalloc_test_pthread_join(pthread_t t, void **ret);

#define pthread_create uk_mimalloc_test_pthread_create
#define pthread_join uk_mimalloc_test_pthread_join

#endif /* __UK_MIMALLOC_TEST_PTHREAD_H__ */
