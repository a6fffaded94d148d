/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A Wing & Gong style linearizability checker for small recorded histories
 * (up to 64 operations): depth-first search over the operations that may
 * take effect next (invoked before every unfinished operation's response),
 * applying each to a sequential model and keeping it only if the model's
 * response equals the recorded one; (set of done operations, model state)
 * pairs that failed once are memoised.
 *
 * A Model has `typedef ... State;` (encoded exactly into a uint64_t by
 * Model::encode(State)), `State init()` and
 * `bool apply(State &s, const HistOp &op)`, which changes s and returns
 * whether op's recorded response is what the model gives.
 */
#ifndef __UKNR_LINCHECK_H__
#define __UKNR_LINCHECK_H__

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

struct HistOp {
	uint64_t inv, res;	/* global counter at invocation / response */
	int kind;		/* model-defined operation code */
	uint64_t a, b;		/* arguments */
	int64_t rstatus;	/* recorded response */
	uint64_t rval;
};

/* Whether some two operations of h overlap in time (a history where none
 * do tests nothing). */
static inline bool lin_overlapping(const std::vector<HistOp> &h)
{
	for (auto &a : h)
		for (auto &b : h)
			if (&a != &b && a.inv < b.inv && b.inv < a.res)
				return true;
	return false;
}

template <class Model> class LinChecker {
public:
	explicit LinChecker(const std::vector<HistOp> &h) : h_(h) {}

	bool check()
	{
		if (h_.size() > 64)
			return false;
		all_ = h_.size() == 64 ? ~0ULL : (1ULL << h_.size()) - 1;
		return dfs(0, Model::init());
	}

	uint64_t visited() const { return visited_; }

private:
	bool dfs(uint64_t done, typename Model::State s)
	{
		if (done == all_)
			return true;
		visited_++;
		std::pair<uint64_t, uint64_t> key(done, Model::encode(s));
		if (failed_.count(key))
			return false;
		uint64_t min_res = ~0ULL;
		for (size_t i = 0; i < h_.size(); i++)
			if (!(done & (1ULL << i)) && h_[i].res < min_res)
				min_res = h_[i].res;
		for (size_t i = 0; i < h_.size(); i++) {
			if (done & (1ULL << i) || h_[i].inv > min_res)
				continue;
			typename Model::State n = s;
			if (Model::apply(n, h_[i]) &&
			    dfs(done | (1ULL << i), n))
				return true;
		}
		failed_.insert(key);
		return false;
	}

	const std::vector<HistOp> &h_;
	uint64_t all_ = 0;
	uint64_t visited_ = 0;
	std::set<std::pair<uint64_t, uint64_t>> failed_;
};

#endif
