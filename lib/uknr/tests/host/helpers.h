/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shared helpers of the uknr host tests: threads that start together and a
 * watchdog that fails the test (instead of hanging) when they do not finish.
 */
#ifndef __UKNR_TEST_HELPERS_H__
#define __UKNR_TEST_HELPERS_H__

#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

/* Generous: a hang is a failure, slowness on a busy 2-core host is not. */
#define NR_TEST_TIMEOUT_S 120

/*
 * Runs fn(0..n-1) in n threads released at the same moment and joins them.
 * If they are not all done after NR_TEST_TIMEOUT_S seconds, the library is
 * stuck: the test reports it and the program aborts (threads that spin
 * forever cannot be joined).
 */
static inline void run_threads(unsigned int n,
			       const std::function<void(unsigned int)> &fn)
{
	std::atomic<unsigned int> ready{0}, finished{0};
	std::atomic<bool> go{false};
	std::vector<std::thread> th;

	for (unsigned int i = 0; i < n; i++)
		th.emplace_back([&, i] {
			ready.fetch_add(1);
			while (!go.load())
				std::this_thread::yield();
			fn(i);
			finished.fetch_add(1);
		});
	while (ready.load() < n)
		std::this_thread::yield();
	go.store(true);
	auto end = std::chrono::steady_clock::now() +
		   std::chrono::seconds(NR_TEST_TIMEOUT_S);
	while (finished.load() < n) {
		if (std::chrono::steady_clock::now() > end) {
			ADD_FAILURE() << "threads did not finish within "
				      << NR_TEST_TIMEOUT_S << " s: stuck";
			fprintf(stderr, "uknr test: stuck, aborting\n");
			std::abort();
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
	for (auto &t : th)
		t.join();
}

/* xorshift64*: deterministic per-thread random numbers. */
struct Rng {
	uint64_t s;
	explicit Rng(uint64_t seed) : s(seed * 0x9e3779b97f4a7c15ULL + 1) {}
	uint64_t next()
	{
		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		return s * 0x2545f4914f6cdd1dULL;
	}
	uint64_t below(uint64_t n) { return next() % n; }
};

#endif
