/* SPDX-License-Identifier: BSD-3-Clause */
// Shared by ukmpi's host tests: a malloc-backed uk_alloc, threads that play
// CPUs, and a bounded wait that fails a test instead of hanging it.
#ifndef UKMPI_HOST_COMMON_H
#define UKMPI_HOST_COMMON_H

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

extern "C" {
#include <uk/alloc.h>
#include <uk/chan.h>
#include <uk/plat/lcpu.h>
}

namespace ukmpi_host {

inline void *heap_malloc(struct uk_alloc *, size_t size)
{
	return malloc(size);
}

inline void heap_free(struct uk_alloc *, void *p)
{
	free(p);
}

// uk_malloc()/uk_free() only call these two (the allocator counts itself).
inline struct uk_alloc *heap()
{
	static struct uk_alloc a;
	static bool ready;

	if (!ready) {
		memset(&a, 0, sizeof(a));
		a.malloc = heap_malloc;
		a.free = heap_free;
		a.flags = _UK_ALLOC_F_SELF;
		a.name = "host-heap";
		ready = true;
	}
	return &a;
}

// Runs fn(cpu) on n threads, thread i as CPU i, and joins them. The
// watchdog: if they are not all done within `seconds`, the program says so
// and aborts (the test fails instead of hanging), after on_hang() said
// what it knows.
inline void run_cpus(unsigned int n, const std::function<void(unsigned int)> &fn,
		     double seconds = 120,
		     const std::function<void()> &on_hang = nullptr)
{
	std::vector<std::thread> th;
	std::atomic<unsigned int> done{0};

	for (unsigned int i = 0; i < n; i++)
		th.emplace_back([i, &done, &fn] {
			ukplat_host_lcpu_set_idx(i);
			fn(i);
			done.fetch_add(1);
		});
	auto end = std::chrono::steady_clock::now() +
		   std::chrono::duration<double>(seconds);
	while (done.load() < n) {
		if (std::chrono::steady_clock::now() > end) {
			fprintf(stderr, "watchdog: %u of %u threads still "
				"running after %.0f s: hung\n",
				n - done.load(), n, seconds);
			if (on_hang)
				on_hang();
			fflush(stderr);
			abort();
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
	for (auto &t : th)
		t.join();
}

// Channels between n CPUs for one test.
struct Channels {
	explicit Channels(unsigned int n) { ok = uk_chan_setup(heap(), n) == 0; }
	~Channels() { uk_chan_teardown(); }
	bool ok;
};

} // namespace ukmpi_host

#endif
