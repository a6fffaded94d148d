/* SPDX-License-Identifier: BSD-3-Clause */
// A simulated virtio device for the split-ring host tests: it reads the
// ring the way the virtio 1.x spec says a device does (section 2.7), with
// the barriers a device must use, and checks the driver's side: no
// descriptor of a buffer in flight is handed out again, chains are well
// formed, and notifications follow event suppression.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include <uk/virtqueue.h>
}

struct SimRing {
	struct Desc {
		uint64_t addr;
		uint32_t len;
		uint16_t flags, next;
	};
	Desc *desc;
	uint16_t *avail;	// flags, idx, ring[n], used_event
	uint16_t *used16;	// flags, idx
	uint32_t *used_ring;	// id, len pairs
	uint16_t *avail_event;
	uint16_t *used_event;
	uint16_t n;

	SimRing(struct virtqueue *vq)
	{
		uint64_t d, a, u;

		virtqueue_ring_addrs(vq, &d, &a, &u);
		n = virtqueue_num(vq);
		desc = (Desc *)d;
		avail = (uint16_t *)a;
		used16 = (uint16_t *)u;
		used_ring = (uint32_t *)(u + 4);
		used_event = &avail[2 + n];
		avail_event = (uint16_t *)(used_ring + 2 * n);
	}
};

static inline bool sim_need_event(uint16_t event, uint16_t nw, uint16_t old)
{
	return (uint16_t)(nw - event - 1) < (uint16_t)(nw - old);
}

struct SimDevice {
	SimRing r;
	bool event_idx;
	uint16_t last_avail = 0, used_idx = 0;
	std::vector<uint8_t> in_use;	// per descriptor: part of a buffer held
	std::atomic<unsigned long> errors{0};
	std::atomic<unsigned long> interrupts{0};
	std::atomic<unsigned long> kicks{0};
	unsigned long completed = 0;
	// What to write into writable segments of the buffer with head h.
	uint8_t pattern(uint16_t h) { return (uint8_t)(h * 7 + 1); }

	SimDevice(struct virtqueue *vq, bool ev)
		: r(vq), event_idx(ev), in_use(r.n, 0) {}

	void fail() { errors.fetch_add(1); }

	// Marks desc i held; a descriptor already held is an error.
	void hold(uint16_t i)
	{
		if (i >= r.n || in_use[i])
			fail();
		else
			in_use[i] = 1;
	}

	// Walks one chain (direct or indirect), writes the writable part.
	uint32_t serve(uint16_t head, std::vector<uint16_t> &held)
	{
		uint32_t written = 0;
		SimRing::Desc *tbl = r.desc;
		uint16_t i = head, steps = 0, limit = r.n;

		hold(head);
		held.push_back(head);
		if (r.desc[head].flags & 4) {	// indirect
			tbl = (SimRing::Desc *)r.desc[head].addr;
			limit = r.desc[head].len / 16;
			if (r.desc[head].len % 16 || !limit ||
			    limit > VIRTQ_INDIRECT_MAX)
				fail();
			i = 0;
		}
		for (;;) {
			SimRing::Desc d = tbl[i];

			if (++steps > limit) {
				fail();
				break;
			}
			if (d.flags & 2) {
				memset((void *)d.addr, pattern(head), d.len);
				written += d.len;
			}
			if (!(d.flags & 1))
				break;
			i = d.next;
			if (tbl == r.desc) {
				hold(i);
				held.push_back(i);
			}
		}
		return written;
	}

	// Serves everything available; returns how many buffers.
	unsigned int poll()
	{
		// Acquire: pairs with the driver's release store of avail->idx.
		uint16_t avail_idx = __atomic_load_n(&r.avail[1],
						     __ATOMIC_ACQUIRE);
		unsigned int done = 0;

		while (last_avail != avail_idx) {
			uint16_t head = r.avail[2 + (last_avail & (r.n - 1))];
			std::vector<uint16_t> held;
			uint32_t len;

			last_avail++;
			len = serve(head, held);
			for (uint16_t h : held)
				in_use[h] = 0;	// before used->idx: no false alarm
			r.used_ring[2 * (used_idx & (r.n - 1))] = head;
			r.used_ring[2 * (used_idx & (r.n - 1)) + 1] = len;
			used_idx++;
			done++;
		}
		if (done)
			publish_used(done);
		completed += done;
		return done;
	}

	void publish_used(unsigned int done)
	{
		uint16_t old = used_idx - done;
		bool irq;

		// Seq-cst store and loads: used entries before the index (the
		// driver acquires), index stored before used_event/flags are
		// read (the device's full barrier).
		__atomic_store_n(&r.used16[1], used_idx, __ATOMIC_SEQ_CST);
		if (event_idx)
			irq = sim_need_event(__atomic_load_n(r.used_event,
							     __ATOMIC_SEQ_CST),
					     used_idx, old);
		else
			irq = !(__atomic_load_n(&r.avail[0], __ATOMIC_SEQ_CST)
				& 1);
		if (irq)
			interrupts.fetch_add(1, std::memory_order_release);
	}

	// Before sleeping: asks for a kick, then re-checks (spec 2.7.10).
	bool arm_and_recheck()
	{
		if (event_idx)
			__atomic_store_n(r.avail_event, last_avail,
					 __ATOMIC_SEQ_CST);
		else
			__atomic_store_n(&r.used16[0], 0, __ATOMIC_SEQ_CST);
		return __atomic_load_n(&r.avail[1], __ATOMIC_SEQ_CST)
			!= last_avail;
	}

	// While busy: no kicks wanted (flags mode) / avail_event stays behind.
	void busy()
	{
		if (!event_idx)
			__atomic_store_n(&r.used16[0], 1, __ATOMIC_RELAXED);
	}
};
