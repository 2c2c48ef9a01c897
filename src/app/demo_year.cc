#include "app/demo_year.h"

#include "app/announcements.h"
#include "app/applications.h"
#include "app/cycles.h"
#include "app/demo_money.h"
#include "app/filings.h"
#include "app/identification.h"
#include "app/objections.h"
#include "app/review.h"

namespace zizhu::app {

namespace {

// Moves the app's clock to 10:00 China time on the day (or back with `restore`).
class ClockAt {
 public:
  explicit ClockAt(App& app) : app_(app), saved_(app.clock_offset_ms()) {}
  ~ClockAt() { app_.set_clock_offset_ms(saved_); }
  ClockAt(const ClockAt&) = delete;
  ClockAt& operator=(const ClockAt&) = delete;
  void day(int y, int m, int d) {
    app_.set_clock_offset_ms(0);
    const int64_t target = int64_t{Date::from_ymd(y, m, d)->days()} * 86'400'000 + 2 * 3'600'000;
    app_.set_clock_offset_ms(target - app_.now_ms());
  }
  void now() { app_.set_clock_offset_ms(saved_); }

 private:
  App& app_;
  int64_t saved_;
};

struct SchoolPeople {
  Actor officer;
  std::vector<Actor> reviewers;
};

SchoolPeople people_of(const store::OrgNode& school, int64_t officer, const int64_t (&reviewers)[3]) {
  SchoolPeople p{actor_at(school, officer, "demo"), {}};
  for (int64_t r : reviewers) p.reviewers.push_back(actor_at(school, r, "demo"));
  return p;
}

// The school officer enters `count` applications for students of the school.
Result<void> enter_applications(App& app, store::Store& store, const Actor& officer, int64_t cycle_id,
                                const store::School& school, size_t count) {
  store::StudentFilter f;
  f.school_code = school.school_code;
  auto page = store.students_page(school.path, f, 40, 60);
  if (!page) return tl::unexpected(page.error());
  size_t made = 0;
  for (size_t i = 0; i < page->items.size() && made < count; i += 3) {
    FamilyInput family;
    family.household_size = 3 + static_cast<int64_t>(i % 3);
    family.household_income_fen = 600'000 + static_cast<int64_t>(i) * 90'000;
    if (i % 2 == 0) family.serious_illness = true;
    auto a = submit_application(app, store, officer, cycle_id, page->items[i].id, family);
    if (!a) return tl::unexpected(a.error());
    ++made;
  }
  return {};
}

// The panel votes and the officer decides every candidate of the school:
// the engine's suggestion where the budget allows and no blocking flag is
// open, else no aid (with the reason the panel gave). At least one funded.
Result<void> review_school(App& app, store::Store& store, int64_t cycle_id, const SchoolPeople& p) {
  std::vector<std::string> names;
  for (const auto& r : p.reviewers) {
    auto u = store.get_user(r.user_id);
    if (!u) return tl::unexpected(u.error());
    if (!*u) return fail("DEMO", "演示评审账号缺失");
    names.push_back((*u)->username);
  }
  if (auto ok = set_panel(app, store, p.officer, cycle_id, std::nullopt, names); !ok) return tl::unexpected(ok.error());
  auto board = review_board(app, store, p.officer, cycle_id, std::nullopt);
  if (!board) return tl::unexpected(board.error());
  int funded = 0;
  for (const auto& c : *board) {
    std::optional<int> level = c.suggested_level;
    if (!level && funded == 0 && c.unresolved_blocking_flags.empty()) level = 3;  // the panel's own judgement
    if (!c.unresolved_blocking_flags.empty()) level = std::nullopt;
    for (const auto& r : p.reviewers) {
      if (auto ok = cast_vote(app, store, r, cycle_id, c.student_id, level); !ok) return tl::unexpected(ok.error());
    }
    auto d = decide(app, store, p.officer, cycle_id, c.student_id, level, "评审小组综合家访情况评议");
    if (!d && level && d.error().code == "RULE") {
      // Over the budget: no aid this time, as the panel then decides.
      for (const auto& r : p.reviewers) {
        if (auto ok = cast_vote(app, store, r, cycle_id, c.student_id, std::nullopt); !ok) {
          return tl::unexpected(ok.error());
        }
      }
      d = decide(app, store, p.officer, cycle_id, c.student_id, std::nullopt, "预算所限，列入候补");
    }
    if (!d) return tl::unexpected(d.error());
    if (d->decided_level) ++funded;
  }
  if (funded == 0) return fail("DEMO", "演示学校没有资助名单");
  return {};
}

struct PastYear {
  int64_t cycle = 0, announcement = 0, objection = 0, filing = 0;
};

// Last school year in the county, replayed on its dates: applications in
// September, review, 公示 after the National Day holiday with an objection
// answered (dismissed, not appealed), filing and approval in October.
Result<PastYear> past_year(App& app, store::Store& store, ClockAt& clock, const Actor& county,
                           const store::School& school, const SchoolPeople& p) {
  PastYear out;
  clock.day(2025, 9, 12);
  auto cycle = open_demo_cycle(app, store, county);
  if (!cycle) return tl::unexpected(cycle.error());
  out.cycle = *cycle;
  if (auto ok = enter_applications(app, store, p.officer, *cycle, school, 6); !ok) return tl::unexpected(ok.error());
  clock.day(2025, 9, 29);
  if (auto ok = close_applications(app, store, county, *cycle); !ok) return tl::unexpected(ok.error());
  if (auto ok = run_identification(app, store, county, *cycle, std::nullopt); !ok) return tl::unexpected(ok.error());
  if (auto ok = review_school(app, store, *cycle, p); !ok) return tl::unexpected(ok.error());
  clock.day(2025, 10, 9);  // the first working day after 国庆节
  auto a = announce(app, store, p.officer, *cycle, std::nullopt, std::nullopt);
  if (!a) return tl::unexpected(a.error());
  out.announcement = a->id;
  clock.day(2025, 10, 10);
  Actor anyone = system_actor("anonymous");
  anyone.ip = "198.51.100.20";
  auto o = submit_objection(app, store, anyone, a->id, 1, "该生家庭条件较好，请学校核实（演示）", std::nullopt);
  if (!o) return tl::unexpected(o.error());
  out.objection = o->objection.id;
  clock.day(2025, 10, 11);  // a Saturday made a working day (调休)
  if (auto ok = answer_objection(app, store, p.officer, o->objection.id, false,
                                 "经入户核实，该生父亲重病长期住院，家庭确有困难，维持原评审结果（演示）", std::nullopt);
      !ok) {
    return tl::unexpected(ok.error());
  }
  clock.day(2025, 10, 20);
  auto f = submit_filing(app, store, p.officer, *cycle, std::nullopt);
  if (!f) return tl::unexpected(f.error());
  clock.day(2025, 10, 21);
  if (auto ok = approve_filing(app, store, county, f->id); !ok) return tl::unexpected(ok.error());
  out.filing = f->id;
  return out;
}

}  // namespace

Result<void> add_demo_later_stages(App& app, store::Store& store, const DemoPlaces& places,
                                   const DemoYearPeople& people, DemoObjects& o) {
  auto own_node = node_of(store, places.own.org_id);
  if (!own_node) return tl::unexpected(own_node.error());
  auto far_node = node_of(store, places.far.org_id);
  if (!far_node) return tl::unexpected(far_node.error());
  const SchoolPeople own = people_of(*own_node, people.school_officer_own, people.reviewers_own);
  const SchoolPeople far = people_of(*far_node, people.school_officer_far, people.reviewers_far);
  const Actor county = actor_at(places.county, places.county_officer_user_id, "demo");
  const Actor other_county = actor_at(places.other_county, 0, "demo");
  {
    ClockAt clock(app);
    auto mine = past_year(app, store, clock, county, places.own, own);
    if (!mine) return tl::unexpected(mine.error());
    o.cycle_past_own = mine->cycle;
    o.announcement_own = mine->announcement;
    o.objection_own = mine->objection;
    o.filing_own = mine->filing;
    auto theirs = past_year(app, store, clock, other_county, places.far, far);
    if (!theirs) return tl::unexpected(theirs.error());
    o.filing_other_county = theirs->filing;
    o.objection_past_other_county = theirs->objection;
    // The other county's money of that year (demo_money.h): finance there is
    // the demo itself, the county officer approves. Not in the own county,
    // whose empty ledger the payment and publication tests start from.
    o.cycle_past_other_county = theirs->cycle;
    DemoMoneyPlace place;
    place.county = places.other_county;
    place.approver_user_id = people.county_officer_far;
    place.cycle_id = theirs->cycle;
    place.transfer_id_first = kDemoTransferIdFirst + kDemoTransfersPerCounty;
    place.budget_doc_prefix = places.other_county.name + "财教";
    auto money = add_demo_money(app, store, [&](int y, int m, int d) { clock.day(y, m, d); }, place);
    if (!money) return tl::unexpected(money.error());
    o.payment_batch_other_county = money->batch_term1;
    o.payment_batch_term2_other_county = money->batch_term2;
    o.payment_line_failed_other_county = money->line_failed;
    o.payment_student_failed_other_county = money->student_failed;
    o.fund_publication_other_county = money->publication;
  }
  // This year in the other county: applications closed, identified,
  // reviewed, announced today, and someone has objected.
  if (auto ok = close_applications(app, store, other_county, o.cycle_other_county); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = run_identification(app, store, other_county, o.cycle_other_county, std::nullopt); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = review_school(app, store, o.cycle_other_county, far); !ok) return tl::unexpected(ok.error());
  auto a = announce(app, store, far.officer, o.cycle_other_county, std::nullopt, std::nullopt);
  if (!a) return tl::unexpected(a.error());
  o.announcement_other_county = a->id;
  Actor anyone = system_actor("anonymous");
  anyone.ip = "198.51.100.21";
  auto objection = submit_objection(app, store, anyone, a->id, 1, "该生家里开了小卖部，收入不低，请核实（演示）",
                                    std::string("张老师"));
  if (!objection) return tl::unexpected(objection.error());
  o.objection_other_county = objection->objection.id;
  o.objection_receipt_other_county = objection->receipt;
  return {};
}

}  // namespace zizhu::app
