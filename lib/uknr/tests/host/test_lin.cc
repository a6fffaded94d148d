/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr linearizability: small concurrent runs (threads x operations on two
 * replicas and a tiny log, so GC and helping happen inside the histories)
 * are recorded with invocation and response stamps from one global atomic
 * counter and checked with the Wing & Gong checker of lincheck.h against
 * sequential models of the hash map and the priority queue. The checker
 * itself is shown to reject non-linearizable histories.
 */
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/nr_pqueue.h>
#include "helpers.h"
#include "lincheck.h"
#include "models.h"

static HistOp hop(uint64_t inv, uint64_t res, int kind, uint64_t a,
		  int64_t rstatus, uint64_t rval, uint64_t b = 0)
{
	return HistOp{ inv, res, kind, a, b, rstatus, rval };
}

TEST(NrLincheck, CheckerAcceptsAndRejects)
{
	/* put(1,5) returns before get(1) starts: get must see 5. */
	std::vector<HistOp> stale = {
		hop(1, 2, UK_NR_HM_PUT, 1, 0, 0, 5),
		hop(3, 4, UK_NR_HM_GET, 1, 0, 0),
	};
	EXPECT_FALSE(LinChecker<HmModel>(stale).check());
	/* Overlapping: get may be ordered before the put. */
	std::vector<HistOp> overlap = {
		hop(2, 3, UK_NR_HM_PUT, 1, 0, 0, 5),
		hop(1, 4, UK_NR_HM_GET, 1, 0, 0),
	};
	EXPECT_TRUE(LinChecker<HmModel>(overlap).check());
	/* A read of a value written only later. */
	std::vector<HistOp> future = {
		hop(1, 2, UK_NR_HM_GET, 1, 1, 5),
		hop(3, 4, UK_NR_HM_PUT, 1, 0, 0, 5),
	};
	EXPECT_FALSE(LinChecker<HmModel>(future).check());
	/* Two threads remove the same present key: only one may get it. */
	std::vector<HistOp> twice = {
		hop(1, 2, UK_NR_HM_PUT, 2, 0, 0, 7),
		hop(3, 6, UK_NR_HM_REMOVE, 2, 1, 7),
		hop(4, 5, UK_NR_HM_REMOVE, 2, 1, 7),
	};
	EXPECT_FALSE(LinChecker<HmModel>(twice).check());
	/* Priority queue: pop must return the minimum. */
	std::vector<HistOp> notmin = {
		hop(1, 2, UK_NR_PQ_PUSH, 3, 0, 0),
		hop(3, 4, UK_NR_PQ_PUSH, 1, 0, 0),
		hop(5, 6, UK_NR_PQ_POP, 0, 1, 3),
	};
	EXPECT_FALSE(LinChecker<PqModel>(notmin).check());
	notmin[2].rval = 1;
	EXPECT_TRUE(LinChecker<PqModel>(notmin).check());
}

static std::atomic<uint64_t> stamp;

struct LinRun {
	unsigned int threads, ops, rounds;
};

/* Records one history of `threads` x `ops` random operations. */
template <class Gen>
static std::vector<HistOp> record(struct uk_nr *nr, const LinRun &p, Gen gen,
				  bool hashmap)
{
	std::vector<std::vector<HistOp>> per(p.threads);
	std::vector<struct uk_nr_token> tok(p.threads);

	for (unsigned int t = 0; t < p.threads; t++)
		EXPECT_EQ(uk_nr_register(nr, t % uk_nr_replicas(nr), &tok[t]),
			  0);
	run_threads(p.threads, [&](unsigned int t) {
		Rng rng(stamp.load() * 131 + t);

		for (unsigned int i = 0; i < p.ops; i++) {
			HistOp h = gen(rng);
			bool mut;
			int rc;

			if (hashmap) {
				struct uk_nr_hashmap_op op = {};
				struct uk_nr_hashmap_resp r = {};
				op.code = (uint32_t)h.kind;
				op.key = h.a;
				op.val = h.b;
				mut = h.kind == UK_NR_HM_PUT ||
				      h.kind == UK_NR_HM_REMOVE;
				h.inv = stamp.fetch_add(1);
				rc = mut ? uk_nr_execute_mut(nr, tok[t], &op, &r)
					 : uk_nr_execute(nr, tok[t], &op, &r);
				h.res = stamp.fetch_add(1);
				h.rstatus = r.status;
				h.rval = r.val;
			} else {
				struct uk_nr_pqueue_op op = {};
				struct uk_nr_pqueue_resp r = {};
				op.code = (uint32_t)h.kind;
				op.val = h.a;
				mut = h.kind == UK_NR_PQ_PUSH ||
				      h.kind == UK_NR_PQ_POP;
				h.inv = stamp.fetch_add(1);
				rc = mut ? uk_nr_execute_mut(nr, tok[t], &op, &r)
					 : uk_nr_execute(nr, tok[t], &op, &r);
				h.res = stamp.fetch_add(1);
				h.rstatus = r.status;
				h.rval = r.val;
			}
			EXPECT_EQ(rc, 0);
			per[t].push_back(h);
		}
	});
	std::vector<HistOp> all;
	for (auto &v : per)
		all.insert(all.end(), v.begin(), v.end());
	return all;
}

static const LinRun lin_run = { 4, 6, 300 };

/*
 * At least lin_run.rounds histories, more (up to 10 times as many) until
 * one has overlapping operations: a loaded host may run the threads one
 * after the other for hundreds of histories. Bounded in count.
 */
static void lin_hashmap(unsigned int replicas)
{
	unsigned int overlapping = 0, round;

	for (round = 0; round < lin_run.rounds
	     || (!overlapping && round < 10 * lin_run.rounds); round++) {
		struct uk_nr_config cfg = {};
		struct uk_nr *nr;
		uint64_t cap = 16;

		cfg.replicas = replicas;
		cfg.threads_per_replica = 4;
		cfg.log_entries = 8;
		ASSERT_EQ(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg),
			  0);
		auto h = record(nr, lin_run, [](Rng &rng) {
			static const int kinds[] = { UK_NR_HM_PUT, UK_NR_HM_PUT,
				UK_NR_HM_REMOVE, UK_NR_HM_GET, UK_NR_HM_GET,
				UK_NR_HM_COUNT };
			return hop(0, 0, kinds[rng.below(6)], rng.below(3), 0,
				   0, 1 + rng.below(15));
		}, true);
		LinChecker<HmModel> c(h);
		ASSERT_TRUE(c.check()) << "round " << round;
		overlapping += lin_overlapping(h);
		uk_nr_destroy(nr);
	}
	printf("    %u histories of %u threads x %u ops on %u replica(s), "
	       "%u with overlapping operations: linearizable\n",
	       round, lin_run.threads, lin_run.ops, replicas, overlapping);
	EXPECT_GT(overlapping, 0u);
}

TEST(NrLincheck, HashmapHistoriesAreLinearizable)
{
	lin_hashmap(2);
}

/* One replica: batches are applied without the log. */
TEST(NrLincheck, HashmapHistoriesOneReplica)
{
	lin_hashmap(1);
}

/* More replicas than threads (one idle): helping inside histories. */
TEST(NrLincheck, HashmapHistoriesFiveReplicas)
{
	lin_hashmap(5);
}

TEST(NrLincheck, PqueueHistoriesAreLinearizable)
{
	for (unsigned int round = 0; round < lin_run.rounds; round++) {
		struct uk_nr_config cfg = {};
		struct uk_nr *nr;
		uint64_t cap = 64;

		cfg.replicas = 2;
		cfg.threads_per_replica = 2;
		cfg.log_entries = 4;
		ASSERT_EQ(uk_nr_create(&nr, &uk_nr_pqueue_ops, &cap, &cfg), 0);
		auto h = record(nr, lin_run, [](Rng &rng) {
			static const int kinds[] = { UK_NR_PQ_PUSH,
				UK_NR_PQ_PUSH, UK_NR_PQ_POP, UK_NR_PQ_PEEK,
				UK_NR_PQ_SIZE };
			return hop(0, 0, kinds[rng.below(5)], rng.below(8), 0,
				   0);
		}, false);
		ASSERT_TRUE(LinChecker<PqModel>(h).check()) << "round "
							     << round;
		uk_nr_destroy(nr);
	}
}
