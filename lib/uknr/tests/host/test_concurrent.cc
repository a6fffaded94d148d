/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknr under concurrency: conserved quantities and identical replicas after
 * quiescence, a tiny log (wrap-around and GC thousands of times), an idle
 * replica that must not stall the others (advanced on its behalf), explicit
 * uk_nr_sync(), and the private reader-writer lock.
 */
#include <map>
#include <uk/nr.h>
#include <uk/nr_hashmap.h>
#include <uk/nr_pqueue.h>
#include <uk/plat/lcpu.h>
#include "helpers.h"
#include "rw_probe.h"

static struct uk_nr *make_map(unsigned int replicas, unsigned int tpr,
			      unsigned int log, uint64_t cap)
{
	struct uk_nr_config cfg = {};
	struct uk_nr *nr = nullptr;

	cfg.replicas = replicas;
	cfg.threads_per_replica = tpr;
	cfg.log_entries = log;
	EXPECT_EQ(uk_nr_create(&nr, &uk_nr_hashmap_ops, &cap, &cfg), 0);
	return nr;
}

static uint64_t map_call(struct uk_nr *nr, struct uk_nr_token t, uint32_t code,
			 uint64_t key, uint64_t val, int64_t *status)
{
	struct uk_nr_hashmap_op op = {};
	struct uk_nr_hashmap_resp r = {};
	bool mut = code == UK_NR_HM_PUT || code == UK_NR_HM_REMOVE;

	op.code = code;
	op.key = key;
	op.val = val;
	EXPECT_EQ(mut ? uk_nr_execute_mut(nr, t, &op, &r)
		      : uk_nr_execute(nr, t, &op, &r), 0);
	if (status)
		*status = r.status;
	return r.val;
}

/* Syncs every replica and checks they all equal the reference contents. */
static void expect_replicas_equal(struct uk_nr *nr,
				  const std::map<uint64_t, uint64_t> &ref)
{
	struct uk_nr_hashmap *want = uk_nr_hashmap_create(ref.size() + 1);

	for (auto &kv : ref)
		uk_nr_hashmap_put(want, kv.first, kv.second, nullptr);
	for (unsigned int r = 0; r < uk_nr_replicas(nr); r++) {
		ASSERT_EQ(uk_nr_sync(nr, r), 0);
		auto *m = (struct uk_nr_hashmap *)uk_nr_replica_data(nr, r);
		EXPECT_EQ(uk_nr_hashmap_count(m), ref.size()) << "replica " << r;
		EXPECT_EQ(uk_nr_hashmap_digest(m), uk_nr_hashmap_digest(want))
			<< "replica " << r;
	}
	uk_nr_hashmap_destroy(want);
}

/*
 * 4 threads on 2 replicas each own a key range: insert, overwrite, remove
 * the odd keys, reading their own keys back after each write (a thread
 * always sees its own completed writes) and reading other threads' keys
 * (values must be ones those threads wrote). Final contents are known.
 */
static void owned_keys(unsigned int replicas, unsigned int log, unsigned int n)
{
	const unsigned int T = 4;
	struct uk_nr *nr = make_map(replicas, T, log, T * n);
	std::vector<struct uk_nr_token> tok(T);

	ASSERT_NE(nr, nullptr);
	for (unsigned int t = 0; t < T; t++)
		ASSERT_EQ(uk_nr_register(nr, t % replicas, &tok[t]), 0);
	std::atomic<unsigned long> bad{0};
	run_threads(T, [&](unsigned int t) {
		Rng rng(t + 7);
		int64_t st;
		for (uint64_t j = 0; j < n; j++) {
			uint64_t k = ((uint64_t)t << 32) | j;
			map_call(nr, tok[t], UK_NR_HM_PUT, k, j, &st);
			bad += st != 0;
			map_call(nr, tok[t], UK_NR_HM_PUT, k, j + 1, &st);
			bad += st != 1;
			bad += map_call(nr, tok[t], UK_NR_HM_GET, k, 0, &st) !=
			       j + 1 || st != 1;
			/* Someone else's key: absent or a value they wrote. */
			uint64_t o = ((uint64_t)rng.below(T) << 32) |
				     rng.below(n);
			uint64_t v = map_call(nr, tok[t], UK_NR_HM_GET, o, 0, &st);
			bad += st == 1 && v != (o & 0xffffffff) &&
			       v != (o & 0xffffffff) + 1;
		}
		for (uint64_t j = 1; j < n; j += 2) {
			uint64_t k = ((uint64_t)t << 32) | j;
			bad += map_call(nr, tok[t], UK_NR_HM_REMOVE, k, 0,
					&st) != j + 1 || st != 1;
			map_call(nr, tok[t], UK_NR_HM_GET, k, 0, &st);
			bad += st != 0;
		}
	});
	EXPECT_EQ(bad.load(), 0u);
	std::map<uint64_t, uint64_t> ref;
	for (uint64_t t = 0; t < T; t++)
		for (uint64_t j = 0; j < n; j += 2)
			ref[(t << 32) | j] = j + 1;
	expect_replicas_equal(nr, ref);
	struct uk_nr_stats st;
	uk_nr_get_stats(nr, &st);
	/* Every mutating operation is exactly one log entry. */
	EXPECT_EQ(st.tail, (uint64_t)T * (2 * n + n / 2));
	EXPECT_EQ(st.combined_ops, st.tail);
	printf("    %u threads, %u replicas, log %llu: %llu writes in %llu "
	       "combining rounds, log full %llu times, %llu helped catch-ups\n",
	       T, replicas, (unsigned long long)st.log_entries,
	       (unsigned long long)st.tail, (unsigned long long)st.combines,
	       (unsigned long long)st.log_full,
	       (unsigned long long)st.helped);
	uk_nr_destroy(nr);
}

TEST(NrConcurrent, OwnedKeysTwoReplicas)
{
	owned_keys(2, 1024, 3000);
}

TEST(NrConcurrent, OwnedKeysOneReplica)
{
	owned_keys(1, 1024, 3000);
}

TEST(NrConcurrent, OwnedKeysFourReplicasTinyLog)
{
	owned_keys(4, 8, 2000);
}

/*
 * Priority queue: 4 threads on 2 replicas push distinct values and pop;
 * pushed = popped + left (count and sum), each popped value was pushed
 * exactly once, and both replicas hold the same multiset.
 */
TEST(NrConcurrent, PqueueConservesValues)
{
	const unsigned int T = 4, N = 4000;
	struct uk_nr_config cfg = {};
	struct uk_nr *nr;
	uint64_t cap = T * N;
	std::vector<struct uk_nr_token> tok(T);
	std::vector<std::vector<uint64_t>> popped(T);

	cfg.replicas = 2;
	cfg.threads_per_replica = 2;
	cfg.log_entries = 16;
	ASSERT_EQ(uk_nr_create(&nr, &uk_nr_pqueue_ops, &cap, &cfg), 0);
	for (unsigned int t = 0; t < T; t++)
		ASSERT_EQ(uk_nr_register(nr, t % 2, &tok[t]), 0);
	run_threads(T, [&](unsigned int t) {
		for (uint64_t j = 0; j < N; j++) {
			struct uk_nr_pqueue_op op = {};
			struct uk_nr_pqueue_resp r = {};
			op.code = UK_NR_PQ_PUSH;
			op.val = j * T + t;
			uk_nr_execute_mut(nr, tok[t], &op, &r);
			if (j % 3 == 2) {
				op.code = UK_NR_PQ_POP;
				uk_nr_execute_mut(nr, tok[t], &op, &r);
				if (r.status == 1)
					popped[t].push_back(r.val);
			}
		}
	});
	std::vector<char> seen(T * N, 0);
	uint64_t sum_pop = 0, npop = 0, dup = 0;
	for (auto &v : popped)
		for (uint64_t x : v) {
			dup += x >= T * N || seen[x];
			if (x < T * N)
				seen[x] = 1;
			sum_pop += x;
			npop++;
		}
	EXPECT_EQ(dup, 0u);
	uint64_t total = (uint64_t)T * N, sum_all = total * (total - 1) / 2;
	uint64_t digests[2];
	for (unsigned int r = 0; r < 2; r++) {
		ASSERT_EQ(uk_nr_sync(nr, r), 0);
		auto *q = (struct uk_nr_pqueue *)uk_nr_replica_data(nr, r);
		EXPECT_EQ(uk_nr_pqueue_size(q) + npop, total);
		uint64_t left = 0, v;
		struct uk_nr_pqueue *copy = uk_nr_pqueue_create(total);
		digests[r] = uk_nr_pqueue_digest(q);
		/* Drain the replica (quiescent) to sum what is left. */
		while (uk_nr_pqueue_pop(q, &v)) {
			left += v;
			uk_nr_pqueue_push(copy, v);
		}
		EXPECT_EQ(left + sum_pop, sum_all);
		while (uk_nr_pqueue_pop(copy, &v))
			uk_nr_pqueue_push(q, v);
		uk_nr_pqueue_destroy(copy);
	}
	EXPECT_EQ(digests[0], digests[1]);
	uk_nr_destroy(nr);
}

/*
 * Replica 2 has no threads. With a 16-entry log, writers on replicas 0 and
 * 1 fill the log again and again; they must finish (the watchdog fails the
 * test otherwise), replica 2 must have been advanced on its behalf, and it
 * must end up equal to the others.
 */
TEST(NrConcurrent, IdleReplicaDoesNotStallOthers)
{
	const unsigned int T = 2, N = 5000;
	struct uk_nr *nr = make_map(3, 2, 16, 64);
	std::vector<struct uk_nr_token> tok(T);

	ASSERT_NE(nr, nullptr);
	for (unsigned int t = 0; t < T; t++)
		ASSERT_EQ(uk_nr_register(nr, t, &tok[t]), 0);
	run_threads(T, [&](unsigned int t) {
		for (uint64_t j = 0; j < N; j++)
			map_call(nr, tok[t], UK_NR_HM_PUT, t * 100 + j % 20, j,
				 nullptr);
	});
	struct uk_nr_stats st;
	uk_nr_get_stats(nr, &st);
	EXPECT_EQ(st.tail, (uint64_t)T * N);
	EXPECT_GT(st.log_full, 0u);
	EXPECT_GT(st.helped, 0u);
	/* Replica 2 never ran anything itself, yet it is at most a log
	 * behind the tail. */
	EXPECT_GE(uk_nr_replica_ltail(nr, 2) + st.log_entries, st.tail);
	std::map<uint64_t, uint64_t> ref;
	for (uint64_t t = 0; t < T; t++)
		for (uint64_t k = 0; k < 20; k++)
			ref[t * 100 + k] = N - 20 + k;
	expect_replicas_equal(nr, ref);
	printf("    idle replica: log of %llu, %llu writes, log full %llu "
	       "times, %llu catch-ups done for other replicas\n",
	       (unsigned long long)st.log_entries, (unsigned long long)st.tail,
	       (unsigned long long)st.log_full, (unsigned long long)st.helped);
	uk_nr_destroy(nr);
}

/* With a log that never fills, an idle replica stays behind until
 * uk_nr_sync() (the idle-loop hook's call) brings it up to date. */
TEST(NrConcurrent, SyncBringsIdleReplicaUpToDate)
{
	struct uk_nr *nr = make_map(2, 1, 4096, 64);
	struct uk_nr_token t;

	ASSERT_NE(nr, nullptr);
	ASSERT_EQ(uk_nr_register(nr, 0, &t), 0);
	for (uint64_t j = 0; j < 100; j++)
		map_call(nr, t, UK_NR_HM_PUT, j % 10, j, nullptr);
	EXPECT_EQ(uk_nr_replica_ltail(nr, 0), 100u);
	EXPECT_EQ(uk_nr_replica_ltail(nr, 1), 0u);
	EXPECT_EQ(uk_nr_sync(nr, 1), 0);
	EXPECT_EQ(uk_nr_replica_ltail(nr, 1), 100u);
	auto *m = (struct uk_nr_hashmap *)uk_nr_replica_data(nr, 1);
	uint64_t v = 0;
	EXPECT_EQ(uk_nr_hashmap_get(m, 3, &v), 1);
	EXPECT_EQ(v, 93u);
	/* uk_nr_sync_idle() picks the caller's replica: this thread's index
	 * maps to some replica; after it that replica is current. */
	map_call(nr, t, UK_NR_HM_PUT, 1, 1, nullptr);
	uk_nr_sync_idle(nr);
	unsigned int mine = uk_nr_replica_of_cpu(ukplat_lcpu_idx(), 2);
	EXPECT_EQ(uk_nr_replica_ltail(nr, mine), 101u);
	EXPECT_EQ(uk_nr_sync(nr, 2), -EINVAL);
	uk_nr_destroy(nr);
}

/* A thread syncs replica 1 in a loop while writers on replica 0 run and
 * readers on replica 1 read: the readers never see an older value than one
 * they saw before (values only grow). */
TEST(NrConcurrent, SyncRacesWithReadersAndWriters)
{
	struct uk_nr *nr = make_map(2, 2, 64, 16);
	struct uk_nr_token w, rd;
	std::atomic<bool> stop{false};
	std::atomic<unsigned long> bad{0};

	ASSERT_NE(nr, nullptr);
	ASSERT_EQ(uk_nr_register(nr, 0, &w), 0);
	ASSERT_EQ(uk_nr_register(nr, 1, &rd), 0);
	run_threads(3, [&](unsigned int i) {
		if (i == 0) {
			for (uint64_t j = 1; j <= 20000; j++)
				map_call(nr, w, UK_NR_HM_PUT, 5, j, nullptr);
			stop = true;
		} else if (i == 1) {
			uint64_t last = 0;
			int64_t st;
			while (!stop.load()) {
				uint64_t v = map_call(nr, rd, UK_NR_HM_GET, 5,
						      0, &st);
				if (st == 1) {
					bad += v < last;
					last = v;
				}
			}
		} else {
			while (!stop.load())
				uk_nr_sync(nr, 1);
		}
	});
	EXPECT_EQ(bad.load(), 0u);
	std::map<uint64_t, uint64_t> ref = { { 5, 20000 } };
	expect_replicas_equal(nr, ref);
	uk_nr_destroy(nr);
}

/* The reader-writer lock: one writer (as in uknr: the combiner) and three
 * readers; readers check an invariant the writer breaks only inside its
 * critical section (TSan also sees any unprotected access). */
TEST(NrRwlock, ReadersNeverSeeAHalfWrite)
{
	struct rw_probe *p = rw_probe_new(3);
	struct {
		uint64_t a, b;
	} data = { 0, 0 };
	std::atomic<unsigned long> bad{0}, reads{0};
	const uint64_t W = 20000;

	ASSERT_NE(p, nullptr);
	run_threads(4, [&](unsigned int i) {
		if (i == 0) {
			for (uint64_t j = 0; j < W; j++) {
				rw_probe_write_lock(p);
				data.a++;
				data.b = data.a;
				rw_probe_write_unlock(p);
			}
			return;
		}
		for (int j = 0; j < 20000; j++) {
			rw_probe_read_lock(p, i - 1);
			bad += data.a != data.b;
			rw_probe_read_unlock(p, i - 1);
			reads++;
		}
	});
	EXPECT_EQ(bad.load(), 0u);
	EXPECT_EQ(data.a, W);
	EXPECT_EQ(reads.load(), 60000u);
	rw_probe_free(p);
}

/* Writer preference: once the writer has announced itself (waiting for a
 * reader to leave), the lock counts as taken for new readers; the writer
 * gets in as soon as the old reader leaves. */
TEST(NrRwlock, WriterWaitsForReaderAndIsPreferred)
{
	struct rw_probe *p = rw_probe_new(2);
	std::atomic<int> step{0};

	ASSERT_NE(p, nullptr);
	rw_probe_read_lock(p, 0);
	std::thread wr([&] {
		rw_probe_write_lock(p);
		step = 1;
		rw_probe_write_unlock(p);
	});
	/* Bounded wait for the writer to announce itself. */
	for (int i = 0; i < 100000000 && !rw_probe_writer_waiting(p); i++)
		std::this_thread::yield();
	EXPECT_TRUE(rw_probe_writer_waiting(p));
	EXPECT_EQ(step.load(), 0) << "writer entered while a reader held it";
	rw_probe_read_unlock(p, 0);
	wr.join();
	EXPECT_EQ(step.load(), 1);
	rw_probe_read_lock(p, 1);
	EXPECT_FALSE(rw_probe_writer_waiting(p));
	rw_probe_read_unlock(p, 1);
	rw_probe_free(p);
}

/* Two threads whose puts wait for a combiner, and their responses. */
struct TwoPuts {
	std::vector<std::thread> th;
	uint64_t old[2] = { 99, 99 };
	int64_t status[2] = { 9, 9 };
};

/*
 * Takes replica 0's combiner lock and has two threads, registered with
 * replica 0, put (key + i * step, 10 + i) into nr (they publish and wait);
 * returns once both operations are pending. p.old[i] and p.status[i] get
 * each thread's response when it returns (end_round() joins them).
 */
static void two_pending_puts(struct uk_nr *nr, uint64_t key, uint64_t step,
			     TwoPuts &p)
{
	struct uk_nr_token tok[2];
	uint64_t *old = p.old;
	int64_t *status = p.status;

	ASSERT_EQ(uk_nr_register(nr, 0, &tok[0]), 0);
	ASSERT_EQ(uk_nr_register(nr, 0, &tok[1]), 0);
	ASSERT_TRUE(nr_probe_combiner_trylock(nr, 0));
	for (unsigned int i = 0; i < 2; i++)
		p.th.emplace_back([=, t = tok[i]] {
			old[i] = map_call(nr, t, UK_NR_HM_PUT, key + i * step,
					  10 + i, &status[i]);
		});
	/* Bounded wait until both operations are published. */
	for (long i = 0; i < 100000000 && nr_probe_pending(nr, 0) < 2; i++)
		std::this_thread::yield();
	ASSERT_EQ(nr_probe_pending(nr, 0), 2u);
}

/* After the caller's combining round: nothing is pending any more; releases
 * the combiner lock, joins the two threads and fills *st. */
static void end_round(struct uk_nr *nr, TwoPuts &p, struct uk_nr_stats *st)
{
	EXPECT_EQ(nr_probe_pending(nr, 0), 0u);
	nr_probe_combiner_unlock(nr, 0);
	for (auto &t : p.th)
		t.join();
	EXPECT_EQ(p.th.size(), 2u);
	uk_nr_get_stats(nr, st);
}

/* Flat combining: while the combiner lock is held elsewhere, two threads
 * publish their operations and wait; one combining round by the lock holder
 * appends both as one batch and answers both. */
TEST(NrCombine, OneRoundServesOtherThreads)
{
	struct uk_nr *nr = make_map(2, 3, 64, 16);
	struct uk_nr_stats st;
	TwoPuts p;

	ASSERT_NE(nr, nullptr);
	two_pending_puts(nr, 0, 1, p);
	nr_probe_combine(nr, 0);
	end_round(nr, p, &st);
	EXPECT_EQ(st.combines, 1u);
	EXPECT_EQ(st.combined_ops, 2u);
	EXPECT_EQ(st.tail, 2u);
	EXPECT_EQ(p.status[0], 0);
	EXPECT_EQ(p.status[1], 0);
	std::map<uint64_t, uint64_t> ref = { { 0, 10 }, { 1, 11 } };
	expect_replicas_equal(nr, ref);
	uk_nr_destroy(nr);
}

/*
 * Single replica: a thread that finds the combiner lock free applies its own
 * operation without publishing it (uk_nr_execute_mut()'s fast path), and the
 * same round serves the operations other threads published meanwhile, after
 * its own: here both others overwrite the key the round's own put inserted.
 */
TEST(NrCombine, OwnOperationRoundServesOtherThreads)
{
	struct uk_nr *nr = make_map(1, 3, 0, 16);
	struct uk_nr_hashmap_op own = {};
	struct uk_nr_hashmap_resp own_r = { 9, 99 };
	struct uk_nr_stats st;
	TwoPuts p;

	ASSERT_NE(nr, nullptr);
	two_pending_puts(nr, 5, 0, p);
	own.code = UK_NR_HM_PUT;
	own.key = 5;
	own.val = 7;
	nr_probe_combine_own(nr, 0, &own, &own_r);
	end_round(nr, p, &st);
	/* Own put first: inserted; then the two others in slot order, each
	 * replacing the value before it. */
	EXPECT_EQ(own_r.status, 0);
	EXPECT_EQ(p.status[0], 1);
	EXPECT_EQ(p.old[0], 7u);
	EXPECT_EQ(p.status[1], 1);
	EXPECT_EQ(p.old[1], 10u);
	EXPECT_EQ(st.combines, 1u);
	EXPECT_EQ(st.combined_ops, 3u);
	EXPECT_EQ(st.tail, 3u);
	std::map<uint64_t, uint64_t> ref = { { 5, 11 } };
	expect_replicas_equal(nr, ref);
	uk_nr_destroy(nr);
}

/* The idle hook syncs the calling CPU's replica of every enabled instance,
 * and nothing once the instance is disabled. Host threads play CPUs with
 * chosen indexes. */
TEST(NrIdle, HookSyncsTheCpusReplicaUntilDisabled)
{
	struct uk_nr *nr = make_map(2, 1, 4096, 64);
	struct uk_nr_token t;
	std::vector<bool> mapped(2, false);

	ASSERT_NE(nr, nullptr);
	ASSERT_EQ(uk_nr_register(nr, 0, &t), 0);
	ASSERT_EQ(uk_nr_idle_sync_enable(nr), 0);
	for (uint64_t j = 0; j < 50; j++)
		map_call(nr, t, UK_NR_HM_PUT, j, j, nullptr);
	EXPECT_EQ(uk_nr_replica_ltail(nr, 1), 0u);
	for (unsigned int cpu = 0; cpu < CONFIG_UKPLAT_LCPU_MAXCOUNT; cpu++) {
		std::thread([cpu] {
			ukplat_host_lcpu_set_idx(cpu);
			uk_nr_idle_hook(nullptr);
		}).join();
		mapped[uk_nr_replica_of_cpu(cpu, 2)] = true;
	}
	for (unsigned int r = 0; r < 2; r++)
		if (mapped[r])
			EXPECT_EQ(uk_nr_replica_ltail(nr, r), 50u) << r;
	EXPECT_TRUE(mapped[0]);
	uk_nr_idle_sync_disable(nr);
	for (uint64_t j = 0; j < 10; j++)
		map_call(nr, t, UK_NR_HM_PUT, j, j, nullptr);
	for (unsigned int cpu = 0; cpu < CONFIG_UKPLAT_LCPU_MAXCOUNT; cpu++)
		std::thread([cpu] {
			ukplat_host_lcpu_set_idx(cpu);
			uk_nr_idle_hook(nullptr);
		}).join();
	if (mapped[1])
		EXPECT_EQ(uk_nr_replica_ltail(nr, 1), 50u);
	uk_nr_destroy(nr);
}

/* Instances come and go (enable, operate, destroy) while two threads run
 * the idle hook without pause: ASan/TSan would see a hook touching a
 * destroyed instance. The registry has room for UK_NR_IDLE_MAX. */
TEST(NrIdle, DestroyWhileHooksRun)
{
	std::atomic<bool> stop{false};
	std::atomic<unsigned long> hooks{0};
	struct uk_nr *extra[UK_NR_IDLE_MAX];

	for (unsigned int i = 0; i < UK_NR_IDLE_MAX; i++) {
		extra[i] = make_map(2, 1, 64, 8);
		ASSERT_NE(extra[i], nullptr);
		ASSERT_EQ(uk_nr_idle_sync_enable(extra[i]), 0);
	}
	struct uk_nr *one_more = make_map(1, 1, 64, 8);
	EXPECT_EQ(uk_nr_idle_sync_enable(one_more), -ENOSPC);
	uk_nr_destroy(one_more);
	for (unsigned int i = 0; i < UK_NR_IDLE_MAX; i++)
		uk_nr_destroy(extra[i]);
	run_threads(3, [&](unsigned int id) {
		if (id) {
			ukplat_host_lcpu_set_idx(id);
			while (!stop.load()) {
				uk_nr_idle_hook(nullptr);
				hooks++;
			}
			return;
		}
		for (int round = 0; round < 300; round++) {
			struct uk_nr *nr = make_map(2, 1, 64, 8);
			struct uk_nr_token t;
			ASSERT_EQ(uk_nr_register(nr, round % 2, &t), 0);
			ASSERT_EQ(uk_nr_idle_sync_enable(nr), 0);
			for (uint64_t j = 0; j < 20; j++)
				map_call(nr, t, UK_NR_HM_PUT, j, j, nullptr);
			uk_nr_destroy(nr);
		}
		stop = true;
	});
	EXPECT_GT(hooks.load(), 0u);
}

/*
 * Real-time order across replicas: W writes 1, 2, 3, ... to a key through
 * replica 0; R0 reads it on replica 0 and hands the value over (an atomic
 * store); R1, on replica 1, first takes the handed value, then reads: it
 * must see at least that value (R0's read finished before R1's started).
 */
TEST(NrConcurrent, ReadsAcrossReplicasRespectRealTime)
{
	struct uk_nr *nr = make_map(2, 2, 64, 8);
	struct uk_nr_token w, r0, r1;
	std::atomic<uint64_t> handed{0};
	std::atomic<bool> stop{false};
	std::atomic<unsigned long> bad{0}, checks{0};

	ASSERT_NE(nr, nullptr);
	ASSERT_EQ(uk_nr_register(nr, 0, &w), 0);
	ASSERT_EQ(uk_nr_register(nr, 0, &r0), 0);
	ASSERT_EQ(uk_nr_register(nr, 1, &r1), 0);
	run_threads(3, [&](unsigned int id) {
		int64_t st;

		if (id == 0) {
			for (uint64_t v = 1; v <= 100000; v++)
				map_call(nr, w, UK_NR_HM_PUT, 1, v, nullptr);
			stop = true;
		} else if (id == 1) {
			while (!stop.load()) {
				uint64_t v = map_call(nr, r0, UK_NR_HM_GET, 1,
						      0, &st);
				if (st == 1)
					handed.store(v);
			}
		} else {
			while (!stop.load()) {
				uint64_t before = handed.load();
				uint64_t v = map_call(nr, r1, UK_NR_HM_GET, 1,
						      0, &st);
				bad += before && (st != 1 || v < before);
				checks++;
			}
		}
	});
	EXPECT_EQ(bad.load(), 0u);
	EXPECT_GT(checks.load(), 0u);
	uk_nr_destroy(nr);
}
