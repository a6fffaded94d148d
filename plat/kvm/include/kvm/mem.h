/* SPDX-License-Identifier: BSD-3-Clause */
/* plat/kvm internals: memory for platform structures (memregion.c). */
#ifndef __KVM_MEM_H__
#define __KVM_MEM_H__

#include <uk/essentials.h>

/*
 * Memory for platform structures, taken from the free regions at boot.
 * Never NULL: when memory is short the guest says how much it needs and
 * exits with UKPLAT_EXIT_BADBOOT.
 */
void *kvm_mem_reserve(__u64 len, __u64 align);
/*
 * Exits the same way unless the largest free region has need bytes; what
 * names them in the message ("the per-CPU structures of 4 CPUs").
 */
void kvm_mem_reserve_check(__u64 need, const char *what);
/* Whether the largest free region has need bytes (no message, no exit). */
int kvm_mem_fits(__u64 need);

#endif /* __KVM_MEM_H__ */
