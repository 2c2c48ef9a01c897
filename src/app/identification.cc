#include "app/identification.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "core/code_list.h"
#include "core/masking.h"
#include "core/student_no.h"
#include "crypto/random.h"
#include "crypto/sm3.h"
#include "identify/engine.h"
#include "identify/explain.h"
#include "identify/input/schemas.h"
#include "identify/output.h"
#include "io/csv_writer.h"
#include "io/memory_table.h"

namespace zizhu::app {

namespace {

constexpr std::string_view kRosterName = "学生名册（系统）";
constexpr std::string_view kListsName = "部门名单（系统）";
constexpr std::string_view kApplicationsName = "资助申请（系统）";
constexpr std::string_view kBudgetsName = "学校预算（系统）";

// The run's steps as a watcher sees them, and how often the explanations
// step reports how far it is. The weights are each step's share of the time
// of a county's run, measured (bench/identify_job_steps.mjs, 200,000
// students: reading 77 %, loading 1, deciding 0.4, files ~1, explanations
// 16, saving 5); the page's percentage is made of them.
constexpr int kRunSteps = 6;
constexpr std::array<int, kRunSteps> kRunStepWeights = {76, 1, 1, 1, 16, 5};
constexpr std::string_view kReadStep = "读取学籍名册（按学校）、部门名单、申请和预算";
constexpr int64_t kProgressRows = 256;

template <size_t N>
std::vector<std::string> header_of(const std::array<io::ColumnSpec, N>& spec) {
  std::vector<std::string> out;
  for (const auto& c : spec) out.emplace_back(c.chinese);
  return out;
}

std::string_view yes_no(const std::optional<bool>& b) {
  if (!b) return "";
  return *b ? "是" : "否";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A directory only this process's user can enter, removed with everything in
// it when this goes away: the run's outputs hold plain 学籍号 for a moment.
struct PrivateDir {
  std::filesystem::path path;
  static Result<PrivateDir> make() {
    PrivateDir d{std::filesystem::temp_directory_path() / ("zizhu-run-" + crypto::random_token(12))};
    if (::mkdir(d.path.c_str(), 0700) != 0) {
      d.path.clear();
      return fail("IO", "无法创建临时目录");
    }
    return d;
  }
  PrivateDir(std::filesystem::path p) : path(std::move(p)) {}  // NOLINT
  PrivateDir(PrivateDir&& o) noexcept : path(std::move(o.path)) { o.path.clear(); }
  PrivateDir& operator=(PrivateDir&&) = delete;
  ~PrivateDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

Result<void> write_table(io::TableReader& table, const std::string& path) {
  auto w = io::CsvWriter::open(path);
  if (!w) return tl::unexpected(w.error());
  std::vector<std::string_view> header(table.header().begin(), table.header().end());
  (*w)->row(header);
  io::Row row;
  long expected = 2;
  for (;;) {
    auto more = table.next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) break;
    // MemoryTable skips rows with no value but counts them: keep them as
    // empty lines so that the file's row numbers are the table's.
    for (; expected < row.number; ++expected) (*w)->end_row();
    for (const auto& c : row.cells) (*w)->field(c.text);
    (*w)->end_row();
    ++expected;
  }
  return (*w)->close();
}

}  // namespace

Result<RunScope> run_scope(store::Store& store, const Actor& actor, int64_t cycle_id,
                           const std::optional<std::string>& school_code) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  RunScope scope{std::move(*cycle), std::nullopt};
  const bool county_wide = actor.in_scope(scope.cycle.county_path);
  std::optional<std::string> code = school_code;
  if (!code && !county_wide) code = actor.org_code;  // a school's own run
  if (code) {
    auto school = store.find_school(*code);
    if (!school) return tl::unexpected(school.error());
    if (!*school || (*school)->county_id != scope.cycle.county_id || !actor.in_scope((*school)->path)) {
      return field_error("NOT_FOUND", "学校不存在", "school_code");
    }
    scope.school = std::move(**school);
  }
  return scope;
}

Result<CycleTables> cycle_tables(store::Store& store, const store::Cycle& cycle,
                                 const std::optional<store::School>& school,
                                 const std::function<void(int64_t, int64_t)>& schools_read) {
  namespace id = identify;
  const std::string path = school ? school->path : cycle.county_path;
  CycleTables out;

  // School by school, so that a watcher sees the longest part of a run move
  // (reading and opening the sealed columns of every student: ~3/4 of a
  // county's run, bench/identify_job_steps.mjs). Code order within the
  // county, as the one query of the whole county ordered them.
  std::vector<store::School> schools;
  if (school) {
    schools.push_back(*school);
  } else {
    auto under = store.schools_under(cycle.county_path);
    if (!under) return tl::unexpected(under.error());
    schools = std::move(*under);
    std::sort(schools.begin(), schools.end(),
              [](const store::School& a, const store::School& b) { return a.school_code < b.school_code; });
  }
  std::vector<store::RosterRow> roster;
  for (size_t i = 0; i < schools.size(); ++i) {
    auto part = store.identification_roster(schools[i].path);
    if (!part) return tl::unexpected(part.error());
    if (roster.empty()) {
      roster = std::move(*part);
    } else {
      roster.insert(roster.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
    }
    if (schools_read) schools_read(static_cast<int64_t>(i + 1), static_cast<int64_t>(schools.size()));
  }
  auto students = std::make_unique<io::MemoryTable>(std::string(kRosterName), header_of(id::kStudentColumns));
  std::unordered_map<int64_t, std::string> student_no_of;
  for (const auto& r : roster) {
    const auto& d = r.student.data;
    const std::string grade = std::to_string(d.grade);
    const std::string birth = d.birth_date ? d.birth_date->iso() : "";
    students->add_row({d.student_no.plain(), d.name, d.id_number ? std::string_view(d.id_number->plain()) : "",
                       d.gender ? (*d.gender == store::Gender::kMale ? "男" : "女") : "", birth, r.school_code, grade,
                       d.class_name, d.boarding ? "是" : "否", d.guardian_name,
                       r.guardian_id_number ? std::string_view(r.guardian_id_number->plain()) : "",
                       d.bank_card ? std::string_view(d.bank_card->plain()) : ""});
    student_no_of.emplace(r.student.id, d.student_no.plain());
    out.ids.emplace(d.student_no.plain(), std::make_pair(r.student.id, d.school_id));
  }
  out.students = static_cast<int64_t>(roster.size());
  out.tables.students = std::move(students);

  auto entries = store.dept_list_entries(cycle.id);
  if (!entries) return tl::unexpected(entries.error());
  auto lists = std::make_unique<io::MemoryTable>(std::string(kListsName), header_of(id::kListColumns));
  for (const auto& e : *entries) {
    const std::string from = e.valid_from ? e.valid_from->iso() : "";
    const std::string to = e.valid_to ? e.valid_to->iso() : "";
    lists->add_row({e.id_number.plain(), e.name, e.category, from, to, e.source});
  }
  out.tables.lists.push_back(std::move(lists));

  auto applications = store.submitted_applications(cycle.id, path);
  if (!applications) return tl::unexpected(applications.error());
  auto apps = std::make_unique<io::MemoryTable>(std::string(kApplicationsName), header_of(id::kApplicationColumns));
  for (const auto& a : *applications) {
    const auto no = student_no_of.find(a.student_id);
    if (no == student_no_of.end()) continue;  // moved to a school outside the scope since applying
    const auto& f = a.family;
    const std::string size = std::to_string(f.household_size);
    const std::string income = format_yuan(f.household_income);
    const std::string claimed = join_codes(f.claimed_categories);
    const std::string siblings = f.siblings_in_school ? std::to_string(*f.siblings_in_school) : "";
    apps->add_row({no->second, size, income, claimed, yes_no(f.serious_illness), yes_no(f.sudden_hardship),
                   yes_no(f.single_parent), siblings});
  }
  out.tables.applications = std::move(apps);

  auto budgets = store.budgets(cycle.id);
  if (!budgets) return tl::unexpected(budgets.error());
  auto budget_table = std::make_unique<io::MemoryTable>(std::string(kBudgetsName), header_of(id::kBudgetColumns));
  for (const auto& b : *budgets) {
    if (school && b.school_id != school->org_id) continue;
    budget_table->add_row({b.school_code, format_yuan(b.budget)});
  }
  out.tables.budgets = std::move(budget_table);
  return out;
}

Result<void> export_cycle_files(store::Store& store, const store::Cycle& cycle,
                                const std::optional<store::School>& school, const std::string& dir) {
  auto t = cycle_tables(store, cycle, school);
  if (!t) return tl::unexpected(t.error());
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || ::chmod(dir.c_str(), 0700) != 0) return fail("IO", "无法创建目录 " + dir);
  const mode_t old_mask = ::umask(077);
  auto write_all = [&]() -> Result<void> {
    if (auto ok = write_table(*t->tables.students, dir + "/students.csv"); !ok) return ok;
    if (auto ok = write_table(*t->tables.lists[0], dir + "/lists.csv"); !ok) return ok;
    if (auto ok = write_table(*t->tables.applications, dir + "/applications.csv"); !ok) return ok;
    if (auto ok = write_table(*t->tables.budgets, dir + "/budgets.csv"); !ok) return ok;
    auto versions = store.policy_versions(cycle.id);
    if (!versions) return tl::unexpected(versions.error());
    for (const auto& v : *versions) {
      if (cycle.policy_version && v.version == *cycle.policy_version) {
        std::ofstream out(dir + "/policy.toml", std::ios::binary);
        out << v.toml;
        if (!out) return fail("IO", "无法写入 policy.toml");
      }
    }
    return {};
  };
  auto ok = write_all();
  ::umask(old_mask);
  return ok;
}

Result<RunView> run_identification(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                   const std::optional<std::string>& school_code, JobProgress* progress) {
  // The steps a watcher sees; between them (and every few hundred
  // explanations) a stopping server ends the run before anything is saved.
  auto step = [&](int index, std::string_view name, int64_t total = 0) -> Result<void> {
    if (progress == nullptr) return {};
    if (progress->cancelled()) return fail("CANCELLED", "服务器正在停止，本次认定未完成，未保存任何结果，请重新运行");
    progress->step(index, kRunSteps, name, total);
    return {};
  };
  auto scope = run_scope(store, actor, cycle_id, school_code);
  if (!scope) return tl::unexpected(scope.error());
  if (auto ok = require_state(scope->cycle, {store::CycleState::kReview}, "运行资格认定（申请结束后、评审期间运行）"); !ok) {
    return tl::unexpected(ok.error());
  }
  auto policy = cycle_policy(store, scope->cycle);
  if (!policy) return tl::unexpected(policy.error());
  const int64_t started_at_ms = app.now_ms();

  if (progress != nullptr) progress->plan(std::vector<int>(kRunStepWeights.begin(), kRunStepWeights.end()));
  if (auto ok = step(1, kReadStep); !ok) return tl::unexpected(ok.error());
  auto tables = cycle_tables(store, scope->cycle, scope->school, [&](int64_t done, int64_t total) {
    if (progress == nullptr) return;
    if (done == 1) progress->step(1, kRunSteps, kReadStep, total);  // now it can count the schools
    progress->advance(done);
  });
  if (!tables) return tl::unexpected(tables.error());
  const int64_t students = tables->students;
  const auto ids = std::move(tables->ids);
  if (auto ok = step(2, "校验并装载数据"); !ok) return tl::unexpected(ok.error());
  auto data = identify::load_dataset(std::move(tables->tables), *policy);
  if (!data) return tl::unexpected(data.error());
  if (auto ok = step(3, "逐人认定类别、得分、标记和等级，按预算分配"); !ok) return tl::unexpected(ok.error());
  const identify::Outcome out = identify::decide(*data, *policy, 2);

  // results.csv and schools.csv exactly as `zizhu identify` writes them, to
  // record their SM3; written in a private directory removed at once.
  if (auto ok = step(4, "写出结果文件并计算 SM3"); !ok) return tl::unexpected(ok.error());
  auto dir = PrivateDir::make();
  if (!dir) return tl::unexpected(dir.error());
  if (auto ok = identify::write_outputs(dir->path.string(), *data, *policy, out); !ok) return tl::unexpected(ok.error());
  const std::string results_sm3 = crypto::to_hex(crypto::sm3(read_file(dir->path / "results.csv")));
  const std::string schools_sm3 = crypto::to_hex(crypto::sm3(read_file(dir->path / "schools.csv")));

  std::vector<store::IdentificationResult> rows;
  const identify::Students& st = data->students;
  int64_t row_no = 0;
  const auto result_rows = identify::result_rows(*data, out);
  if (auto ok = step(5, "生成每名学生的认定说明", static_cast<int64_t>(result_rows.size())); !ok) {
    return tl::unexpected(ok.error());
  }
  rows.reserve(result_rows.size());
  for (uint32_t r : result_rows) {
    if (progress != nullptr && row_no % kProgressRows == 0 && row_no > 0) {
      if (progress->cancelled()) return fail("CANCELLED", "服务器正在停止，本次认定未完成，未保存任何结果，请重新运行");
      progress->advance(row_no);
    }
    store::IdentificationResult x;
    x.row_no = ++row_no;
    std::string no;
    if (identify::is_not_enrolled_row(r)) {
      no = std::string(data->side_text.get(data->applications.student_no[identify::application_of_row(r)]));
      x.status = "BLOCKED";
      x.flags = "NOT_ENROLLED";
    } else {
      const uint32_t i = r;
      no = student_no_from_key(st.no_key[i]);
      x.status = std::string(identify::status_code(out.status[i]));
      if (out.level[i] >= 0) x.level = policy->levels[static_cast<size_t>(out.level[i])].number;
      if (out.status[i] == identify::Status::kFunded) x.amount = out.amount[i];
      x.score = out.score[i];
      std::vector<std::string> cats;
      for (size_t c = 0; c < policy->categories.size(); ++c) {
        if (out.verified[i] >> c & 1) cats.push_back(policy->categories[c].code);
      }
      x.categories = join_codes(cats);
      std::vector<std::string> flags;
      for (std::string_view code : kFlagCodes) {
        if (out.flags[i] & identify::flag_bit(code)) flags.emplace_back(code);
      }
      std::sort(flags.begin(), flags.end());  // byte order, as results.csv
      x.flags = join_codes(flags);
      if (out.rank[i] > 0) x.rank = out.rank[i];
    }
    if (const auto found = ids.find(no); found != ids.end()) {
      x.student_id = found->second.first;
      x.school_id = found->second.second;
    }
    auto why = identify::explain_student(no, *data, *policy, out);
    // The explanation is kept: no 学籍号 in it in plain (it carries the ID).
    x.explanation = why ? mask_student_numbers_in(*why) : std::string("（无法生成说明：") + why.error().message + "）";
    rows.push_back(std::move(x));
  }

  store::IdentificationRunInput run;
  run.cycle_id = cycle_id;
  if (scope->school) run.school_id = scope->school->org_id;
  run.policy_version = *scope->cycle.policy_version;
  if (actor.user_id != 0) run.run_by = actor.user_id;
  run.started_at_ms = started_at_ms;
  run.finished_at_ms = app.now_ms();
  run.students = students;
  run.rejects = static_cast<int64_t>(data->rejects.size());
  run.results_sm3 = results_sm3;
  run.schools_sm3 = schools_sm3;

  if (progress != nullptr) progress->advance(row_no);
  if (auto ok = step(6, "保存认定结果并记入审计日志"); !ok) return tl::unexpected(ok.error());
  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  // The state again, inside the write: the cycle may have moved on.
  auto now = store.get_cycle(cycle_id);
  if (!now) return tl::unexpected(now.error());
  if (!*now || (*now)->state != store::CycleState::kReview || (*now)->policy_version != scope->cycle.policy_version) {
    return fail("STATE_CONFLICT", "运行期间资助周期已变化，请重新运行");
  }
  auto id = store.add_identification_run(run, rows);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor,
                       {"identification.run", "cycle", std::to_string(cycle_id), "ok",
                        summary_json({{"run_id", std::to_string(*id)},
                                      {"school", scope->school ? scope->school->school_code : std::string("全区县")},
                                      {"students", std::to_string(students)},
                                      {"results", std::to_string(rows.size())},
                                      {"results_sm3", results_sm3}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  RunView v;
  v.id = *id;
  v.cycle_id = cycle_id;
  if (scope->school) v.school_code = scope->school->school_code;
  v.policy_version = run.policy_version;
  v.started_at_ms = run.started_at_ms;
  v.finished_at_ms = run.finished_at_ms;
  v.students = students;
  v.results = static_cast<int64_t>(rows.size());
  v.rejects = run.rejects;
  v.results_sm3 = results_sm3;
  v.schools_sm3 = schools_sm3;
  return v;
}

Result<std::vector<RunView>> identification_runs(App&, store::Store& store, const Actor& actor, int64_t cycle_id) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto runs = store.identification_runs(cycle_id);
  if (!runs) return tl::unexpected(runs.error());
  std::vector<RunView> out;
  for (const auto& r : *runs) {
    RunView v;
    v.id = r.id;
    v.cycle_id = r.run.cycle_id;
    if (r.run.school_id) {
      auto node = store.get_org_node(*r.run.school_id);
      if (!node) return tl::unexpected(node.error());
      if (!*node || !actor.in_scope((*node)->path)) continue;  // another school's run
      v.school_code = (*node)->code;
    }  // a county run is listed for its schools too: they see their rows of it
    v.policy_version = r.run.policy_version;
    v.started_at_ms = r.run.started_at_ms;
    v.finished_at_ms = r.run.finished_at_ms;
    v.students = r.run.students;
    v.results = r.results;
    v.rejects = r.run.rejects;
    v.results_sm3 = r.run.results_sm3;
    v.schools_sm3 = r.run.schools_sm3;
    out.push_back(std::move(v));
  }
  return out;
}

Result<Page<ResultView>> identification_results(App&, store::Store& store, const Actor& actor, int64_t cycle_id,
                                                int64_t run_id, const PageRequest& page, const ResultQuery& query) {
  auto cycle = visible_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto runs = store.identification_runs(cycle_id);
  if (!runs) return tl::unexpected(runs.error());
  bool found = false;
  for (const auto& r : *runs) found = found || r.id == run_id;
  if (!found) return fail("NOT_FOUND", "认定结果不存在");
  // A school sees its own rows; the county all of them, with the rows of
  // applications that name no roster student (no school).
  const bool county_wide = actor.in_scope(cycle->county_path);
  std::string path = county_wide ? cycle->county_path : actor.org_path;
  bool with_unplaced = county_wide;
  if (query.school_code) {
    auto school = store.find_school(*query.school_code);
    if (!school) return tl::unexpected(school.error());
    if (!*school || (*school)->county_id != cycle->county_id || !actor.in_scope((*school)->path)) {
      return field_error("NOT_FOUND", "学校不存在", "school_code");
    }
    path = (*school)->path;
    with_unplaced = false;
  }
  auto rows = store.identification_results(run_id, path, with_unplaced, query.filter, page.offset(), page.page_size);
  if (!rows) return tl::unexpected(rows.error());
  Page<ResultView> out;
  out.total = rows->total;
  for (const auto& r : rows->items) {
    ResultView v;
    v.row_no = r.row_no;
    v.student_id = r.student_id;
    if (r.student_id) {
      auto s = store.get_student_listing(*r.student_id);
      if (!s) return tl::unexpected(s.error());
      if (*s) {
        v.student_name = (*s)->name;
        v.student_no = (*s)->student_no_masked;
      }
    }
    if (r.school_id) {
      auto node = store.get_org_node(*r.school_id);
      if (!node) return tl::unexpected(node.error());
      if (*node) v.school_code = (*node)->code;
    }
    v.status = r.status;
    v.level = r.level;
    if (r.amount) v.amount = format_yuan(*r.amount);
    v.score = r.score;
    v.categories = split_codes(r.categories);
    v.flags = split_codes(r.flags);
    v.rank = r.rank;
    v.explanation = r.explanation;
    out.items.push_back(std::move(v));
  }
  return out;
}

Result<RunResults> run_results(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                               std::optional<int64_t> run_id, const PageRequest& page, const ResultQuery& query) {
  auto runs = identification_runs(app, store, actor, cycle_id);
  if (!runs) return tl::unexpected(runs.error());
  RunResults out;
  for (const auto& r : *runs) {  // newest first
    if (!run_id || r.id == *run_id) {
      out.run = r;
      break;
    }
  }
  if (!out.run) {
    if (run_id) return field_error("NOT_FOUND", "认定结果不存在", "run_id");
    return out;
  }
  auto rows = identification_results(app, store, actor, cycle_id, out.run->id, page, query);
  if (!rows) return tl::unexpected(rows.error());
  out.rows = std::move(*rows);
  out.scope_total = out.rows.total;
  if (!query.empty()) {  // "N of M": the unfiltered count too
    PageRequest one;
    one.page_size = 1;
    auto all = identification_results(app, store, actor, cycle_id, out.run->id, one);
    if (!all) return tl::unexpected(all.error());
    out.scope_total = all->total;
  }
  return out;
}

}  // namespace zizhu::app
