#include "identify/engine.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <numeric>
#include <string>
#include <unordered_map>

#include "core/bank_card.h"
#include "core/resident_id.h"
#include "core/student_no.h"
#include "identify/flat_map.h"

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

namespace {

// Exact products of money and counts (fen × household size) without overflow.
__extension__ using Int128 = __int128;

// Keys sorted with the positions they came from: a many-to-many index for
// joins (list entries by ID, students by effective ID).
struct KeyIndex {
  std::vector<uint32_t> order;  // positions sorted by key
  FlatMap first;                // key -> index into `order` of its first position
  std::vector<uint32_t> count;  // per index into `order` of a first position: how many share the key

  KeyIndex() : first(16) {}
  void build(const std::vector<uint64_t>& keys) {
    order.resize(keys.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&keys](uint32_t a, uint32_t b) {
      return keys[a] != keys[b] ? keys[a] < keys[b] : a < b;
    });
    first = FlatMap(keys.size());
    count.assign(keys.size(), 0);
    for (size_t i = 0; i < order.size();) {
      const uint64_t k = keys[order[i]];
      size_t j = i;
      while (j < order.size() && keys[order[j]] == k) ++j;
      if (k != kNoKey) {
        bool inserted = false;
        first.find_or_insert(k, static_cast<uint32_t>(i), inserted);
        count[i] = static_cast<uint32_t>(j - i);
      }
      i = j;
    }
  }
  // Calls fn(position) for every position whose key is `key`.
  template <class Fn>
  void for_each(uint64_t key, Fn&& fn) const {
    if (key == kNoKey) return;
    const uint32_t* at = first.find(key);
    if (!at) return;
    for (uint32_t i = *at, end = *at + count[*at]; i < end; ++i) fn(order[i]);
  }
};

// per-capita income a/b < c/d, exactly.
bool per_capita_less(Fen a, int32_t b, Fen c, int32_t d) {
  return static_cast<Int128>(a.value()) * d < static_cast<Int128>(c.value()) * b;
}

}  // namespace

Outcome decide(const Dataset& data, const Policy& policy, int threads) {
  (void)threads;  // the run is deterministic; parallel phases come with the performance work
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

  // Applications to roster rows.
  FlatMap by_no(n);
  for (size_t i = 0; i < n; ++i) {
    bool inserted = false;
    by_no.find_or_insert(st.no_key[i], static_cast<uint32_t>(i), inserted);
    assert(inserted);  // duplicates were rejected while loading
  }
  const Applications& apps = data.applications;
  for (size_t a = 0; a < apps.size(); ++a) {
    const uint32_t* s = apps.no_key[a] == kNoKey ? nullptr : by_no.find(apps.no_key[a]);
    if (s) {
      out.application[*s] = static_cast<int32_t>(a);
    } else {
      out.not_enrolled.push_back(static_cast<uint32_t>(a));
    }
  }

  // Categories whose lists also count the guardian's ID.
  uint64_t household_mask = 0;
  for (size_t c = 0; c < policy.categories.size(); ++c)
    if (policy.categories[c].match == MatchRule::kHousehold) household_mask |= uint64_t{1} << c;

  KeyIndex lists;
  lists.build(data.lists.id_key);
  const ListEntries& le = data.lists;
  const int32_t ref_days = reference.days();
  for (size_t i = 0; i < n; ++i) {
    uint64_t matched = 0, in_force = 0;
    auto visit = [&](uint32_t e, uint64_t allowed) {
      const uint64_t bit = uint64_t{1} << le.category[e];
      if (!(bit & allowed)) return;
      matched |= bit;
      if (le.valid_from_days[e] <= ref_days && ref_days <= le.valid_to_days[e]) in_force |= bit;
    };
    lists.for_each(st.id_key[i], [&](uint32_t e) { visit(e, ~uint64_t{0}); });
    lists.for_each(st.guardian_key[i], [&](uint32_t e) { visit(e, household_mask); });
    out.matched[i] = matched;
    out.verified[i] = in_force;
    if (matched & ~in_force) out.flags[i] |= kListExpired;
  }

  // Flags from the roster itself.
  FlatMap valid_ids(n);
  for (size_t i = 0; i < n; ++i) {
    if (!st.id_valid[i]) continue;
    bool inserted = false;
    ++valid_ids.find_or_insert(st.id_key[i], 0, inserted);
  }
  for (size_t i = 0; i < n; ++i) {
    uint16_t f = 0;
    const bool has_id = data.text.get(st.id_text[i]).size() > 0;
    if (has_id && !st.id_valid[i]) f |= kIdInvalid;
    if (st.id_mismatch[i]) f |= kIdMismatch;
    if (st.id_valid[i] && *valid_ids.find(st.id_key[i]) > 1) f |= kDupEnrollment;
    if (st.gender[i] != 0 && st.id_valid[i] && (st.gender[i] == 'M') != (st.id_male[i] != 0)) f |= kGenderMismatch;
    const int32_t birth = st.id_valid[i] ? st.id_birth_days[i] : st.birth_days[i];
    if (birth != kNoDate) {
      const int age = age_years(Date::from_days(birth), reference);
      if (std::abs(age - (st.grade[i] + 5)) > policy.checks.age_grade_tolerance) f |= kAgeGrade;
    }
    const std::string_view card = data.text.get(st.card[i]);
    if (!card.empty() && !luhn_valid(card)) f |= kBankCardLuhn;
    out.flags[i] |= f;
  }

  // SHARED_BANK_CARD: a card on the rows of more households than allowed. A
  // household is the guardian's valid ID, or the student alone without one.
  // Cards group by their number (a card without a leading zero is its value;
  // the rare ones with leading zeros group by text).
  {
    std::vector<uint64_t> card_key(n, kNoKey);
    std::unordered_map<std::string_view, std::vector<uint32_t>> zero_led;
    for (size_t i = 0; i < n; ++i) {
      const std::string_view card = data.text.get(st.card[i]);
      if (card.empty()) continue;
      if (card[0] == '0') {
        zero_led[card].push_back(static_cast<uint32_t>(i));
        continue;
      }
      uint64_t v = 0;
      for (char c : card) v = v * 10 + static_cast<uint64_t>(c - '0');  // at most 19 digits: fits
      card_key[i] = v;
    }
    std::vector<uint64_t> guardians;
    auto judge = [&](const uint32_t* rows, size_t count) {
      if (count <= static_cast<size_t>(std::max(policy.checks.shared_bank_card_max_households, 0))) return;
      guardians.clear();
      int64_t households = 0;
      for (size_t k = 0; k < count; ++k) {
        const uint64_t gk = st.guardian_key[rows[k]];
        if (gk == kNoKey) {
          ++households;
        } else {
          guardians.push_back(gk);
        }
      }
      std::sort(guardians.begin(), guardians.end());
      households += std::unique(guardians.begin(), guardians.end()) - guardians.begin();
      if (households > policy.checks.shared_bank_card_max_households)
        for (size_t k = 0; k < count; ++k) out.flags[rows[k]] |= kSharedBankCard;
    };
    KeyIndex cards;
    cards.build(card_key);
    for (size_t g = 0; g < cards.order.size();) {
      const uint64_t k = card_key[cards.order[g]];
      if (k == kNoKey) break;  // sorted last
      const uint32_t count = cards.count[g];
      judge(&cards.order[g], count);
      g += count;
    }
    for (const auto& [card, rows] : zero_led) judge(rows.data(), rows.size());
  }

  // DUP_FUNDING: a history row of this school year for the student at another
  // school. It names the student by ID when both sides have one, else by 学籍号.
  if (data.history.size() > 0) {
    KeyIndex by_id;
    by_id.build(st.id_key);
    std::unordered_map<std::string_view, std::vector<uint32_t>> odd_ids;  // effective IDs of another shape
    for (size_t i = 0; i < n; ++i) {
      const auto t = data.text.get(st.id_text[i]);
      if (!t.empty() && st.id_key[i] == kNoKey) odd_ids[t].push_back(static_cast<uint32_t>(i));
    }
    const History& h = data.history;
    for (size_t r = 0; r < h.size(); ++r) {
      const std::string_view school = data.side_text.get(h.school_code[r]);
      auto check = [&](uint32_t i) {
        if (data.school_codes[st.school[i]] != school) out.flags[i] |= kDupFunding;
      };
      const std::string_view id = data.side_text.get(h.id_text[r]);
      const std::string_view no = data.side_text.get(h.student_no[r]);
      if (!id.empty()) {
        const auto key = resident_id_key(id);
        if (key) {
          by_id.for_each(*key, check);
        } else if (auto it = odd_ids.find(id); it != odd_ids.end()) {
          for (uint32_t i : it->second) check(i);
        }
      }
      if (!no.empty()) {
        const auto key = student_no_key(no);
        const uint32_t* i = key ? by_no.find(*key) : nullptr;
        // By 学籍号 only when either side has no ID.
        if (i && (id.empty() || data.text.get(st.id_text[*i]).empty())) check(*i);
      }
    }
  }

  // Score, level, status.
  uint16_t blocking = 0;
  for (const auto& code : policy.checks.blocking) blocking |= flag_bit(code);
  std::vector<int> min_level_index(policy.categories.size(), -1);
  for (size_t c = 0; c < policy.categories.size(); ++c)
    if (policy.categories[c].min_level) min_level_index[c] = policy.level_index(*policy.categories[c].min_level);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t verified = out.verified[i];
    int32_t score = 0;
    int level = -1;
    for (size_t c = 0; c < policy.categories.size(); ++c) {
      if (!(verified >> c & 1)) continue;
      score = std::max(score, static_cast<int32_t>(policy.categories[c].points));
    }
    const int32_t a = out.application[i];
    if (a >= 0) {
      const auto ai = static_cast<size_t>(a);
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
      if ((apps.claimed[ai] & ~verified) != 0 || apps.claimed_unknown[ai]) out.flags[i] |= kClaimUnverified;
    }
    for (size_t l = 0; l < policy.levels.size(); ++l) {
      if (policy.levels[l].min_score <= score) {
        level = static_cast<int>(l);
        break;
      }
    }
    for (size_t c = 0; c < policy.categories.size(); ++c) {
      if (!(verified >> c & 1) || min_level_index[c] < 0) continue;
      if (level < 0 || min_level_index[c] < level) level = min_level_index[c];
    }
    out.score[i] = score;
    out.level[i] = static_cast<int16_t>(level);
    if (out.flags[i] & blocking) {
      out.status[i] = Status::kBlocked;
    } else if (a < 0 && !(policy.direct_identification && verified != 0)) {
      out.status[i] = Status::kNotApplied;
    } else if (level < 0) {
      out.status[i] = Status::kNotEligible;
    } else {
      out.status[i] = Status::kWaitlist;  // a candidate, until the walk decides
    }
  }

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
  for (size_t sc = 0; sc < schools; ++sc) {
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
  return out;
}

}  // namespace zizhu::identify
