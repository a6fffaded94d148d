/* SPDX-License-Identifier: BSD-3-Clause */
/* Interrupt dispatch, handler registration, per-CPU vector allocation and MSI targeting. */
#include <errno.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <kvm/boot.h>
#include <kvm/acpi.h>
#include <kvm/apic.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>

#define NVECTORS 256

struct kvm_regs;

/* Vectors with the same handler on every CPU (timer, IPIs). */
static struct kvm_irq_slot global_irq[NVECTORS];
/* Protects the vector tables' free/used state against concurrent alloc. */
static volatile int vector_lock;

static void vector_lock_take(unsigned long *flags)
{
	*flags = ukplat_lcpu_save_irqf();
	/* Acquire: table updates of the last holder are visible. */
	while (__atomic_exchange_n(&vector_lock, 1, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
}

static void vector_lock_give(unsigned long flags)
{
	/* Release: our table updates precede the unlock. */
	__atomic_store_n(&vector_lock, 0, __ATOMIC_RELEASE);
	ukplat_lcpu_restore_irqf(flags);
}

/* Called by every CPU before it enables interrupts. */
void kvm_irq_init_cpu(struct kvm_lcpu *l)
{
	unsigned int v;

	for (v = 0; v < NVECTORS; v++)
		if (global_irq[v].fn)
			l->irq[v] = global_irq[v];
}

void kvm_irq_set_global(unsigned int vector, int (*fn)(void *), void *arg)
{
	unsigned int i;

	global_irq[vector] = (struct kvm_irq_slot){ fn, arg };
	for (i = 0; i < kvm_cpus.ncpus; i++)
		if (kvm_lcpus[i].irq)
			kvm_lcpus[i].irq[vector] = global_irq[vector];
}

void kvm_irq_dispatch(struct kvm_regs *regs);

void kvm_irq_dispatch(struct kvm_regs *regs)
{
	unsigned int vector = ((__u64 *)regs)[15];	/* after 15 registers */
	struct kvm_lcpu *l = kvm_lcpu_this();
	struct kvm_irq_slot *s;

	if (vector == KVM_VEC_SPURIOUS)
		return;		/* no EOI for the spurious vector */
	/* RIP follows the vector and the error code (intr_stubs.S). */
	l->irq_rip = ((__u64 *)regs)[17];
	s = &l->irq[vector];
	if (s->fn)
		s->fn(s->arg);
	else
		uk_pr_warn("CPU %u: interrupt on vector %u with no handler\n",
			   l->idx, vector);
	kvm_lapic_eoi();
}

int ukplat_irq_register(unsigned long irq, ukplat_irq_handler_t fn,
			void *arg)
{
	struct kvm_irq_slot *s;
	unsigned long flags;
	unsigned int v;

	if (irq >= 16 || !fn)
		return -EINVAL;
	if (!kvm_cpus.ioapic_base)
		return -ENODEV;
	v = KVM_VEC_ISA_BASE + irq;
	s = &kvm_lcpus[0].irq[v];
	vector_lock_take(&flags);
	if (s->fn) {
		vector_lock_give(flags);
		return -EBUSY;
	}
	*s = (struct kvm_irq_slot){ fn, arg };
	vector_lock_give(flags);
	kvm_ioapic_route(kvm_cpus.isa_gsi[irq], v, kvm_lcpus[0].apic_id);
	return 0;
}

int ukplat_irq_unregister(unsigned long irq)
{
	unsigned long flags;

	if (irq >= 16)
		return -EINVAL;
	kvm_ioapic_mask(kvm_cpus.isa_gsi[irq]);
	vector_lock_take(&flags);
	kvm_lcpus[0].irq[KVM_VEC_ISA_BASE + irq] = (struct kvm_irq_slot){ 0 };
	vector_lock_give(flags);
	return 0;
}

int ukplat_irq_alloc_vector(unsigned int cpu, ukplat_irq_handler_t fn,
			    void *arg)
{
	struct kvm_irq_slot *t;
	unsigned long flags;
	unsigned int v;

	if (cpu >= ukplat_lcpu_count() || !fn)
		return -EINVAL;
	t = kvm_lcpus[cpu].irq;
	vector_lock_take(&flags);
	for (v = KVM_VEC_ALLOC_FIRST; v <= KVM_VEC_ALLOC_LAST; v++) {
		if (!t[v].fn) {
			t[v] = (struct kvm_irq_slot){ fn, arg };
			vector_lock_give(flags);
			return (int)v;
		}
	}
	vector_lock_give(flags);
	return -ENOSPC;
}

int ukplat_irq_free_vector(unsigned int cpu, unsigned int vector)
{
	unsigned long flags;

	if (cpu >= ukplat_lcpu_count()
	    || vector < KVM_VEC_ALLOC_FIRST || vector > KVM_VEC_ALLOC_LAST)
		return -EINVAL;
	vector_lock_take(&flags);
	kvm_lcpus[cpu].irq[vector] = (struct kvm_irq_slot){ 0 };
	vector_lock_give(flags);
	return 0;
}

int ukplat_irq_msi_compose(unsigned int cpu, unsigned int vector,
			   __u64 *addr, __u32 *data)
{
	if (cpu >= ukplat_lcpu_count() || vector < 32 || vector > 0xfe)
		return -EINVAL;
	/* Physical destination mode, fixed delivery, edge triggered. */
	*addr = 0xfee00000ULL | ((__u64)kvm_lcpus[cpu].apic_id << 12);
	*data = vector;
	return 0;
}
