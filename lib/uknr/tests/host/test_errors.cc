/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr bad input: invalid operation tables and configurations are refused
 * with -EINVAL before anything is allocated; every failed allocation (and a
 * failing constructor) during creation gives -ENOMEM with everything freed
 * again; registration limits and bad tokens.
 */
#include <cstring>
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include "helpers.h"

/* Allocator that counts live blocks and fails the n-th call. */
struct CountingAlloc {
	long live = 0, calls = 0, fail_at = -1;
	long ds_live = 0;
};

static void *c_alloc(size_t align, size_t size, int, void *arg)
{
	auto *a = (CountingAlloc *)arg;

	if (a->calls++ == a->fail_at)
		return nullptr;
	void *p = aligned_alloc(align, (size + align - 1) & ~(align - 1));
	if (p)
		a->live++;
	return p;
}

static void c_free(void *p, void *arg)
{
	((CountingAlloc *)arg)->live--;
	free(p);
}

/* A trivial structure (a counter) whose constructor uses the same
 * counting allocator and fails at the same injected call. */
static void *ctr_create(unsigned int replica, void *arg)
{
	void *p = c_alloc(64, 64, (int)replica, arg);

	if (p)
		memset(p, 0, 64);
	return p;
}

static void ctr_destroy(void *ds, unsigned int, void *arg)
{
	c_free(ds, arg);
}

static void ctr_mut(void *ds, const void *op, void *resp)
{
	*(uint64_t *)ds += *(const uint64_t *)op;
	*(uint64_t *)resp = *(uint64_t *)ds;
}

static void ctr_read(const void *ds, const void *, void *resp)
{
	*(uint64_t *)resp = *(const uint64_t *)ds;
}

static const struct uk_nr_ops ctr_ops = {
	.op_size = sizeof(uint64_t),
	.resp_size = sizeof(uint64_t),
	.create = ctr_create,
	.destroy = ctr_destroy,
	.dispatch_mut = ctr_mut,
	.dispatch = ctr_read,
};

TEST(NrErrors, BadConfigurationIsRefused)
{
	struct uk_nr_config cfg = {};
	struct uk_nr *nr = nullptr;
	struct uk_nr_ops ops = ctr_ops;
	CountingAlloc a;

	cfg.alloc = c_alloc;
	cfg.free = c_free;
	cfg.alloc_arg = &a;
	EXPECT_EQ(uk_nr_create(nullptr, &ctr_ops, &a, &cfg), -EINVAL);
	EXPECT_EQ(uk_nr_create(&nr, nullptr, &a, &cfg), -EINVAL);
	ops.op_size = 0;
	EXPECT_EQ(uk_nr_create(&nr, &ops, &a, &cfg), -EINVAL);
	ops.op_size = UK_NR_MAX_OP_SIZE + 1;
	EXPECT_EQ(uk_nr_create(&nr, &ops, &a, &cfg), -EINVAL);
	ops = ctr_ops;
	ops.dispatch = nullptr;
	EXPECT_EQ(uk_nr_create(&nr, &ops, &a, &cfg), -EINVAL);
	cfg.log_entries = 48;	/* not a power of two */
	EXPECT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), -EINVAL);
	cfg.log_entries = 8;	/* less than 2 x 8 threads */
	cfg.threads_per_replica = 8;
	EXPECT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), -EINVAL);
	cfg.log_entries = 0;
	cfg.threads_per_replica = UK_NR_MAX_THREADS + 1;
	EXPECT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), -EINVAL);
	cfg.threads_per_replica = 0;
	cfg.replicas = UK_NR_MAX_REPLICAS + 1;
	EXPECT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), -EINVAL);
	cfg.replicas = 0;
	cfg.free = nullptr;	/* alloc without free */
	EXPECT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), -EINVAL);
	EXPECT_EQ(nr, nullptr);
	EXPECT_EQ(a.live, 0);
}

/* Fail each allocation of a creation in turn (library's and the
 * constructors'): -ENOMEM, nothing leaks; then the full creation works. */
TEST(NrErrors, EveryFailedAllocationIsCleanedUp)
{
	struct uk_nr_config cfg = {};
	CountingAlloc probe;
	struct uk_nr *nr = nullptr;

	cfg.replicas = 3;
	cfg.threads_per_replica = 2;
	cfg.log_entries = 8;
	cfg.alloc = c_alloc;
	cfg.free = c_free;
	cfg.alloc_arg = &probe;
	ASSERT_EQ(uk_nr_create(&nr, &ctr_ops, &probe, &cfg), 0);
	long needed = probe.calls;
	uk_nr_destroy(nr);
	EXPECT_EQ(probe.live, 0);
	EXPECT_GT(needed, 10);
	for (long k = 0; k < needed; k++) {
		CountingAlloc a;
		a.fail_at = k;
		cfg.alloc_arg = &a;
		nr = nullptr;
		EXPECT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), -ENOMEM)
			<< "allocation " << k;
		EXPECT_EQ(nr, nullptr);
		EXPECT_EQ(a.live, 0) << "leak after failing allocation " << k;
	}
}

TEST(NrErrors, RegistrationLimitsAndBadTokens)
{
	struct uk_nr_config cfg = {};
	struct uk_nr *nr;
	struct uk_nr_token t[3], bad;
	uint64_t one = 1, resp = 0;
	CountingAlloc a;

	cfg.replicas = 2;
	cfg.threads_per_replica = 2;
	cfg.alloc = c_alloc;
	cfg.free = c_free;
	cfg.alloc_arg = &a;
	ASSERT_EQ(uk_nr_create(&nr, &ctr_ops, &a, &cfg), 0);
	EXPECT_EQ(uk_nr_register(nr, 2, &t[0]), -EINVAL);
	EXPECT_EQ(uk_nr_register(nr, 0, &t[0]), 0);
	EXPECT_EQ(uk_nr_register(nr, 0, &t[1]), 0);
	EXPECT_EQ(uk_nr_register(nr, 0, &t[2]), -ENOSPC);
	EXPECT_EQ(t[0].slot, 0u);
	EXPECT_EQ(t[1].slot, 1u);
	bad = t[0];
	bad.replica = 5;
	EXPECT_EQ(uk_nr_execute_mut(nr, bad, &one, &resp), -EINVAL);
	bad.replica = 1;	/* no thread registered there yet */
	EXPECT_EQ(uk_nr_execute(nr, bad, &one, &resp), -EINVAL);
	EXPECT_EQ(uk_nr_execute_mut(nr, t[0], nullptr, &resp), -EINVAL);
	EXPECT_EQ(uk_nr_execute_mut(nr, t[1], &one, &resp), 0);
	EXPECT_EQ(resp, 1u);
	EXPECT_EQ(uk_nr_execute(nr, t[0], &one, &resp), 0);
	EXPECT_EQ(resp, 1u);
	EXPECT_EQ(uk_nr_replica_data(nr, 2), nullptr);
	uk_nr_destroy(nr);
	EXPECT_EQ(a.live, 0);
	uk_nr_destroy(nullptr);
}

TEST(NrErrors, DefaultsAndPlacement)
{
	struct uk_nr *nr;
	uint64_t cap = 8;
	struct uk_nr_stats st;

	ASSERT_EQ(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, nullptr), 0);
	EXPECT_EQ(uk_nr_replicas(nr), uk_nr_default_replicas());
	EXPECT_GE(uk_nr_replicas(nr), 1u);
	uk_nr_get_stats(nr, &st);
	EXPECT_EQ(st.log_entries, (uint64_t)UK_NR_DEFAULT_LOG);
	for (unsigned int c = 0; c < 8; c++)
		EXPECT_LT(uk_nr_replica_of_cpu(c, 3), 3u);
	uk_nr_destroy(nr);
}

/* Operations bigger than one cache line: entries span several lines and
 * every byte reaches every replica (a tag at the end of the operation must
 * match its head), through a 4-entry log that wraps many times. */
struct BigOp {
	uint64_t add;
	unsigned char fill[180];
	uint64_t tag;
};

struct BigDs {
	uint64_t sum, torn;
};

static void *big_create(unsigned int, void *)
{
	return calloc(1, sizeof(BigDs));
}

static void big_destroy(void *ds, unsigned int, void *)
{
	free(ds);
}

static void big_mut(void *ds, const void *opv, void *resp)
{
	const BigOp *op = (const BigOp *)opv;
	BigDs *d = (BigDs *)ds;

	d->torn += op->tag != (op->add ^ 0x5555) ||
		   op->fill[179] != (unsigned char)op->add;
	d->sum += op->add;
	*(uint64_t *)resp = d->sum;
}

static void big_read(const void *ds, const void *, void *resp)
{
	*(uint64_t *)resp = ((const BigDs *)ds)->sum;
}

TEST(NrModel, LargeOperationsSpanSeveralLines)
{
	static const struct uk_nr_ops ops = {
		.op_size = sizeof(BigOp),
		.resp_size = sizeof(uint64_t),
		.create = big_create,
		.destroy = big_destroy,
		.dispatch_mut = big_mut,
		.dispatch = big_read,
	};
	struct uk_nr_config cfg = {};
	struct uk_nr_token t[2];
	struct uk_nr *nr;
	uint64_t sum = 0, resp;

	cfg.replicas = 2;
	cfg.threads_per_replica = 2;
	cfg.log_entries = 4;
	ASSERT_EQ(uk_nr_create(&nr, &ops, nullptr, &cfg), 0);
	ASSERT_EQ(uk_nr_register(nr, 0, &t[0]), 0);
	ASSERT_EQ(uk_nr_register(nr, 1, &t[1]), 0);
	for (uint64_t i = 1; i <= 2000; i++) {
		BigOp op;
		memset(&op, 0, sizeof(op));
		op.add = i;
		op.fill[179] = (unsigned char)i;
		op.tag = i ^ 0x5555;
		sum += i;
		ASSERT_EQ(uk_nr_execute_mut(nr, t[i % 2], &op, &resp), 0);
		ASSERT_EQ(resp, sum);
	}
	for (unsigned int r = 0; r < 2; r++) {
		ASSERT_EQ(uk_nr_sync(nr, r), 0);
		BigDs *d = (BigDs *)uk_nr_replica_data(nr, r);
		EXPECT_EQ(d->sum, sum);
		EXPECT_EQ(d->torn, 0u);
	}
	uk_nr_destroy(nr);
}
