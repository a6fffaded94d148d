/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Sequential models of the uknr example structures for the Wing & Gong
 * checker of lincheck.h (test_lin.cc: NR; test_cnr.cc: CNR with scans).
 */
#ifndef __UKNR_MODELS_H__
#define __UKNR_MODELS_H__

#include <uk/nr_hashmap.h>
#include <uk/nr_pqueue.h>
#include "lincheck.h"

/* Scans of the CNR hash map, as history kinds: the number of keys, and the
 * set of model keys present as a bit mask (rval). */
enum { HM_SCAN_LEN = 1001, HM_SCAN_KEYS = 1002 };

/* Hash map restricted to keys 0..3 and values 1..15: 5 bits per key. */
struct HmModel {
	typedef uint64_t State;	/* key k: bits 5k..5k+4, 0 = absent */
	static State init() { return 0; }
	static uint64_t encode(State s) { return s; }
	static uint64_t get(State s, uint64_t k) { return (s >> (5 * k)) & 31; }
	static State set(State s, uint64_t k, uint64_t v)
	{
		return (s & ~(31ULL << (5 * k))) | (v << (5 * k));
	}
	static bool apply(State &s, const HistOp &op)
	{
		uint64_t cur = get(s, op.a);
		unsigned int n = 0;

		switch (op.kind) {
		case UK_NR_HM_PUT:
			s = set(s, op.a, op.b);
			return cur ? op.rstatus == 1 && op.rval == cur
				   : op.rstatus == 0;
		case UK_NR_HM_REMOVE:
			s = set(s, op.a, 0);
			return cur ? op.rstatus == 1 && op.rval == cur
				   : op.rstatus == 0;
		case UK_NR_HM_GET:
			return cur ? op.rstatus == 1 && op.rval == cur
				   : op.rstatus == 0;
		case UK_NR_HM_COUNT:
		case HM_SCAN_LEN:
			for (uint64_t k = 0; k < 4; k++)
				n += get(s, k) != 0;
			return op.rval == n;
		case HM_SCAN_KEYS:
			for (uint64_t k = 0; k < 4; k++)
				n |= (get(s, k) != 0) << k;
			return op.rval == n;
		}
		return false;
	}
};

/* Priority queue of values 0..7: an 8-bit count per value. */
struct PqModel {
	typedef uint64_t State;
	static State init() { return 0; }
	static uint64_t encode(State s) { return s; }
	static uint64_t count(State s, uint64_t v) { return (s >> (8 * v)) & 255; }
	static bool min(State s, uint64_t *v)
	{
		for (uint64_t x = 0; x < 8; x++)
			if (count(s, x)) {
				*v = x;
				return true;
			}
		return false;
	}
	static bool apply(State &s, const HistOp &op)
	{
		uint64_t m = 0, n = 0;
		bool any = min(s, &m);

		switch (op.kind) {
		case UK_NR_PQ_PUSH:
			s += 1ULL << (8 * op.a);
			return op.rstatus == 0;
		case UK_NR_PQ_POP:
			if (!any)
				return op.rstatus == 0;
			s -= 1ULL << (8 * m);
			return op.rstatus == 1 && op.rval == m;
		case UK_NR_PQ_PEEK:
			if (!any)
				return op.rstatus == 0;
			return op.rstatus == 1 && op.rval == m;
		case UK_NR_PQ_SIZE:
			for (uint64_t x = 0; x < 8; x++)
				n += count(s, x);
			return op.rval == n;
		}
		return false;
	}
};

#endif
