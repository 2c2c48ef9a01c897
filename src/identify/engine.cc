#include "identify/engine.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <cassert>
#include <cstdlib>
#include <numeric>
#include <string>
#include <thread>
#include <unordered_map>

#include "core/bank_card.h"
#include "core/resident_id.h"
#include "core/student_no.h"
#include "identify/flat_map.h"
#include "identify/radix_sort.h"

namespace zizhu::identify {

uint16_t flag_bit(std::string_view code) {
  for (size_t i = 0; i < kFlagNames.size(); ++i)
    if (kFlagNames[i] == code) return static_cast<uint16_t>(1u << i);
  return 0;
}

std::string_view status_code(Status s) {
  switch (s) {
    case Status::kBlocked: return "BLOCKED";
    case Status::kNotApplied: return "NOT_APPLIED";
    case Status::kNotEligible: return "NOT_ELIGIBLE";
    case Status::kFunded: return "FUNDED";
    case Status::kWaitlist: return "WAITLIST";
  }
  return "";
}

int assess_level(int32_t score, uint64_t verified, const Policy& policy) {
  int level = -1;
  for (size_t l = 0; l < policy.levels.size(); ++l) {
    if (policy.levels[l].min_score <= score) {
      level = static_cast<int>(l);
      break;
    }
  }
  for (size_t c = 0; c < policy.categories.size(); ++c) {
    if (!(verified >> c & 1) || !policy.categories[c].min_level) continue;
    const int lift = policy.level_index(*policy.categories[c].min_level);
    if (lift >= 0 && (level < 0 || lift < level)) level = lift;
  }
  return level;
}

namespace {

// Exact products of money and counts (fen × household size) without overflow.
__extension__ using Int128 = __int128;

// (key, position) pairs of the rows that have a key, sorted by (key, position).
std::vector<KeyPos> sorted_keys(const std::vector<uint64_t>& keys) {
  std::vector<KeyPos> sorted;
  sorted.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    if (keys[i] != kNoKey) sorted.push_back(KeyPos{keys[i], static_cast<uint32_t>(i), 0});
  radix_sort(sorted);  // stable: position order within a key
  return sorted;
}

// Calls fn(left position, right position) for every pair of equal keys of two
// sorted arrays: a merge join, reading both sides in order, where probing a
// hash table of the smaller side cost one cache miss per roster row.
template <class Fn>
void merge_join(const std::vector<KeyPos>& l, const std::vector<KeyPos>& r, Fn&& fn) {
  size_t i = 0, j = 0;
  while (i < l.size() && j < r.size()) {
    if (l[i].key < r[j].key) {
      ++i;
    } else if (r[j].key < l[i].key) {
      ++j;
    } else {
      const uint64_t k = l[i].key;
      size_t ie = i + 1, je = j + 1;
      while (ie < l.size() && l[ie].key == k) ++ie;
      while (je < r.size() && r[je].key == k) ++je;
      for (size_t a = i; a < ie; ++a)
        for (size_t b = j; b < je; ++b) fn(l[a].position, r[b].position);
      i = ie, j = je;
    }
  }
}

// Runs the tasks on up to `threads` threads (each task writes only its own
// results, so the outcome does not depend on the number of threads).
void run_tasks(int threads, std::vector<std::function<void()>> tasks) {
  const size_t workers = std::min(tasks.size(), static_cast<size_t>(std::clamp(threads, 1, 64)));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t t; (t = next.fetch_add(1)) < tasks.size();) tasks[t]();
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Runs fn(begin, end) over [0, n) split into `threads` contiguous ranges. Each
// range writes only its own elements, so the result does not depend on the
// number of threads.
template <class Fn>
void parallel_for(size_t n, int threads, Fn&& fn, size_t grain = 50000) {
  const size_t parts = static_cast<size_t>(std::clamp(threads, 1, 64));
  if (parts == 1 || n < 2 * grain) {
    fn(size_t{0}, n);
    return;
  }
  std::vector<std::thread> workers;
  const size_t step = (n + parts - 1) / parts;
  for (size_t p = 1; p < parts; ++p) {
    const size_t b = std::min(n, p * step), e = std::min(n, (p + 1) * step);
    workers.emplace_back([&fn, b, e] { fn(b, e); });
  }
  fn(size_t{0}, std::min(n, step));
  for (auto& w : workers) w.join();
}

// per-capita income a/b < c/d, exactly.
bool per_capita_less(Fen a, int32_t b, Fen c, int32_t d) {
  return static_cast<Int128>(a.value()) * d < static_cast<Int128>(c.value()) * b;
}

}  // namespace

Outcome decide(const Dataset& data, const Policy& policy, int threads) {
  const Students& st = data.students;
  const size_t n = st.size();
  const Date reference = policy.reference_date;
  Outcome out;
  out.status.assign(n, Status::kNotApplied);
  out.level.assign(n, -1);
  out.score.assign(n, 0);
  out.verified.assign(n, 0);
  out.matched.assign(n, 0);
  out.flags.assign(n, 0);
  out.rank.assign(n, 0);
  out.amount.assign(n, Fen{});
  out.application.assign(n, -1);

  const Applications& apps = data.applications;
  const ListEntries& le = data.lists;
  const History& h = data.history;

  // Categories whose lists also count the guardian's ID.
  uint64_t household_mask = 0;
  for (size_t c = 0; c < policy.categories.size(); ++c)
    if (policy.categories[c].match == MatchRule::kHousehold) household_mask |= uint64_t{1} << c;
  const int32_t ref_days = reference.days();

  // Every join is a merge of sorted (key, row) pairs: the roster's IDs,
  // guardians' IDs and 学籍号 against the list entries, history rows and
  // applications. Sorting ten million pairs is a few sequential radix passes;
  // probing a hash table of millions of keys was a cache miss per row. The
  // tasks of each stage run on up to `threads` threads and each writes only
  // its own results, so the outcome does not depend on the thread count.
  std::vector<KeyPos> lists, history_by_id, history_by_no, apps_by_no;
  std::vector<uint8_t> dup_funding(n, 0), dup_funding_by_no(n, 0), dup_enrollment(n, 0), shared_card(n, 0);
  std::vector<uint64_t> guardian_matched(n, 0), guardian_in_force(n, 0);
  std::vector<uint8_t> app_used(apps.size(), 0);
  auto list_entry = [&](uint32_t e, uint64_t allowed, uint64_t& matched, uint64_t& in_force) {
    const uint64_t bit = uint64_t{1} << le.category[e];
    if (!(bit & allowed)) return;
    matched |= bit;
    if (le.valid_from_days[e] <= ref_days && ref_days <= le.valid_to_days[e]) in_force |= bit;
  };
  auto history_elsewhere = [&](uint32_t i, uint32_t r) {
    return data.school_codes[st.school[i]] != data.side_text.get(h.school_code[r]);
  };
  // Stage 1: the smaller sides, sorted.
  auto sort_history = [&] {
    std::vector<uint64_t> id_keys(h.size(), kNoKey), no_keys(h.size(), kNoKey);
    std::unordered_map<std::string_view, std::vector<uint32_t>> history_odd_ids;  // IDs of another shape
    for (size_t r = 0; r < h.size(); ++r) {
      const std::string_view id = data.side_text.get(h.id_text[r]);
      if (!id.empty()) {
        if (auto k = resident_id_key(id)) {
          id_keys[r] = *k;
        } else {
          history_odd_ids[id].push_back(static_cast<uint32_t>(r));
        }
      }
      const std::string_view no = data.side_text.get(h.student_no[r]);
      if (auto k = no.empty() ? std::nullopt : student_no_key(no)) no_keys[r] = *k;
    }
    history_by_id = sorted_keys(id_keys);
    history_by_no = sorted_keys(no_keys);
    // DUP_FUNDING through IDs of another shape (rare): compared as text.
    for (const auto& [i, text] : st.odd_ids) {
      if (auto it = history_odd_ids.find(text); it != history_odd_ids.end())
        for (uint32_t r : it->second)
          if (history_elsewhere(i, r)) dup_funding[i] = 1;
    }
  };
  run_tasks(threads, {[&] { lists = sorted_keys(le.id_key); }, sort_history,
                      [&] { apps_by_no = sorted_keys(apps.no_key); }});

  // Stage 2: the roster's keys, sorted and merged.
  auto join_ids = [&] {
    const std::vector<KeyPos> ids = sorted_keys(st.id_key);
    // DUP_ENROLLMENT: one valid ID on several roster rows.
    for (size_t g = 0; g < ids.size();) {
      size_t e = g + 1, valid = st.id_valid[ids[g].position];
      for (; e < ids.size() && ids[e].key == ids[g].key; ++e) valid += st.id_valid[ids[e].position];
      if (valid > 1)
        for (size_t k = g; k < e; ++k)
          if (st.id_valid[ids[k].position]) dup_enrollment[ids[k].position] = 1;
      g = e;
    }
    merge_join(ids, lists, [&](uint32_t i, uint32_t e) { list_entry(e, ~uint64_t{0}, out.matched[i], out.verified[i]); });
    // A history row names the student by ID when both have one.
    merge_join(ids, history_by_id, [&](uint32_t i, uint32_t r) {
      if (history_elsewhere(i, r)) dup_funding[i] = 1;
    });
  };
  auto join_guardians = [&] {
    const std::vector<KeyPos> guardians = sorted_keys(st.guardian_key);
    merge_join(guardians, lists,
               [&](uint32_t i, uint32_t e) { list_entry(e, household_mask, guardian_matched[i], guardian_in_force[i]); });
  };
  auto join_student_nos = [&] {
    const std::vector<KeyPos> nos = sorted_keys(st.no_key);
    merge_join(nos, apps_by_no, [&](uint32_t i, uint32_t a) {
      if (out.application[i] >= 0) return;  // the first application stands
      out.application[i] = static_cast<int32_t>(a);
      app_used[a] = 1;
    });
    // By 学籍号 when the student or the history row has no ID.
    merge_join(nos, history_by_no, [&](uint32_t i, uint32_t r) {
      if ((!st.has_id[i] || data.side_text.get(h.id_text[r]).empty()) && history_elsewhere(i, r)) dup_funding_by_no[i] = 1;
    });
  };
  auto find_shared_cards = [&] {
    // A household is the guardian's valid ID, or the student alone without one.
    std::vector<KeyPos> cards;  // (card value, row, digit count): equal cards are equal in both
    cards.reserve(n);
    for (size_t i = 0; i < n; ++i)
      if (st.card_digits[i] > 0) cards.push_back(KeyPos{st.card_value[i], static_cast<uint32_t>(i), st.card_digits[i]});
    radix_sort(cards, /*by_aux=*/true);
    std::vector<uint64_t> guardians;
    for (size_t g = 0; g < cards.size();) {
      size_t e = g + 1;
      while (e < cards.size() && cards[e].key == cards[g].key && cards[e].aux == cards[g].aux) ++e;
      if (static_cast<int64_t>(e - g) > policy.checks.shared_bank_card_max_households) {
        guardians.clear();
        int64_t households = 0;
        for (size_t k = g; k < e; ++k) {
          const uint64_t gk = st.guardian_key[cards[k].position];
          if (gk == kNoKey) {
            ++households;
          } else {
            guardians.push_back(gk);
          }
        }
        std::sort(guardians.begin(), guardians.end());
        households += std::unique(guardians.begin(), guardians.end()) - guardians.begin();
        if (households > policy.checks.shared_bank_card_max_households)
          for (size_t k = g; k < e; ++k) shared_card[cards[k].position] = 1;
      }
      g = e;
    }
  };
  run_tasks(threads, {join_ids, join_guardians, join_student_nos, find_shared_cards});

  // Then one pass over the roster, in parallel ranges that write only their
  // own rows: the joins, every flag known before the budget walk, the score,
  // the level and the status.
  uint16_t blocking = 0;
  for (const auto& code : policy.checks.blocking) blocking |= flag_bit(code);
  // Ages on the reference date by days before it (130 years): one look-up
  // per row instead of two date conversions.
  std::vector<int16_t> age_by_days_back(130 * 366);
  for (size_t d = 0; d < age_by_days_back.size(); ++d)
    age_by_days_back[d] = static_cast<int16_t>(age_years(Date::from_days(ref_days - static_cast<int32_t>(d)), reference));
  parallel_for(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const int32_t app = out.application[i];
      const uint64_t matched = out.matched[i] | guardian_matched[i];
      const uint64_t in_force = out.verified[i] | guardian_in_force[i];
      out.matched[i] = matched;
      const uint64_t verified = in_force;
      out.verified[i] = verified;

      uint16_t f = 0;
      if (matched & ~in_force) f |= kListExpired;
      if (st.has_id[i] && !st.id_valid[i]) f |= kIdInvalid;
      if (st.id_mismatch[i]) f |= kIdMismatch;
      if (st.gender[i] != 0 && st.id_valid[i] && (st.gender[i] == 'M') != (st.id_male[i] != 0)) f |= kGenderMismatch;
      const int32_t birth = st.id_valid[i] ? st.id_birth_days[i] : st.birth_days[i];
      if (birth != kNoDate) {
        const int64_t back = static_cast<int64_t>(ref_days) - birth;  // >= 0: no birth after the reference date
        const int age = back >= 0 && back < static_cast<int64_t>(age_by_days_back.size())
                            ? age_by_days_back[static_cast<size_t>(back)]
                            : age_years(Date::from_days(birth), reference);
        if (std::abs(age - (st.grade[i] + 5)) > policy.checks.age_grade_tolerance) f |= kAgeGrade;
      }
      if (st.card_luhn_bad[i]) f |= kBankCardLuhn;
      if (dup_enrollment[i]) f |= kDupEnrollment;
      if (shared_card[i]) f |= kSharedBankCard;

      const bool funded_elsewhere = dup_funding[i] != 0 || dup_funding_by_no[i] != 0;
      if (funded_elsewhere) f |= kDupFunding;

      // Score, level, status.
      int32_t score = 0;
      for (size_t c = 0; c < policy.categories.size(); ++c) {
        if (!(verified >> c & 1)) continue;
        score = std::max(score, static_cast<int32_t>(policy.categories[c].points));
      }
      if (app >= 0) {
        const auto ai = static_cast<size_t>(app);
        const int64_t size = apps.household_size[ai];
        for (const auto& b : policy.income_brackets) {
          if (static_cast<Int128>(b.below.value()) * size > apps.income[ai].value()) {
            score += b.points;
            break;
          }
        }
        const auto& fp = policy.factors;
        if (apps.serious_illness[ai]) score += fp.serious_illness;
        if (apps.sudden_hardship[ai]) score += fp.sudden_hardship;
        if (apps.single_parent[ai]) score += fp.single_parent;
        if (apps.siblings[ai] >= 0 && apps.siblings[ai] >= fp.siblings_min) score += fp.siblings_in_school;
        if ((apps.claimed[ai] & ~verified) != 0 || apps.claimed_unknown[ai]) f |= kClaimUnverified;
      }
      out.flags[i] = f;
      const int level = assess_level(score, verified, policy);
      out.score[i] = score;
      out.level[i] = static_cast<int16_t>(level);
      if (f & blocking) {
        out.status[i] = Status::kBlocked;
      } else if (app < 0 && !(policy.direct_identification && verified != 0)) {
        out.status[i] = Status::kNotApplied;
      } else if (level < 0) {
        out.status[i] = Status::kNotEligible;
      } else {
        out.status[i] = Status::kWaitlist;  // a candidate, until the walk decides
      }
    }
  });
  for (size_t a = 0; a < apps.size(); ++a)
    if (!app_used[a]) out.not_enrolled.push_back(static_cast<uint32_t>(a));

  // Allocation, school by school.
  const size_t schools = data.school_codes.size();
  out.schools.assign(schools, SchoolSummary{});
  std::vector<std::vector<uint32_t>> candidates(schools);
  for (size_t i = 0; i < n; ++i) {
    SchoolSummary& s = out.schools[st.school[i]];
    ++s.students;
    if (out.application[i] >= 0) ++s.applicants;
    if (out.status[i] == Status::kBlocked) ++s.blocked;
    if (out.status[i] == Status::kWaitlist) candidates[st.school[i]].push_back(static_cast<uint32_t>(i));
  }
  auto income_of = [&](uint32_t i, Fen& income, int32_t& size) {
    const int32_t a = out.application[i];
    income = a >= 0 ? apps.income[static_cast<size_t>(a)] : Fen{};
    size = a >= 0 ? apps.household_size[static_cast<size_t>(a)] : 1;
  };
  parallel_for(schools, threads, [&](size_t school_begin, size_t school_end) {
  for (size_t sc = school_begin; sc < school_end; ++sc) {
    SchoolSummary& s = out.schools[sc];
    s.funded_by_level.assign(policy.levels.size(), 0);
    s.budget = data.budget[sc];
    auto& order = candidates[sc];
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
      const bool vx = out.verified[x] != 0, vy = out.verified[y] != 0;
      if (vx != vy) return vx;
      if (out.level[x] != out.level[y]) return out.level[x] < out.level[y];
      if (out.score[x] != out.score[y]) return out.score[x] > out.score[y];
      Fen ix, iy;
      int32_t nx = 1, ny = 1;
      income_of(x, ix, nx);
      income_of(y, iy, ny);
      if (per_capita_less(ix, nx, iy, ny)) return true;
      if (per_capita_less(iy, ny, ix, nx)) return false;
      return st.no_key[x] < st.no_key[y];
    });
    Fen remaining = s.budget;
    for (size_t r = 0; r < order.size(); ++r) {
      const uint32_t i = order[r];
      out.rank[i] = static_cast<int32_t>(r + 1);
      ++s.candidates;
      const bool junior = st.grade[i] >= 7;
      const bool boarding = st.boarding[i] != 0;
      int funded_level = -1;
      Fen amount;
      const int last = policy.allow_downgrade ? static_cast<int>(policy.levels.size()) - 1 : out.level[i];
      for (int l = out.level[i]; l <= last; ++l) {
        const Fen want = policy.amount_for(l, junior, boarding);
        if (want <= remaining) {
          funded_level = l;
          amount = want;
          break;
        }
      }
      if (funded_level >= 0) {
        if (funded_level != out.level[i]) out.flags[i] |= kDowngraded;
        out.status[i] = Status::kFunded;
        out.level[i] = static_cast<int16_t>(funded_level);
        out.amount[i] = amount;
        remaining = *remaining.checked_sub(amount);
        ++s.funded;
        ++s.funded_by_level[static_cast<size_t>(funded_level)];
      } else {
        if (s.budget.value() == 0) out.flags[i] |= kNoBudget;
        ++s.waitlist;
      }
    }
    s.remaining = remaining;
    s.allocated = *s.budget.checked_sub(remaining);
  }
  }, /*grain=*/16);
  return out;
}

}  // namespace zizhu::identify
