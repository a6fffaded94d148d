/* uklock benchmark: spinlock.c with UK_SPIN_SKIP_PAUSES = (1u << 27) (noskip). */
#define UK_SPIN_SKIP_PAUSES (1u << 27)
#define _uk_spin_lock_contended _uk_spin_lock_contended_noskip
#define uk_spin_held_count uk_spin_held_count_noskip
#include "../spinlock.c"
