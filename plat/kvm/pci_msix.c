/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSI-X: table and pending-bit array mapped from their BARs, one vector
 * per bound entry on the CPU the driver chose, mask/unmask, and moving an
 * entry to another CPU at run time.
 *
 * Moving an entry (uk_pci_msix_move) without losing an interrupt:
 *   1. mask the entry: from now on the device sets the pending bit
 *      instead of sending;
 *   2. allocate the new vector, write address and data;
 *   3. restore the mask: a pending message goes to the new CPU, once;
 *   4. retire the old vector on the old CPU (remote call, interrupts off
 *      there): if its local APIC already requested it (IRR), the slot is
 *      turned into a one-shot that runs fn and then frees the vector,
 *      else it is freed at once. The caller waits for that.
 * Every table write is followed by a read of the same entry, so the write
 * has reached the device before the next step (PCI writes are posted).
 *
 * Invariants: a bound entry has exactly one live vector, except between
 * steps 2 and 4 of a move (two, both calling fn); ent->cpu/vector change
 * only under the owning driver's serialization (one move/bind/unbind of an
 * entry at a time: the driver's job, stated in uk/bus/pci.h).
 */
#include <errno.h>
#include <string.h>
#include <uk/bus/pci.h>
#include <uk/plat/irq.h>
#include <uk/plat/lcpu.h>
#include <uk/plat/time.h>
#include <uk/print.h>
#include <kvm/apic.h>
#include <kvm/irq.h>
#include <kvm/lcpu.h>

#define MSIX_CTRL		2	/* offsets in the capability */
#define MSIX_TABLE		4
#define MSIX_PBA		8
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_FMASK		0x4000
#define MSIX_CTRL_SIZE		0x07ff
#define ENT_ADDR_LO		0	/* 32-bit words of a table entry */
#define ENT_ADDR_HI		1
#define ENT_DATA		2
#define ENT_CTRL		3
#define ENT_CTRL_MASK		0x1
#define RETIRE_WAIT_NS		(5ULL * 1000000000ULL)

struct msix_ent {
	ukplat_irq_handler_t fn;
	void *arg;
	int cpu;			/* -1: unbound */
	int vector;
	/* The vector being retired after a move or unbind (step 4). */
	unsigned int old_cpu, old_vector;
	volatile int retiring;		/* 1 until the old vector is free */
};

struct pci_msix {
	volatile __u32 *table;		/* 4 words per entry */
	volatile __u32 *pba;		/* one bit per entry */
	unsigned int n;
	struct msix_ent *ent;
};

static struct pci_msix msix_state[CONFIG_KVM_PCI_MAXDEV];
static struct msix_ent ent_pool[CONFIG_KVM_PCI_MSIX_ENTRIES];
static unsigned int ent_pool_used;
/* Protects ent_pool_used (bumped by uk_pci_msix_enable only). */
static volatile int pool_lock;

static struct msix_ent *ent_alloc(unsigned int n)
{
	struct msix_ent *e = NULL;

	/* Acquire/release: pairs with the previous holder's release. */
	while (__atomic_exchange_n(&pool_lock, 1, __ATOMIC_ACQUIRE))
		ukarch_spinwait();
	if (CONFIG_KVM_PCI_MSIX_ENTRIES - ent_pool_used >= n) {
		e = &ent_pool[ent_pool_used];
		ent_pool_used += n;
	}
	__atomic_store_n(&pool_lock, 0, __ATOMIC_RELEASE);
	return e;
}

static volatile __u32 *ent_word(struct pci_msix *m, unsigned int i,
				unsigned int w)
{
	return &m->table[4 * i + w];
}

/* Sets or clears the mask bit, then reads it back (flushes the write). */
static void ent_set_mask(struct pci_msix *m, unsigned int i, int mask)
{
	volatile __u32 *c = ent_word(m, i, ENT_CTRL);
	__u32 v = *c;

	*c = mask ? v | ENT_CTRL_MASK : v & ~ENT_CTRL_MASK;
	(void)*c;
}

static int ent_masked(struct pci_msix *m, unsigned int i)
{
	return *ent_word(m, i, ENT_CTRL) & ENT_CTRL_MASK;
}

static int ent_write_msg(struct pci_msix *m, unsigned int i,
			 unsigned int cpu, unsigned int vector)
{
	__u64 addr;
	__u32 data;
	int rc = ukplat_irq_msi_compose(cpu, vector, &addr, &data);

	if (rc < 0)
		return rc;
	*ent_word(m, i, ENT_ADDR_LO) = (__u32)addr;
	*ent_word(m, i, ENT_ADDR_HI) = addr >> 32;
	*ent_word(m, i, ENT_DATA) = data;
	(void)*ent_word(m, i, ENT_DATA);
	return 0;
}

static struct pci_msix *msix_of(struct pci_device *dev, unsigned int i)
{
	struct pci_msix *m = dev->msix;

	return m && i < m->n ? m : NULL;
}

/* Maps the table or PBA described by the capability word at cap + off. */
static void *msix_map(struct pci_device *dev, int cap, unsigned int off,
		      __u64 len)
{
	__u32 v = uk_pci_conf_read32(dev, cap + off);

	return uk_pci_bar_map(dev, v & 7, v & ~7U, len);
}

int uk_pci_msix_enable(struct pci_device *dev)
{
	int cap = uk_pci_cap_find(dev, PCI_CAP_ID_MSIX, 0);
	struct pci_msix *m;
	unsigned int i, n;
	__u16 ctrl;

	if (cap < 0)
		return -ENODEV;
	if (dev->msix)
		return dev->msix->n;
	m = &msix_state[dev - uk_pci_device_get(0)];
	ctrl = uk_pci_conf_read16(dev, cap + MSIX_CTRL);
	n = (ctrl & MSIX_CTRL_SIZE) + 1;
	m->table = msix_map(dev, cap, MSIX_TABLE, 16ULL * n);
	m->pba = msix_map(dev, cap, MSIX_PBA, 8ULL * DIV_ROUND_UP(n, 64));
	if (!m->table || !m->pba)
		return -ENODEV;
	m->ent = ent_alloc(n);
	if (!m->ent)
		return -ENOMEM;
	m->n = n;
	uk_pci_enable(dev);
	/* Function mask while the entries are masked one by one. */
	uk_pci_conf_write16(dev, cap + MSIX_CTRL,
			    ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_FMASK);
	for (i = 0; i < n; i++) {
		m->ent[i] = (struct msix_ent){ .cpu = -1 };
		ent_set_mask(m, i, 1);
	}
	uk_pci_conf_write16(dev, PCI_COMMAND,
			    uk_pci_conf_read16(dev, PCI_COMMAND)
			    | PCI_COMMAND_INTX_DISABLE);
	uk_pci_conf_write16(dev, cap + MSIX_CTRL,
			    (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_FMASK);
	dev->msix = m;
	return (int)n;
}

int uk_pci_msix_bind(struct pci_device *dev, unsigned int entry,
		     unsigned int cpu, ukplat_irq_handler_t fn, void *arg)
{
	struct pci_msix *m = msix_of(dev, entry);
	struct msix_ent *e;
	int v, rc;

	if (!m || !fn || m->ent[entry].cpu >= 0)
		return -EINVAL;
	e = &m->ent[entry];
	v = ukplat_irq_alloc_vector(cpu, fn, arg);
	if (v < 0)
		return v;
	ent_set_mask(m, entry, 1);
	rc = ent_write_msg(m, entry, cpu, v);
	if (rc < 0) {
		ukplat_irq_free_vector(cpu, v);
		return rc;
	}
	e->fn = fn;
	e->arg = arg;
	e->vector = v;
	e->cpu = (int)cpu;
	return 0;
}

/* The one-shot the old vector becomes when its interrupt was requested. */
static int retire_oneshot(void *arg)
{
	struct msix_ent *e = arg;

	e->fn(e->arg);
	ukplat_irq_free_vector(e->old_cpu, e->old_vector);
	/* Release: pairs with the acquire in retire_wait(). */
	__atomic_store_n(&e->retiring, 0, __ATOMIC_RELEASE);
	return 1;
}

/* Runs on the old CPU (remote call, or directly when it is the caller). */
static void retire_on_old_cpu(void *arg)
{
	struct msix_ent *e = arg;
	struct kvm_irq_slot *s = &kvm_lcpus[e->old_cpu].irq[e->old_vector];
	unsigned long f = ukplat_lcpu_save_irqf();

	/*
	 * Only this CPU dispatches this slot, and not while interrupts are
	 * off here, so rewriting it cannot race with its dispatch; the slot
	 * stays non-NULL, so no allocator takes it meanwhile.
	 */
	if (kvm_lapic_irr_test(e->old_vector)) {
		s->arg = e;
		s->fn = retire_oneshot;
	} else {
		ukplat_irq_free_vector(e->old_cpu, e->old_vector);
		/* Release: pairs with the acquire in retire_wait(). */
		__atomic_store_n(&e->retiring, 0, __ATOMIC_RELEASE);
	}
	ukplat_lcpu_restore_irqf(f);
}

static int retire_wait(struct msix_ent *e)
{
	__nsec end = ukplat_monotonic_clock() + RETIRE_WAIT_NS;

	/* Acquire: pairs with the release stores that end the retirement. */
	while (__atomic_load_n(&e->retiring, __ATOMIC_ACQUIRE)) {
		if (ukplat_monotonic_clock() > end) {
			uk_pr_err("msix: vector %u on CPU %u not retired\n",
				  e->old_vector, e->old_cpu);
			return -ETIMEDOUT;
		}
		ukarch_spinwait();
	}
	return 0;
}

static int retire(struct msix_ent *e, unsigned int cpu, unsigned int vector)
{
	e->old_cpu = cpu;
	e->old_vector = vector;
	e->retiring = 1;
	ukplat_lcpu_call(cpu, retire_on_old_cpu, e, 1);
	return retire_wait(e);
}

int uk_pci_msix_unbind(struct pci_device *dev, unsigned int entry)
{
	struct pci_msix *m = msix_of(dev, entry);
	struct msix_ent *e;

	if (!m || m->ent[entry].cpu < 0)
		return -EINVAL;
	e = &m->ent[entry];
	ent_set_mask(m, entry, 1);
	retire(e, e->cpu, e->vector);
	e->cpu = -1;
	return 0;
}

int uk_pci_msix_move(struct pci_device *dev, unsigned int entry,
		     unsigned int cpu)
{
	struct pci_msix *m = msix_of(dev, entry);
	unsigned int old_cpu, old_vector;
	struct msix_ent *e;
	int v, was_masked;

	if (!m || m->ent[entry].cpu < 0)
		return -EINVAL;
	e = &m->ent[entry];
	v = ukplat_irq_alloc_vector(cpu, e->fn, e->arg);
	if (v < 0)
		return v;
	was_masked = ent_masked(m, entry);
	ent_set_mask(m, entry, 1);
	ent_write_msg(m, entry, cpu, v);
	old_cpu = e->cpu;
	old_vector = e->vector;
	e->cpu = (int)cpu;
	e->vector = v;
	/* A message held pending while masked now goes to the new CPU. */
	if (!was_masked)
		ent_set_mask(m, entry, 0);
	return retire(e, old_cpu, old_vector);
}

int uk_pci_msix_mask(struct pci_device *dev, unsigned int entry)
{
	struct pci_msix *m = msix_of(dev, entry);

	if (!m)
		return -EINVAL;
	ent_set_mask(m, entry, 1);
	return 0;
}

int uk_pci_msix_unmask(struct pci_device *dev, unsigned int entry)
{
	struct pci_msix *m = msix_of(dev, entry);

	if (!m || m->ent[entry].cpu < 0)
		return -EINVAL;
	ent_set_mask(m, entry, 0);
	return 0;
}

int uk_pci_msix_pending(struct pci_device *dev, unsigned int entry)
{
	struct pci_msix *m = msix_of(dev, entry);

	if (!m)
		return -EINVAL;
	return (m->pba[entry / 32] >> (entry % 32)) & 1;
}

int uk_pci_msix_cpu(struct pci_device *dev, unsigned int entry)
{
	struct pci_msix *m = msix_of(dev, entry);

	if (!m || m->ent[entry].cpu < 0)
		return -EINVAL;
	return m->ent[entry].cpu;
}
