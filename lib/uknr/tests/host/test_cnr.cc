/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr CNR (several logs) on the host: the partitioned hash map against a
 * reference, CNR with one log against NR operation by operation, recorded
 * histories with per-key operations and scans checked for linearizability
 * (and a scan without the atomic snapshot rejected by the same checker),
 * conservation and identical replicas after concurrent runs.
 */
#include <map>
#include <set>
#include <unistd.h>
#include <uk/cnr.h>
#include <uk/cnr_hashmap.h>
#include <uk/nr_pqueue.h>
#include "cnr_probe.h"
#include "helpers.h"
#include "models.h"

static struct uk_cnr *make_cmap(unsigned int replicas, unsigned int logs,
				unsigned int tpr, unsigned int log_entries,
				uint64_t cap)
{
	struct uk_cnr_config cfg = {};
	struct uk_cnr *c = nullptr;

	cfg.nr.replicas = replicas;
	cfg.nr.threads_per_replica = tpr;
	cfg.nr.log_entries = log_entries;
	cfg.logs = logs;
	EXPECT_EQ(uk_cnr_create(&c, &uk_cnr_hashmap_ops, &cap, &cfg), 0);
	return c;
}

static struct uk_nr_hashmap_resp ccall(struct uk_cnr *c,
				       struct uk_cnr_token t, uint32_t code,
				       uint64_t key, uint64_t val = 0)
{
	struct uk_nr_hashmap_op op = {};
	struct uk_nr_hashmap_resp r = {};

	op.code = code;
	op.key = key;
	op.val = val;
	if (code == UK_NR_HM_GET)
		EXPECT_EQ(uk_cnr_execute(c, t, &op, &r), 0);
	else
		EXPECT_EQ(uk_cnr_execute_mut(c, t, &op, &r), 0);
	return r;
}

static uint64_t cscan(struct uk_cnr *c, struct uk_cnr_token t, uint32_t code,
		      uint64_t *keys = nullptr, uint64_t max = 0)
{
	struct uk_cnr_hashmap_scan op = {};
	struct uk_nr_hashmap_resp r = {};

	op.code = code;
	op.keys = keys;
	op.max = max;
	EXPECT_EQ(uk_cnr_scan(c, t, &op, &r), 0);
	EXPECT_EQ(r.status, 0);
	return r.val;
}

/* Syncs every replica; each holds `count` keys and the same digest. */
static void expect_cnr_replicas_equal(struct uk_cnr *c, uint64_t count)
{
	uint64_t d0 = 0;

	for (unsigned int r = 0; r < uk_cnr_replicas(c); r++) {
		uint64_t n = 0, d = 0;

		ASSERT_EQ(uk_cnr_sync(c, r), 0);
		for (unsigned int k = 0; k < uk_cnr_logs(c); k++) {
			auto *m = (struct uk_nr_hashmap *)uk_cnr_partition(c, r,
									  k);
			n += uk_nr_hashmap_count(m);
			d += uk_nr_hashmap_digest(m);
		}
		EXPECT_EQ(n, count) << "replica " << r;
		if (r == 0)
			d0 = d;
		EXPECT_EQ(d, d0) << "replica " << r;
	}
}

/* One thread, random operations and scans against std::map, with tokens
 * of every replica in turn and a tiny log (wrap-around, helping). */
static void cnr_model(unsigned int replicas, unsigned int logs)
{
	struct uk_cnr *c = make_cmap(replicas, logs, 1, 8, 1024);
	std::vector<struct uk_cnr_token> tok(replicas);
	std::map<uint64_t, uint64_t> ref;
	Rng rng(logs * 10 + replicas);

	ASSERT_NE(c, nullptr);
	for (unsigned int r = 0; r < replicas; r++)
		ASSERT_EQ(uk_cnr_register(c, r, &tok[r]), 0);
	for (unsigned int i = 0; i < 20000; i++) {
		struct uk_cnr_token t = tok[i % replicas];
		uint64_t k = rng.below(300), v = rng.next();
		auto it = ref.find(k);
		bool had = it != ref.end();
		uint64_t old = had ? it->second : 0;
		struct uk_nr_hashmap_resp r;

		switch (rng.below(4)) {
		case 0:
		case 1:
			r = ccall(c, t, UK_NR_HM_PUT, k, v);
			ASSERT_EQ(r.status, had ? 1 : 0);
			if (had)
				ASSERT_EQ(r.val, old);
			ref[k] = v;
			break;
		case 2:
			r = ccall(c, t, UK_NR_HM_REMOVE, k);
			ASSERT_EQ(r.status, had ? 1 : 0);
			if (had)
				ASSERT_EQ(r.val, old);
			ref.erase(k);
			break;
		default:
			r = ccall(c, t, UK_NR_HM_GET, k);
			ASSERT_EQ(r.status, had ? 1 : 0);
			if (had)
				ASSERT_EQ(r.val, old);
		}
		if (i % 97 == 0) {
			std::vector<uint64_t> keys(400);
			ASSERT_EQ(cscan(c, t, UK_CNR_HM_LEN), ref.size());
			ASSERT_EQ(cscan(c, t, UK_CNR_HM_KEYS, keys.data(), 400),
				  ref.size());
			std::set<uint64_t> got(keys.begin(),
					       keys.begin() + ref.size());
			ASSERT_EQ(got.size(), ref.size());
			for (auto &kv : ref)
				ASSERT_TRUE(got.count(kv.first)) << kv.first;
		}
	}
	expect_cnr_replicas_equal(c, ref.size());
	uk_cnr_destroy(c);
}

TEST(CnrModel, MatchesReference)
{
	for (unsigned int replicas : { 1u, 2u, 3u })
		for (unsigned int logs : { 1u, 2u, 4u })
			cnr_model(replicas, logs);
}

TEST(CnrModel, BadInputIsRefused)
{
	struct uk_cnr_config cfg = {};
	struct uk_cnr *c = nullptr;
	struct uk_cnr_ops ops = uk_cnr_hashmap_ops;
	uint64_t cap = 8;

	cfg.logs = UK_CNR_MAX_LOGS + 1;
	EXPECT_EQ(uk_cnr_create(&c, &uk_cnr_hashmap_ops, &cap, &cfg), -EINVAL);
	cfg.logs = 2;
	/* A key beyond the operation, then no mapper at all. */
	ops.key_offset = ops.op_size - 7;
	EXPECT_EQ(uk_cnr_create(&c, &ops, &cap, &cfg), -EINVAL);
	ops.log_by_key = 0;
	ops.log_of = nullptr;
	EXPECT_EQ(uk_cnr_create(&c, &ops, &cap, &cfg), -EINVAL);
	cfg.nr.log_entries = 3;
	EXPECT_EQ(uk_cnr_create(&c, &uk_cnr_hashmap_ops, &cap, &cfg), -EINVAL);
	cfg.nr.log_entries = 0;
	cfg.nr.replicas = 2;
	cfg.nr.threads_per_replica = 1;
	ASSERT_EQ(uk_cnr_create(&c, &uk_cnr_hashmap_ops, &cap, &cfg), 0);
	struct uk_cnr_token t, bad = { 0, 1 };
	EXPECT_EQ(uk_cnr_register(c, 2, &t), -EINVAL);
	EXPECT_EQ(uk_cnr_register(c, 0, &t), 0);
	EXPECT_EQ(uk_cnr_register(c, 0, &t), -ENOSPC);
	struct uk_cnr_hashmap_scan sop = {};
	struct uk_nr_hashmap_resp r;
	sop.code = UK_CNR_HM_LEN;
	EXPECT_EQ(uk_cnr_scan(c, bad, &sop, &r), -EINVAL);
	uk_cnr_destroy(c);
}

/* --- CNR with one log against NR ------------------------------------- */

/* NR's operation tables as a one-log CNR table (log_of is always 0). */
static const struct uk_nr_ops *as_cnr_nrops;

static unsigned int one_log(const void *, unsigned int) { return 0; }
static void *as_create(unsigned int replica, unsigned int, void *arg)
{
	return as_cnr_nrops->create(replica, arg);
}
static void as_destroy(void *p, unsigned int replica, unsigned int, void *a)
{
	as_cnr_nrops->destroy(p, replica, a);
}
static void as_mut(void *p, const void *op, void *resp)
{
	as_cnr_nrops->dispatch_mut(p, op, resp);
}
static void as_read(const void *p, const void *op, void *resp)
{
	as_cnr_nrops->dispatch(p, op, resp);
}

static struct uk_cnr_ops cnr_from_nr(const struct uk_nr_ops *o)
{
	struct uk_cnr_ops c = {};

	as_cnr_nrops = o;
	c.op_size = o->op_size;
	c.resp_size = o->resp_size;
	c.log_of = one_log;
	c.create = as_create;
	c.destroy = as_destroy;
	c.dispatch_mut = as_mut;
	c.dispatch = as_read;
	return c;
}

/*
 * The same random operations (hash map, then priority queue) through NR and
 * through a one-log CNR made from NR's own table, with 1 and 2 replicas:
 * every response is identical.
 */
TEST(CnrOneLog, AgreesWithNrOnEveryResponse)
{
	for (unsigned int replicas : { 1u, 2u }) {
		for (int pq = 0; pq < 2; pq++) {
			const struct uk_nr_ops *o = pq ? &uk_nr_pqueue_ops
						       : &uk_nr_hashmap_ops;
			struct uk_cnr_ops co = cnr_from_nr(o);
			struct uk_nr_config ncfg = {};
			struct uk_cnr_config ccfg = {};
			struct uk_nr *nr;
			struct uk_cnr *c;
			uint64_t cap = 512;
			Rng rng(replicas * 3 + pq);

			ncfg.replicas = replicas;
			ncfg.threads_per_replica = 1;
			ncfg.log_entries = 4;
			ccfg.nr = ncfg;
			ASSERT_EQ(uk_nr_create(&nr, o, &cap, &ncfg), 0);
			ASSERT_EQ(uk_cnr_create(&c, &co, &cap, &ccfg), 0);
			std::vector<struct uk_nr_token> nt(replicas);
			std::vector<struct uk_cnr_token> ct(replicas);
			for (unsigned int r = 0; r < replicas; r++) {
				ASSERT_EQ(uk_nr_register(nr, r, &nt[r]), 0);
				ASSERT_EQ(uk_cnr_register(c, r, &ct[r]), 0);
			}
			for (unsigned int i = 0; i < 20000; i++) {
				uint64_t op[3] = {}, a[2] = {}, b[2] = {};
				unsigned int r = i % replicas;
				uint32_t code = 1 + (uint32_t)rng.below(4);
				bool mut = code <= 2;

				op[0] = code;
				op[1] = rng.below(64);
				op[2] = rng.below(1000);
				if (mut) {
					uk_nr_execute_mut(nr, nt[r], op, a);
					uk_cnr_execute_mut(c, ct[r], op, b);
				} else {
					uk_nr_execute(nr, nt[r], op, a);
					uk_cnr_execute(c, ct[r], op, b);
				}
				ASSERT_EQ(a[0], b[0]) << i;
				ASSERT_EQ(a[1], b[1]) << i;
			}
			uk_cnr_destroy(c);
			uk_nr_destroy(nr);
		}
	}
}

/* --- linearizability with scans --------------------------------------- */

static std::atomic<uint64_t> cstamp;

/* Keys of the model's key indexes 0..3, spread over the logs. */
static void model_keys(unsigned int logs, uint64_t key[4])
{
	uint64_t x = 0;

	for (unsigned int i = 0; i < 4; i++)
		for (;; x++)
			if (uk_cnr_hashmap_log_of_key(x, logs) == i % logs) {
				key[i] = x++;
				break;
			}
}

typedef void (*scan_fn)(struct uk_cnr *, struct uk_cnr_token, const void *,
			void *);

static void real_scan(struct uk_cnr *c, struct uk_cnr_token t, const void *op,
		      void *r)
{
	EXPECT_EQ(uk_cnr_scan(c, t, op, r), 0);
}

static void widen(void)
{
	usleep(200);
}

static void broken_scan(struct uk_cnr *c, struct uk_cnr_token t,
			const void *op, void *r)
{
	cnr_probe_broken_scan(c, t, op, r, widen);
}

/*
 * Records one history: thread t on replica replica_of(t) runs `ops`
 * operations from gen(t, rng); kinds HM_SCAN_* go through scan.
 */
template <class Gen, class Rep>
static std::vector<HistOp> crecord(struct uk_cnr *c, unsigned int threads,
				   unsigned int ops, const uint64_t key[4],
				   Gen gen, Rep replica_of, scan_fn scan)
{
	std::vector<std::vector<HistOp>> per(threads);
	std::vector<struct uk_cnr_token> tok(threads);

	for (unsigned int t = 0; t < threads; t++)
		EXPECT_EQ(uk_cnr_register(c, replica_of(t), &tok[t]), 0);
	run_threads(threads, [&](unsigned int t) {
		Rng rng(cstamp.load() * 131 + t);

		for (unsigned int i = 0; i < ops; i++) {
			HistOp h = gen(t, rng);
			struct uk_nr_hashmap_resp r = {};
			struct uk_nr_hashmap_op op = {};
			struct uk_cnr_hashmap_scan sop = {};
			uint64_t keys[8];

			op.code = (uint32_t)h.kind;
			op.key = key[h.a];
			op.val = h.b;
			sop.code = h.kind == HM_SCAN_LEN ? UK_CNR_HM_LEN
							 : UK_CNR_HM_KEYS;
			sop.keys = keys;
			sop.max = 8;
			h.inv = cstamp.fetch_add(1);
			if (h.kind >= HM_SCAN_LEN)
				scan(c, tok[t], &sop, &r);
			else if (h.kind == UK_NR_HM_GET)
				uk_cnr_execute(c, tok[t], &op, &r);
			else
				uk_cnr_execute_mut(c, tok[t], &op, &r);
			h.res = cstamp.fetch_add(1);
			h.rstatus = r.status;
			h.rval = r.val;
			if (h.kind == HM_SCAN_KEYS) {
				/* The set of model key indexes returned. */
				h.rval = 0;
				for (uint64_t j = 0; j < r.val && j < 8; j++)
					for (uint64_t m = 0; m < 4; m++)
						if (keys[j] == key[m])
							h.rval |= 1ULL << m;
			}
			per[t].push_back(h);
		}
	});
	std::vector<HistOp> all;
	for (auto &v : per)
		all.insert(all.end(), v.begin(), v.end());
	return all;
}

static HistOp gen_mixed(unsigned int, Rng &rng)
{
	static const int kinds[] = { UK_NR_HM_PUT, UK_NR_HM_PUT,
		UK_NR_HM_REMOVE, UK_NR_HM_GET, HM_SCAN_LEN, HM_SCAN_KEYS };
	HistOp h = {};

	h.kind = kinds[rng.below(6)];
	h.a = rng.below(4);
	h.b = 1 + rng.below(15);
	return h;
}

/*
 * At least `rounds` histories, and more (up to 10 x rounds) until one has
 * overlapping operations: on a loaded host the threads may run one after
 * the other for hundreds of histories, and a check of histories without
 * overlap proves little. Bounded in count, not time.
 */
static void cnr_lin(unsigned int replicas, unsigned int logs,
		    unsigned int threads, unsigned int rounds)
{
	uint64_t key[4];
	unsigned int overlapping = 0, round;

	model_keys(logs, key);
	for (round = 0; round < rounds || (!overlapping && round < 10 * rounds);
	     round++) {
		struct uk_cnr *c = make_cmap(replicas, logs, threads, 8, 16);

		ASSERT_NE(c, nullptr);
		auto h = crecord(c, threads, 6, key, gen_mixed,
				 [&](unsigned int t) { return t % replicas; },
				 real_scan);
		ASSERT_TRUE(LinChecker<HmModel>(h).check())
			<< "round " << round << ", " << replicas
			<< " replicas, " << logs << " logs";
		overlapping += lin_overlapping(h);
		uk_cnr_destroy(c);
	}
	printf("    %u histories of %u threads x 6 ops (per-key ops, len and "
	       "keys scans), %u replica(s), %u logs, %u with overlapping "
	       "operations: linearizable\n", round, threads, replicas, logs,
	       overlapping);
	EXPECT_GT(overlapping, 0u);
}

TEST(CnrLincheck, TwoLogsTwoReplicas)
{
	cnr_lin(2, 2, 4, 300);
}

TEST(CnrLincheck, FourLogsTwoReplicas)
{
	cnr_lin(2, 4, 4, 200);
}

TEST(CnrLincheck, TwoLogsOneReplica)
{
	cnr_lin(1, 2, 3, 200);
}

TEST(CnrLincheck, OneLogThreeReplicas)
{
	cnr_lin(3, 1, 2, 200);
}

/*
 * The checker catches a scan that reads the logs one after another: thread
 * 0 on replica 0 only scans (keys), with a pause between logs; threads 1
 * and 2 on replica 1 write. A history where the scan sees a later write to
 * one log but not an earlier, completed write to the other is rejected.
 * The correct scan in the same setting is accepted every time.
 */
static unsigned int scanner_vs_writers(scan_fn scan, unsigned int rounds,
				       bool stop_at_first)
{
	uint64_t key[4];
	unsigned int rejected = 0;

	model_keys(2, key);
	for (unsigned int round = 0; round < rounds; round++) {
		struct uk_cnr *c = make_cmap(2, 2, 3, 64, 16);

		auto h = crecord(c, 3, 8, key,
			[](unsigned int t, Rng &rng) {
				HistOp x = gen_mixed(t, rng);
				if (t == 0)
					x.kind = HM_SCAN_KEYS;
				else if (x.kind != UK_NR_HM_REMOVE)
					x.kind = UK_NR_HM_PUT;
				return x;
			},
			[](unsigned int t) { return t ? 1u : 0u; }, scan);
		rejected += !LinChecker<HmModel>(h).check();
		uk_cnr_destroy(c);
		if (rejected && stop_at_first)
			return round + 1;
	}
	return rejected;
}

TEST(CnrLincheck, CatchesScanWithoutSnapshot)
{
	unsigned int n = scanner_vs_writers(broken_scan, 500, true);

	EXPECT_GT(n, 0u) << "broken scan never caught in 500 histories";
	printf("    scan without snapshot: first non-linearizable history "
	       "after %u histories\n", n);
	EXPECT_EQ(scanner_vs_writers(real_scan, 100, false), 0u);
}

/* --- conservation ------------------------------------------------------ */

/*
 * T threads on R replicas put and remove random keys of a small range
 * (collisions on purpose) and scan; sum over threads of successful puts
 * of new keys minus successful removes equals the final length (scanned)
 * and every replica holds that many keys, with equal contents.
 */
static void conservation(unsigned int replicas, unsigned int logs,
			 unsigned int threads, unsigned int n)
{
	struct uk_cnr *c = make_cmap(replicas, logs, threads, 16, 256);
	std::vector<struct uk_cnr_token> tok(threads);
	std::atomic<long> net{0};
	std::atomic<unsigned long> bad{0};

	ASSERT_NE(c, nullptr);
	for (unsigned int t = 0; t < threads; t++)
		ASSERT_EQ(uk_cnr_register(c, t % replicas, &tok[t]), 0);
	run_threads(threads, [&](unsigned int t) {
		Rng rng(t * 17 + logs);
		long mine = 0;

		for (unsigned int i = 0; i < n; i++) {
			uint64_t k = rng.below(200);
			struct uk_nr_hashmap_resp r;

			if (rng.below(2)) {
				r = ccall(c, tok[t], UK_NR_HM_PUT, k, i);
				mine += r.status == 0;
				bad += r.status < 0;
			} else {
				r = ccall(c, tok[t], UK_NR_HM_REMOVE, k);
				mine -= r.status == 1;
			}
			if (i % 64 == 0)
				bad += cscan(c, tok[t], UK_CNR_HM_LEN) > 200;
		}
		net += mine;
	});
	EXPECT_EQ(bad.load(), 0u);
	ASSERT_GE(net.load(), 0);
	EXPECT_EQ(cscan(c, tok[0], UK_CNR_HM_LEN), (uint64_t)net.load());
	expect_cnr_replicas_equal(c, (uint64_t)net.load());
	uint64_t writes = 0;
	for (unsigned int k = 0; k < logs; k++) {
		struct uk_nr_stats st;
		uk_nr_get_stats(uk_cnr_log(c, k), &st);
		writes += replicas > 1 ? st.tail : st.combined_ops;
	}
	EXPECT_EQ(writes, (uint64_t)threads * n);
	printf("    %u threads, %u replicas, %u logs: %llu writes, final "
	       "length %ld, %llu snapshot freezes\n", threads, replicas, logs,
	       (unsigned long long)writes, net.load(),
	       (unsigned long long)uk_cnr_scan_freezes(c));
	uk_cnr_destroy(c);
}

TEST(CnrConcurrent, ConservationAndEqualReplicas)
{
	conservation(2, 2, 4, 4000);
	conservation(2, 4, 4, 4000);
	conservation(1, 2, 4, 4000);
	conservation(3, 1, 3, 3000);
}

/*
 * The snapshot's fallback: while the ctails are frozen, a write on another
 * replica is appended and applied there but cannot complete (its combiner
 * waits to raise ctail), so the frozen values stay the instant's; after
 * the thaw it completes and ctail moves past it.
 */
TEST(CnrSnapshot, FrozenCtailsDoNotMove)
{
	struct uk_cnr *c = make_cmap(2, 2, 1, 64, 16);
	struct uk_cnr_token t0, t1;
	uint64_t v[UK_CNR_MAX_LOGS], w[UK_CNR_MAX_LOGS];
	uint64_t key[4];
	std::atomic<bool> done{false};

	ASSERT_NE(c, nullptr);
	ASSERT_EQ(uk_cnr_register(c, 0, &t0), 0);
	ASSERT_EQ(uk_cnr_register(c, 1, &t1), 0);
	model_keys(2, key);
	ccall(c, t0, UK_NR_HM_PUT, key[0], 1);
	ccall(c, t0, UK_NR_HM_PUT, key[1], 1);
	cnr_probe_freeze(c, v);
	EXPECT_EQ(v[0], 1u);
	EXPECT_EQ(v[1], 1u);
	std::thread wr([&] {
		ccall(c, t1, UK_NR_HM_PUT, key[1], 2);
		done = true;
	});
	usleep(100000);
	EXPECT_FALSE(done.load()) << "a write completed under the freeze";
	struct uk_nr_stats st;
	uk_nr_get_stats(uk_cnr_log(c, 1), &st);
	EXPECT_EQ(st.tail, 2u);		/* appended, */
	EXPECT_EQ(st.ctail, 1u);	/* but not completed */
	cnr_probe_thaw(c);
	wr.join();
	EXPECT_TRUE(done.load());
	cnr_probe_freeze(c, w);
	cnr_probe_thaw(c);
	EXPECT_EQ(w[0], 1u);
	EXPECT_EQ(w[1], 2u);
	EXPECT_EQ(uk_cnr_scan_freezes(c), 2u);
	/* A scan on replica 0 sees the write. */
	EXPECT_EQ(cscan(c, t0, UK_CNR_HM_LEN), 2u);
	struct uk_nr_hashmap_resp r = ccall(c, t0, UK_NR_HM_GET, key[1]);
	EXPECT_EQ(r.val, 2u);
	uk_cnr_destroy(c);
}

/* Allocator for CnrModel.EveryFailedAllocationIsCleanedUp: counts live
 * blocks and fails call number fail_at. */
static long cf_live, cf_calls, cf_fail_at;

static void *cf_alloc(size_t align, size_t size, int, void *)
{
	if (cf_calls++ == cf_fail_at)
		return nullptr;
	cf_live++;
	return aligned_alloc(align, (size + align - 1) & ~(align - 1));
}

static void cf_free(void *p, void *)
{
	cf_live--;
	free(p);
}

/* Failing each allocation of uk_cnr_create() in turn (3 logs x 2
 * replicas) gives -ENOMEM with nothing left (the partitions, made with
 * malloc, are checked by LeakSanitizer at exit); then creation works. */
TEST(CnrModel, EveryFailedAllocationIsCleanedUp)
{
	struct uk_cnr_config cfg = {};
	struct uk_cnr *c;
	uint64_t cap = 64;
	long n;

	cfg.nr.replicas = 2;
	cfg.nr.alloc = cf_alloc;
	cfg.nr.free = cf_free;
	cfg.logs = 3;
	for (n = 0;; n++) {
		cf_live = 0;
		cf_calls = 0;
		cf_fail_at = n;
		int rc = uk_cnr_create(&c, &uk_cnr_hashmap_ops, &cap, &cfg);
		if (rc == 0)
			break;
		ASSERT_EQ(rc, -ENOMEM) << "failing call " << n;
		ASSERT_EQ(cf_live, 0) << "failing call " << n;
	}
	EXPECT_GT(n, 10);
	uk_cnr_destroy(c);
	EXPECT_EQ(cf_live, 0);
}
