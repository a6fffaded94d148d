/* counter: what the threads do, apart from main() so tests can call it. */
#ifndef COUNT_H
#define COUNT_H

#include <uk/mutex.h>

struct count {
	struct uk_mutex lock;
	unsigned long value;	/* under lock */
};

/* Adds 1 to c->value `rounds` times, taking c->lock each time. */
void count_add(struct count *c, unsigned long rounds);

#endif
