/* SPDX-License-Identifier: BSD-3-Clause */
// Host tests of the split virtqueue (drivers/virtio/virtqueue.c) against a
// simulated device (sim_device.h): a producer thread and a consumer thread
// on one queue with the device in a third (run under TSan too), then the
// rejection of malformed used entries, indirect descriptors and -ENOSPC.
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "sim_device.h"

namespace {

struct Queue {
	void *ring;
	struct virtqueue *vq;
	std::atomic<unsigned long> notified{0};

	Queue(uint16_t n, uint64_t features)
	{
		ring = aligned_alloc(4096, virtqueue_ring_size(n));
		vq = (struct virtqueue *)malloc(virtqueue_size(n));
		EXPECT_EQ(virtqueue_init(vq, 0, n, ring, features, notify,
					 this), 0);
	}
	~Queue()
	{
		free(ring);
		free(vq);
	}
	static void notify(struct virtqueue *, void *arg)
	{
		// Release: pairs with the device thread's acquire load.
		((Queue *)arg)->notified.fetch_add(1,
						   std::memory_order_release);
	}
};

const uint64_t EV = 1ULL << VIRTIO_F_RING_EVENT_IDX;
const uint64_t IND = 1ULL << VIRTIO_F_INDIRECT_DESC;
using Clock = std::chrono::steady_clock;

struct Req {
	uint8_t in[24];		// device-readable
	uint8_t out[3][40];	// device-writable
	unsigned int nout;
	std::atomic<unsigned int> completions{0};
};

// Producer, consumer and device threads; every request completes once.
void run_concurrent(uint64_t features, uint16_t n, unsigned int nreq)
{
	Queue q(n, features);
	SimDevice dev(q.vq, features & EV);
	std::vector<Req> reqs(nreq);
	std::atomic<bool> stop{false};
	std::atomic<unsigned long> done{0}, bad_len{0}, bad_data{0};
	unsigned long kick_calls = 0, waits = 0;
	auto deadline = Clock::now() + std::chrono::seconds(120);

	std::thread device([&] {
		unsigned long seen = 0;

		while (!stop.load()) {
			dev.busy();
			if (dev.poll())
				continue;
			if (dev.arm_and_recheck())
				continue;
			// Sleep until kicked (acquire: pairs with notify()).
			while (q.notified.load(std::memory_order_acquire) == seen
			       && !stop.load())
				std::this_thread::yield();
			seen = q.notified.load(std::memory_order_acquire);
		}
	});
	std::thread consumer([&] {
		unsigned long irqs_seen = 0;

		while (done.load() < nreq && Clock::now() < deadline) {
			void *c;
			uint32_t len;
			int rc;

			while ((rc = virtqueue_dequeue(q.vq, &c, &len)) != 0) {
				Req *r = (Req *)c;

				if (rc < 0) {
					bad_len++;
					continue;
				}
				if (len != r->nout * 40)
					bad_len++;
				for (unsigned int s = 0; s < r->nout; s++)
					if (r->out[s][0] == 0 ||
					    r->out[s][39] != r->out[s][0])
						bad_data++;
				r->completions++;
				done++;
			}
			if (done.load() == nreq)
				break;
			if (virtqueue_intr_enable(q.vq))
				continue;	// raced with a completion
			// Wait for the interrupt; a lost one ends in the deadline.
			while (dev.interrupts.load(std::memory_order_acquire)
				       == irqs_seen && Clock::now() < deadline)
				std::this_thread::yield();
			irqs_seen = dev.interrupts.load();
			virtqueue_intr_disable(q.vq);
			waits++;
		}
	});
	for (unsigned int i = 0; i < nreq; i++) {
		Req &r = reqs[i];
		struct virtqueue_seg seg[4];
		unsigned int nr = i % 2, k = 0;

		r.nout = 1 + i % 3;
		if (nr)
			seg[k++] = { r.in, sizeof(r.in) };
		for (unsigned int s = 0; s < r.nout; s++)
			seg[k++] = { r.out[s], 40 };
		while (virtqueue_enqueue(q.vq, &r, seg, nr, r.nout) == -ENOSPC
		       && Clock::now() < deadline) {
			kick_calls += virtqueue_kick(q.vq) >= 0;
			std::this_thread::yield();
		}
		if (i % 5 == 4 || i + 1 == nreq) {
			virtqueue_kick(q.vq);
			kick_calls++;
		}
	}
	consumer.join();
	stop = true;
	device.join();

	struct virtqueue_stats st;
	virtqueue_stats_get(q.vq, &st);
	unsigned int once = 0;
	for (auto &r : reqs)
		once += r.completions.load() == 1;
	EXPECT_EQ(done.load(), nreq) << "lost completions";
	EXPECT_EQ(once, nreq);
	EXPECT_EQ(dev.errors.load(), 0u) << "descriptor reused while held";
	EXPECT_EQ(bad_len.load(), 0u);
	EXPECT_EQ(bad_data.load(), 0u);
	EXPECT_EQ(st.enqueued, nreq);
	EXPECT_EQ(st.dequeued, nreq);
	EXPECT_EQ(st.bad_used, 0u);
	EXPECT_EQ(st.kicks, q.notified.load());
	// Suppression was used both ways: fewer kicks than buffers, fewer
	// interrupts than completions.
	if (features & EV)	// the device's avail_event lags while busy
		EXPECT_GT(st.kicks_saved, 0u);
	EXPECT_LT(st.kicks, (unsigned long)nreq);
	EXPECT_LT(dev.interrupts.load(), (unsigned long)nreq);
	printf("  %u requests, n=%u: %lu kicks (%lu saved), %lu interrupts, "
	       "%lu consumer waits\n", nreq, n, st.kicks, st.kicks_saved,
	       dev.interrupts.load(), waits);
}

TEST(Virtqueue, ConcurrentEventIdxIndirect)
{
	run_concurrent(EV | IND, 64, 40000);
}

TEST(Virtqueue, ConcurrentEventIdxDirect)
{
	run_concurrent(EV, 32, 40000);
}

TEST(Virtqueue, ConcurrentFlagsOnly)
{
	run_concurrent(0, 16, 20000);
}

// Writes a used entry by hand, as a faulty device would.
void bad_used(SimDevice &dev, uint32_t id, uint32_t len)
{
	dev.r.used_ring[2 * (dev.used_idx & (dev.r.n - 1))] = id;
	dev.r.used_ring[2 * (dev.used_idx & (dev.r.n - 1)) + 1] = len;
	dev.used_idx++;
	__atomic_store_n(&dev.r.used16[1], dev.used_idx, __ATOMIC_RELEASE);
}

TEST(Virtqueue, MalformedUsedEntriesRejectedAndCounted)
{
	Queue q(8, 0);
	SimDevice dev(q.vq, false);
	uint8_t a[16], b[16], c[32];
	struct virtqueue_seg s2[2] = { { a, 16 }, { b, 16 } };
	struct virtqueue_seg s1[1] = { { c, 32 } };
	struct virtqueue_stats st;
	void *ck;
	uint32_t len;

	ASSERT_EQ(virtqueue_enqueue(q.vq, (void *)1, s2, 1, 1), 0); // 0,1
	ASSERT_EQ(virtqueue_enqueue(q.vq, (void *)2, s1, 0, 1), 0); // 2
	virtqueue_kick(q.vq);
	EXPECT_EQ(virtqueue_free_count(q.vq), 5u);
	EXPECT_EQ(virtqueue_used_idx(q.vq), 0u);

	bad_used(dev, 8, 0);		// out of range
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), -EIO);
	EXPECT_EQ(ck, nullptr);
	bad_used(dev, 0xffffffffu, 0);	// far out of range
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), -EIO);
	bad_used(dev, 1, 16);		// second descriptor of a chain
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), -EIO);
	EXPECT_EQ(ck, nullptr);
	bad_used(dev, 5, 0);		// a free descriptor
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), -EIO);
	bad_used(dev, 0, 17);		// longer than the writable 16
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), -EIO);
	EXPECT_EQ(ck, (void *)1);
	EXPECT_EQ(len, 0u);
	bad_used(dev, 0, 16);		// the same buffer twice
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), -EIO);
	EXPECT_EQ(ck, nullptr);
	bad_used(dev, 2, 32);		// a correct one still works
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), 1);
	EXPECT_EQ(ck, (void *)2);
	EXPECT_EQ(len, 32u);
	EXPECT_EQ(virtqueue_dequeue(q.vq, &ck, &len), 0);
	// The device's index counts every entry it wrote, good or not.
	EXPECT_EQ(virtqueue_used_idx(q.vq), 7u);
	virtqueue_stats_get(q.vq, &st);
	EXPECT_EQ(st.bad_used, 6u);
	EXPECT_EQ(st.dequeued, 2u);

	// Both buffers' descriptors came back: 8 one-segment buffers fit.
	for (uintptr_t i = 0; i < 8; i++)
		EXPECT_EQ(virtqueue_enqueue(q.vq, (void *)(i + 10), s1, 0, 1), 0);
	EXPECT_EQ(virtqueue_enqueue(q.vq, (void *)99, s1, 0, 1), -ENOSPC);
}

TEST(Virtqueue, IndirectUsesOneDescriptor)
{
	Queue qi(4, IND), qd(4, 0);
	uint8_t buf[5][8];
	struct virtqueue_seg seg[5];

	for (int i = 0; i < 5; i++)
		seg[i] = { buf[i], 8 };
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(virtqueue_enqueue(qi.vq, buf[i], seg, 2, 2), 0);
	EXPECT_EQ(virtqueue_free_count(qi.vq), 0u);
	EXPECT_EQ(virtqueue_enqueue(qd.vq, buf[0], seg, 2, 2), 0);
	EXPECT_EQ(virtqueue_free_count(qd.vq), 0u);
	EXPECT_EQ(virtqueue_enqueue(qd.vq, buf[1], seg, 1, 0), -ENOSPC);
	// More segments than the ring has: refused, not split here.
	EXPECT_EQ(virtqueue_enqueue(qd.vq, buf[1], seg, 5, 0), -EINVAL);

	SimDevice dev(qi.vq, false);
	virtqueue_kick(qi.vq);
	EXPECT_EQ(dev.poll(), 4u);
	EXPECT_EQ(dev.errors.load(), 0u);
	void *ck;
	uint32_t len;
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(virtqueue_dequeue(qi.vq, &ck, &len), 1);
		EXPECT_EQ(ck, buf[i]);
		EXPECT_EQ(len, 16u);
	}
	EXPECT_EQ(buf[2][0], dev.pattern(3));	// the last writer: head 3
}

TEST(Virtqueue, InitRejectsBadArguments)
{
	void *ring = aligned_alloc(4096, virtqueue_ring_size(8));
	auto *vq = (struct virtqueue *)malloc(virtqueue_size(8));

	EXPECT_EQ(virtqueue_init(vq, 0, 6, ring, 0, Queue::notify, nullptr),
		  -EINVAL);
	EXPECT_EQ(virtqueue_init(vq, 0, 8, (char *)ring + 8, 0, Queue::notify,
				 nullptr), -EINVAL);
	EXPECT_EQ(virtqueue_init(vq, 0, 8, ring, 0, nullptr, nullptr), -EINVAL);
	free(ring);
	free(vq);
}

} // namespace
