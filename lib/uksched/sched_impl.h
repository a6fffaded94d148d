/* uksched internals shared by its files. */
#ifndef __UKSCHED_IMPL_H__
#define __UKSCHED_IMPL_H__

#include <uk/thread.h>

struct uk_thread *uk_sched_thread_alloc(const char *name, void (*fn)(void *),
					void *arg);
struct uk_thread *uk_sched_boot_thread(const char *name, unsigned int cpu);
void uk_sched_thread_free(struct uk_thread *t);
void uk_sched_enqueue(unsigned int cpu, struct uk_thread *t);
void uk_sched_finish_switch(void);
void uk_sched_exit_current(void) __noreturn;
void uk_sched_set_blocked(void);
void uk_sched_set_blocked_until(__nsec deadline);
void uk_sched_set_running(void);
void uk_sched_tls_switch(struct uk_thread *t);
void uk_sched_check_stack(struct uk_thread *t);
unsigned int uk_sched_rq_len(unsigned int cpu);
void *uk_sched_thread_trampoline_addr(void);
void uk_sched_check_terminate(void);

#endif /* __UKSCHED_IMPL_H__ */
