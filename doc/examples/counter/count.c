/* counter: the counting loop. */
#include "count.h"

void count_add(struct count *c, unsigned long rounds)
{
	unsigned long i;

	for (i = 0; i < rounds; i++) {
		uk_mutex_lock(&c->lock);
		c->value++;
		uk_mutex_unlock(&c->lock);
	}
}
