/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr sequential model tests: the example structures on their own and
 * through uknr (one thread using tokens of several replicas in turn, so
 * every read also checks that a replica catches up) against std:: reference
 * containers, with random operations.
 */
#include <map>
#include <queue>
#include <unordered_map>
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/nr_pqueue.h>
#include "helpers.h"

TEST(NrModel, HashmapAloneMatchesReference)
{
	struct uk_nr_hashmap *m = uk_nr_hashmap_create(512);
	std::unordered_map<uint64_t, uint64_t> ref;
	Rng rng(1);
	uint64_t old, v;

	ASSERT_NE(m, nullptr);
	for (int i = 0; i < 200000; i++) {
		/* Keys cluster (few bits) so that probe chains collide and
		 * backward-shift deletion is exercised. */
		uint64_t k = rng.below(700) << 20, val = rng.next();
		switch (rng.below(3)) {
		case 0: {
			int rc = uk_nr_hashmap_put(m, k, val, &old);
			auto it = ref.find(k);
			if (it != ref.end()) {
				ASSERT_EQ(rc, 1);
				ASSERT_EQ(old, it->second);
				it->second = val;
			} else if (ref.size() == 512) {
				ASSERT_EQ(rc, -ENOSPC);
			} else {
				ASSERT_EQ(rc, 0);
				ref[k] = val;
			}
			break;
		}
		case 1: {
			int rc = uk_nr_hashmap_remove(m, k, &old);
			auto it = ref.find(k);
			ASSERT_EQ(rc, it != ref.end());
			if (rc) {
				ASSERT_EQ(old, it->second);
				ref.erase(it);
			}
			break;
		}
		default: {
			int rc = uk_nr_hashmap_get(m, k, &v);
			auto it = ref.find(k);
			ASSERT_EQ(rc, it != ref.end());
			if (rc)
				ASSERT_EQ(v, it->second);
		}
		}
		ASSERT_EQ(uk_nr_hashmap_count(m), ref.size());
	}
	/* Every key still there is findable (no entry lost by a shift). */
	for (auto &kv : ref) {
		ASSERT_EQ(uk_nr_hashmap_get(m, kv.first, &v), 1);
		ASSERT_EQ(v, kv.second);
	}
	uk_nr_hashmap_destroy(m);
}

TEST(NrModel, PqueueAloneMatchesReference)
{
	struct uk_nr_pqueue *q = uk_nr_pqueue_create(300);
	std::priority_queue<uint64_t, std::vector<uint64_t>,
			    std::greater<uint64_t>> ref;
	Rng rng(2);
	uint64_t v;

	ASSERT_NE(q, nullptr);
	for (int i = 0; i < 200000; i++) {
		if (rng.below(2)) {
			uint64_t x = rng.below(1000);
			int rc = uk_nr_pqueue_push(q, x);
			if (ref.size() == 300) {
				ASSERT_EQ(rc, -ENOSPC);
			} else {
				ASSERT_EQ(rc, 0);
				ref.push(x);
			}
		} else {
			int rc = uk_nr_pqueue_pop(q, &v);
			ASSERT_EQ(rc, !ref.empty());
			if (rc) {
				ASSERT_EQ(v, ref.top());
				ref.pop();
			}
		}
		ASSERT_EQ(uk_nr_pqueue_size(q), ref.size());
		if (!ref.empty()) {
			ASSERT_EQ(uk_nr_pqueue_peek(q, &v), 1);
			ASSERT_EQ(v, ref.top());
		}
	}
	uk_nr_pqueue_destroy(q);
}

/* One thread, three replicas, a 16-entry log: the two replicas not in use
 * fall behind, are caught up by reads, and are advanced on their behalf
 * when the log fills (wrap-around and GC). */
TEST(NrModel, HashmapThroughNrMatchesReference)
{
	struct uk_nr_config cfg = {};
	struct uk_nr_token tok[3];
	struct uk_nr *nr;
	uint64_t cap = 256;
	std::map<uint64_t, uint64_t> ref;
	Rng rng(3);

	cfg.replicas = 3;
	cfg.threads_per_replica = 2;
	cfg.log_entries = 16;
	ASSERT_EQ(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg), 0);
	for (unsigned int r = 0; r < 3; r++)
		ASSERT_EQ(uk_nr_register(nr, r, &tok[r]), 0);
	for (int i = 0; i < 30000; i++) {
		struct uk_nr_hashmap_op op = {};
		struct uk_nr_hashmap_resp resp;
		struct uk_nr_token t = tok[rng.below(3)];
		uint64_t k = rng.below(300);
		auto it = ref.find(k);

		op.key = k;
		op.val = rng.next();
		switch (rng.below(4)) {
		case 0:
			op.code = UK_NR_HM_PUT;
			ASSERT_EQ(uk_nr_execute_mut(nr, t, &op, &resp), 0);
			if (it != ref.end()) {
				ASSERT_EQ(resp.status, 1);
				ASSERT_EQ(resp.val, it->second);
				it->second = op.val;
			} else if (ref.size() == cap) {
				ASSERT_EQ(resp.status, -ENOSPC);
			} else {
				ASSERT_EQ(resp.status, 0);
				ref[k] = op.val;
			}
			break;
		case 1:
			op.code = UK_NR_HM_REMOVE;
			ASSERT_EQ(uk_nr_execute_mut(nr, t, &op, &resp), 0);
			ASSERT_EQ(resp.status, it != ref.end());
			if (it != ref.end()) {
				ASSERT_EQ(resp.val, it->second);
				ref.erase(it);
			}
			break;
		case 2:
			op.code = UK_NR_HM_COUNT;
			ASSERT_EQ(uk_nr_execute(nr, t, &op, &resp), 0);
			ASSERT_EQ(resp.val, ref.size());
			break;
		default:
			op.code = UK_NR_HM_GET;
			ASSERT_EQ(uk_nr_execute(nr, t, &op, &resp), 0);
			ASSERT_EQ(resp.status, it != ref.end());
			if (it != ref.end())
				ASSERT_EQ(resp.val, it->second);
		}
	}
	struct uk_nr_stats st;
	uk_nr_get_stats(nr, &st);
	EXPECT_GE(st.tail, 10000u);	/* about half the operations mutate */
	EXPECT_GT(st.tail / st.log_entries, 500u) << "log wrapped";
	EXPECT_LE(st.tail - st.head, st.log_entries);
	for (unsigned int r = 0; r < 3; r++) {
		ASSERT_EQ(uk_nr_sync(nr, r), 0);
		EXPECT_EQ(uk_nr_replica_ltail(nr, r), st.tail);
		auto *m = (struct uk_nr_hashmap *)uk_nr_replica_data(nr, r);
		EXPECT_EQ(uk_nr_hashmap_count(m), ref.size());
	}
	uk_nr_destroy(nr);
}

TEST(NrModel, PqueueThroughNrMatchesReference)
{
	struct uk_nr_config cfg = {};
	struct uk_nr_token tok[2];
	struct uk_nr *nr;
	uint64_t cap = 100;
	std::multiset<uint64_t> ref;
	Rng rng(4);

	cfg.replicas = 2;
	cfg.threads_per_replica = 1;
	cfg.log_entries = 2;	/* the smallest log: a batch fits twice */
	ASSERT_EQ(uk_nr_create(&nr, &uk_nr_pqueue_ops, &cap, &cfg), 0);
	ASSERT_EQ(uk_nr_register(nr, 0, &tok[0]), 0);
	ASSERT_EQ(uk_nr_register(nr, 1, &tok[1]), 0);
	for (int i = 0; i < 30000; i++) {
		struct uk_nr_pqueue_op op = {};
		struct uk_nr_pqueue_resp resp;
		struct uk_nr_token t = tok[rng.below(2)];

		switch (rng.below(3)) {
		case 0:
			op.code = UK_NR_PQ_PUSH;
			op.val = rng.below(50);
			ASSERT_EQ(uk_nr_execute_mut(nr, t, &op, &resp), 0);
			if (ref.size() == cap) {
				ASSERT_EQ(resp.status, -ENOSPC);
			} else {
				ASSERT_EQ(resp.status, 0);
				ref.insert(op.val);
			}
			break;
		case 1:
			op.code = UK_NR_PQ_POP;
			ASSERT_EQ(uk_nr_execute_mut(nr, t, &op, &resp), 0);
			ASSERT_EQ(resp.status, !ref.empty());
			if (!ref.empty()) {
				ASSERT_EQ(resp.val, *ref.begin());
				ref.erase(ref.begin());
			}
			break;
		default:
			op.code = UK_NR_PQ_PEEK;
			ASSERT_EQ(uk_nr_execute(nr, t, &op, &resp), 0);
			ASSERT_EQ(resp.status, !ref.empty());
			if (!ref.empty())
				ASSERT_EQ(resp.val, *ref.begin());
		}
	}
	uk_nr_destroy(nr);
}
