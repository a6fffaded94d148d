/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr deterministic allocation (uk/nr_dalloc.h): a linked-list set whose
 * inserts allocate two blocks through the deterministic allocator, run
 * through NR and CNR while the underlying allocator fails at injected
 * points. Checks: the first replica allocates for all; a failure hits every
 * replica the same way (same contents, same failure count and positions);
 * failures answered = failures recorded by each replica; inserts minus
 * removes = size; no block left after destroy.
 */
#include <cstring>
#include <uk/cnr.h>
#include <uk/nr.h>
#include <uk/nr_dalloc.h>
#include "helpers.h"

/* The underlying allocator: counts calls and live blocks; fails call
 * number fail_at, or a pseudo-random pct % of calls. */
static std::atomic<long> a_live, a_calls, a_fail_at;
static std::atomic<unsigned int> a_pct;

static void a_reset()
{
	a_live = 0;
	a_calls = 0;
	a_fail_at = -1;
	a_pct = 0;
}

static void *a_alloc(size_t align, size_t size, int, void *)
{
	long n = a_calls.fetch_add(1);

	if (n == a_fail_at.load())
		return nullptr;
	if (a_pct.load() && Rng((uint64_t)n).below(100) < a_pct.load())
		return nullptr;
	void *p = aligned_alloc(align, (size + align - 1) & ~(align - 1));
	if (p)
		a_live++;
	return p;
}

static void a_free(void *p, void *)
{
	a_live--;
	free(p);
}

/* --- the structure: a sorted list of keys, two blocks per element ------ */

struct lnode {
	struct lnode *next;
	uint64_t key;
	uint64_t *payload;
};

struct lset {
	struct uk_nr_dalloc *d;
	unsigned int replica;
	struct lnode *head;
	uint64_t count;
	uint64_t failures;
	uint64_t fail_digest;	/* which keys' inserts failed, in order */
};

enum { LS_INSERT = 1, LS_REMOVE, LS_COUNT };

struct ls_op {
	uint64_t code, key;
};

static void *ls_new(struct uk_nr_dalloc *d, unsigned int replica)
{
	auto *s = (struct lset *)calloc(1, sizeof(struct lset));

	s->d = d;
	s->replica = replica;
	return s;
}

static void ls_destroy(void *ds)
{
	auto *s = (struct lset *)ds;

	while (s->head) {
		struct lnode *n = s->head;
		s->head = n->next;
		uk_nr_dalloc_free(s->d, n->payload);
		uk_nr_dalloc_free(s->d, n);
	}
	free(s);
}

static int ls_insert(struct lset *s, uint64_t key)
{
	struct lnode **pp = &s->head, *n;
	void *payload;

	while (*pp && (*pp)->key < key)
		pp = &(*pp)->next;
	if (*pp && (*pp)->key == key)
		return 1;
	n = (struct lnode *)uk_nr_dalloc_alloc(s->d, s->replica, sizeof(*n));
	payload = uk_nr_dalloc_alloc(s->d, s->replica, 24);
	if (!n || !payload) {
		/* Each replica frees what it got: the same on all. */
		uk_nr_dalloc_free(s->d, n);
		uk_nr_dalloc_free(s->d, payload);
		s->failures++;
		s->fail_digest = s->fail_digest * 31 + key + 1;
		return -ENOMEM;
	}
	n->key = key;
	n->payload = (uint64_t *)payload;
	n->payload[0] = key;
	n->next = *pp;
	*pp = n;
	s->count++;
	return 0;
}

static int ls_remove(struct lset *s, uint64_t key)
{
	struct lnode **pp = &s->head, *n;

	while (*pp && (*pp)->key < key)
		pp = &(*pp)->next;
	if (!*pp || (*pp)->key != key)
		return 0;
	n = *pp;
	*pp = n->next;
	uk_nr_dalloc_free(s->d, n->payload);
	uk_nr_dalloc_free(s->d, n);
	s->count--;
	return 1;
}

static void ls_mut(void *ds, const void *opv, void *resp)
{
	auto *op = (const struct ls_op *)opv;
	auto *s = (struct lset *)ds;

	*(int64_t *)resp = op->code == LS_INSERT ? ls_insert(s, op->key)
						 : ls_remove(s, op->key);
}

static void ls_read(const void *ds, const void *, void *resp)
{
	*(int64_t *)resp = (int64_t)((const struct lset *)ds)->count;
}

static std::vector<uint64_t> ls_keys(const struct lset *s)
{
	std::vector<uint64_t> v;

	for (struct lnode *n = s->head; n; n = n->next) {
		EXPECT_EQ(n->payload[0], n->key);
		v.push_back(n->key);
	}
	return v;
}

/* NR: ds_arg is the allocator. */
static void *ls_nr_create(unsigned int replica, void *arg)
{
	return ls_new((struct uk_nr_dalloc *)arg, replica);
}

static void ls_nr_destroy(void *ds, unsigned int, void *)
{
	ls_destroy(ds);
}

static const struct uk_nr_ops ls_nr_ops = {
	.op_size = sizeof(struct ls_op),
	.resp_size = sizeof(int64_t),
	.create = ls_nr_create,
	.destroy = ls_nr_destroy,
	.dispatch_mut = ls_mut,
	.dispatch = ls_read,
};

/* CNR: ds_arg is the array of the logs' allocators. */
static unsigned int ls_log_of(const void *opv, unsigned int nlogs)
{
	return (unsigned int)(((const struct ls_op *)opv)->key % nlogs);
}

static void *ls_cnr_create(unsigned int replica, unsigned int log, void *arg)
{
	return ls_new(((struct uk_nr_dalloc **)arg)[log], replica);
}

static void ls_cnr_destroy(void *ds, unsigned int, unsigned int, void *)
{
	ls_destroy(ds);
}

static const struct uk_cnr_ops ls_cnr_ops = {
	.op_size = sizeof(struct ls_op),
	.resp_size = sizeof(int64_t),
	.log_of = ls_log_of,
	.log_by_key = 0,
	.key_offset = 0,
	.create = ls_cnr_create,
	.destroy = ls_cnr_destroy,
	.dispatch_mut = ls_mut,
	.dispatch = ls_read,
	.scan = nullptr,
	.scan_logs = nullptr,
};

static int64_t nr_ls(struct uk_nr *nr, struct uk_nr_token t, uint64_t code,
		     uint64_t key)
{
	struct ls_op op = { code, key };
	int64_t r = 0;

	EXPECT_EQ(uk_nr_execute_mut(nr, t, &op, &r), 0);
	return r;
}

/*
 * One thread on replica 0 of 3, a log that never fills: an insert makes
 * the 2 allocations for every replica at once (6 calls); the lagging
 * replicas take theirs without new calls. One injected failure among the
 * 6 makes the insert fail on all 3, with nothing left allocated. Blocks
 * that a replica never picked up are freed by uk_nr_dalloc_destroy().
 */
TEST(NrDalloc, FirstReplicaAllocatesForAllAndFailsForAll)
{
	struct uk_nr_config cfg = {};
	struct uk_nr_dalloc *d;
	struct uk_nr *nr;
	struct uk_nr_token t;

	a_reset();
	ASSERT_EQ(uk_nr_dalloc_create(&d, 3, 64, 2, a_alloc, a_free,
				      nullptr), 0);
	cfg.replicas = 3;
	cfg.threads_per_replica = 1;
	cfg.log_entries = 64;
	cfg.dalloc = d;
	ASSERT_EQ(uk_nr_create(&nr, &ls_nr_ops, d, &cfg), 0);
	ASSERT_EQ(uk_nr_register(nr, 0, &t), 0);
	EXPECT_EQ(nr_ls(nr, t, LS_INSERT, 5), 0);
	EXPECT_EQ(a_calls.load(), 6);
	EXPECT_EQ(a_live.load(), 6);
	ASSERT_EQ(uk_nr_sync(nr, 1), 0);
	ASSERT_EQ(uk_nr_sync(nr, 2), 0);
	EXPECT_EQ(a_calls.load(), 6);
	/* The 5th call of the next insert (replica 2's node) fails. */
	a_fail_at = a_calls.load() + 4;
	EXPECT_EQ(nr_ls(nr, t, LS_INSERT, 7), -ENOMEM);
	/* The three nodes were had, the payloads not: replica 0 freed its
	 * node, the other two nodes wait for their replicas. */
	EXPECT_EQ(a_live.load(), 8);
	/* Replica 1 catches up and fails too, without calling the
	 * allocator (which would succeed now), and frees its node. */
	long calls = a_calls.load();
	ASSERT_EQ(uk_nr_sync(nr, 1), 0);
	EXPECT_EQ(a_calls.load(), calls);
	EXPECT_EQ(a_live.load(), 7);
	for (unsigned int r = 0; r < 2; r++) {
		auto *s = (struct lset *)uk_nr_replica_data(nr, r);
		EXPECT_EQ(s->failures, 1u) << "replica " << r;
		EXPECT_EQ(ls_keys(s), std::vector<uint64_t>{ 5 });
	}
	/* An insert that replica 2 never applies: its blocks wait. */
	EXPECT_EQ(nr_ls(nr, t, LS_INSERT, 9), 0);
	EXPECT_EQ(a_live.load(), 13);
	uk_nr_destroy(nr);
	/* Left in the table: replica 1's blocks for key 9, replica 2's
	 * node for key 7 and blocks for key 9. */
	EXPECT_EQ(a_live.load(), 5);
	uk_nr_dalloc_destroy(d);
	EXPECT_EQ(a_live.load(), 0);
}

TEST(NrDalloc, BadConfigurationIsRefused)
{
	struct uk_nr_config cfg = {};
	struct uk_nr_dalloc *d;
	struct uk_nr *nr;

	EXPECT_EQ(uk_nr_dalloc_create(&d, 0, 64, 1, nullptr, nullptr,
				      nullptr), -EINVAL);
	EXPECT_EQ(uk_nr_dalloc_create(&d, 2, 48, 1, nullptr, nullptr,
				      nullptr), -EINVAL);
	ASSERT_EQ(uk_nr_dalloc_create(&d, 2, 64, 1, nullptr, nullptr,
				      nullptr), 0);
	cfg.replicas = 3;
	cfg.log_entries = 64;
	cfg.dalloc = d;
	EXPECT_EQ(uk_nr_create(&nr, &ls_nr_ops, d, &cfg), -EINVAL);
	cfg.replicas = 2;
	cfg.log_entries = 128;
	EXPECT_EQ(uk_nr_create(&nr, &ls_nr_ops, d, &cfg), -EINVAL);
	uk_nr_dalloc_destroy(d);
}

/* After a run: every replica (parts[r][k], k over logs) has the same keys
 * and the same failures, and the failures equal those answered. */
static void expect_same(const std::vector<std::vector<struct lset *>> &parts,
			uint64_t answered_failures, int64_t net)
{
	for (size_t r = 0; r < parts.size(); r++) {
		uint64_t f = 0, n = 0;
		for (size_t k = 0; k < parts[r].size(); k++) {
			EXPECT_EQ(ls_keys(parts[r][k]), ls_keys(parts[0][k]))
				<< "replica " << r << " log " << k;
			EXPECT_EQ(parts[r][k]->fail_digest,
				  parts[0][k]->fail_digest);
			f += parts[r][k]->failures;
			n += parts[r][k]->count;
		}
		EXPECT_EQ(f, answered_failures) << "replica " << r;
		EXPECT_EQ((int64_t)n, net) << "replica " << r;
	}
}

/* T threads insert and remove random keys; pct % of the underlying
 * allocator's calls fail. fn(t, code, key) runs one operation. */
template <class Op>
static void random_run(unsigned int T, unsigned int n, Op fn,
		       std::atomic<uint64_t> &fails, std::atomic<long> &net)
{
	run_threads(T, [&](unsigned int t) {
		Rng rng(t + 99);
		long mine = 0;
		uint64_t f = 0;

		for (unsigned int i = 0; i < n; i++) {
			uint64_t key = rng.below(64);
			if (rng.below(3)) {
				int64_t r = fn(t, LS_INSERT, key);
				mine += r == 0;
				f += r == -ENOMEM;
			} else {
				mine -= fn(t, LS_REMOVE, key) == 1;
			}
		}
		fails += f;
		net += mine;
	});
}

TEST(NrDalloc, RandomFailuresSameOnEveryReplica)
{
	const unsigned int R = 3, T = 4, N = 3000;
	struct uk_nr_config cfg = {};
	struct uk_nr_dalloc *d;
	struct uk_nr *nr;
	std::vector<struct uk_nr_token> tok(T);
	std::atomic<uint64_t> fails{0};
	std::atomic<long> net{0};

	a_reset();
	a_pct = 10;
	ASSERT_EQ(uk_nr_dalloc_create(&d, R, 16, 2, a_alloc, a_free,
				      nullptr), 0);
	cfg.replicas = R;
	cfg.threads_per_replica = T;
	cfg.log_entries = 16;
	cfg.dalloc = d;
	ASSERT_EQ(uk_nr_create(&nr, &ls_nr_ops, d, &cfg), 0);
	for (unsigned int t = 0; t < T; t++)
		ASSERT_EQ(uk_nr_register(nr, t % R, &tok[t]), 0);
	random_run(T, N, [&](unsigned int t, uint64_t c, uint64_t k) {
		return nr_ls(nr, tok[t], c, k);
	}, fails, net);
	std::vector<std::vector<struct lset *>> parts(R);
	for (unsigned int r = 0; r < R; r++) {
		ASSERT_EQ(uk_nr_sync(nr, r), 0);
		parts[r].push_back((struct lset *)uk_nr_replica_data(nr, r));
	}
	EXPECT_GT(fails.load(), 0u);
	expect_same(parts, fails.load(), net.load());
	printf("    NR, %u replicas, %u threads x %u ops, 10 %% of "
	       "allocator calls fail: %llu inserts failed on every replica, "
	       "final size %ld\n", R, T, N,
	       (unsigned long long)fails.load(), net.load());
	uk_nr_destroy(nr);
	uk_nr_dalloc_destroy(d);
	EXPECT_EQ(a_live.load(), 0);
}

TEST(CnrDalloc, RandomFailuresSameOnEveryReplica)
{
	const unsigned int R = 2, L = 2, T = 4, N = 3000;
	struct uk_cnr_config cfg = {};
	struct uk_nr_dalloc *d[L];
	struct uk_cnr *c;
	std::vector<struct uk_cnr_token> tok(T);
	std::atomic<uint64_t> fails{0};
	std::atomic<long> net{0};

	a_reset();
	a_pct = 10;
	for (unsigned int k = 0; k < L; k++) {
		ASSERT_EQ(uk_nr_dalloc_create(&d[k], R, 16, 2, a_alloc, a_free,
					      nullptr), 0);
		cfg.dalloc[k] = d[k];
	}
	cfg.nr.replicas = R;
	cfg.nr.threads_per_replica = T;
	cfg.nr.log_entries = 16;
	cfg.logs = L;
	ASSERT_EQ(uk_cnr_create(&c, &ls_cnr_ops, d, &cfg), 0);
	for (unsigned int t = 0; t < T; t++)
		ASSERT_EQ(uk_cnr_register(c, t % R, &tok[t]), 0);
	random_run(T, N, [&](unsigned int t, uint64_t code, uint64_t k) {
		struct ls_op op = { code, k };
		int64_t r = 0;
		EXPECT_EQ(uk_cnr_execute_mut(c, tok[t], &op, &r), 0);
		return r;
	}, fails, net);
	std::vector<std::vector<struct lset *>> parts(R);
	for (unsigned int r = 0; r < R; r++) {
		ASSERT_EQ(uk_cnr_sync(c, r), 0);
		for (unsigned int k = 0; k < L; k++)
			parts[r].push_back(
				(struct lset *)uk_cnr_partition(c, r, k));
	}
	EXPECT_GT(fails.load(), 0u);
	expect_same(parts, fails.load(), net.load());
	printf("    CNR, %u replicas, %u logs, %u threads x %u ops, 10 %% of "
	       "allocator calls fail: %llu inserts failed on every replica, "
	       "final size %ld\n", R, L, T, N,
	       (unsigned long long)fails.load(), net.load());
	uk_cnr_destroy(c);
	for (unsigned int k = 0; k < L; k++)
		uk_nr_dalloc_destroy(d[k]);
	EXPECT_EQ(a_live.load(), 0);
}
